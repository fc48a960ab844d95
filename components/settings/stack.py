"""The whole stack's settings: the root every rule can see."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from pydantic import Field

from components.errors import Finding
from components.settings.access import MetricsSettings, RoleBindingSettings, role_findings
from components.settings.model import Model
from components.settings.pruner import PrunerSettings
from components.settings.registry import RegistrySettings
from components.settings.secrets import SecretSettings
from components.settings.storage import KINDS, StorageSettings
from components.settings.trusted_cas import trusted_ca_findings

Platform = Literal["aws", "gcp", "azure", "baremetal", "vsphere"]

# Keys the loader fills from outside the stack's own namespace; a stack file may not set them.
RESERVED = ("project", "stack", "secrets", "providerConfig")


class StackSettings(Model):
    project: str
    stack: str
    platform: Platform
    environment: Literal["production", "nonproduction"] = "production"
    registry: RegistrySettings = RegistrySettings()
    storage: StorageSettings
    trusted_cas: dict[str, str] = Field(default_factory=dict, alias="trustedCAs")
    metrics: MetricsSettings | None = None
    roles: list[RoleBindingSettings] = Field(default_factory=list)
    pruner: PrunerSettings | None = None
    secrets: SecretSettings = SecretSettings()
    provider_config: dict[str, str] = Field(default_factory=dict)
    """Config of other namespaces that rules must agree with (``aws:region``, ``azure-native:environment``)."""

    @property
    def production(self) -> bool:
        return self.environment == "production"

    def _unused_secret_findings(self) -> Iterable[Finding]:
        """A credential the stack never uses is refused: it would sit encrypted in the stack for nothing,
        and it hides a mistake (the wrong storage, or credentials the stack makes itself)."""
        s3, gcs = self.storage.s3, self.storage.gcs
        uses = {
            # An S3-compatible endpoint always takes the pair (its own rule refuses credentials: iamUser).
            "s3AccessKey": s3 is not None and (s3.credential_source == "secretConfig" or s3.compatible_endpoint),
            "s3SecretKey": s3 is not None and (s3.credential_source == "secretConfig" or s3.compatible_endpoint),
            "gcsKeyFile": gcs is not None,  # storage.gcs explains serviceAccount against a key file itself
        }
        for secret, used in uses.items():
            if getattr(self.secrets, secret) is None or used:
                continue
            why = (
                "storage.s3.credentials is iamUser, which makes its own key"
                if s3 is not None and secret.startswith("s3")
                else f"the stack's storage is {', '.join(k for k in KINDS if self.storage.selected_by(k)) or 'unset'}"
            )
            yield Finding(secret, f"is set but never used: {why}; remove it (`pulumi config rm {secret}`)")

    def findings(self, stack: StackSettings, key: str = "") -> Iterable[Finding]:
        yield from self._unused_secret_findings()
        yield from self.registry.findings(self, "registry")
        yield from self.storage.findings(self, "storage")
        yield from trusted_ca_findings(self.trusted_cas)
        if self.metrics is not None:
            yield from self.metrics.findings(self, "metrics")
        yield from role_findings(self.roles, self)
        if self.pruner is not None:
            yield from self.pruner.findings(self, "pruner")
