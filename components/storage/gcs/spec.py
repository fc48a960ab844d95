"""What a GCS bucket for the registry looks like, as the GCP provider receives it.

The operator, when it creates a bucket, sets none of this hardening (uniform access, public
access prevention, lifecycle): a program that provisions the bucket must.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from typing import Any

from components.identity import StackIdentity
from components.names import TOKEN_AUDIENCE, TOKEN_FILE, TOKEN_SUBJECTS, derived_bucket_name
from components.settings.registry import RegistrySettings
from components.settings.secrets import SecretSettings
from components.specs.objects import Derived, Lookup, Object, Plan, Ref, Secret, Step
from components.specs.storage import StorageSpec
from components.storage.gcs.settings import OWN_LABELS, GcsSettings

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


# What a bucket made by hand may hold otherwise, and an `oc get` dump cannot show: set once the
# import entry is removed.
IMPORT_IGNORE = ("labels", "lifecycleRules", "uniformBucketLevelAccess", "publicAccessPrevention", "encryption")


def bucket_name(gcs: GcsSettings, identity: StackIdentity) -> str:
    return gcs.bucket or derived_bucket_name(identity.project, identity.stack)


def service_account_id(gcs: GcsSettings, identity: StackIdentity) -> str:
    """Configured, else ``<bucket>-registry`` fitted to GCP's 6-30 characters (a hash keeps it unique)."""
    if gcs.service_account_id:
        return gcs.service_account_id
    bucket = bucket_name(gcs, identity)
    base = re.sub(r"[^a-z0-9-]+", "-", bucket).strip("-")
    base = re.sub(r"^[^a-z]+", "", base) or "registry"
    wanted = base if base.endswith("registry") else f"{base}-registry"
    if len(wanted) <= 30:
        return wanted.ljust(6, "0")
    digest = hashlib.sha256(bucket.encode()).hexdigest()[:8]
    return f"{base[:21].rstrip('-')}-{digest}"


def _label(value: str) -> str:
    return re.sub(r"[^a-z0-9_-]", "-", value.lower())[:63]


def labels(gcs: GcsSettings, identity: StackIdentity) -> dict[str, str]:
    return {
        OWN_LABELS[0]: "openshift-image-registry",
        OWN_LABELS[1]: _label(identity.project),
        OWN_LABELS[2]: _label(identity.stack),
        **gcs.labels,
    }


def lifecycle_rules() -> list[dict[str, Any]]:
    """Abort multipart uploads left incomplete for a day: interrupted pushes otherwise pile up."""
    return [{"action": {"type": "AbortIncompleteMultipartUpload"}, "condition": {"age": 1}}]


def location(gcs: GcsSettings) -> str:
    assert gcs.region is not None
    return gcs.region.upper()


def cr_storage(gcs: GcsSettings, identity: StackIdentity) -> dict[str, Any]:
    """``spec.storage.gcs`` for the Config CR."""
    block: dict[str, Any] = {"bucket": bucket_name(gcs, identity)}
    for field, value in (("region", gcs.region), ("projectID", gcs.project_id), ("keyID", gcs.key_id)):
        if value is not None:
            block[field] = value
    return block


def _member(account: Ref) -> Derived:
    return Derived(lambda email: f"serviceAccount:{email}", (account,))


def bucket(gcs: GcsSettings, identity: StackIdentity) -> dict[str, Any]:
    """The hardening the operator never sets itself: uniform access, public access prevention,
    the multipart cleanup rule, labels; the customer key as the default."""
    inputs: dict[str, Any] = {
        "name": bucket_name(gcs, identity),
        "location": location(gcs),
        "uniformBucketLevelAccess": True,
        "publicAccessPrevention": "enforced",
        "lifecycleRules": lifecycle_rules(),
        "labels": labels(gcs, identity),
        "forceDestroy": False,
    }
    if gcs.project_id:
        inputs["project"] = gcs.project_id
    if gcs.key_id:
        inputs["encryption"] = {"defaultKmsKeyName": gcs.key_id}
    return inputs


