"""What ``pulumi up`` does to the cluster's objects, and what the user does when the program refuses.

The Kubernetes provider applies patches (``...Patch`` types) server-side under the program's field
manager with force: the fields it sends become its own, fields it owned before and no longer sends
are removed unless another manager owns them, and nothing else changes. It creates the other
objects, and refuses to create one that exists (unless ``upsertExistingObjects``, which the program
does not set).
"""

from __future__ import annotations

import base64
import copy
import json
from collections.abc import Mapping
from typing import Any

from components.cluster.state import FIELD_MANAGER, ClusterState, ObjectKey, key_of, without_secret_values
from tests.cluster_model.fields import leaf_paths, other_owners, owned, set_owned
from tests.cluster_model.operator import store
from tests.support import reveal

Objects = dict[ObjectKey, dict[str, Any]]
# The objects the program changes that it also reads (the rest it creates and never reads back).
READ_BACK = ("Config", "Image", "Secret", "ConfigMap")


class AlreadyExistsError(Exception):
    """The Kubernetes provider's answer to creating an object that exists: the whole update fails."""


def read(objects: Objects, source: str = "the model cluster") -> ClusterState:
    """What the dump reader learns from these objects (``read_dump`` of their ``oc get -o yaml``)."""
    return ClusterState(
        objects={key: without_secret_values(copy.deepcopy(body)) for key, body in objects.items()},
        source=source,
        read=True,
    )


def apply(objects: Objects, registrations: list[Any], version: str) -> None:
    """Apply what an evaluation registered to ``objects``, as ``pulumi up`` would."""
    for registration in registrations:
        token = registration.type
        if not token.startswith("kubernetes:") or not registration.custom:
            continue
        body = _plain(reveal(registration.inputs))
        kind = token.rsplit(":", 1)[1]
        if kind.removesuffix("Patch") not in READ_BACK:
            continue
        body.setdefault("apiVersion", token.split(":")[1].replace("core/", ""))
        body.setdefault("kind", kind.removesuffix("Patch"))
        body["kind"] = kind.removesuffix("Patch")
        if body["kind"] == "Secret":
            body = _secret(body)
        key = key_of(body)
        if kind.endswith("Patch"):
            objects[key] = _server_side_apply(objects.get(key), body)
        elif key in objects:
            raise AlreadyExistsError(f"{key} exists: the provider refuses to create it")
        else:
            created = copy.deepcopy(body)
            set_owned(created, "pulumi-kubernetes", set(leaf_paths(_fields(body))), "Update")
            objects[key] = created
        if body["kind"] == "Config":
            objects[key] = store(objects[key], version)


def _server_side_apply(live: dict[str, Any] | None, applied: dict[str, Any]) -> dict[str, Any]:
    result = copy.deepcopy(live) if live is not None else {k: applied[k] for k in ("apiVersion", "kind")}
    result.setdefault("metadata", {})
    for name in ("name", "namespace"):
        if name in applied.get("metadata", {}):
            result["metadata"][name] = applied["metadata"][name]
    fields = _fields(applied)
    new = set(leaf_paths(fields))
    for path in owned(result, FIELD_MANAGER) - new:
        if not other_owners(result, FIELD_MANAGER, path):
            _remove(result, path)
    _merge(result, fields)
    set_owned(result, FIELD_MANAGER, new, "Apply")
    return result


def _fields(body: Mapping[str, Any]) -> dict[str, Any]:
    """The fields an apply sets: everything but identity and the provider's own annotations."""
    out = {k: copy.deepcopy(v) for k, v in body.items() if k not in ("apiVersion", "kind", "metadata")}
    metadata = {k: v for k, v in (body.get("metadata") or {}).items() if k in ("labels", "annotations")}
    annotations = {k: v for k, v in (metadata.get("annotations") or {}).items() if not k.startswith("pulumi.com/")}
    metadata = {**metadata, "annotations": annotations} if annotations else {"labels": metadata.get("labels")}
    metadata = {k: v for k, v in metadata.items() if v}
    if metadata:
        out["metadata"] = metadata
    return out


def _merge(target: dict[str, Any], source: Mapping[str, Any]) -> None:
    for key, value in source.items():
        if isinstance(value, Mapping) and isinstance(target.get(key), dict):
            _merge(target[key], value)
        else:
            target[key] = copy.deepcopy(value)


def _remove(target: dict[str, Any], path: tuple[str, ...]) -> None:
    node: Any = target
    for part in path[:-1]:
        node = node.get(part) if isinstance(node, dict) else None
        if node is None:
            return
    if isinstance(node, dict):
        node.pop(path[-1], None)


def _secret(body: dict[str, Any]) -> dict[str, Any]:
    """``stringData`` as the API server stores it: base64 under ``data``."""
    data = dict(body.pop("data", {}) or {})
    for key, value in (body.pop("stringData", {}) or {}).items():
        data[key] = base64.b64encode(str(value).encode()).decode()
    body["data"] = data
    return body


def _plain(value: Any) -> Any:
    """Numbers as JSON has them (the engine hands integers back as floats)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def json_patches(problems: list[str]) -> list[list[dict[str, Any]]]:
    """The ``oc patch ... --type=json -p '<ops>'`` commands the program printed, as operations."""
    found = []
    for problem in problems:
        if "--type=json -p '" in problem:
            found.append(json.loads(problem.split("--type=json -p '", 1)[1].split("'", 1)[0]))
    return found


def run_json_patch(config: dict[str, Any], operations: list[dict[str, Any]]) -> None:
    """What ``oc patch --type=json`` does to the Config (replace and remove are all the program prints)."""
    for operation in operations:
        parts = operation["path"].strip("/").split("/")
        node = config
        for part in parts[:-1]:
            node = node[part]
        if operation["op"] == "remove":
            del node[parts[-1]]
        else:
            node[parts[-1]] = operation["value"]
