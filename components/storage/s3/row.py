"""The S3 (and S3-compatible endpoints) row of the storage-kind table."""

from __future__ import annotations

from components.names import CREDENTIAL_SECRET, INSTALLER_SECRET
from components.storage.kind import NO_OBJECT_STORAGE, CredentialMode, StorageKind
from components.storage.s3.settings import S3Settings, as_rendered

KEYS = ("REGISTRY_STORAGE_S3_ACCESSKEY", "REGISTRY_STORAGE_S3_SECRETKEY")
# Keyless: the key the operator reads from installer-cloud-credentials (GetConfig, getCredentialsConfigData).
STS_KEYS = ("credentials",)

ROW = StorageKind(
    field="s3",
    package=__package__,
    model=S3Settings,
    cr_fields=S3Settings.CR_FIELDS,
    # S3-compatible endpoints (Ceph RGW, ODF, MinIO) run anywhere; Amazon S3 only on AWS (a rule).
    platforms=("aws", "baremetal", "vsphere", *NO_OBJECT_STORAGE),
    credential_modes=(
        CredentialMode("iamUser", CREDENTIAL_SECRET, KEYS),
        CredentialMode("secretConfig", CREDENTIAL_SECRET, KEYS, ("s3AccessKey", "s3SecretKey")),
        CredentialMode("sts", INSTALLER_SECRET, STS_KEYS),
    ),
    secret_config={
        "s3AccessKey": "access key id for S3 / S3-compatible storage (storage.s3.credentials: secretConfig)",
        "s3SecretKey": "secret access key for S3 / S3-compatible storage (storage.s3.credentials: secretConfig)",
        "s3CloudFrontPrivateKey": "the CloudFront key pair's private key (PEM) for storage.s3.cloudFront",
    },
    as_rendered=as_rendered,
    names_storage="bucket",
    location_fields=("bucket", "regionEndpoint"),
    copy_hint="e.g. `aws s3 sync s3://OLD s3://NEW`, or `rclone sync` between endpoints",
    component_type="openshift-registry:storage:S3Storage",
    # ImageRegistryConfigStorageS3: `VirtualHostedStyle bool json:"virtualHostedStyle"`, and from 4.11
    # `TrustedCA S3TrustedCASource json:"trustedCA"` (an empty name: the default trust bundle).
    stored_zero={"virtualHostedStyle": ("4.6", False), "trustedCA": ("4.11", {"name": ""})},
    # chunkSizeMiB is in the 4.16 CRD behind a feature gate, generally available from 4.17.
    fields_since={"trustedCA": "4.11", "chunkSizeMiB": "4.17"},
)