def _bucket_steps(gcs: GcsSettings, identity: StackIdentity) -> list[Step]:
    steps: list[Step] = []
    if gcs.key_id:
        # The project's Cloud Storage service agent may use the key before the bucket names it: without
        # this grant every write fails. It lives as long as the bucket.
        agent_args = {"project": gcs.project_id} if gcs.project_id else {}
        steps += [
            Lookup("storage-agent", "gcp:storage/getProjectServiceAccount:getProjectServiceAccount", agent_args),
            Object(
                "kms-agent",
                "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember",
                {"cryptoKeyId": gcs.key_id, "role": KMS_ROLE, "member": _member(Ref("storage-agent", "emailAddress"))},
                holds_images=True,
            ),
        ]
    steps.append(
        Object(
            "bucket",
            "gcp:storage/bucket:Bucket",
            bucket(gcs, identity),
            holds_images=True,
            ready=True,
            import_ignore=IMPORT_IGNORE,
            depends_on=("kms-agent",) if gcs.key_id else (),
        )
    )
    return steps


def _account_steps(gcs: GcsSettings, identity: StackIdentity, bucket_ref: Any) -> list[Step]:
    """The account, its two roles on this bucket only (created or adopted alike), and its key."""
    account: dict[str, Any] = {
        "accountId": service_account_id(gcs, identity),
        "displayName": f"OpenShift image registry ({identity.project}/{identity.stack})",
    }
    if gcs.project_id:
        account["project"] = gcs.project_id
    member = _member(Ref("account", "email"))
    return [
        Object("account", "gcp:serviceaccount/account:Account", account, outputs=("email", "name")),
        # Only its bucket, created or adopted alike: nothing project-wide.
        *(
            Object(
                name,
                "gcp:storage/bucketIAMMember:BucketIAMMember",
                {"bucket": bucket_ref, "role": role, "member": member},
                ready=True,
            )
            for name, role in (("object-access", OBJECT_ROLE), ("bucket-read", BUCKET_READ_ROLE))
        ),
        Object(
            "key",
            "gcp:serviceaccount/key:Key",
            {"serviceAccountId": Ref("account", "name")},
            outputs=("privateKey",),
            secret_outputs=("privateKey",),
        ),
    ]


WORKLOAD_IDENTITY_USER = "roles/iam.workloadIdentityUser"
DEFAULT_PROVIDER = "openshift"


def pool_id(gcs: GcsSettings, identity: StackIdentity) -> str:
    """Configured, else ``reg-`` and a hash of project and stack: 4-32 characters, the same on every run.
    A deleted pool's id stays reserved for about 30 days: after a destroy, name a new one."""
    if gcs.workload_identity_pool:
        return gcs.workload_identity_pool
    return "reg-" + hashlib.sha256(f"{identity.project}/{identity.stack}".encode()).hexdigest()[:12]


def provider_id(gcs: GcsSettings) -> str:
    return gcs.workload_identity_provider or DEFAULT_PROVIDER


def external_account(project_number: str, pool: str, provider: str, email: str) -> str:
    """The credential file ccoctl writes into ``installer-cloud-credentials`` key ``service_account.json``:
    the projected token, exchanged at Google's STS, impersonating the registry's service account."""
    return json.dumps(
        {
            "type": "external_account",
            "audience": (
                f"//iam.googleapis.com/projects/{project_number}/locations/global/workloadIdentityPools/"
                f"{pool}/providers/{provider}"
            ),
            "subject_token_type": "urn:ietf:params:oauth:token-type:jwt",
            "token_url": "https://sts.googleapis.com/v1/token",
            "service_account_impersonation_url": (
                f"https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/{email}:generateAccessToken"
            ),
            "credential_source": {"file": TOKEN_FILE, "format": {"type": "text"}},
        },
        indent=2,
        sort_keys=True,
    )


