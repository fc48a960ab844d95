"""Which keys the operator reads from ``image-registry-private-configuration-user``.

Exactly these and no others: if the secret exists, the operator stops falling back to the
cluster's own credentials, and another platform's keys break the storage driver.
"""

from __future__ import annotations

from components.settings.stack import StackSettings

KEYS_BY_STORAGE: dict[str, tuple[str, ...]] = {
    "s3": ("REGISTRY_STORAGE_S3_ACCESSKEY", "REGISTRY_STORAGE_S3_SECRETKEY"),
    "gcs": ("REGISTRY_STORAGE_GCS_KEYFILE",),
    "azure": ("REGISTRY_STORAGE_AZURE_ACCOUNTKEY",),
    "pvc": (),
    "emptyDir": (),
}


def secret_keys(stack: StackSettings) -> tuple[str, ...]:
    """The keys the secret must hold; empty means the stack must not create the secret at all."""
    return KEYS_BY_STORAGE[stack.storage.kind]
