"""The AWS resources carry exactly the settings the documentation and the operator call for."""

from __future__ import annotations

import json

import pytest

from components.names import derived_bucket_name
from components.specs.kube import PATCH_ANNOTATIONS
from components.storage.s3 import spec
from components.storage.s3.spec import iam_user_name
from tests.support import by_type, cloud_sdks_imported, crd_violations, evaluate_config, is_secret, one, reveal

KMS = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
RGW = "http://rook-ceph-rgw-ocs-storagecluster-cephobjectstore.openshift-storage.svc.cluster.local"


@pytest.fixture(scope="module")
def kms_stack():
    return evaluate_config(
        platform="aws",
        storage={"s3": {"bucket": "corp-registry", "region": "us-east-1", "keyID": KMS, "tags": {"team": "platform"}}},
        registry={"replicas": 3, "logLevel": "Debug"},
    )


@pytest.fixture(scope="module")
def sse_s3_stack():
    return evaluate_config(platform="aws", environment="nonproduction", storage={"s3": {"region": "eu-west-1"}})


def test_bucket(kms_stack) -> None:
    bucket = one(kms_stack, "aws:s3/bucket:Bucket")
    assert bucket.inputs == {
        "bucket": "corp-registry",
        "region": "us-east-1",
        "forceDestroy": False,
        "tags": {
            "app.kubernetes.io/part-of": "openshift-image-registry",
            "pulumi:project": "openshift-registry",
            "pulumi:stack": "test",
            "team": "platform",
        },
    }
    assert bucket.protect is True


def test_bucket_is_not_protected_outside_production(sse_s3_stack) -> None:
    bucket = one(sse_s3_stack, "aws:s3/bucket:Bucket")
    assert bucket.protect is False and bucket.inputs["forceDestroy"] is False
    assert bucket.inputs["bucket"] == "openshift-registry-test"


