"""``openshift-registry:storage.emptyDir``: the pod's own directory, for nonproduction stacks only."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from components.errors import Finding
from components.settings.model import Model

if TYPE_CHECKING:
    from components.settings.stack import StackSettings


class EmptyDirSettings(Model):
    """No fields: the registry keeps images in the pod's own directory, lost when the pod restarts."""

    @property
    def credential_mode(self) -> str:
        return "none"

    def findings(self, stack: StackSettings, key: str) -> Iterable[Finding]:
        if stack.production:
            yield Finding(
                key,
                "emptyDir loses every image when the registry pod restarts: only for nonproduction stacks "
                "(set environment: nonproduction, or use storage.pvc or storage.s3)",
            )
        if stack.registry.replicas is not None and stack.registry.replicas > 1:
            yield Finding(
                "registry.replicas",
                f"{stack.registry.replicas} replicas with storage.emptyDir: each pod would hold its own images, "
                "so pulls fail at random; emptyDir allows 1 replica (the operator does not check this)",
            )
