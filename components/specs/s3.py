"""What an S3 bucket for the registry looks like, as the AWS provider receives it.

These mirror what the image-registry operator applies when it manages a bucket itself
(lifecycle rule id, encryption, public access block), plus the hardening a platform team expects.
"""

from __future__ import annotations

from typing import Any

from components.settings.stack import StackSettings
from components.settings.storage_s3 import S3Settings
from components.specs.naming import derived_bucket_name, iam_user_name

# The endpoint's CA for the operator's and the registry's S3 calls (``s3.trustedCA``, OpenShift 4.11+).
STORAGE_CA_CONFIGMAP = "image-registry-s3-ca-bundle"
STORAGE_CA_KEY = "ca-bundle.crt"
LIFECYCLE_RULE_ID = "cleanup-incomplete-multipart-registry-uploads"

BUCKET_ACTIONS = ("s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads")
OBJECT_ACTIONS = (
    "s3:GetObject",
    "s3:PutObject",
    "s3:DeleteObject",
    "s3:ListMultipartUploadParts",
    "s3:AbortMultipartUpload",
)
# SSE-KMS on the registry's behalf, and nothing more (AWS: "Permissions required to use SSE-KMS"):
KMS_ACTIONS = (
    "kms:GenerateDataKey",  # PutObject and CreateMultipartUpload: S3 asks KMS for each object's data key
    "kms:Decrypt",  # GetObject, UploadPart and CompleteMultipartUpload: S3 decrypts that data key
)
# The operator's AWS tag controller (pkg/operator/awstagcontroller.go, syncTags) reads the bucket's
# tags and writes the cluster's resourceTags into them with the registry's credentials, whatever
# storage.managementState says. Granted only when the stack carries those tags (clusterResourceTags).
TAGGING_ACTIONS = ("s3:GetBucketTagging", "s3:PutBucketTagging")


def bucket_name(stack: StackSettings) -> str:
    s3 = _s3(stack)
    return s3.bucket or derived_bucket_name(stack.project, stack.stack)


def user_name(stack: StackSettings) -> str:
    return _s3(stack).iam_user_name or iam_user_name(bucket_name(stack))


OWN_TAGS = ("app.kubernetes.io/part-of", "pulumi:project", "pulumi:stack")


def tags(stack: StackSettings) -> dict[str, str]:
    return {
        OWN_TAGS[0]: "openshift-image-registry",
        OWN_TAGS[1]: stack.project,
        OWN_TAGS[2]: stack.stack,
        **_s3(stack).tags,
        **_s3(stack).cluster_resource_tags,
    }


def lifecycle_rules() -> list[dict[str, Any]]:
    return [
        {
            "id": LIFECYCLE_RULE_ID,
            "status": "Enabled",
            "filter": {"prefix": ""},
            "abortIncompleteMultipartUpload": {"daysAfterInitiation": 1},
        }
    ]


def encryption_rules(stack: StackSettings) -> list[dict[str, Any]]:
    key_id = _s3(stack).key_id
    if key_id:
        return [
            {
                "applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": key_id},
                "bucketKeyEnabled": True,
            }
        ]
    return [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}]


def public_access_block() -> dict[str, bool]:
    return {
        "blockPublicAcls": True,
        "blockPublicPolicy": True,
        "ignorePublicAcls": True,
        "restrictPublicBuckets": True,
    }


def tls_only_policy(bucket_arn: str) -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "DenyInsecureTransport",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": [bucket_arn, f"{bucket_arn}/*"],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            }
        ],
    }


def registry_user_policy(bucket_arn: str, kms_key_arn: str | None, *, tagging: bool = False) -> dict[str, Any]:
    """Only what the registry needs on this bucket; KMS actions only with a customer key.

    ``kms_key_arn`` must be the key's ARN: an alias, alias ARN or key id in ``Resource`` grants
    nothing. The operator's own credentials request has no KMS actions: without these, pushes to a
    KMS-encrypted bucket fail with HTTP 500.
    """
    bucket_actions = [*BUCKET_ACTIONS, *(TAGGING_ACTIONS if tagging else ())]
    statements: list[dict[str, Any]] = [
        {"Sid": "RegistryBucket", "Effect": "Allow", "Action": bucket_actions, "Resource": bucket_arn},
        {"Sid": "RegistryObjects", "Effect": "Allow", "Action": list(OBJECT_ACTIONS), "Resource": f"{bucket_arn}/*"},
    ]
    if kms_key_arn:
        statements.append(
            {"Sid": "RegistryKmsKey", "Effect": "Allow", "Action": list(KMS_ACTIONS), "Resource": kms_key_arn}
        )
    return {"Version": "2012-10-17", "Statement": statements}


def cr_storage(stack: StackSettings) -> dict[str, Any]:
    """``spec.storage.s3`` for the Config CR."""
    s3 = _s3(stack)
    block: dict[str, Any] = {"bucket": bucket_name(stack), "region": s3.region}
    if s3.region_endpoint:
        block["regionEndpoint"] = s3.region_endpoint
    if s3.virtual_hosted_style is not None:
        block["virtualHostedStyle"] = s3.virtual_hosted_style
    encrypt = True if s3.creates_bucket else s3.encrypt
    if s3.key_id:
        encrypt = True
        block["keyID"] = s3.key_id
    if encrypt is not None:
        block["encrypt"] = encrypt
    if s3.trusted_ca:
        block["trustedCA"] = dict(s3.trusted_ca)
    elif s3.ca_bundle:
        block["trustedCA"] = {"name": STORAGE_CA_CONFIGMAP}
    if s3.chunk_size_mib is not None:
        block["chunkSizeMiB"] = s3.chunk_size_mib
    if s3.cloud_front:
        block["cloudFront"] = s3.cloud_front
    return block


def _s3(stack: StackSettings) -> S3Settings:
    s3 = stack.storage.s3
    assert s3 is not None, "S3 specs need storage.s3"
    return s3
