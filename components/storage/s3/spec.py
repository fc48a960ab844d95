"""What an S3 bucket for the registry looks like, as the AWS provider receives it.

These mirror what the image-registry operator applies when it manages a bucket itself
(lifecycle rule id, encryption, public access block), plus the hardening a platform team expects.
"""

from __future__ import annotations

import json
from typing import Any

from components.identity import StackIdentity
from components.names import (
    CONFIG_NAMESPACE,
    REGISTRY_NAMESPACE,
    TOKEN_AUDIENCE,
    TOKEN_FILE,
    TOKEN_SUBJECTS,
    aws_partition,
    derived_bucket_name,
)
from components.settings.registry import RegistrySettings
from components.settings.secrets import SecretSettings
from components.specs.objects import Derived, Lookup, Object, Plan, Ref, Secret, Step
from components.specs.storage import StorageSpec
from components.storage.s3.settings import CLOUD_FRONT_KEY, CLOUD_FRONT_SECRET, OWN_TAGS, S3Settings

# The endpoint's CA for the operator's and the registry's S3 calls (``s3.trustedCA``, OpenShift 4.11+).
STORAGE_CA_CONFIGMAP = "image-registry-s3-ca-bundle"
STORAGE_CA_KEY = "ca-bundle.crt"
LIFECYCLE_RULE_ID = "cleanup-incomplete-multipart-registry-uploads"
# The CloudFront private key's Secret in openshift-image-registry, made from s3CloudFrontPrivateKey.

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


ACCESS_KEY_SECRET_OUTPUTS = ("secret", "sesSmtpPasswordV4")


def bucket_name(s3: S3Settings, identity: StackIdentity) -> str:
    return s3.bucket or derived_bucket_name(identity.project, identity.stack)


def user_name(s3: S3Settings, identity: StackIdentity) -> str:
    return s3.iam_user_name or iam_user_name(bucket_name(s3, identity))


