"""Three ways to know the cluster: its dumps, the live cluster, or nothing (a new cluster).

Every reader drops secret values at once (key names are all the program needs), and none of
them writes anything. The live one uses the Kubernetes client with the same kubeconfig and
context as the Pulumi Kubernetes provider, and needs only ``get`` on the objects it reads
(README: "What the program reads from the cluster").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
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

    Secret values are dropped, but for the Secrets named in ``keep_values`` (``python -m verify``
    uses the registry's own credentials, in memory only, never shown)."""
    if not directory.is_dir():
        raise ClusterReadError(f"{directory}: no such directory of `oc get -o yaml` dumps")
    objects: dict[ObjectKey, dict[str, Any]] = {}
    for path in sorted(p for p in directory.rglob("*") if p.suffix in (".yaml", ".yml", ".json") and p.is_file()):
        try:
            document, _ = read_yaml(path)
        except YamlFileError as exc:
            raise ClusterReadError(str(exc)) from None
        for body in _items(document, path):
            key = key_of(body)
            objects[key] = body if key in keep_values else without_secret_values(body)
    return ClusterState(objects=objects, source=f"the dump in {directory}", read=True)


def _items(document: Any, path: Path) -> Iterable[dict[str, Any]]:
    if document is None:
        return []
    if not isinstance(document, dict) or "kind" not in document:
        raise ClusterReadError(f"{path}: not a Kubernetes object (no kind); dump with `oc get <kind> <name> -o yaml`")
    if document["kind"] == "List" or str(document["kind"]).endswith("List"):
        items = document.get("items") or []
        return [item for item in items if isinstance(item, dict)]
    return [document]


Getter = Callable[[ObjectKey], dict[str, Any] | None]


class ForbiddenError(ClusterReadError):
    """The reader may not read this object (403): its existence cannot be told."""


def read_live(get: Getter, source: str = "the live cluster") -> ClusterState:
    """Exactly the objects ``program_keys`` names, as the dump reader learns them: the singletons, the
    ConfigMap the Image config names (its CA bundles are public), and the credential Secrets by their
    metadata only. A Secret whose metadata may not be read counts as existing (``ClusterState.unknown``)."""
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


def kubernetes_getter(
    kubeconfig: str | None, context: str | None, values: frozenset[ObjectKey] = frozenset()
) -> Getter:
    """``get`` with the Kubernetes client, with the provider's kubeconfig (a path or its content) and
    context; a missing object is None, a forbidden one raises ForbiddenError, anything else that fails is a
    ClusterReadError. Secrets are read by their metadata only, but for those in ``values``."""
    import yaml
    from kubernetes import client, config
    from kubernetes.client.exceptions import ApiException

    try:
        if kubeconfig and ("\n" in kubeconfig or kubeconfig.lstrip().startswith("{")):  # content, not a path
            api = config.new_client_from_config_dict(yaml.safe_load(kubeconfig), context=context)
        else:
            api = config.new_client_from_config(config_file=kubeconfig, context=context)
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
    import json

    response = core.read_namespaced_secret(name, namespace, _headers={"Accept": METADATA_ONLY}, _preload_content=False)
    raw = response.read() if hasattr(response, "read") else response.data
    return dict(json.loads(raw))


HOW_TO_TURN_OFF = (
    "to go on without reading it, set `pulumi config set --path cluster.read false` (the program then "
    "acts as on a new cluster and says so)"
)
