"""What an Azure storage account and container for the registry look like, as azure-native receives them.

The same settings the operator applies when it creates an account (StorageV2, HTTPS only,
TLS 1.2, no public blob access), plus infrastructure encryption and a private container.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from components.identity import StackIdentity
from components.settings.registry import RegistrySettings
from components.settings.secrets import SecretSettings
from components.settings.storage_azure import PUBLIC_CLOUD, AzureSettings
from components.specs.objects import Derived, Lookup, Object, Plan, Ref, Secret, Step
from components.specs.storage import StorageSpec

DEFAULT_CONTAINER = "image-registry"


# What an account made by hand may hold otherwise, and an `oc get` dump cannot show.
ACCOUNT_IMPORT_IGNORE = (
    "tags", "sku", "kind", "encryption", "enableHttpsTrafficOnly", "minimumTlsVersion",
    "allowBlobPublicAccess", "allowSharedKeyAccess",
)  # fmt: skip
OWN_TAGS = ("app", "pulumi-project", "pulumi-stack")  # Azure tag names allow no "/"


def account_name(azure: AzureSettings, identity: StackIdentity) -> str:
    """Configured, else derived: 3-24 lowercase letters and digits, unique per project and stack.

    Account names are global across Azure; a hash of project and stack keeps the derived one
    from colliding with another stack's while staying the same on every run.
    """
    if azure.account_name:
        return azure.account_name
    stem = re.sub(r"[^a-z0-9]", "", f"{identity.project}{identity.stack}".lower())[:16]
    digest = hashlib.sha256(f"{identity.project}/{identity.stack}".encode()).hexdigest()[:8]
    return f"{stem}{digest}"


def container_name(azure: AzureSettings) -> str:
    return azure.container or DEFAULT_CONTAINER


def resource_group_name(azure: AzureSettings, identity: StackIdentity) -> str:
    """Configured, else ``<project>-<stack>-registry`` within Azure's rules (90 characters; letters,
    digits, ``-_.()``, not ending in ``.``), the same on every run."""
    if azure.resource_group:
        return azure.resource_group
    stem = re.sub(r"[^-\w.()]", "-", f"{identity.project}-{identity.stack}")[:80].rstrip(".")
    return f"{stem}-registry"


def tags(azure: AzureSettings, identity: StackIdentity) -> dict[str, str]:
    return {
        OWN_TAGS[0]: "openshift-image-registry",
        OWN_TAGS[1]: identity.project,
        OWN_TAGS[2]: identity.stack,
        **azure.tags,
    }


def account(azure: AzureSettings, identity: StackIdentity, group: Any) -> dict[str, Any]:
    return {
        "accountName": account_name(azure, identity),
        "resourceGroupName": group,
        "location": azure.location,
        "kind": "StorageV2",
        "sku": {"name": azure.sku},
        "enableHttpsTrafficOnly": True,
        "minimumTlsVersion": "TLS1_2",
        "allowBlobPublicAccess": False,
        # The account key is the registry's credential: shared-key access must stay on, whatever an
        # organisation's default says. A keyless (workload identity) mode will need False, as the
        # operator itself sets on that path (pkg/storage/azure/azure.go, assureStorageAccount).
        "allowSharedKeyAccess": azure.uses_account_key,
        "encryption": {
            "keySource": "Microsoft.Storage",
            "requireInfrastructureEncryption": True,
            "services": {"blob": {"enabled": True, "keyType": "Account"}},
        },
        "tags": tags(azure, identity),
    }


def cr_storage(azure: AzureSettings, identity: StackIdentity) -> dict[str, Any]:
    """``spec.storage.azure``: always account and container, and the cloud when it is not public.

    With the account key in the credential secret the operator creates nothing and needs both
    names. It takes ``cloudName`` from the cluster only when ``accountName`` is empty too, so a
    named account without ``cloudName`` would be looked for in the public cloud.
    """
    block: dict[str, Any] = {"accountName": account_name(azure, identity), "container": container_name(azure)}
    if azure.cloud_name != PUBLIC_CLOUD:
        block["cloudName"] = azure.cloud_name
    return block


def plan(azure: AzureSettings, identity: StackIdentity, secrets: SecretSettings, registry: RegistrySettings) -> Plan:
    """Unless adopted: the resource group (when none is named, or with ``createResourceGroup``), the
    account and a private container, all protected in production (deleting a resource group
    deletes the account in it). The key is read with ``listStorageAccountKeys``, a secret end to end."""
    steps: list[Step] = []
    group: Any = resource_group_name(azure, identity)
    name: Any = account_name(azure, identity)
    if azure.creates_account:
        if azure.creates_resource_group:
            steps.append(
                Object(
                    "group",
                    "azure-native:resources:ResourceGroup",
                    {"resourceGroupName": group, "location": azure.location, "tags": tags(azure, identity)},
                    outputs=("name",),
                    holds_images=True,
                )
            )
            group = Ref("group", "name")
        steps.append(
            Object(
                "account",
                "azure-native:storage:StorageAccount",
                account(azure, identity, group),
                outputs=("name",),
                holds_images=True,
                import_ignore=ACCOUNT_IMPORT_IGNORE,
            )
        )
        name = Ref("account", "name")
        container = {
            "accountName": name,
            "resourceGroupName": group,
            "containerName": container_name(azure),
            "publicAccess": "None",
        }
        steps.append(
            Object(
                "container",
                "azure-native:storage:BlobContainer",
                container,
                holds_images=True,
                ready=True,
                import_ignore=("publicAccess",),
            )
        )
    steps.append(
        Lookup("keys", "azure-native:storage:listStorageAccountKeys", {"accountName": name, "resourceGroupName": group})
    )
    first_key = Derived(lambda keys: keys[0]["value"], (Ref("keys", "keys"),))
    return Plan(
        steps=tuple(steps),
        credentials={"REGISTRY_STORAGE_AZURE_ACCOUNTKEY": Secret(first_key)},
        exports={
            "storageAccountName": account_name(azure, identity),
            "containerName": container_name(azure),
            "resourceGroupName": resource_group_name(azure, identity),
        },
    )


SPEC = StorageSpec(cr_storage=cr_storage, plan=plan)
