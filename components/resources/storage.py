"""The registry's storage, whatever its kind: one component that registers what the kind's spec plans.

The kind's row in ``components/storage/kinds.py`` gives the spec and the component's type
(``openshift-registry:storage:S3Storage``); the spec says every object, its inputs, protection and
which of them the Config waits for. So no storage kind has code of its own here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pulumi

from components.identity import StackIdentity
from components.names import INSTALLER_SECRET
from components.resources.provider_object import register_plan
from components.settings.registry import RegistrySettings
from components.settings.secrets import SecretSettings
from components.settings.stack import StackSettings
from components.specs.objects import retain_what_credentials_name
from components.specs.storage import spec_of
from components.storage.kind import StorageKind
from components.storage.kinds import kind_of

NAME = "registry-storage"


class StorageComponent(pulumi.ComponentResource):
    """Takes only what the kind's spec needs: its settings, the stack's identity, the secret config
    it may read and the registry fields that constrain storage (replicas)."""

    def __init__(
        self,
        name: str,
        *,
        kind: StorageKind,
        settings: Any,
        identity: StackIdentity,
        secrets: SecretSettings,
        registry: RegistrySettings,
        opts: pulumi.ResourceOptions,
    ) -> None:
        assert kind.component_type is not None
        super().__init__(kind.component_type, name, None, opts)
        plan = spec_of(kind).plan(settings, identity, secrets, registry)
        if kind.mode(settings.credential_mode).secret == INSTALLER_SECRET:
            plan = retain_what_credentials_name(plan)
        registered = register_plan(plan, prefix=name, parent=self, identity=identity)
        self.resources = registered.objects
        self.ready: list[pulumi.Resource] = registered.ready
        """What must be finished before the operator may see the storage."""
        self.credentials: Mapping[str, Any] = {key: registered.resolve(v) for key, v in plan.credentials.items()}
        """The credential secret's data (keys as the operator reads them); empty: no secret."""
        self.exports: dict[str, Any] = dict(plan.exports)
        self.register_outputs({k: v for k, v in self.exports.items() if v is not None})


def build_storage(stack: StackSettings, opts: pulumi.ResourceOptions) -> StorageComponent | None:
    """The stack's storage component, or None when the storage needs no resources (emptyDir)."""
    kind = kind_of(stack.storage.kind)
    if kind.component_type is None:
        return None
    return StorageComponent(
        NAME,
        kind=kind,
        settings=stack.storage.selected,
        identity=stack.identity,
        secrets=stack.secrets,
        registry=stack.registry,
        opts=opts,
    )
