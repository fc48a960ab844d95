"""The IBM Cloud Object Storage row of the storage-kind table."""

from __future__ import annotations

from components.names import CREDENTIAL_SECRET
from components.storage.ibmcos.settings import IbmCosSettings
from components.storage.kind import CredentialMode, StorageKind

KEYS = ("REGISTRY_STORAGE_IBMCOS_IAMAPIKEY",)

ROW = StorageKind(
    field="ibmcos",
    package=__package__,
    model=IbmCosSettings,
    cr_fields=IbmCosSettings.CR_FIELDS,
    platforms=("ibmcloud", "powervs"),
    credential_modes=(CredentialMode("apiKey", CREDENTIAL_SECRET, KEYS, ("ibmcosApiKey",)),),
    secret_config={"ibmcosApiKey": "an IBM Cloud IAM API key for storage.ibmcos"},
    names_storage="bucket",
    location_fields=("bucket", "serviceInstanceCRN"),
    copy_hint="e.g. `rclone sync` between the two buckets (S3 with HMAC keys)",
    component_type="openshift-registry:storage:IbmCosStorage",
    # CreateStorage (pkg/storage/ibmcos/ibmcos.go) writes the instance's location and resource group,
    # and the HMAC resource key it mints when resourceKeyCRN is empty (nothing ever deletes one).
    written_back=("location", "resourceGroupName", "resourceKeyCRN"),
    since="4.9",
)
