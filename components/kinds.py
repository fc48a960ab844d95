"""The one table of storage kinds: everything else about a kind derives from its row.

Per kind: the Config's field (``spec.storage.<field>``), the settings model, the CR fields a
stack may set, the platforms it runs on, its credential modes (which secret the operator reads,
with which keys, and which secret config keys feed it), its spec (``components/specs``) and the
type of its component. Adding a backend is one settings model, one spec module and one row here;
``tests/test_storage_kinds.py`` checks every row against the vendored CRD and the operator's keys.

Nothing here imports a cloud SDK: the storage component registers what the spec describes, by
type token, and a stack imports no SDK at all for its storage (see resources/provider_object.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from components.formats import redact_url
from components.names import CREDENTIAL_SECRET, DEFAULT_CLAIM, INSTALLER_SECRET
from components.settings.model import Model
from components.settings.storage_azure import AzureSettings
from components.settings.storage_gcs import GcsSettings
from components.settings.storage_ibmcos import IbmCosSettings
from components.settings.storage_pvc import EmptyDirSettings, PvcSettings
from components.settings.storage_s3 import S3Settings
from components.settings.storage_swift import (
    APPLICATION_CREDENTIAL_SECRETS,
    PASSWORD_SECRETS,
    SwiftSettings,
    reads_all_five_keys,
)
from components.specs import azure, empty_dir, gcs, ibmcos, pvc, s3, swift
from components.specs.storage import StorageSpec


@dataclass(frozen=True)
class CredentialMode:
    name: str
    """As ``storage.<kind>.credentials`` names it (``iamUser``), or the kind's only mode."""
    secret: str | None
    """The Secret in openshift-image-registry the operator reads; None: it reads none."""
    keys: tuple[str, ...] = ()
    """Exactly the keys it reads there (pkg/storage/<kind>: ``GetConfig``)."""
    config_secrets: tuple[str, ...] = ()
    """The secret config keys (``pulumi config set --secret``) this mode reads."""


@dataclass(frozen=True)
class StorageKind:
    field: str
    model: type[Model]
    cr_fields: tuple[str, ...]
    platforms: tuple[str, ...]
    credential_modes: tuple[CredentialMode, ...]
    spec: StorageSpec
    component_type: str | None
    """The Pulumi type of its component; None: nothing to create (emptyDir)."""
    stored_zero: Mapping[str, tuple[str, Any]] = field(default_factory=dict)
    """Fields every typed write of the operator stores although nobody set them (Go fields without
    ``omitempty`` in openshift/api imageregistry/v1 types.go), with the release that has them and the value."""
    implied: Mapping[str, Any] = field(default_factory=dict)
    """Values that mean what leaving the field unset means (the operator fills them in on its own)."""
    written_back: tuple[str, ...] = ()
    """Fields the operator writes into the spec itself and needs kept (``CreateStorage``): never stale,
    never to be removed."""

    location_fields: tuple[str, ...] = ()
    """The fields of its block that say where the images are: another value is other storage."""
    copy_hint: str = ""
    """How to copy the images to other storage of this kind before moving the registry."""

    def holds_images_at(self, block: Mapping[str, Any]) -> bool:
        return any(block.get(name) for name in self.location_fields)

    def describe(self, block: Mapping[str, Any]) -> str:
        """``s3 bucket images, regionEndpoint https://...``: where a block keeps images, for messages."""
        where = ", ".join(f"{name} {redact_url(str(block[name]))}" for name in self.location_fields if block.get(name))
        return f"{self.field} {where}".strip()

    release_keys: Callable[[CredentialMode, str | None], tuple[str, ...]] | None = None
    """The keys the operator of a given release requires in the mode's secret, where that differs from
    ``mode.keys`` (the keys not read get an empty value); None: ``mode.keys`` on every release."""

    def secret_keys(self, mode: CredentialMode, version: str | None) -> tuple[str, ...]:
        return mode.keys if self.release_keys is None else self.release_keys(mode, version)

    def mode(self, name: str) -> CredentialMode:
        return next(mode for mode in self.credential_modes if mode.name == name)

    @property
    def keyless(self) -> tuple[str, ...]:
        """Its modes that hand the registry a token-based credential instead of a key."""
        return tuple(mode.name for mode in self.credential_modes if mode.secret == INSTALLER_SECRET)

    @property
    def python_name(self) -> str:
        """The attribute of ``StorageSettings`` that holds it (``emptyDir`` -> ``empty_dir``)."""
        return "".join(f"_{c.lower()}" if c.isupper() else c for c in self.field)


