"""The whole stack's settings: the root every rule can see."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from pydantic import Field

from components.errors import Finding
from components.identity import StackIdentity
from components.settings.access import MetricsSettings, RoleBindingSettings, role_findings
from components.settings.cluster import ClusterSettings, version_tuple
from components.settings.model import Model
from components.settings.pruner import PrunerSettings
from components.settings.registry import RegistrySettings
from components.settings.secrets import SecretSettings
from components.settings.storage import StorageSettings
from components.settings.trusted_cas import trusted_ca_findings
from components.storage.kinds import KINDS, PLATFORMS

# Every platform some storage kind runs on (components/storage/kinds.py).
Platform = Literal[PLATFORMS]  # type: ignore[valid-type]

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
    cluster: ClusterSettings = ClusterSettings()
    imports: dict[str, str] = Field(default_factory=dict, alias="import")
    """Objects that exist already (a registry configured by hand), by their name in the plan: their id."""
    secrets: SecretSettings = SecretSettings()
    provider_config: dict[str, str] = Field(default_factory=dict)
    """Config of other namespaces that rules must agree with (``aws:region``, ``azure-native:environment``)."""

    @property
    def production(self) -> bool:
        return self.environment == "production"

    @property
    def identity(self) -> StackIdentity:
        return StackIdentity(
            project=self.project,
            stack=self.stack,
            platform=self.platform,
            production=self.production,
            registry_uses_storage=self.registry.management_state != "Removed",
            imports=dict(self.imports),
            service_account_issuer=self.cluster.service_account_issuer,
            openshift_version=self.cluster.openshift_version,
        )

    def _unused_secret_findings(self) -> Iterable[Finding]:
        """A credential no mode of the stack's storage reads is refused: it would sit encrypted in the
        stack for nothing, and it hides a mistake (the wrong storage). One that another mode of the same
        storage reads is explained by that storage's own rule (``credentials: iamUser`` and a key pair)."""
        given = self.storage.given
        read = {key for kind in KINDS if kind.field in given for key in kind.secret_config}
        readers = {key: kind.field for kind in KINDS for key in kind.secret_config}
        for secret, reader in sorted(readers.items()):
            if getattr(self.secrets, secret) is not None and secret not in read:
                yield Finding(
                    secret,
                    f"is set but never used: it is for storage.{reader}, and the stack's storage is "
                    f"{', '.join(given) or 'unset'}; remove it (`pulumi config rm {secret}`)",
                )

    def at_least(self, version: str) -> bool:
        """Whether the stack's OpenShift (``cluster.openshiftVersion``; unset: the latest) is ``version`` or later."""
        return version_tuple(self.cluster.openshift_version) >= version_tuple(version)

    def version_findings(self) -> Iterable[Finding]:
        """Fields and modes a release of OpenShift does not have yet (openshift/api, the operator)."""
        for key, version, what in self._versioned():
            if not self.at_least(version):
                yield Finding(
                    key,
                    f"{what} needs OpenShift {version} or later; cluster.openshiftVersion is "
                    f"{self.cluster.openshift_version}",
                )

    def topology_findings(self) -> Iterable[Finding]:
        """Single-node OpenShift runs one registry pod: the operator bootstraps one (``Bootstrap``,
        pkg/operator/bootstrap.go), and two get a required anti-affinity on hostname that one node can
        never satisfy (the rollout never completes; the ClusterOperator degrades)."""
        replicas = self.registry.replicas
        if self.cluster.infrastructure_topology == "SingleReplica" and replicas is not None and replicas > 1:
            yield Finding(
                "registry.replicas",
                f"is {replicas}, but the cluster is single-node (Infrastructure infrastructureTopology "
                "SingleReplica): more than one registry pod never schedules there (required anti-affinity on "
                "hostname). Leave it unset (1 on a single node) or set 1",
            )

    def _versioned(self) -> Iterable[tuple[str, str, str]]:
        if self.registry.topology_spread_constraints is not None:
            yield "registry.topologySpreadConstraints", "4.11", "registry.topologySpreadConstraints"
        if len(self.storage.given) == 1:
            yield from self.storage.selected.versioned(self, f"storage.{self.storage.kind}")

    def findings(self, stack: StackSettings, key: str = "") -> Iterable[Finding]:
        yield from self._unused_secret_findings()
        yield from self.cluster.findings(self, "cluster")
        yield from self.version_findings()
        yield from self.topology_findings()
        yield from self.registry.findings(self, "registry")
        yield from self.storage.findings(self, "storage")
        yield from trusted_ca_findings(self.trusted_cas)
        if self.metrics is not None:
            yield from self.metrics.findings(self, "metrics")
        yield from role_findings(self.roles, self)
        if self.pruner is not None:
            yield from self.pruner.findings(self, "pruner")
