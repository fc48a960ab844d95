"""The policy pack's checks: registry storage that is private, encrypted, TLS-only, cleaned up and kept.

Plain functions with the signatures ``pulumi_policy`` calls (``(args, report_violation)``), so they
are tested with constructed arguments; ``__main__.py`` only wraps them in a ``PolicyPack``. They
read resource inputs as the engine hands them to a policy (camelCase), and follow the companion
resources of an S3 bucket through ``property_dependencies``, since a new bucket's name is
unknown at preview time.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from pulumi_policy import PolicyResource, ResourceValidationArgs, StackValidationArgs

ReportViolation = Callable[..., None]
Check = Callable[..., None]

# The checks of each policy, in the order they are defined: the catalog (catalog.py) gives each policy its
# name's checks from here, so that a check names the policy it serves and nothing else lists them.
GUARDED: dict[str, list[Check]] = {}


def guards(policy: str) -> Callable[[Check], Check]:
    def register(check: Check) -> Check:
        GUARDED.setdefault(policy, []).append(check)
        return check

    return register


S3_BUCKET = "aws:s3/bucket:Bucket"
S3_PUBLIC_ACCESS_BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
S3_ENCRYPTION = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
S3_POLICY = "aws:s3/bucketPolicy:BucketPolicy"
S3_LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"
GCS_BUCKET = "gcp:storage/bucket:Bucket"
AZURE_ACCOUNT = "azure-native:storage:StorageAccount"
AZURE_CONTAINER = "azure-native:storage:BlobContainer"
CLAIM = "kubernetes:core/v1:PersistentVolumeClaim"
SWIFT_CONTAINER = "openstack:objectstorage/container:Container"
REGISTRY_CONFIG_TYPES = (
    "kubernetes:imageregistry.operator.openshift.io/v1:ConfigPatch",
    "kubernetes:imageregistry.operator.openshift.io/v1:Config",
)
IMAGE_STORAGE = (S3_BUCKET, GCS_BUCKET, AZURE_ACCOUNT, AZURE_CONTAINER, CLAIM, SWIFT_CONTAINER)
PUBLIC_ACCESS_SWITCHES = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")

# Policy config (``--policy-pack-config``): {"<policy name>": {"production": false}} for a test stack.
PRODUCTION_SCHEMA = {"production": {"type": "boolean", "default": True}}


def _production(args: ResourceValidationArgs) -> bool:
    return bool(args.get_config().get("production", True))


# Resource checks


@guards("no-public-access")
def s3_public_access_block(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    if args.resource_type != S3_PUBLIC_ACCESS_BLOCK:
        return
    off = [switch for switch in PUBLIC_ACCESS_SWITCHES if args.props.get(switch) is not True]
    if off:
        report_violation(f"public access block with {', '.join(off)} not true: all four switches must be on")


@guards("no-public-access")
def gcs_private(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    if args.resource_type != GCS_BUCKET:
        return
    if args.props.get("publicAccessPrevention") != "enforced":
        report_violation("GCS bucket without publicAccessPrevention: enforced")
    if args.props.get("uniformBucketLevelAccess") is not True:
        report_violation("GCS bucket without uniform bucket-level access: object ACLs could make images public")


@guards("no-public-access")
def swift_private(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    """A Swift container's read ACL ``.r:*`` (or any referrer) makes every image public."""
    if args.resource_type != SWIFT_CONTAINER:
        return
    read = str(args.props.get("containerRead") or "")
    if ".r:" in read or ".rlistings" in read:
        report_violation(f"Swift container readable by others (containerRead {read!r})")


