"""The OpenStack Swift row of the storage-kind table."""

from __future__ import annotations

from components.names import CREDENTIAL_SECRET
from components.storage.kind import CredentialMode, StorageKind
from components.storage.swift.settings import (
    APPLICATION_CREDENTIAL_SECRETS,
    PASSWORD_SECRETS,
    SwiftSettings,
    reads_all_five_keys,
)

PASSWORD_KEYS = ("REGISTRY_STORAGE_SWIFT_USERNAME", "REGISTRY_STORAGE_SWIFT_PASSWORD")
APPLICATION_KEYS = (
    "REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALID",
    "REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALNAME",
    "REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALSECRET",
)


def release_keys(mode: CredentialMode, version: str | None) -> tuple[str, ...]:
    """On 4.10-4.14 the operator requires all five keys; the mode's unused ones are empty."""
    return PASSWORD_KEYS + APPLICATION_KEYS if reads_all_five_keys(version) else mode.keys


ROW = StorageKind(
    field="swift",
    package=__package__,
    model=SwiftSettings,
    cr_fields=SwiftSettings.CR_FIELDS,
    platforms=("openstack",),
    credential_modes=(
        CredentialMode("applicationCredential", CREDENTIAL_SECRET, APPLICATION_KEYS, APPLICATION_CREDENTIAL_SECRETS),
        CredentialMode("password", CREDENTIAL_SECRET, PASSWORD_KEYS, PASSWORD_SECRETS),
    ),
    secret_config={
        "swiftUsername": "an OpenStack user for Swift (storage.swift.credentials: password)",
        "swiftPassword": "that user's password",
        "swiftApplicationCredentialId": "an OpenStack application credential's id (storage.swift)",
        "swiftApplicationCredentialName": "its name",
        "swiftApplicationCredentialSecret": "its secret",
    },
    release_keys=release_keys,
    names_storage="container",
    location_fields=("container", "authURL"),
    copy_hint="e.g. `rclone sync` between the two containers",
    component_type="openshift-registry:storage:SwiftStorage",
)