S3_KEYS = ("REGISTRY_STORAGE_S3_ACCESSKEY", "REGISTRY_STORAGE_S3_SECRETKEY")
# Keyless modes: the keys the operator reads from installer-cloud-credentials (GetConfig, getCredentialsConfigData).
STS_KEYS = ("credentials",)
WIF_KEYS = ("service_account.json",)
AZURE_WI_KEYS = (
    "azure_client_id",
    "azure_tenant_id",
    "azure_region",
    "azure_subscription_id",
    "azure_federated_token_file",
    "azure_resourcegroup",
)
GCS_KEYS = ("REGISTRY_STORAGE_GCS_KEYFILE",)
AZURE_KEYS = ("REGISTRY_STORAGE_AZURE_ACCOUNTKEY",)
SWIFT_PASSWORD_KEYS = ("REGISTRY_STORAGE_SWIFT_USERNAME", "REGISTRY_STORAGE_SWIFT_PASSWORD")
SWIFT_APPLICATION_KEYS = (
    "REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALID",
    "REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALNAME",
    "REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALSECRET",
)
IBMCOS_KEYS = ("REGISTRY_STORAGE_IBMCOS_IAMAPIKEY",)


def swift_release_keys(mode: CredentialMode, version: str | None) -> tuple[str, ...]:
    """On 4.10-4.14 the operator requires all five Swift keys; the mode's unused ones are empty."""
    return SWIFT_PASSWORD_KEYS + SWIFT_APPLICATION_KEYS if reads_all_five_keys(version) else mode.keys


NO_SECRET = (CredentialMode("none", None),)
# Platforms the operator knows and bootstraps as Removed, like bare metal and vSphere (GetPlatformStorage,
# pkg/storage/storage.go): a claim or an S3-compatible endpoint serves there. AlibabaCloud is on that list
# too, but the platform is gone from OpenShift with its OSS driver (README: Platforms and their storage).
NO_OBJECT_STORAGE = ("nutanix", "external", "kubevirt", "equinixmetal")