def _workload_identity_steps(gcs: GcsSettings, identity: StackIdentity) -> list[Step]:
    """A pool and OIDC provider for the cluster's issuer (audience ``openshift``), and the right to
    impersonate the registry's service account for exactly the two service accounts' subjects."""
    issuer = identity.service_account_issuer
    assert issuer is not None, "checked before: keyless modes need the cluster's issuer"
    pool, provider = pool_id(gcs, identity), provider_id(gcs)
    project = {"project": gcs.project_id} if gcs.project_id else {}
    steps: list[Step] = [
        Lookup(
            "project",
            "gcp:organizations/getProject:getProject",
            {"projectId": gcs.project_id} if gcs.project_id else {},
        ),
        Object(
            "wif-pool",
            "gcp:iam/workloadIdentityPool:WorkloadIdentityPool",
            {"workloadIdentityPoolId": pool, "displayName": "OpenShift image registry", **project},
        ),
        Object(
            "wif-provider",
            "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider",
            {
                "workloadIdentityPoolId": Ref("wif-pool", "workloadIdentityPoolId"),
                "workloadIdentityPoolProviderId": provider,
                "attributeMapping": {"google.subject": "assertion.sub"},
                "oidc": {"issuerUri": issuer, "allowedAudiences": [TOKEN_AUDIENCE]},
                **project,
            },
            ready=True,
        ),
    ]
    for index, subject in enumerate(TOKEN_SUBJECTS):
        principal = Derived(
            lambda number, subject=subject: (
                f"principal://iam.googleapis.com/projects/{number}/locations/global/workloadIdentityPools/"
                f"{pool}/subject/{subject}"
            ),
            (Ref("project", "number"),),
        )
        steps.append(
            Object(
                f"wif-user-{('operator', 'registry')[index]}",
                "gcp:serviceaccount/iAMMember:IAMMember",
                {"serviceAccountId": Ref("account", "name"), "role": WORKLOAD_IDENTITY_USER, "member": principal},
                ready=True,
                depends_on=("wif-provider",),
            )
        )
    return steps


def _decoded(encoded: str) -> str:
    """The provider returns the key file base64-encoded; the operator wants the JSON itself."""
    return base64.b64decode(encoded).decode("utf-8")


def plan(gcs: GcsSettings, identity: StackIdentity, secrets: SecretSettings, registry: RegistrySettings) -> Plan:
    steps: list[Step] = _bucket_steps(gcs, identity) if gcs.creates_bucket else []
    bucket_ref: Any = Ref("bucket", "name") if gcs.creates_bucket else bucket_name(gcs, identity)
    if gcs.credential_mode == "workloadIdentity":
        steps += [s for s in _account_steps(gcs, identity, bucket_ref) if s.name != "key"]
        steps += _workload_identity_steps(gcs, identity)
        pool, provider = pool_id(gcs, identity), provider_id(gcs)
        credential = Derived(
            lambda number, email: external_account(number, pool, provider, email),
            (Ref("project", "number"), Ref("account", "email")),
        )
        return Plan(
            steps=tuple(steps),
            credentials={"service_account.json": Secret(credential)},
            exports={"bucketName": bucket_name(gcs, identity), "region": gcs.region, "workloadIdentityPool": pool},
        )
    if gcs.credential_mode == "serviceAccount":
        steps += _account_steps(gcs, identity, bucket_ref)
        key_file: Any = Secret(Derived(_decoded, (Ref("key", "privateKey"),)))
    else:
        assert secrets.gcs_key_file is not None
        key_file = Secret(secrets.gcs_key_file.get_secret_value())
    return Plan(
        steps=tuple(steps),
        credentials={"REGISTRY_STORAGE_GCS_KEYFILE": key_file},
        exports={"bucketName": bucket_name(gcs, identity), "region": gcs.region},
    )


SPEC = StorageSpec(cr_storage=cr_storage, plan=plan)
