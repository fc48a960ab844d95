"""``openshift-registry:storage``: exactly one storage type, as in the Config CR."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from pydantic import Field

from components.errors import Finding
from components.settings.model import Model
from components.settings.storage_azure import AzureSettings
from components.settings.storage_gcs import GcsSettings
from components.settings.storage_pvc import EmptyDirSettings, PvcSettings
from components.settings.storage_s3 import S3Settings

if TYPE_CHECKING:
    from components.settings.stack import StackSettings

KINDS = ("s3", "gcs", "azure", "pvc", "emptyDir")
# Which storage each platform can use. S3-compatible endpoints (Ceph RGW, ODF, MinIO) run anywhere.
PLATFORM_STORAGE = {
    "aws": ("s3", "emptyDir"),
    "gcp": ("gcs", "emptyDir"),
    "azure": ("azure", "emptyDir"),
    "baremetal": ("pvc", "s3", "emptyDir"),
    "vsphere": ("pvc", "s3", "emptyDir"),
}

StorageModel = S3Settings | GcsSettings | AzureSettings | PvcSettings | EmptyDirSettings


class StorageSettings(Model):
    s3: S3Settings | None = None
    gcs: GcsSettings | None = None
    azure: AzureSettings | None = None
    pvc: PvcSettings | None = None
    empty_dir: EmptyDirSettings | None = Field(default=None, alias="emptyDir")

    @property
    def kind(self) -> str:
        """The one storage type configured (validated by ``findings`` before anything uses it)."""
        return next(kind for kind in KINDS if self.selected_by(kind) is not None)

    @property
    def selected(self) -> StorageModel:
        found = self.selected_by(self.kind)
        assert found is not None
        return found

    def selected_by(self, kind: str) -> StorageModel | None:
        return getattr(self, "empty_dir" if kind == "emptyDir" else kind)

    def with_provider_defaults(self, provider_config: dict[str, str]) -> StorageSettings:
        """The selected storage with what the provider config gives (region, location) filled in."""
        given = [kind for kind in KINDS if self.selected_by(kind) is not None]
        if len(given) != 1:
            return self
        selected = self.selected_by(given[0])
        fill = getattr(selected, "with_provider_defaults", None)
        if fill is None:
            return self
        field = "empty_dir" if given[0] == "emptyDir" else given[0]
        return self.model_copy(update={field: fill(provider_config)})

    def findings(self, stack: StackSettings, key: str) -> Iterable[Finding]:
        given = [kind for kind in KINDS if self.selected_by(kind) is not None]
        allowed = PLATFORM_STORAGE[stack.platform]
        if len(given) != 1:
            yield Finding(
                key,
                f"set exactly one storage type (found {', '.join(given) or 'none'}); "
                f"on platform {stack.platform}: {', '.join(allowed)}",
            )
            return
        if given[0] not in allowed:
            yield Finding(f"{key}.{given[0]}", f"not available on platform {stack.platform}; use {', '.join(allowed)}")
            return
        yield from self.selected.findings(stack, f"{key}.{given[0]}")