def tags(s3: S3Settings, identity: StackIdentity) -> dict[str, str]:
    return {
        OWN_TAGS[0]: "openshift-image-registry",
        OWN_TAGS[1]: identity.project,
        OWN_TAGS[2]: identity.stack,
        **s3.tags,
        **s3.cluster_resource_tags,
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


def encryption_rules(s3: S3Settings) -> list[dict[str, Any]]:
    """The user's form of the key: S3 accepts a key ARN, an alias ARN, alias/NAME or a key id."""
    if s3.key_id:
        return [
            {
                "applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": s3.key_id},
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


def cr_storage(s3: S3Settings, identity: StackIdentity) -> dict[str, Any]:
    """``spec.storage.s3`` for the Config CR."""
    block: dict[str, Any] = {"bucket": bucket_name(s3, identity), "region": s3.region}
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
        block["cloudFront"] = dict(s3.cloud_front)
        if "privateKey" not in block["cloudFront"]:
            block["cloudFront"]["privateKey"] = {"name": CLOUD_FRONT_SECRET, "key": CLOUD_FRONT_KEY}
    return block


def cloud_front_secret(private_key: str) -> dict[str, Any]:
    """The CloudFront key pair's private key where the registry mounts it (a secret end to end)."""
    return {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": CLOUD_FRONT_SECRET, "namespace": REGISTRY_NAMESPACE},
        "type": "Opaque",
        "stringData": Secret({CLOUD_FRONT_KEY: private_key}),
    }


def _bucket_steps(s3: S3Settings, identity: StackIdentity, bucket_arn: str) -> list[Step]:
    """The bucket set up as the operator would, plus public access block, ownership and TLS only.

    The hardening stays with the retained bucket: a kept bucket must not turn public.
    """
    bucket, region = Ref("bucket"), s3.region
    return [
        Object(
            "bucket",
            "aws:s3/bucket:Bucket",
            {"bucket": bucket_name(s3, identity), "region": region, "forceDestroy": False, "tags": tags(s3, identity)},
            holds_images=True,
            ready=True,
            import_ignore=("tags",),
        ),
        Object(
            "public-access-block",
            "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
            {"bucket": bucket, "region": region, **public_access_block()},
            ready=True,
        ),
        Object(
            "ownership",
            "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
            {"bucket": bucket, "region": region, "rule": {"objectOwnership": "BucketOwnerEnforced"}},
            ready=True,
        ),
        Object(
            "encryption",
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            {"bucket": bucket, "region": region, "rules": encryption_rules(s3)},
            ready=True,
        ),
        Object(
            "lifecycle",
            "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
            {"bucket": bucket, "region": region, "rules": lifecycle_rules()},
            ready=True,
        ),
        Object(
            "tls-only",
            "aws:s3/bucketPolicy:BucketPolicy",
            {"bucket": bucket, "region": region, "policy": json.dumps(tls_only_policy(bucket_arn), sort_keys=True)},
            ready=True,
        ),
    ]


def _registry_policy(s3: S3Settings, bucket_arn: str) -> tuple[list[Step], Any]:
    """The registry's policy, user or role alike. No key, or a key ARN: known now. Any other form of
    key: once it is looked up (an IAM policy grants on a key ARN only)."""
    tagging = bool(s3.cluster_resource_tags)
    if not s3.key_id or s3.kms_key_is_arn:
        return [], json.dumps(registry_user_policy(bucket_arn, s3.key_id, tagging=tagging), sort_keys=True)
    lookup = Lookup("kms-key", "aws:kms/getKey:getKey", {"keyId": s3.key_id, "region": s3.region})
    policy = Derived(
        lambda arn: json.dumps(registry_user_policy(bucket_arn, arn, tagging=tagging), sort_keys=True),
        (Ref("kms-key", "arn"),),
    )
    return [lookup], policy


def _user_steps(s3: S3Settings, identity: StackIdentity, bucket_arn: str) -> list[Step]:
    """A dedicated IAM user whose only policy is this bucket (and its KMS key), and its access key.

    An IAM policy grants on a key ARN only: an alias, alias ARN or key id is looked up first (the
    bucket's default encryption keeps the form the user gave). The registry must not use the key
    before its policy exists; the Config waits for the policy rather than the key, which keeps
    the chain user -> key -> secret -> Config at four.
    """
    steps, policy = _registry_policy(s3, bucket_arn)
    steps += [
        Object("user", "aws:iam/user:User", {"name": user_name(s3, identity), "tags": tags(s3, identity)}),
        Object(
            "user-policy", "aws:iam/userPolicy:UserPolicy", {"user": Ref("user", "name"), "policy": policy}, ready=True
        ),
        Object(
            "access-key",
            "aws:iam/accessKey:AccessKey",
            {"user": Ref("user", "name")},
            outputs=("secret",),
            secret_outputs=ACCESS_KEY_SECRET_OUTPUTS,
        ),
    ]
    return steps


def role_name(s3: S3Settings, identity: StackIdentity) -> str:
    return s3.role_name or iam_user_name(bucket_name(s3, identity))


def trust_policy(provider_arn: str, issuer: str) -> dict[str, Any]:
    """Only the registry's and the operator's service accounts, through the cluster's OIDC provider,
    as ccoctl's create-iam-roles writes it (``StringEquals`` on ``<issuer without https://>:sub``)."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Federated": provider_arn},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": {"StringEquals": {f"{issuer.removeprefix('https://')}:sub": list(TOKEN_SUBJECTS)}},
            }
        ],
    }


def sts_credentials(role_arn: str) -> str:
    """The shared config file ccoctl writes into ``installer-cloud-credentials`` key ``credentials``."""
    return (
        f"[default]\nsts_regional_endpoints = regional\nrole_arn = {role_arn}\nweb_identity_token_file = {TOKEN_FILE}\n"
    )


def _role_steps(s3: S3Settings, identity: StackIdentity, bucket_arn: str) -> list[Step]:
    """An IAM role the registry assumes with its projected token: the same least privilege as the user."""
    issuer = identity.service_account_issuer
    assert issuer is not None, "checked before: keyless modes need the cluster's issuer"
    steps: list[Step] = []
    provider: Any = s3.oidc_provider_arn
    if provider is None:
        # AWS allows one provider per issuer URL: ccoctl usually made it (then name it in oidcProviderArn).
        steps.append(
            Object(
                "oidc-provider",
                "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
                {"url": issuer, "clientIdLists": [TOKEN_AUDIENCE, "sts.amazonaws.com"], "tags": tags(s3, identity)},
                outputs=("arn",),
            )
        )
        provider = Ref("oidc-provider", "arn")
    trust: Any = (
        json.dumps(trust_policy(provider, issuer), sort_keys=True)
        if isinstance(provider, str)
        else Derived(lambda arn: json.dumps(trust_policy(arn, issuer), sort_keys=True), (provider,))
    )
    lookups, policy = _registry_policy(s3, bucket_arn)
    steps += [
        *lookups,
        Object(
            "role",
            "aws:iam/role:Role",
            {"name": role_name(s3, identity), "assumeRolePolicy": trust, "tags": tags(s3, identity)},
            outputs=("arn",),
        ),
        Object(
            "role-policy", "aws:iam/rolePolicy:RolePolicy", {"role": Ref("role", "name"), "policy": policy}, ready=True
        ),
    ]
    return steps


def ca_bundle_configmap(bundle: str) -> dict[str, Any]:
    """The endpoint's CA in ``openshift-config`` under ``ca-bundle.crt``, as ``s3.trustedCA`` expects."""
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": STORAGE_CA_CONFIGMAP, "namespace": CONFIG_NAMESPACE},
        "data": {STORAGE_CA_KEY: bundle},
    }


def plan(s3: S3Settings, identity: StackIdentity, secrets: SecretSettings, registry: RegistrySettings) -> Plan:
    """The bucket (unless adopted or on an S3-compatible endpoint), the registry's credentials
    (an IAM user, or the key pair from secret config) and the endpoint's CA ConfigMap."""
    assert s3.region is not None
    bucket_arn = s3_bucket_arn(bucket_name(s3, identity), s3.region)
    steps: list[Step] = _bucket_steps(s3, identity, bucket_arn) if s3.creates_bucket else []
    if s3.credential_mode == "sts":
        steps += _role_steps(s3, identity, bucket_arn)
        credentials: dict[str, Any] = {"credentials": Secret(Derived(sts_credentials, (Ref("role", "arn"),)))}
    elif s3.credential_mode == "iamUser":
        steps += _user_steps(s3, identity, bucket_arn)
        credentials = {
            "REGISTRY_STORAGE_S3_ACCESSKEY": Secret(Ref("access-key", "id")),
            "REGISTRY_STORAGE_S3_SECRETKEY": Secret(Ref("access-key", "secret")),
        }
    else:
        assert secrets.s3_access_key is not None and secrets.s3_secret_key is not None
        credentials = {
            "REGISTRY_STORAGE_S3_ACCESSKEY": Secret(secrets.s3_access_key.get_secret_value()),
            "REGISTRY_STORAGE_S3_SECRETKEY": Secret(secrets.s3_secret_key.get_secret_value()),
        }
    if s3.ca_bundle:
        steps.append(Object("ca-bundle", "kubernetes:core/v1:ConfigMap", ca_bundle_configmap(s3.ca_bundle), ready=True))
    if s3.cloud_front and secrets.s3_cloud_front_private_key is not None:
        body = cloud_front_secret(secrets.s3_cloud_front_private_key.get_secret_value())
        steps.append(
            Object(
                "cloudfront-key", "kubernetes:core/v1:Secret", body, secret_outputs=("data", "stringData"), ready=True
            )
        )
    exports = {
        "bucketName": bucket_name(s3, identity),
        "bucketArn": None if s3.compatible_endpoint else bucket_arn,
        "region": s3.region,
        "regionEndpoint": s3.region_endpoint,
    }
    return Plan(steps=tuple(steps), credentials=credentials, exports=exports)


SPEC = StorageSpec(cr_storage=cr_storage, plan=plan)


def iam_user_name(bucket: str) -> str:
    """At most 64 characters, as IAM allows."""
    return f"{bucket[:55].rstrip('-.')}-registry"


def s3_bucket_arn(bucket: str, region: str) -> str:
    return f"arn:{aws_partition(region)}:s3:::{bucket}"
