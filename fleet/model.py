"""The fleet file: one base and per-cluster overrides, validated like a stack file.

Each cluster's stack is its ``settings`` deep-merged over ``defaults`` (both in the stack's own
keys, without the ``openshift-registry:`` namespace), with its provider config, and with secrets
only by reference: a Kubernetes Secret's name and key, never a value.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator, Mapping
from typing import Any

from pydantic import Field

from components.formats import DNS1123_LABEL, DNS1123_SUBDOMAIN, SUBDOMAIN_RULE
from components.provider_keys import CREDENTIALS
from components.settings.model import Model

# The Stack CRD's CEL rule (`size(self.metadata.name) <= 42`), which schema validation does not see.
STACK_NAME_LIMIT = 42
_SECRET_CONFIG = re.compile(r"^[A-Za-z][A-Za-z0-9]*\Z")
_ENV = re.compile(r"^[A-Z_][A-Z0-9_]*\Z")


class FleetModel(Model):
    """Strict like the stack's own settings: a typo is an error, a string is not a boolean."""


class SecretRef(FleetModel):
    """A key of a Kubernetes Secret in the operator's namespace on the management cluster."""

    name: str
    key: str


class Git(FleetModel):
    repo: str
    """The repository holding this program (``Pulumi.yaml`` at ``path``)."""
    branch: str = "main"
    path: str = "."


class Backend(FleetModel):
    url: str = "https://api.pulumi.com"
    """Pulumi Cloud, or a self-managed backend (``s3://``, ``gs://``, ``azblob://``)."""
    organization: str | None = None
    """Pulumi Cloud: the stack is ``<organization>/<stack>``."""
    access_token: SecretRef | None = None
    """Pulumi Cloud: the Secret holding the access token (``accessTokenSecret``)."""
    secrets_provider: str | None = None
    """A self-managed backend's secrets provider (``awskms://...``, ``gcpkms://...``, ``azurekeyvault://...``)."""
    passphrase: SecretRef | None = None
    """A self-managed backend with the passphrase provider: ``PULUMI_CONFIG_PASSPHRASE`` from this Secret."""

    @property
    def pulumi_cloud(self) -> bool:
        return self.url.startswith("https://api.pulumi.com") or self.url.startswith("https://app.pulumi.com")


class Workspace(FleetModel):
    image: str | None = None
    """Default: Pulumi's Python image at the locked SDK's version (the workspace installs ``requirements.txt``)."""
    service_account_name: str = "pulumi"


class Cluster(FleetModel):
    name: str
    """The Stack resource's name and the stack's name: a DNS-1123 subdomain of at most 42 characters."""
    settings: dict[str, Any] = Field(default_factory=dict)
    provider_config: dict[str, Any] = Field(default_factory=dict)
    """Other namespaces' config (``aws:region``, ``gcp:project``, ``azure-native:location``)."""
    kubeconfig: SecretRef
    """The cluster's kubeconfig, handed to the Kubernetes provider as ``kubernetes:kubeconfig``."""
    cloud_credentials: dict[str, SecretRef] = Field(default_factory=dict)
    """Environment variables for the cloud provider (``AWS_ACCESS_KEY_ID``, ...), by reference."""
    secrets: dict[str, SecretRef] = Field(default_factory=dict)
    """The stack's secret config (``s3AccessKey``, ``httpSecret``, ...), by reference."""


class Fleet(FleetModel):
    git: Git
    backend: Backend = Backend()
    namespace: str = "pulumi-stacks"
    """Where the Stack resources live on the management cluster."""
    workspace: Workspace = Workspace()
    resync_frequency_seconds: int = Field(default=600, ge=60, le=86400)
    defaults: dict[str, Any] = Field(default_factory=dict)
    default_provider_config: dict[str, Any] = Field(default_factory=dict)
    clusters: list[Cluster]

    def problems(self) -> Iterator[tuple[str, str]]:
        """``(key, message)`` for what the schema cannot say, named by cluster where it concerns one."""
        if not self.clusters:
            yield "clusters", "the fleet has no cluster: list at least one (name, kubeconfig, settings)"
        if not DNS1123_LABEL.match(self.namespace):
            yield (
                "namespace",
                f"{self.namespace[:70]!r} is not a namespace name: a DNS-1123 label (lowercase letters, digits and "
                "'-', at most 63, no dots)",
            )
        account = self.workspace.service_account_name
        if not DNS1123_SUBDOMAIN.match(account):
            yield "workspace.serviceAccountName", f"{account[:70]!r} is not a service account name: {SUBDOMAIN_RULE}"
        if self.backend.pulumi_cloud and not (self.backend.organization and self.backend.access_token):
            yield "backend", "Pulumi Cloud needs organization and accessToken (a Secret reference)"
        if not self.backend.pulumi_cloud and self.backend.secrets_provider is None and self.backend.passphrase is None:
            yield "backend", "a self-managed backend needs secretsProvider, or passphrase (a Secret reference)"
        seen: dict[str, int] = {}
        for index, cluster in enumerate(self.clusters):
            where = f"clusters[{cluster.name}]"
            if cluster.name in seen:
                yield f"{where}.name", f"is used by clusters[{seen[cluster.name]}] too: one Stack per cluster"
            seen.setdefault(cluster.name, index)
            if len(cluster.name) > STACK_NAME_LIMIT or not DNS1123_SUBDOMAIN.match(cluster.name):
                yield (
                    f"{where}.name",
                    f"{cluster.name[:60]!r}: a Stack's name is a DNS-1123 subdomain of at most {STACK_NAME_LIMIT} "
                    "characters (the Stack CRD's CEL rule, which the API server enforces)",
                )
            for key in cluster.secrets:
                if not _SECRET_CONFIG.match(key):
                    yield f"{where}.secrets.{key}", "is not a secret config key such as s3AccessKey"
                elif key == "routeTls":
                    yield (
                        f"{where}.secrets.routeTls",
                        "a secret object (set per field with `--path`) cannot come from one Secret key; use the "
                        "cluster's own stack file for custom route certificates",
                    )
            for env in cluster.cloud_credentials:
                if not _ENV.match(env):
                    yield f"{where}.cloudCredentials.{env}", "is not an environment variable name"
            yield from _provider_credentials(f"{where}.providerConfig", cluster.provider_config)
        yield from _provider_credentials("defaultProviderConfig", self.default_provider_config)


def _provider_credentials(where: str, config: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """A provider credential given inline would be written into the Stack resource and the stack files in
    plain text: refused, with the way to give it by reference."""
    for key in sorted(config):
        if key == "kubernetes:kubeconfig":
            yield f"{where}.{key}", "is the cluster's kubeconfig: give it by reference, as the cluster's `kubeconfig:`"
        elif key in CREDENTIALS:
            yield (
                f"{where}.{key}",
                f"is a credential and would be written in plain text: give it by reference, as "
                f"cloudCredentials.{CREDENTIALS[key]} (a Secret's name and key)",
            )


def merged(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """``override`` deep-merged over ``base``: maps merge key by key, anything else replaces."""
    out = copy.deepcopy(dict(base))
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = merged(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out
