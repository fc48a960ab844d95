"""The GCS row of the storage-kind table."""

from __future__ import annotations

from components.names import CREDENTIAL_SECRET, INSTALLER_SECRET
from components.storage.gcs.settings import GcsSettings
from components.storage.kind import CredentialMode, StorageKind

KEYS = ("REGISTRY_STORAGE_GCS_KEYFILE",)
# Keyless: the key the operator reads from installer-cloud-credentials (GetConfig).
WIF_KEYS = ("service_account.json",)

ROW = StorageKind(
    field="gcs",
    package=__package__,
    model=GcsSettings,
    cr_fields=GcsSettings.CR_FIELDS,
    platforms=("gcp",),
    credential_modes=(
        CredentialMode("serviceAccount", CREDENTIAL_SECRET, KEYS),
        CredentialMode("secretConfig", CREDENTIAL_SECRET, KEYS, ("gcsKeyFile",)),
        CredentialMode("workloadIdentity", INSTALLER_SECRET, WIF_KEYS),
    ),
    secret_config={"gcsKeyFile": "a GCP service-account key file (JSON) for GCS storage"},
    json_secrets=("gcsKeyFile",),
    names_storage="bucket",
    location_fields=("bucket",),
    copy_hint="e.g. `gcloud storage rsync -r gs://OLD gs://NEW`",
    component_type="openshift-registry:storage:GcsStorage",
)
