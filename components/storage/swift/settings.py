"""``openshift-registry:storage.swift``: OpenStack Swift, on ``platform: openstack``.

Least privilege: this program creates the container but no Keystone identity (that needs Keystone
admin rights). The registry's credential is the user's own: best an application credential
restricted with access rules to this container (docs/settings.md: "storage.swift"), else a dedicated user.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar, Literal

from pydantic import Field

from components.errors import Finding
from components.formats import url_problem
from components.settings.cluster import version_tuple
from components.settings.model import Model

if TYPE_CHECKING:
    from components.settings.stack import StackSettings

# Container names: at most 256 bytes, no "/" (Swift's own rule).
_CONTAINER = re.compile(r"^[^/]{1,256}\Z")
PASSWORD_SECRETS = ("swiftUsername", "swiftPassword")
APPLICATION_CREDENTIAL_SECRETS = (
    "swiftApplicationCredentialId",
    "swiftApplicationCredentialName",
    "swiftApplicationCredentialSecret",
)


def reads_all_five_keys(version: str | None) -> bool:
    """4.10 to 4.14 fail the sync on any of the five keys missing (``GetConfig`` in pkg/storage/swift,
    release-4.10 ... release-4.14: ``util.GetValueFromSecret`` for each; presence is all it checks);
    4.7-4.9 read the password keys only; from 4.15 (ff56012) either set suffices."""

    return version is not None and (4, 10) <= version_tuple(version) < (4, 15)


class SwiftSettings(Model):
    CR_FIELDS: ClassVar[tuple[str, ...]] = (
        "container",
        "authURL",
        "authVersion",
        "domain",
        "domainID",
        "regionName",
        "tenant",
        "tenantID",
    )

    # Fields of the Config CR's spec.storage.swift, under its own names.
    container: str | None = None
    auth_url: str | None = Field(default=None, alias="authURL")
    auth_version: str | None = None
    domain: str | None = None
    domain_id: str | None = Field(default=None, alias="domainID")
    region_name: str | None = None
    tenant: str | None = None
    tenant_id: str | None = Field(default=None, alias="tenantID")
    # Provisioning fields the CR does not have.
    adopt: bool = False
    """True: the container exists; it is named in the CR, nothing is created."""
    credentials: Literal["applicationCredential", "password"] = "applicationCredential"
    """applicationCredential: its id, name and secret from secret config (the operator needs all three).
    password: swiftUsername and swiftPassword."""

    @property
    def credential_mode(self) -> str:
        return self.credentials

    def findings(self, stack: StackSettings, key: str) -> Iterable[Finding]:
        if self.container is not None and not _CONTAINER.match(self.container):
            yield Finding(f"{key}.container", "is not a Swift container name: 1-256 characters, no '/'")
        if self.auth_url is None:
            yield Finding(f"{key}.authURL", "required: the Keystone URL, e.g. https://keystone.example.com:5000/v3")
        else:
            problem = url_problem(self.auth_url, ("https", "http"))
            if problem is not None:
                yield Finding(
                    f"{key}.authURL", f"{problem}: must be the Keystone URL with a scheme and host, no credentials"
                )
        if self.auth_version not in (None, "3") and (self.domain or self.domain_id):
            yield Finding(f"{key}.authVersion", 'domain and domainID are Keystone v3: set authVersion "3"')
        if self.credentials == "applicationCredential":
            for name, value in (("tenant", self.tenant), ("tenantID", self.tenant_id)):
                if value is not None:
                    yield Finding(
                        f"{key}.{name}",
                        "must not be set with credentials: applicationCredential: the operator hands it to "
                        "gophercloud, which asks Keystone for a token scoped to that project, and Keystone refuses "
                        "any scope with an application credential (401; the operator's sync aborts). The "
                        "credential is bound to its project already: remove it",
                    )
            if not stack.at_least("4.10"):
                yield Finding(
                    f"{key}.credentials",
                    "applicationCredential needs OpenShift 4.10 or later (before, the operator reads only "
                    f"REGISTRY_STORAGE_SWIFT_USERNAME and _PASSWORD); cluster.openshiftVersion is "
                    f"{stack.cluster.openshift_version}: use credentials: password",
                )
        elif self.tenant is None and self.tenant_id is None:
            yield Finding(f"{key}.tenant", "required (or tenantID): the project that holds the container")
        needed = PASSWORD_SECRETS if self.credentials == "password" else APPLICATION_CREDENTIAL_SECRETS
        for secret_key in needed:
            if getattr(stack.secrets, secret_key) is None:
                yield Finding(
                    secret_key,
                    f"required with {key}.credentials: {self.credentials}; "
                    f"`pulumi config set --secret {secret_key} <value>`",
                )
        other = APPLICATION_CREDENTIAL_SECRETS if self.credentials == "password" else PASSWORD_SECRETS
        for secret_key in other:
            if getattr(stack.secrets, secret_key) is not None:
                yield Finding(
                    secret_key, f"is set but never used with {key}.credentials: {self.credentials}; remove it"
                )
