"""``openshift-registry:storage.pvc`` and ``storage.emptyDir``: volumes on bare metal and vSphere."""

from __future__ import annotations

from components.settings.model import Model

CR_FIELDS = ("claim",)
EMPTY_DIR_CR_FIELDS: tuple[str, ...] = ()


class PvcSettings(Model):
    claim: str | None = None


class EmptyDirSettings(Model):
    pass
