"""``openshift-registry:storage.azure``: Azure Blob Storage, in the public or a sovereign cloud."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar, Literal

from pydantic import Field

from components.errors import Finding
from components.settings.model import Model
from components.settings.names import own_tag_findings

if TYPE_CHECKING:
    from components.settings.stack import StackSettings

OWN_TAGS = ("app", "pulumi-project", "pulumi-stack")  # Azure tag names allow no "/"


def derived_account_name(project: str, stack: str) -> str:
    """A storage account name for a stack that names none: the stack's letters and digits first (up to 16),
    so a person sees whose account it is, then 8 hex of a hash of project and stack, since account names
    are global across Azure. 3-24 lowercase letters and digits, the same on every run."""
    return _account_name(stack, project, stack)


def earlier_account_name(project: str, stack: str) -> str:
    """The name derived before derived names began with the stack's (the project's first): a stack that
    made its account then keeps it (``cluster.py``), since an account cannot be renamed, only replaced."""
    return _account_name(f"{project}{stack}", project, stack)


def _account_name(stem: str, project: str, stack: str) -> str:
    """Up to 16 lowercase letters and digits of ``stem``, then 8 hex of a hash of project and stack."""
    digest = hashlib.sha256(f"{project}/{stack}".encode()).hexdigest()[:8]
    return f"{re.sub(r'[^a-z0-9]', '', stem.lower())[:16]}{digest}"


PUBLIC_CLOUD = "AzurePublicCloud"
# The CR's cloud name -> the azure-native provider's ``environment`` for the same cloud.
PROVIDER_ENVIRONMENT = {
    "AzurePublicCloud": "public",
    "AzureUSGovernmentCloud": "usgovernment",
    "AzureChinaCloud": "china",
}
GERMAN_CLOUD = "AzureGermanCloud"
SKUS = ("Standard_LRS", "Standard_ZRS", "Standard_GRS", "Standard_RAGRS", "Standard_GZRS", "Standard_RAGZRS")
_AZURE_TAG_FORBIDDEN = "<>%&\\?/"
_ACCOUNT = re.compile(r"^[a-z0-9]{3,24}\Z")
_CONTAINER = re.compile(r"^[0-9a-z]+(-[0-9a-z]+)*\Z")
_RESOURCE_GROUP = re.compile(r"^[-\w.()]{0,89}[-\w()]\Z")


class AzureSettings(Model):
    CR_FIELDS: ClassVar[tuple[str, ...]] = ("accountName", "container", "cloudName")

    # Fields of the Config CR's spec.storage.azure, under its own names.
    account_name: str | None = None
    container: str | None = None
    cloud_name: str = PUBLIC_CLOUD
    # Provisioning fields the CR does not have.
    resource_group: str | None = None
    """The resource group of the storage account; unset: one is created with a derived name."""
    create_resource_group: bool | None = None
    """True: create the named group too. Unset: create one only when none is named."""
    adopt: bool = False
    """True: the account and container exist; nothing is created, only the account key is read."""
    location: str | None = None
    sku: Literal[SKUS] = "Standard_LRS"  # type: ignore[valid-type]
    tags: dict[str, str] = Field(default_factory=dict)
    credentials: Literal["accountKey", "workloadIdentity"] = "accountKey"
    """accountKey: the account's key in the credential secret. workloadIdentity: a managed identity the
    registry uses with the cluster's tokens (no key; shared-key access is then turned off)."""

    @property
    def creates_account(self) -> bool:
        return not self.adopt

    @property
    def creates_resource_group(self) -> bool:
        if self.adopt:
            return False
        return bool(self.create_resource_group) or (self.resource_group is None and self.create_resource_group is None)

    @property
    def credential_mode(self) -> str:
        return self.credentials

    @property
    def uses_account_key(self) -> bool:
        """The registry's credential is the account key: the account must allow shared-key access."""
        return self.credential_mode == "accountKey"

    def with_provider_defaults(self, provider_config: dict[str, str]) -> AzureSettings:
        """``location`` from ``azure-native:location`` for an account created here."""
        if self.location is None and self.creates_account and "azure-native:location" in provider_config:
            return self.model_copy(update={"location": provider_config["azure-native:location"]})
        return self

    def versioned(self, stack: StackSettings, key: str) -> Iterable[tuple[str, str, str]]:
        if self.credentials == "workloadIdentity":
            yield f"{key}.credentials", "4.14", "credentials: workloadIdentity"

    def findings(self, stack: StackSettings, key: str) -> Iterable[Finding]:
        if self.account_name is not None and not _ACCOUNT.match(self.account_name):
            yield Finding(
                f"{key}.accountName",
                f"{self.account_name!r} is not a storage account name: 3-24 lowercase letters and digits",
            )
        if self.account_name is None and not self.adopt and not stack.cluster.read:
            project, name = stack.identity.project, stack.identity.stack
            earlier, derived = earlier_account_name(project, name), derived_account_name(project, name)
            yield Finding(
                f"{key}.accountName",
                "required with cluster.read: false: unread, the cluster cannot say whether this stack made its "
                f"account when derived names began with the project's name. If it did, set accountName: {earlier} "
                f"(the account the registry uses: a new name would replace it with an empty one); if not, "
                f"accountName: {derived}, or any free name",
            )
        if self.container is not None and not (3 <= len(self.container) <= 63 and _CONTAINER.match(self.container)):
            yield Finding(
                f"{key}.container",
                f"{self.container!r} is not a container name: 3-63 lowercase letters, digits and single "
                "hyphens, starting and ending with a letter or digit",
            )
        if self.resource_group is None and self.adopt:
            yield Finding(
                f"{key}.resourceGroup", "required with adopt: true: the resource group of the existing account"
            )
        elif self.resource_group is None and self.create_resource_group is False:
            yield Finding(
                f"{key}.resourceGroup",
                "required with createResourceGroup: false: name the existing group, or remove createResourceGroup "
                "to have one created",
            )
        elif self.resource_group is not None and not _RESOURCE_GROUP.match(self.resource_group):
            yield Finding(f"{key}.resourceGroup", f"{self.resource_group!r} is not a resource group name")
        if self.adopt and self.credentials == "workloadIdentity" and self.location is None:
            yield Finding(
                f"{key}.location",
                "required with credentials: workloadIdentity: the registry's managed identity is created there",
            )
        if self.adopt:
            if self.account_name is None:
                yield Finding(f"{key}.accountName", "required with adopt: true: the existing account's name")
            for field, set_ in (
                ("createResourceGroup", self.create_resource_group),
                ("location", self.location if self.credentials != "workloadIdentity" else None),
                ("tags", self.tags),
                ("sku", self.sku != "Standard_LRS"),
            ):
                if set_:
                    yield Finding(f"{key}.{field}", "has no effect with adopt: true (nothing is created); remove it")
        elif self.location is None:
            yield Finding(
                f"{key}.location",
                "required (or set azure-native:location): the storage account is created there, e.g. eastus",
            )
        yield from self._cloud_findings(stack, key)
        yield from self._tag_findings(key)

    def _tag_findings(self, key: str) -> Iterable[Finding]:

        yield from own_tag_findings(self.tags, OWN_TAGS, f"{key}.tags")
        for name, value in self.tags.items():
            if not (1 <= len(name) <= 512 and len(value) <= 256) or set(name) & set(_AZURE_TAG_FORBIDDEN):
                yield Finding(
                    f"{key}.tags.{name}",
                    f"Azure tag names are 1-512 characters without any of {_AZURE_TAG_FORBIDDEN} and values at "
                    "most 256 characters",
                )

    def _cloud_findings(self, stack: StackSettings, key: str) -> Iterable[Finding]:
        if self.cloud_name == GERMAN_CLOUD:
            yield Finding(
                f"{key}.cloudName",
                "AzureGermanCloud was shut down (October 2021) and the azure-native provider can no longer "
                "target it; use AzurePublicCloud (Germany West Central) instead",
            )
            return
        if self.cloud_name not in PROVIDER_ENVIRONMENT:
            yield Finding(
                f"{key}.cloudName",
                f"{self.cloud_name!r} is not an Azure cloud; use one of {', '.join(PROVIDER_ENVIRONMENT)}",
            )
            return
        wanted = PROVIDER_ENVIRONMENT[self.cloud_name]
        actual = stack.provider_config.get("azure-native:environment", "public")
        if actual != wanted:
            yield Finding(
                f"{key}.cloudName",
                f"{self.cloud_name} needs the provider in the same cloud: set azure-native:environment to "
                f"{wanted!r} (it is {actual!r}); the account would be created in one cloud and the registry "
                "would look for it in another",
            )
