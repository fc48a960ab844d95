"""What every storage kind's spec module provides, with the defaults a kind need not repeat.

A kind's ``spec.py`` (in its folder, ``components/storage/<kind>/``) fills in a ``StorageSpec`` named
``SPEC``; ``spec_of`` finds it from the kind's row. What a kind does not declare takes the default here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from components.identity import StackIdentity
from components.settings.registry import RegistrySettings
from components.settings.secrets import SecretSettings
from components.specs.objects import Plan
from components.storage.kind import StorageKind

HA_REPLICAS = 2


def _high_availability(model: Any, registry: RegistrySettings) -> int:
    return HA_REPLICAS


def _any_rollout(model: Any, registry: RegistrySettings) -> str | None:
    return None


def _nothing(model: Any, identity: StackIdentity, secrets: SecretSettings, registry: RegistrySettings) -> Plan:
    return Plan()


@dataclass(frozen=True)
class StorageSpec:
    cr_storage: Callable[[Any, StackIdentity], Mapping[str, Any]]
    """``spec.storage.<kind>`` of the Config."""
    plan: Callable[[Any, StackIdentity, SecretSettings, RegistrySettings], Plan] = _nothing
    """The objects to create, the credential secret's data and the stack outputs."""
    default_replicas: Callable[[Any, RegistrySettings], int] = _high_availability
    """Replicas when ``registry.replicas`` is unset (a ReadWriteOnce claim allows one)."""
    rollout_strategy: Callable[[Any, RegistrySettings], str | None] = _any_rollout
    """A rollout the storage requires when ``registry.rolloutStrategy`` is unset."""


def spec_of(kind: StorageKind) -> StorageSpec:
    """The kind's ``SPEC``, from its folder. Looked up here, on the specs floor, because the row sits on the
    settings floor and must not import a spec; modules are imported once, so this costs a dict lookup."""
    module = kind.part("spec")
    spec = getattr(module, "SPEC", None)
    assert isinstance(spec, StorageSpec), f"{kind.package}.spec has no StorageSpec SPEC"
    return spec