@guards("no-public-access")
def azure_private(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    if args.resource_type == AZURE_ACCOUNT and args.props.get("allowBlobPublicAccess") is not False:
        report_violation("storage account allows public blob access: set allowBlobPublicAccess false")
    if args.resource_type == AZURE_CONTAINER and args.props.get("publicAccess") not in (None, "None"):
        report_violation(f"blob container with public access {args.props.get('publicAccess')!r}: use None")


@guards("azure-tls-and-encryption")
def azure_tls_and_encryption(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    if args.resource_type != AZURE_ACCOUNT:
        return
    if args.props.get("enableHttpsTrafficOnly") is False:
        report_violation("storage account accepts plain HTTP: set enableHttpsTrafficOnly true")
    if args.props.get("minimumTlsVersion") not in ("TLS1_2", "TLS1_3"):
        report_violation("storage account allows TLS older than 1.2: set minimumTlsVersion TLS1_2")
    encryption = args.props.get("encryption") or {}
    if encryption.get("requireInfrastructureEncryption") is not True:
        report_violation("storage account without infrastructure encryption (a second layer at rest)")


@guards("gcs-multipart-cleanup")
def gcs_multipart_cleanup(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    if args.resource_type != GCS_BUCKET:
        return
    rules = args.props.get("lifecycleRules") or []
    if not any((rule.get("action") or {}).get("type") == "AbortIncompleteMultipartUpload" for rule in rules):
        report_violation("GCS bucket without a lifecycle rule aborting incomplete multipart uploads")


@guards("registry-storage-protected")
def storage_protected(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    if args.resource_type not in IMAGE_STORAGE:
        return
    if args.props.get("forceDestroy") is True:
        report_violation("image storage with forceDestroy: deleting it would delete every image in it")
    if _production(args) and not args.opts.protect:
        report_violation(
            "image storage in a production stack must be protected (protect: true); for a nonproduction stack "
            "under the Pulumi CLI, set this policy's production: false in policy/policy-config.json"
        )


@guards("no-empty-dir-in-production")
def no_empty_dir_in_production(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    if args.resource_type not in REGISTRY_CONFIG_TYPES or not _production(args):
        return
    storage = ((args.props.get("spec") or {}).get("storage")) or {}
    if "emptyDir" in storage:
        report_violation(
            "registry on emptyDir in a production stack: every image is lost when the pod restarts. For a "
            "nonproduction stack under the Pulumi CLI, set this policy's production: false in "
            "policy/policy-config.json (python -m policy reads the stack's environment itself)"
        )


# Stack checks: every S3 bucket and its companion resources


def _companions(resources: Iterable[PolicyResource], bucket: PolicyResource, kind: str) -> list[PolicyResource]:
    """Resources of ``kind`` whose ``bucket`` input comes from ``bucket`` (or names it, when known)."""
    name = bucket.props.get("bucket")
    found = []
    for resource in resources:
        if resource.resource_type != kind:
            continue
        sources = resource.property_dependencies.get("bucket") or []
        if any(source.urn == bucket.urn for source in sources) or (name and resource.props.get("bucket") == name):
            found.append(resource)
    return found


def _each_bucket(
    args: StackValidationArgs, kind: str, ok: Callable[[Mapping[str, Any]], bool]
) -> Iterable[tuple[PolicyResource, bool]]:
    """Every S3 bucket, and whether one of its ``kind`` companions passes ``ok``."""
    for bucket in (r for r in args.resources if r.resource_type == S3_BUCKET):
        companions = _companions(args.resources, bucket, kind)
        yield bucket, any(ok(c.props) for c in companions)


@guards("s3-public-access-blocked")
def s3_bucket_public_access_blocked(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    def ok(props: Mapping[str, Any]) -> bool:
        return all(props.get(switch) is True for switch in PUBLIC_ACCESS_SWITCHES)

    for bucket, good in _each_bucket(args, S3_PUBLIC_ACCESS_BLOCK, ok):
        if not good:
            report_violation("S3 bucket without a public access block with all four switches on", bucket.urn)


@guards("s3-encrypted")
def s3_bucket_encrypted(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    def ok(props: Mapping[str, Any]) -> bool:
        rules = props.get("rules") or []
        return any((rule.get("applyServerSideEncryptionByDefault") or {}).get("sseAlgorithm") for rule in rules)

    for bucket, good in _each_bucket(args, S3_ENCRYPTION, ok):
        if not good:
            report_violation("S3 bucket without default encryption (AES256 or aws:kms)", bucket.urn)


@guards("s3-tls-only")
def s3_bucket_tls_only(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    def ok(props: Mapping[str, Any]) -> bool:
        policy = props.get("policy")
        document = json.loads(policy) if isinstance(policy, str) else (policy or {})
        return any(
            statement.get("Effect") == "Deny"
            and str(((statement.get("Condition") or {}).get("Bool") or {}).get("aws:SecureTransport")).lower()
            == "false"
            for statement in document.get("Statement", [])
        )

    for bucket, good in _each_bucket(args, S3_POLICY, ok):
        if not good:
            report_violation("S3 bucket without a policy denying requests that do not use TLS", bucket.urn)


@guards("s3-multipart-cleanup")
def s3_bucket_multipart_cleanup(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    def ok(props: Mapping[str, Any]) -> bool:
        return any(
            rule.get("status") == "Enabled"
            and (rule.get("abortIncompleteMultipartUpload") or {}).get("daysAfterInitiation")
            and not ((rule.get("filter") or {}).get("prefix"))
            for rule in props.get("rules") or []
        )

    for bucket, good in _each_bucket(args, S3_LIFECYCLE, ok):
        if not good:
            report_violation("S3 bucket without an enabled rule aborting incomplete multipart uploads", bucket.urn)


# Keyless credentials

CREDENTIAL_SECRET = "image-registry-private-configuration-user"
ISSUER_ANNOTATION = "openshift-registry/cluster-service-account-issuer"
LONG_LIVED_KEYS = ("aws:iam/accessKey:AccessKey", "gcp:serviceaccount/key:Key")


@guards("no-long-lived-registry-keys")
def no_long_lived_registry_keys(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    """On a cluster with a service account issuer (the program marks the static-key secret with it),
    the registry can use short-lived tokens: long-lived keys for it are flagged."""
    marked = [
        r
        for r in args.resources
        if r.resource_type == "kubernetes:core/v1:Secret"
        and (r.props.get("metadata") or {}).get("name") == CREDENTIAL_SECRET
        and ISSUER_ANNOTATION in ((r.props.get("metadata") or {}).get("annotations") or {})
    ]
    if not marked:
        return
    issuer = marked[0].props["metadata"]["annotations"][ISSUER_ANNOTATION]
    for resource in [*marked, *(r for r in args.resources if r.resource_type in LONG_LIVED_KEYS)]:
        report_violation(
            f"long-lived registry credentials on a cluster with a service account issuer ({issuer}): "
            "use the storage's keyless credential mode",
            resource.urn,
        )
