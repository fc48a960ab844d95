"""What a GCS bucket for the registry looks like, as the GCP provider receives it.

The operator, when it creates a bucket, sets none of this hardening (uniform access, public
access prevention, lifecycle): a program that provisions the bucket must.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from components.settings.stack import StackSettings
from components.settings.storage_gcs import GcsSettings
from components.specs.naming import derived_bucket_name

OBJECT_ROLE = "roles/storage.objectAdmin"
BUCKET_READ_ROLE = "roles/storage.legacyBucketReader"
# Granted on the registry's bucket only (an IAM role, so uniform bucket-level access allows it).
BUCKET_ROLES = (OBJECT_ROLE, BUCKET_READ_ROLE)
# The permissions each role carries, as Google documents them
# (https://cloud.google.com/storage/docs/access-control/iam-roles, checked 2026-11).
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    OBJECT_ROLE: frozenset(
        {
            "storage.objects.create",
            "storage.objects.delete",
            "storage.objects.get",
            "storage.objects.getIamPolicy",
            "storage.objects.list",
            "storage.objects.restore",
            "storage.objects.setIamPolicy",
            "storage.objects.update",
            "storage.managedFolders.create",
            "storage.managedFolders.delete",
            "storage.managedFolders.get",
            "storage.managedFolders.list",
            "storage.multipartUploads.abort",
            "storage.multipartUploads.create",
            "storage.multipartUploads.list",
            "storage.multipartUploads.listParts",
        }
    ),
    BUCKET_READ_ROLE: frozenset({"storage.buckets.get", "storage.objects.list"}),
}
# What the registry's identity is asked to do, and by whom.
REQUIRED_PERMISSIONS: dict[str, str] = {
    # The operator, on every sync: bucketExists -> Bucket(b).Attrs() in StorageExists and CreateStorage
    # (pkg/storage/gcs/gcs.go). A 403 here aborts the sync before the registry is deployed.
    "storage.buckets.get": "operator: StorageExists / CreateStorage (bucketExists)",
    # The registry's GCS driver (distribution/registry/storage/driver/gcs): blobs and manifests.
    "storage.objects.get": "registry: GetContent, Reader, Stat",
    "storage.objects.create": "registry: PutContent, Writer (resumable uploads), Move (copy), compose",
    "storage.objects.delete": "registry: Delete, Move, upload cleanup",
    "storage.objects.list": "registry: List, Walk, Stat of directories",
    "storage.objects.update": "registry: metadata of a written object",
}
KMS_ROLE = "roles/cloudkms.cryptoKeyEncrypterDecrypter"


def _gcs(stack: StackSettings) -> GcsSettings:
    gcs = stack.storage.gcs
    assert gcs is not None, "GCS specs need storage.gcs"
    return gcs


def bucket_name(stack: StackSettings) -> str:
    return _gcs(stack).bucket or derived_bucket_name(stack.project, stack.stack)


def service_account_id(stack: StackSettings) -> str:
    """Configured, else ``<bucket>-registry`` fitted to GCP's 6-30 characters (a hash keeps it unique)."""
    configured = _gcs(stack).service_account_id
    if configured:
        return configured
    base = re.sub(r"[^a-z0-9-]+", "-", bucket_name(stack)).strip("-")
    base = re.sub(r"^[^a-z]+", "", base) or "registry"
    wanted = base if base.endswith("registry") else f"{base}-registry"
    if len(wanted) <= 30:
        return wanted.ljust(6, "0")
    digest = hashlib.sha256(bucket_name(stack).encode()).hexdigest()[:8]
    return f"{base[:21].rstrip('-')}-{digest}"


def _label(value: str) -> str:
    return re.sub(r"[^a-z0-9_-]", "-", value.lower())[:63]


OWN_LABELS = ("app-kubernetes-io-part-of", "pulumi-project", "pulumi-stack")


def labels(stack: StackSettings) -> dict[str, str]:
    return {
        OWN_LABELS[0]: "openshift-image-registry",
        OWN_LABELS[1]: _label(stack.project),
        OWN_LABELS[2]: _label(stack.stack),
        **_gcs(stack).labels,
    }


def lifecycle_rules() -> list[dict[str, Any]]:
    """Abort multipart uploads left incomplete for a day: interrupted pushes otherwise pile up."""
    return [{"action": {"type": "AbortIncompleteMultipartUpload"}, "condition": {"age": 1}}]


def location(stack: StackSettings) -> str:
    region = _gcs(stack).region
    assert region is not None
    return region.upper()


def cr_storage(stack: StackSettings) -> dict[str, Any]:
    """``spec.storage.gcs`` for the Config CR."""
    gcs = _gcs(stack)
    block: dict[str, Any] = {"bucket": bucket_name(stack)}
    for field, value in (("region", gcs.region), ("projectID", gcs.project_id), ("keyID", gcs.key_id)):
        if value is not None:
            block[field] = value
    return block
