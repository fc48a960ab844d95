"""What an Azure storage account and container for the registry look like, as azure-native receives them.

The same settings the operator applies when it creates an account (StorageV2, HTTPS only,
TLS 1.2, no public blob access), plus infrastructure encryption and a private container.
"""

from __future__ import annotations

import re
from typing import Any

from components.identity import StackIdentity
from components.names import TOKEN_AUDIENCE, TOKEN_FILE, TOKEN_SUBJECTS
from components.settings.registry import RegistrySettings
from components.settings.secrets import SecretSettings
from components.specs.objects import Derived, Lookup, Object, Plan, Ref, Secret, Step
from components.specs.storage import StorageSpec
from components.storage.azure.settings import OWN_TAGS, PUBLIC_CLOUD, AzureSettings, derived_account_name

DEFAULT_CONTAINER = "image-registry"


# What an account made by hand may hold otherwise, and an `oc get` dump cannot show.
ACCOUNT_IMPORT_IGNORE = (
    "tags", "sku", "kind", "encryption", "enableHttpsTrafficOnly", "minimumTlsVersion",
    "allowBlobPublicAccess", "allowSharedKeyAccess",
)  # fmt: skip


def account_name(azure: AzureSettings, identity: StackIdentity) -> str:
    """Configured (or kept from the cluster, ``cluster.py``), else derived from the stack's name."""
    if azure.account_name:
        return azure.account_name
    return derived_account_name(identity.project, identity.stack)


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


# Built-in "Storage Blob Data Contributor": the registry's data-plane access, on the account only.
BLOB_DATA_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"
# What the operator itself calls on the workload identity path (pkg/storage/azure/azure.go: assureStorageAccount
# checks the name's availability, a subscription-level action, and updates the account), and nothing else.
ACCOUNT_ACTIONS = ("Microsoft.Storage/storageAccounts/read", "Microsoft.Storage/storageAccounts/write")
NAME_CHECK_ACTIONS = ("Microsoft.Storage/checknameavailability/read",)


def _workload_identity_steps(azure: AzureSettings, identity: StackIdentity, group: Any, name: Any) -> list[Step]:
    """A user-assigned identity trusted for the two service accounts' tokens, with a custom role on the
    account, blob data access on the account, and the one subscription-level action the operator needs
    (the documented exception)."""
    issuer = identity.service_account_issuer
    assert issuer is not None, "checked before: keyless modes need the cluster's issuer"
    account = account_name(azure, identity)
    subscription = Ref("client", "subscriptionId")
    account_scope: Any = (
        Ref("account", "id")
        if azure.creates_account
        else Derived(
            lambda sub: (
                f"/subscriptions/{sub}/resourceGroups/{resource_group_name(azure, identity)}"
                f"/providers/Microsoft.Storage/storageAccounts/{account}"
            ),
            (subscription,),
        )
    )
    subscription_scope = Derived(lambda sub: f"/subscriptions/{sub}", (subscription,))
    blob_role = Derived(
        lambda sub: f"/subscriptions/{sub}/providers/Microsoft.Authorization/roleDefinitions/{BLOB_DATA_CONTRIBUTOR}",
        (subscription,),
    )
    identity_name = f"{account}-registry"
    principal = Ref("identity", "principalId")
    steps: list[Step] = [
        Lookup("client", "azure-native:authorization:getClientConfig", {}),
        Object(
            "identity",
            "azure-native:managedidentity:UserAssignedIdentity",
            {
                "resourceName": identity_name,
                "resourceGroupName": group,
                "location": azure.location,
                "tags": tags(azure, identity),
            },
            outputs=("clientId", "principalId"),
        ),
    ]
    for index, subject in enumerate(TOKEN_SUBJECTS):
        who = ("operator", "registry")[index]
        steps.append(
            Object(
                f"federated-{who}",
                "azure-native:managedidentity:FederatedIdentityCredential",
                {
                    "federatedIdentityCredentialResourceName": f"openshift-image-registry-{who}",
                    "resourceName": identity_name,
                    "resourceGroupName": group,
                    "issuer": issuer,
                    "subject": subject,
                    "audiences": [TOKEN_AUDIENCE],
                },
                ready=True,
                # Azure refuses concurrent writes of federated credentials under one identity
                # (ConcurrentFederatedIdentityCredentialsWritesForSingleManagedIdentity); ccoctl writes
                # them one after the other, and so does this plan.
                depends_on=("identity",) if index == 0 else ("identity", "federated-operator"),
            )
        )
    for role, scope, actions in (("account-role", account_scope, ACCOUNT_ACTIONS),
                                 ("name-check-role", subscription_scope, NAME_CHECK_ACTIONS)):  # fmt: skip
        steps.append(
            Object(
                role,
                "azure-native:authorization:RoleDefinition",
                {
                    "roleName": f"OpenShift image registry {role.removesuffix('-role')} ({account})",
                    "description": "What the image-registry operator calls on its workload identity path",
                    "scope": scope,
                    "assignableScopes": [scope],
                    "permissions": [{"actions": list(actions)}],
                },
            )
        )
    for assignment, role_id, scope in (
        ("account-access", Ref("account-role"), account_scope),
        ("name-check", Ref("name-check-role"), subscription_scope),
        ("blob-data", blob_role, account_scope),
    ):
        steps.append(
            Object(
                assignment,
                "azure-native:authorization:RoleAssignment",
                {
                    "principalId": principal,
                    "principalType": "ServicePrincipal",
                    "roleDefinitionId": role_id,
                    "scope": scope,
                },
                ready=True,
            )
        )
    return steps


def workload_identity_credentials(azure: AzureSettings, identity: StackIdentity, group: Any) -> dict[str, Any]:
    """``installer-cloud-credentials`` as the operator reads it (GetConfig, pkg/storage/azure/azure.go).
    ``azure_resourcegroup`` always: otherwise the operator looks for the account in the cluster's group."""
    return {
        "azure_client_id": Secret(Ref("identity", "clientId")),
        "azure_tenant_id": Secret(Ref("client", "tenantId")),
        "azure_region": Secret(azure.location),
        "azure_subscription_id": Secret(Ref("client", "subscriptionId")),
        "azure_federated_token_file": Secret(TOKEN_FILE),
        "azure_resourcegroup": Secret(group if isinstance(group, str) else resource_group_name(azure, identity)),
    }


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
                outputs=("name", "id"),
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
    if azure.credential_mode == "workloadIdentity":
        steps += _workload_identity_steps(azure, identity, group, name)
        credentials = workload_identity_credentials(azure, identity, group)
    else:
        steps.append(
            Lookup(
                "keys", "azure-native:storage:listStorageAccountKeys", {"accountName": name, "resourceGroupName": group}
            )
        )
        first_key = Derived(lambda keys: keys[0]["value"], (Ref("keys", "keys"),))
        credentials = {"REGISTRY_STORAGE_AZURE_ACCOUNTKEY": Secret(first_key)}
    return Plan(
        steps=tuple(steps),
        credentials=credentials,
        exports={
            "storageAccountName": account_name(azure, identity),
            "containerName": container_name(azure),
            "resourceGroupName": resource_group_name(azure, identity),
        },
    )


SPEC = StorageSpec(cr_storage=cr_storage, plan=plan)
