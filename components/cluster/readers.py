"""Three ways to know the cluster: its dumps, the live cluster, or nothing (a new cluster).

Every reader drops secret values at once (key names are all the program needs), and none of
them writes anything. The live one uses the Kubernetes client with the same kubeconfig and
context as the Pulumi Kubernetes provider, and needs only ``get`` on the objects it reads
(docs/cluster.md: "What the program reads from the cluster").
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from components.cluster.state import (
    ClusterState,
    ObjectKey,
    key_of,
    metadata_only,
    program_keys,
    without_secret_values,
)
from components.formats import is_kubeconfig_content
from components.yaml_reader import YamlFileError, read_yaml

# (group, version, plural) of each cluster-scoped singleton, for the live reader.
_PLURALS = {
    "Config": "configs",
    "Image": "images",
    "CloudCredential": "cloudcredentials",
    "Authentication": "authentications",
    "ClusterVersion": "clusterversions",
    "Infrastructure": "infrastructures",
    "ClusterOperator": "clusteroperators",
}


class ClusterReadError(Exception):
    """The cluster (or its dump) cannot be read as asked; the message says why and what to do."""


def new_cluster() -> ClusterState:
    return ClusterState()


def read_dump(directory: Path, keep_values: frozenset[ObjectKey] = frozenset()) -> ClusterState:
    """Objects as ``oc get <kind> <name> -o yaml`` writes them: one per file, or a ``List``.

    Every object of a kind the program reads is checked for the shape it relies on (``shapes.py``);
    two files holding the same object are refused, naming both; an empty file is named in a note.
    Secret values are dropped, but for the Secrets named in ``keep_values`` (``python -m verify``
    uses the registry's own credentials, in memory only, never shown)."""
    # lazy: its pydantic models cost a tenth of a preview's start-up, and a preview without a dump needs none.
    from components.cluster.shapes import shape_problems

    if not directory.is_dir():
        raise ClusterReadError(f"{directory}: no such directory of `oc get -o yaml` dumps")
    objects: dict[ObjectKey, dict[str, Any]] = {}
    origin: dict[ObjectKey, Path] = {}
    problems: list[str] = []
    notes: list[str] = []
    for path in sorted(p for p in directory.rglob("*") if p.suffix in (".yaml", ".yml", ".json") and p.is_file()):
        try:
            document, _ = read_yaml(path)
        except YamlFileError as exc:
            problems += [problem.located(path) for problem in exc.problems]
            continue
        if document is None:
            notes.append(f"{path}: empty, skipped (an `oc get` that found nothing writes an empty file)")
            continue
        try:
            items = _items(document, path)
        except ClusterReadError as exc:
            problems.append(str(exc))
            continue
        for index, body in enumerate(items):
            where = f"{path}" + (
                f" items[{index}]" if len(items) > 1 or document.get("kind") != body.get("kind") else ""
            )
            found = list(shape_problems(body))
            if found:
                what = _name(body)
                problems += [f"{where}: {what}{problem}" for problem in found]
                continue
            key = key_of(body)
            if key in origin:
                problems.append(f"{where}: {_name(body)}is in {origin[key]} too: one file per object")
                continue
            origin[key] = path
            objects[key] = body if key in keep_values else without_secret_values(body)
    if problems:
        raise ClusterReadError(f"the dump in {directory} has {len(problems)} problem(s):\n  " + "\n  ".join(problems))
    return ClusterState(objects=objects, source=f"the dump in {directory}", read=True, notes=tuple(notes))


def _name(body: Any) -> str:
    """``Config cluster: ``, for messages (empty where the object has no usable name)."""
    if not isinstance(body, dict):
        return ""
    metadata = body.get("metadata")
    name = metadata.get("name") if isinstance(metadata, dict) else None
    kind = body.get("kind")
    return f"{kind} {name}: " if isinstance(kind, str) and isinstance(name, str) else ""


def _items(document: Any, path: Path) -> list[Any]:
    if not isinstance(document, dict) or "kind" not in document:
        raise ClusterReadError(f"{path}: not a Kubernetes object (no kind); dump with `oc get <kind> <name> -o yaml`")
    if document["kind"] == "List" or str(document["kind"]).endswith("List"):
        items = document.get("items")
        if not isinstance(items, list):
            raise ClusterReadError(f"{path}: a {document['kind']} whose items are not a list")
        return items
    return [document]


Getter = Callable[[ObjectKey], dict[str, Any] | None]


class ForbiddenError(ClusterReadError):
    """The reader may not read this object (403): its existence cannot be told."""


def read_live(get: Getter, source: str = "the live cluster") -> ClusterState:
    """Exactly the objects ``program_keys`` names, as the dump reader learns them: the singletons, the
    ConfigMap the Image config names (its CA bundles are public), and the credential Secrets by their
    metadata only. A Secret whose metadata may not be read counts as existing (``ClusterState.unknown``)."""
    from components.cluster.shapes import shape_problems  # lazy: as in read_dump

    objects: dict[ObjectKey, dict[str, Any]] = {}
    unknown: set[ObjectKey] = set()
    asked: set[ObjectKey] = set()
    while True:
        pending = [key for key in program_keys(objects) if key not in asked]
        if not pending:
            break
        for key in pending:
            asked.add(key)
            try:
                body = get(key)
            except ForbiddenError:
                if key[1] != "Secret":
                    raise
                unknown.add(key)
                continue
            if body is not None:
                found = list(shape_problems(body))
                if found:
                    raise ClusterReadError(f"{source}: {_name(body)}" + "; ".join(found))
                objects[key] = metadata_only(key, body) if key[1] == "Secret" else body
    return ClusterState(objects=objects, source=source, read=True, unknown=frozenset(unknown))


def _forbidden(key: ObjectKey) -> str:
    _, kind, namespace, name = key
    what = f"{kind} {namespace + '/' if namespace else ''}{name}"
    return (
        f"cannot read {what} (403 Forbidden): the program reads it before changing anything; "
        f"grant `get` on it, or {HOW_TO_TURN_OFF}"
    )


# A metadata-only read (what `oc get secret NAME -o name` needs): the API server answers with the
# object's metadata and never sends its data.
METADATA_ONLY = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1"


def api_client(kubeconfig: str | None, context: str | None) -> Any:
    """The Kubernetes client for the provider's kubeconfig (a path, or its content) and context."""
    # lazy: the kubernetes client (a second of imports) only for a live cluster
    import yaml
    from kubernetes import config

    if is_kubeconfig_content(kubeconfig):
        return config.new_client_from_config_dict(yaml.safe_load(str(kubeconfig)), context=context)
    return config.new_client_from_config(config_file=kubeconfig, context=context)


def kubernetes_getter(
    kubeconfig: str | None, context: str | None, values: frozenset[ObjectKey] = frozenset()
) -> Getter:
    """``get`` with the Kubernetes client, with the provider's kubeconfig (a path or its content) and
    context; a missing object is None, a forbidden one raises ForbiddenError, anything else that fails is a
    ClusterReadError. Secrets are read by their metadata only, but for those in ``values``."""
    # lazy: the kubernetes client only for a live cluster
    from kubernetes import client
    from kubernetes.client.exceptions import ApiException

    try:
        api = api_client(kubeconfig, context)
    except Exception as exc:  # the client raises many kinds for a bad kubeconfig
        raise ClusterReadError(f"cannot load the kubeconfig ({exc}); {HOW_TO_TURN_OFF}") from None
    custom, core = client.CustomObjectsApi(api), client.CoreV1Api(api)

    def get(key: ObjectKey) -> dict[str, Any] | None:
        api_version, kind, namespace, name = key
        try:
            if kind == "ConfigMap":
                return api.sanitize_for_serialization(core.read_namespaced_config_map(name, namespace))
            if kind == "Secret" and key in values:  # python -m verify only: the registry's own credentials
                return api.sanitize_for_serialization(core.read_namespaced_secret(name, namespace))
            if kind == "Secret":
                return _metadata(core, name, namespace)
            group, version = api_version.split("/")
            return custom.get_cluster_custom_object(group, version, _PLURALS[kind], name)
        except ApiException as exc:
            if exc.status == 404:
                return None
            if exc.status == 403:
                raise ForbiddenError(_forbidden(key)) from None
            what = f"{kind} {namespace + '/' if namespace else ''}{name}"
            raise ClusterReadError(
                f"cannot read {what} ({exc.status} {exc.reason}): the program reads it before changing anything; "
                f"grant `get` on it, or {HOW_TO_TURN_OFF}"
            ) from None
        except Exception as exc:  # unreachable API server, TLS, DNS...
            raise ClusterReadError(f"cannot reach the cluster ({exc}); {HOW_TO_TURN_OFF}") from None

    return get


def _metadata(core: Any, name: str, namespace: str) -> dict[str, Any]:
    """The Secret as PartialObjectMetadata: its metadata, never its data (the server sends none)."""

    response = core.read_namespaced_secret(name, namespace, _headers={"Accept": METADATA_ONLY}, _preload_content=False)
    raw = response.read() if hasattr(response, "read") else response.data
    return dict(json.loads(raw))


HOW_TO_TURN_OFF = (
    "to go on without reading it, set `pulumi config set --path cluster.read false` (the program then "
    "acts as on a new cluster and says so)"
)
