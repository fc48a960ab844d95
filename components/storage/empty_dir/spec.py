"""``storage.emptyDir``: nothing to create; the pod's own directory, for nonproduction stacks."""

from __future__ import annotations

from typing import Any

from components.identity import StackIdentity
from components.settings.registry import RegistrySettings
from components.specs.storage import StorageSpec
from components.storage.empty_dir.settings import EmptyDirSettings


def cr_storage(empty_dir: EmptyDirSettings, identity: StackIdentity) -> dict[str, Any]:
    return {}


def default_replicas(empty_dir: EmptyDirSettings, registry: RegistrySettings) -> int:
    """Each pod would hold its own images: one replica only."""
    return 1


SPEC = StorageSpec(cr_storage=cr_storage, default_replicas=default_replicas)
