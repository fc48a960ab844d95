"""GCS under mocks: every resource's settings, least privilege, the secret, the Config patch."""

from __future__ import annotations

import json
from typing import Any

from tests.support import by_type, cloud_sdks_imported, crd_violations, evaluate_config, is_secret, one, reveal

PROJECT_CONFIG = {"gcp:project": "example-project"}
KEY = "projects/example-project/locations/us-central1/keyRings/registry/cryptoKeys/registry"
BUCKET = "gcp:storage/bucket:Bucket"
CONFIG = "kubernetes:imageregistry.operator.openshift.io/v1:ConfigPatch"
SECRET = "kubernetes:core/v1:Secret"


def evaluate(gcs: dict[str, Any], **kwargs: Any) -> Any:
    return evaluate_config(platform="gcp", storage={"gcs": gcs}, extra=PROJECT_CONFIG, **kwargs)


def test_the_bucket_is_hardened_and_protected() -> None:
    evaluation = evaluate({"region": "us-central1", "bucket": "corp-registry", "labels": {"team": "platform"}})
    bucket = one(evaluation, BUCKET)
    assert bucket.inputs == {
        "name": "corp-registry",
        "location": "US-CENTRAL1",
        "uniformBucketLevelAccess": True,
        "publicAccessPrevention": "enforced",
        "lifecycleRules": [{"action": {"type": "AbortIncompleteMultipartUpload"}, "condition": {"age": 1.0}}],
        "labels": {
            "app-kubernetes-io-part-of": "openshift-image-registry",
            "pulumi-project": "openshift-registry",
            "pulumi-stack": "test",
            "team": "platform",
        },
        "forceDestroy": False,
    }
    assert bucket.protect is True
    assert by_type(evaluation, "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember") == []


def test_not_protected_outside_production() -> None:
    evaluation = evaluate({"region": "us-central1"}, environment="nonproduction")
    assert one(evaluation, BUCKET).protect is False


def test_kms_key_is_the_default_and_the_storage_agent_may_use_it_before_the_bucket_exists() -> None:
    evaluation = evaluate({"region": "us-central1", "keyID": KEY})
    bucket = one(evaluation, BUCKET)
    assert bucket.inputs["encryption"] == {"defaultKmsKeyName": KEY}
    grant = one(evaluation, "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember")
    assert grant.inputs == {
        "cryptoKeyId": KEY,
        "role": "roles/cloudkms.cryptoKeyEncrypterDecrypter",
        "member": "serviceAccount:service-123456789012@gs-project-accounts.iam.gserviceaccount.com",
    }
    assert grant.urn in bucket.depends_on


MEMBER = "serviceAccount:corp-registry@mock-project.iam.gserviceaccount.com"


def test_service_account_gets_object_access_and_bucket_read_on_this_bucket_only() -> None:
    evaluation = evaluate({"region": "us-central1", "bucket": "corp-registry"})
    account = one(evaluation, "gcp:serviceaccount/account:Account")
    assert account.inputs["accountId"] == "corp-registry"
    grants = by_type(evaluation, "gcp:storage/bucketIAMMember:BucketIAMMember")
    assert sorted((g.inputs["bucket"], g.inputs["role"], g.inputs["member"]) for g in grants) == [
        ("corp-registry", "roles/storage.legacyBucketReader", MEMBER),
        ("corp-registry", "roles/storage.objectAdmin", MEMBER),
    ]
    project_wide = [r for r in evaluation.registrations if r.type.startswith(("gcp:projects/", "gcp:organizations/"))]
    assert project_wide == []
    assert all(g.urn in one(evaluation, CONFIG).depends_on for g in grants)


def test_granted_roles_cover_every_call_the_operator_and_the_registry_make() -> None:
    """The operator's bucketExists (pkg/storage/gcs/gcs.go: StorageExists, CreateStorage) calls
    Bucket(b).Attrs(), i.e. storage.buckets.get, on every sync: objectAdmin alone lacks it and the
    403 aborts the sync before the registry gets its storage."""
    from components.storage.gcs import spec

    evaluation = evaluate({"region": "us-central1", "bucket": "corp-registry"})
    roles = {g.inputs["role"] for g in by_type(evaluation, "gcp:storage/bucketIAMMember:BucketIAMMember")}
    granted = set().union(*(spec.ROLE_PERMISSIONS[role] for role in roles))
    assert set(spec.REQUIRED_PERMISSIONS) <= granted
    assert "storage.buckets.get" not in spec.ROLE_PERMISSIONS[spec.OBJECT_ROLE], "why the second role exists"
    assert not any(p.startswith(("storage.buckets.delete", "storage.buckets.setIamPolicy")) for p in granted)


def test_secret_holds_exactly_the_decoded_key_file_as_a_secret() -> None:
    evaluation = evaluate({"region": "us-central1"})
    data = one(evaluation, SECRET).inputs["stringData"]
    assert is_secret(data) or all(is_secret(v) for v in data.values())
    assert reveal(data) == {"REGISTRY_STORAGE_GCS_KEYFILE": '{"type": "service_account"}'}
    assert "REGISTRY_STORAGE_GCS_KEYFILE" not in json.dumps(evaluation.outputs)


def test_key_file_from_secret_config_creates_no_account() -> None:
    key_file = json.dumps({"type": "service_account", "private_key": "planted"})
    evaluation = evaluate({"region": "us-central1", "credentials": "secretConfig"}, secrets={"gcsKeyFile": key_file})
    assert by_type(evaluation, "gcp:serviceaccount/account:Account") == []
    assert reveal(one(evaluation, SECRET).inputs["stringData"]) == {"REGISTRY_STORAGE_GCS_KEYFILE": key_file}


def test_adopted_bucket_is_only_named_and_granted() -> None:
    evaluation = evaluate({"region": "us-central1", "bucket": "existing-registry", "adopt": True})
    assert by_type(evaluation, BUCKET) == []
    grants = by_type(evaluation, "gcp:storage/bucketIAMMember:BucketIAMMember")
    assert sorted((g.inputs["bucket"], g.inputs["role"]) for g in grants) == [
        ("existing-registry", "roles/storage.legacyBucketReader"),
        ("existing-registry", "roles/storage.objectAdmin"),
    ]


def test_config_patch_names_the_bucket_and_validates() -> None:
    evaluation = evaluate({"region": "us-central1", "projectID": "example-project", "keyID": KEY})
    patch = one(evaluation, CONFIG)
    assert crd_violations("configs", patch.inputs) == []
    assert patch.inputs["spec"]["storage"] == {
        "managementState": "Unmanaged",
        "gcs": {
            "bucket": "openshift-registry-test",
            "region": "us-central1",
            "projectID": "example-project",
            "keyID": KEY,
        },
    }


def test_gcp_stack_imports_no_cloud_sdk() -> None:
    assert cloud_sdks_imported("gcp-prod") == []
