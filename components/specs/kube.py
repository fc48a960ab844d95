"""Kubernetes objects as the provider receives them, and their type tokens."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from components.names import FIELD_MANAGER
from components.specs.objects import Object

# Server-side apply that takes over the fields it sets from any other manager (the operators own
# these singletons; a patch must win on the fields it sets, and only on those), under one field
# manager of this program's, so that what it owns in a live object can be told from managedFields.
PATCH_ANNOTATIONS = {"pulumi.com/patchForce": "true", "pulumi.com/patchFieldManager": FIELD_MANAGER}


def type_token(api_version: str, kind: str) -> str:
    """``v1``/``Secret`` -> ``kubernetes:core/v1:Secret``; groups keep their name."""
    group_version = api_version if "/" in api_version else f"core/{api_version}"
    return f"kubernetes:{group_version}:{kind}"


def kube_object(name: str, body: Mapping[str, Any], **options: Any) -> Object:
    """A whole object (``apiVersion``, ``kind``, ``metadata``, ...) as a plan step."""
    return Object(name, type_token(body["apiVersion"], body["kind"]), dict(body), **options)


def cluster_patch(name: str, *, api_version: str, kind: str, spec: Mapping[str, Any], **options: Any) -> Object:
    """A server-side-apply patch of the singleton named ``cluster``; never created or replaced.

    Always retained on delete: deleting a patch would strip the fields it set and, for the
    registry Config, could leave the operator without storage settings while images still exist.
    """
    body = {
        "apiVersion": api_version,
        "kind": kind,
        "metadata": {"name": "cluster", "annotations": dict(PATCH_ANNOTATIONS)},
        "spec": dict(spec),
    }
    return Object(name, type_token(api_version, f"{kind}Patch"), body, always_retained=True, **options)


def configmap_patch(name: str, *, namespace: str, object_name: str, data: Mapping[str, str], **options: Any) -> Object:
    """Keys added to a ConfigMap someone else owns; its other keys stay theirs and untouched."""
    body = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": object_name, "namespace": namespace, "annotations": dict(PATCH_ANNOTATIONS)},
        "data": dict(data),
    }
    return Object(name, type_token("v1", "ConfigMapPatch"), body, **options)
