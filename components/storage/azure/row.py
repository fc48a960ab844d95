"""The Azure Blob Storage row of the storage-kind table."""

from __future__ import annotations

from components.names import CREDENTIAL_SECRET, INSTALLER_SECRET
from components.storage.azure.settings import AzureSettings
from components.storage.kind import CredentialMode, StorageKind

KEYS = ("REGISTRY_STORAGE_AZURE_ACCOUNTKEY",)
# Keyless: the keys the operator reads from installer-cloud-credentials (GetConfig).
WORKLOAD_IDENTITY_KEYS = (
    "azure_client_id",
    "azure_tenant_id",
    "azure_region",
    "azure_subscription_id",
    "azure_federated_token_file",
    "azure_resourcegroup",
)

ROW = StorageKind(
    field="azure",
    package=__package__,
    model=AzureSettings,
    cr_fields=AzureSettings.CR_FIELDS,
    platforms=("azure",),
    credential_modes=(
        CredentialMode("accountKey", CREDENTIAL_SECRET, KEYS),
        CredentialMode("workloadIdentity", INSTALLER_SECRET, WORKLOAD_IDENTITY_KEYS),
    ),
    names_storage="accountName",
    location_fields=("accountName", "container"),
    copy_hint="e.g. `azcopy copy https://OLD.blob.core.windows.net/C https://NEW.blob.core.windows.net/C -r`",
    component_type="openshift-registry:storage:AzureStorage",
    # CreateStorage (pkg/storage/azure) takes cloudName from the Infrastructure only when both it and
    # accountName are empty; an account without cloudName is the public cloud's.
    implied={"cloudName": "AzurePublicCloud"},
    fields_since={"networkAccess": "4.15"},
    refused={
        "networkAccess": (
            "is refused: with the account key as the registry's credential the operator ignores it (CreateStorage "
            "returns on that path before assurePrivateAccount), and with workloadIdentity the operator would make the "
            "account private itself (a private endpoint and DNS in the cluster's network), which needs network "
            "permissions this program's registry identity does not grant; make the account private yourself and keep "
            "networkAccess unset"
        ),
    },
)