def test_lifecycle_rule(kms_stack) -> None:
    rules = one(kms_stack, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs["rules"]
    assert rules == [
        {
            "id": "cleanup-incomplete-multipart-registry-uploads",
            "status": "Enabled",
            "filter": {"prefix": ""},
            "abortIncompleteMultipartUpload": {"daysAfterInitiation": 1},
        }
    ]


def test_kms_encryption_with_bucket_key(kms_stack) -> None:
    sse = one(kms_stack, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration")
    assert sse.inputs["rules"] == [
        {
            "applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": KMS},
            "bucketKeyEnabled": True,
        }
    ]


def test_s3_managed_encryption(sse_s3_stack) -> None:
    sse = one(sse_s3_stack, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration")
    assert sse.inputs["rules"] == [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}]
    assert sse.inputs["region"] == "eu-west-1"


def test_public_access_block_ownership_and_tls_policy(kms_stack) -> None:
    block = one(kms_stack, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs
    assert {k: block[k] for k in spec.public_access_block()} == dict.fromkeys(spec.public_access_block(), True)
    assert len(spec.public_access_block()) == 4
    ownership = one(kms_stack, "aws:s3/bucketOwnershipControls:BucketOwnershipControls").inputs
    assert ownership["rule"] == {"objectOwnership": "BucketOwnerEnforced"}
    policy = json.loads(one(kms_stack, "aws:s3/bucketPolicy:BucketPolicy").inputs["policy"])
    (statement,) = policy["Statement"]
    assert statement["Effect"] == "Deny" and statement["Action"] == "s3:*" and statement["Principal"] == "*"
    assert statement["Resource"] == ["arn:aws:s3:::corp-registry", "arn:aws:s3:::corp-registry/*"]
    assert statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_every_bucket_setting_targets_the_bucket(kms_stack) -> None:
    bucket = one(kms_stack, "aws:s3/bucket:Bucket")
    configs = [r for r in kms_stack.registrations if r.type.startswith("aws:s3/") and r is not bucket]
    assert len(configs) == 5
    for config in configs:
        assert config.inputs["bucket"] == "corp-registry-placeholder-id" and bucket.urn in config.depends_on


def test_iam_policy_grants_nothing_beyond_the_list(kms_stack) -> None:
    policy = json.loads(one(kms_stack, "aws:iam/userPolicy:UserPolicy").inputs["policy"])
    granted = {(action, s["Resource"]) for s in policy["Statement"] for action in s["Action"]}
    assert all(s["Effect"] == "Allow" for s in policy["Statement"])
    assert granted == {
        ("s3:ListBucket", "arn:aws:s3:::corp-registry"),
        ("s3:GetBucketLocation", "arn:aws:s3:::corp-registry"),
        ("s3:ListBucketMultipartUploads", "arn:aws:s3:::corp-registry"),
        ("s3:GetObject", "arn:aws:s3:::corp-registry/*"),
        ("s3:PutObject", "arn:aws:s3:::corp-registry/*"),
        ("s3:DeleteObject", "arn:aws:s3:::corp-registry/*"),
        ("s3:ListMultipartUploadParts", "arn:aws:s3:::corp-registry/*"),
        ("s3:AbortMultipartUpload", "arn:aws:s3:::corp-registry/*"),
        # SSE-KMS needs exactly these two: data keys for writes, their decryption for reads and parts.
        ("kms:GenerateDataKey", KMS),
        ("kms:Decrypt", KMS),
    }


def test_no_kms_actions_without_a_key(sse_s3_stack) -> None:
    policy = one(sse_s3_stack, "aws:iam/userPolicy:UserPolicy").inputs["policy"]
    assert "kms:" not in policy


@pytest.mark.parametrize(
    "key_id",
    ["alias/registry", "arn:aws:kms:eu-west-1:111122223333:alias/registry", "1234abcd-12ab-34cd-56ef-1234567890ab"],
)
def test_every_other_key_form_is_resolved_to_its_key_arn_for_the_policy(key_id: str) -> None:
    """An alias, alias ARN or key id in an IAM policy's Resource grants nothing: pushes would fail."""
    evaluation = evaluate_config(platform="aws", storage={"s3": {"region": "eu-west-1", "keyID": key_id}})
    policy = json.loads(one(evaluation, "aws:iam/userPolicy:UserPolicy").inputs["policy"])
    (kms,) = [s for s in policy["Statement"] if s["Sid"] == "RegistryKmsKey"]
    assert kms["Resource"].startswith("arn:aws:kms:eu-west-1:111122223333:key/mock-")
    assert "alias" not in kms["Resource"].split(":key/")[0]
    # The bucket's default encryption and the Config keep the user's form: S3 accepts every one.
    sse = one(evaluation, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration")
    assert sse.inputs["rules"][0]["applyServerSideEncryptionByDefault"]["kmsMasterKeyId"] == key_id
    config = one(evaluation, "kubernetes:imageregistry.operator.openshift.io/v1:ConfigPatch")
    assert config.inputs["spec"]["storage"]["s3"]["keyID"] == key_id


def test_a_key_arn_is_used_as_it_is_without_a_lookup(kms_stack) -> None:
    policy = json.loads(one(kms_stack, "aws:iam/userPolicy:UserPolicy").inputs["policy"])
    assert policy["Statement"][2]["Resource"] == KMS


def test_cluster_resource_tags_are_carried_and_the_registry_may_tag_its_bucket() -> None:
    """The tag controller (awstagcontroller.go, syncTags) gets and puts the bucket's tags with the
    registry's credentials: granted on this bucket only, and the bucket carries the same tags so
    Pulumi and the operator agree."""
    evaluation = evaluate_config(
        platform="aws",
        storage={"s3": {"bucket": "b-registry", "region": "us-east-1", "clusterResourceTags": {"cc": "42"}}},
    )
    assert one(evaluation, "aws:s3/bucket:Bucket").inputs["tags"]["cc"] == "42"
    policy = json.loads(one(evaluation, "aws:iam/userPolicy:UserPolicy").inputs["policy"])
    (bucket,) = [s for s in policy["Statement"] if s["Sid"] == "RegistryBucket"]
    assert {"s3:GetBucketTagging", "s3:PutBucketTagging"} <= set(bucket["Action"])
    assert bucket["Resource"] == "arn:aws:s3:::b-registry"


def test_no_tagging_without_cluster_resource_tags(kms_stack) -> None:
    assert "Tagging" not in one(kms_stack, "aws:iam/userPolicy:UserPolicy").inputs["policy"]


def test_iam_user_and_key(kms_stack) -> None:
    user = one(kms_stack, "aws:iam/user:User")
    assert user.inputs["name"] == "corp-registry-registry"
    key = one(kms_stack, "aws:iam/accessKey:AccessKey")
    assert key.inputs == {"user": "corp-registry-registry"}


def test_secret_holds_exactly_the_two_keys_as_secrets(kms_stack) -> None:
    secret = one(kms_stack, "kubernetes:core/v1:Secret")
    assert secret.inputs["metadata"]["name"] == "image-registry-private-configuration-user"
    assert secret.inputs["metadata"]["namespace"] == "openshift-image-registry"
    assert secret.inputs["type"] == "Opaque"
    data = secret.inputs["stringData"]
    assert is_secret(data) or all(is_secret(v) for v in data.values())
    assert sorted(reveal(data)) == ["REGISTRY_STORAGE_S3_ACCESSKEY", "REGISTRY_STORAGE_S3_SECRETKEY"]
    assert reveal(data)["REGISTRY_STORAGE_S3_SECRETKEY"] == "mock-secret-access-key"
    assert "data" not in secret.inputs


def test_config_patch(kms_stack) -> None:
    patch = one(kms_stack, "kubernetes:imageregistry.operator.openshift.io/v1:ConfigPatch")
    assert patch.inputs["apiVersion"] == "imageregistry.operator.openshift.io/v1"
    assert patch.inputs["kind"] == "Config"
    assert patch.inputs["metadata"] == {"name": "cluster", "annotations": PATCH_ANNOTATIONS}
    assert patch.retain_on_delete is True and patch.protect is False
    assert patch.inputs["spec"] == {
        "managementState": "Managed",
        "replicas": 3,
        "logLevel": "Debug",
        "storage": {
            "managementState": "Unmanaged",
            "s3": {"bucket": "corp-registry", "region": "us-east-1", "keyID": KMS, "encrypt": True},
        },
    }
    assert crd_violations("configs", patch.inputs) == []


def test_config_patch_waits_for_finished_storage_and_secret(kms_stack) -> None:
    patch = one(kms_stack, "kubernetes:imageregistry.operator.openshift.io/v1:ConfigPatch")
    waited = {r.type.split(":")[-1] for r in kms_stack.registrations if r.urn in patch.depends_on}
    assert waited >= {
        "Bucket",
        "BucketPublicAccessBlock",
        "BucketOwnershipControls",
        "BucketServerSideEncryptionConfiguration",
        "BucketLifecycleConfiguration",
        "BucketPolicy",
        "UserPolicy",
        "Secret",
    }


def test_exports(kms_stack) -> None:
    assert kms_stack.outputs["bucketName"] == "corp-registry"
    assert kms_stack.outputs["bucketArn"] == "arn:aws:s3:::corp-registry"
    assert kms_stack.outputs["region"] == "us-east-1"
    assert kms_stack.outputs["credentialSecret"] == "image-registry-private-configuration-user"
    assert kms_stack.outputs["registryConfigSpec"]["storage"]["managementState"] == "Unmanaged"


def test_http_secret_is_secret_in_the_patch_and_redacted_in_exports() -> None:
    evaluation = evaluate_config(
        platform="aws", storage={"s3": {"region": "us-east-1"}}, secrets={"httpSecret": "planted-http-secret"}
    )
    spec_input = one(evaluation, "kubernetes:imageregistry.operator.openshift.io/v1:ConfigPatch").inputs["spec"]
    assert is_secret(spec_input) or is_secret(spec_input["httpSecret"])
    assert reveal(spec_input)["httpSecret"] == "planted-http-secret"
    assert "planted-http-secret" not in json.dumps(evaluation.outputs)
    assert evaluation.outputs["registryConfigSpec"]["httpSecret"] == "[secret]"


def test_gov_cloud_partition_in_arns() -> None:
    evaluation = evaluate_config(platform="aws", storage={"s3": {"bucket": "gov-registry", "region": "us-gov-west-1"}})
    policy = json.loads(one(evaluation, "aws:iam/userPolicy:UserPolicy").inputs["policy"])
    assert policy["Statement"][0]["Resource"] == "arn:aws-us-gov:s3:::gov-registry"


def test_adopted_bucket_creates_no_bucket_but_still_a_user() -> None:
    evaluation = evaluate_config(
        platform="aws", storage={"s3": {"bucket": "existing", "region": "us-east-1", "adopt": True}}
    )
    assert not [r for r in evaluation.registrations if r.type.startswith("aws:s3/")]
    assert len(by_type(evaluation, "aws:iam/user:User")) == 1


def test_compatible_endpoint_creates_nothing_in_aws() -> None:
    evaluation = evaluate_config(
        platform="baremetal",
        storage={"s3": {"bucket": "rgw", "region": "us-east-1", "regionEndpoint": RGW, "virtualHostedStyle": False}},
        secrets={"s3AccessKey": "planted-access", "s3SecretKey": "planted-secret"},
    )
    assert not [r for r in evaluation.registrations if r.type.startswith("aws:")]
    secret = reveal(one(evaluation, "kubernetes:core/v1:Secret").inputs["stringData"])
    assert secret == {
        "REGISTRY_STORAGE_S3_ACCESSKEY": "planted-access",
        "REGISTRY_STORAGE_S3_SECRETKEY": "planted-secret",
    }
    patch = one(evaluation, "kubernetes:imageregistry.operator.openshift.io/v1:ConfigPatch")
    assert patch.inputs["spec"]["storage"]["s3"] == {
        "bucket": "rgw",
        "region": "us-east-1",
        "regionEndpoint": RGW,
        "virtualHostedStyle": False,
    }
    assert "bucketArn" not in evaluation.outputs
    assert "planted" not in json.dumps(evaluation.outputs)


def test_critical_path_is_at_most_four(kms_stack) -> None:
    by_urn = {r.urn: r for r in kms_stack.registrations if r.custom}

    def depth(urn: str) -> int:
        return 1 + max((depth(d) for d in by_urn[urn].depends_on if d in by_urn), default=0)

    assert max(depth(u) for u in by_urn) <= 4


@pytest.mark.parametrize(
    ("project", "stack", "expected"),
    [
        ("openshift-registry", "aws-prod", "openshift-registry-aws-prod"),
        ("My_Project", "Prod.EU", "my-project-prod-eu"),
        ("p" * 40, "s" * 40, "p" * 40 + "-" + "s" * 22),
        ("a", "", "a-registry"),
    ],
)
def test_derived_bucket_names_are_valid_and_deterministic(project: str, stack: str, expected: str) -> None:
    name = derived_bucket_name(project, stack)
    assert name == expected and len(name) <= 63 and name == derived_bucket_name(project, stack)


def test_iam_user_name_fits_iam_limit() -> None:
    assert len(iam_user_name("b" * 63)) <= 64


def test_aws_stack_imports_no_cloud_sdk() -> None:
    """Objects are registered by type token (resources/provider_object.py): not even pulumi_aws is imported."""
    assert cloud_sdks_imported("aws-prod") == []