KINDS: tuple[StorageKind, ...] = (
    StorageKind(
        field="s3",
        model=S3Settings,
        cr_fields=S3Settings.CR_FIELDS,
        # S3-compatible endpoints (Ceph RGW, ODF, MinIO) run anywhere; Amazon S3 only on AWS (a rule).
        platforms=("aws", "baremetal", "vsphere", *NO_OBJECT_STORAGE),
        credential_modes=(
            CredentialMode("iamUser", CREDENTIAL_SECRET, S3_KEYS),
            CredentialMode("secretConfig", CREDENTIAL_SECRET, S3_KEYS, ("s3AccessKey", "s3SecretKey")),
            CredentialMode("sts", INSTALLER_SECRET, STS_KEYS),
        ),
        spec=s3.SPEC,
        location_fields=("bucket", "regionEndpoint"),
        copy_hint="e.g. `aws s3 sync s3://OLD s3://NEW`, or `rclone sync` between endpoints",
        component_type="openshift-registry:storage:S3Storage",
        # ImageRegistryConfigStorageS3: `VirtualHostedStyle bool json:"virtualHostedStyle"`, and from 4.11
        # `TrustedCA S3TrustedCASource json:"trustedCA"` (an empty name: the default trust bundle).
        stored_zero={"virtualHostedStyle": ("4.6", False), "trustedCA": ("4.11", {"name": ""})},
    ),
    StorageKind(
        field="gcs",
        model=GcsSettings,
        cr_fields=GcsSettings.CR_FIELDS,
        platforms=("gcp",),
        credential_modes=(
            CredentialMode("serviceAccount", CREDENTIAL_SECRET, GCS_KEYS),
            CredentialMode("secretConfig", CREDENTIAL_SECRET, GCS_KEYS, ("gcsKeyFile",)),
            CredentialMode("workloadIdentity", INSTALLER_SECRET, WIF_KEYS),
        ),
        spec=gcs.SPEC,
        location_fields=("bucket",),
        copy_hint="e.g. `gcloud storage rsync -r gs://OLD gs://NEW`",
        component_type="openshift-registry:storage:GcsStorage",
    ),
    StorageKind(
        field="azure",
        model=AzureSettings,
        cr_fields=AzureSettings.CR_FIELDS,
        platforms=("azure",),
        credential_modes=(
            CredentialMode("accountKey", CREDENTIAL_SECRET, AZURE_KEYS),
            CredentialMode("workloadIdentity", INSTALLER_SECRET, AZURE_WI_KEYS),
        ),
        spec=azure.SPEC,
        location_fields=("accountName", "container"),
        copy_hint="e.g. `azcopy copy https://OLD.blob.core.windows.net/C https://NEW.blob.core.windows.net/C -r`",
        component_type="openshift-registry:storage:AzureStorage",
        # CreateStorage (pkg/storage/azure) takes cloudName from the Infrastructure only when both it and
        # accountName are empty; an account without cloudName is the public cloud's.
        implied={"cloudName": "AzurePublicCloud"},
    ),
    StorageKind(
        field="swift",
        model=SwiftSettings,
        cr_fields=SwiftSettings.CR_FIELDS,
        platforms=("openstack",),
        credential_modes=(
            CredentialMode(
                "applicationCredential", CREDENTIAL_SECRET, SWIFT_APPLICATION_KEYS, APPLICATION_CREDENTIAL_SECRETS
            ),
            CredentialMode("password", CREDENTIAL_SECRET, SWIFT_PASSWORD_KEYS, PASSWORD_SECRETS),
        ),
        spec=swift.SPEC,
        release_keys=swift_release_keys,
        location_fields=("container", "authURL"),
        copy_hint="e.g. `rclone sync` between the two containers",
        component_type="openshift-registry:storage:SwiftStorage",
    ),
    StorageKind(
        field="ibmcos",
        model=IbmCosSettings,
        cr_fields=IbmCosSettings.CR_FIELDS,
        platforms=("ibmcloud", "powervs"),
        credential_modes=(CredentialMode("apiKey", CREDENTIAL_SECRET, IBMCOS_KEYS, ("ibmcosApiKey",)),),
        spec=ibmcos.SPEC,
        location_fields=("bucket", "serviceInstanceCRN"),
        copy_hint="e.g. `rclone sync` between the two buckets (S3 with HMAC keys)",
        component_type="openshift-registry:storage:IbmCosStorage",
        # CreateStorage (pkg/storage/ibmcos/ibmcos.go) writes the instance's location and resource group,
        # and the HMAC resource key it mints when resourceKeyCRN is empty (nothing ever deletes one).
        written_back=("location", "resourceGroupName", "resourceKeyCRN"),
    ),
    StorageKind(
        field="pvc",
        model=PvcSettings,
        cr_fields=PvcSettings.CR_FIELDS,
        platforms=("baremetal", "vsphere", "openstack", *NO_OBJECT_STORAGE),
        credential_modes=NO_SECRET,
        spec=pvc.SPEC,
        location_fields=("claim",),
        copy_hint="e.g. a pod in openshift-image-registry that mounts both claims and copies /registry",
        component_type="openshift-registry:storage:PvcStorage",
        # An empty claim: the operator makes image-registry-storage and writes its name (pkg/storage/pvc).
        implied={"claim": DEFAULT_CLAIM},
    ),
    StorageKind(
        field="emptyDir",
        model=EmptyDirSettings,
        cr_fields=(),
        platforms=(
            "aws",
            "gcp",
            "azure",
            "baremetal",
            "vsphere",
            "openstack",
            "ibmcloud",
            "powervs",
            *NO_OBJECT_STORAGE,
        ),
        credential_modes=NO_SECRET,
        spec=empty_dir.SPEC,
        component_type=None,
    ),
)
BY_FIELD = {kind.field: kind for kind in KINDS}
PLATFORMS: tuple[str, ...] = tuple(dict.fromkeys(p for kind in KINDS for p in kind.platforms))


def kinds_on(platform: str) -> tuple[str, ...]:
    return tuple(kind.field for kind in KINDS if platform in kind.platforms)


def kind_of(field: str) -> StorageKind:
    return BY_FIELD[field]
