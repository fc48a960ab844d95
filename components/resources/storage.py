"""What every storage component offers the registry, whatever the cloud.

One shape for S3, GCS, Azure and volume claims, so ``Registry`` wires any of them the same way.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import pulumi

from components.settings.stack import StackSettings

# Storage type -> "module:Class"; modules are imported only for the stack's own storage, so a
# stack imports no cloud SDK but its own.
STORAGE_COMPONENTS = {
    "s3": "components.resources.s3_storage:S3Storage",
    "gcs": "components.resources.gcs_storage:GcsStorage",
    "azure": "components.resources.azure_storage:AzureStorage",
    "pvc": "components.resources.pvc_storage:PvcStorage",
}


class RegistryStorage(Protocol):
    credentials: Mapping[str, pulumi.Output[str]]
    """The credential secret's data (keys as the operator reads them); empty: no secret."""
    ready: Sequence[pulumi.Resource]
    """What must be finished before the operator may see the storage."""
    exports: Mapping[str, Any]


def build_storage(stack: StackSettings, opts: pulumi.ResourceOptions) -> RegistryStorage | None:
    """The stack's storage component, or None when the storage needs no resources (emptyDir)."""
    target = STORAGE_COMPONENTS.get(stack.storage.kind)
    if target is None:
        return None
    module_name, _, class_name = target.partition(":")
    component = getattr(importlib.import_module(module_name), class_name)
    result: RegistryStorage = component("registry-storage", stack=stack, opts=opts)
    return result
