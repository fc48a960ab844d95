"""S3 (or S3-compatible) registry storage."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

import pulumi

from components.resources.kube import kube_object
from components.resources.lifecycle import needed
from components.settings.stack import StackSettings
from components.specs import s3 as spec
from components.specs.naming import CONFIG_NAMESPACE, s3_bucket_arn

if TYPE_CHECKING:
    import pulumi_aws


class S3Storage(pulumi.ComponentResource):
    """An S3 bucket set up as the operator would, plus the registry's own credentials.

    Creates, unless the bucket is adopted or lives on an S3-compatible endpoint: the bucket
    (protected in production, never force-destroyed), its default encryption, public access
    block, object ownership, TLS-only policy and multipart-cleanup lifecycle rule. With
    ``credentials: iamUser``: an IAM user, its least-privilege inline policy and an access key.
    With ``secretConfig``: nothing; the key pair comes from secret config.
    """

    def __init__(self, name: str, *, stack: StackSettings, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("openshift-registry:storage:S3Storage", name, None, opts)
        s3 = stack.storage.s3
        assert s3 is not None and s3.region is not None
        self._stack = stack
        self.bucket_name = spec.bucket_name(stack)
        self.bucket_arn = s3_bucket_arn(self.bucket_name, s3.region)
        self.bucket: pulumi_aws.s3.Bucket | None = None
        self.ready: list[pulumi.Resource] = []
        if s3.creates_bucket:
            self._create_bucket(name, stack)
        if s3.credential_source == "iamUser":
            self.credentials = self._create_user(name, stack)
        else:
            secrets = stack.secrets
            assert secrets.s3_access_key is not None and secrets.s3_secret_key is not None
            self.credentials = {
                "REGISTRY_STORAGE_S3_ACCESSKEY": pulumi.Output.secret(secrets.s3_access_key.get_secret_value()),
                "REGISTRY_STORAGE_S3_SECRETKEY": pulumi.Output.secret(secrets.s3_secret_key.get_secret_value()),
            }
        self.ca_bundle = None
        if s3.ca_bundle:
            self.ca_bundle = self._create_ca_bundle(name, s3.ca_bundle)
            self.ready = [*self.ready, self.ca_bundle]
        self.exports: dict[str, Any] = {
            "bucketName": self.bucket_name,
            "bucketArn": None if s3.compatible_endpoint else self.bucket_arn,
            "region": s3.region,
            "regionEndpoint": s3.region_endpoint,
        }
        self.register_outputs({"bucketName": self.bucket_name, "bucketArn": self.bucket_arn})

    def _create_ca_bundle(self, name: str, bundle: str) -> pulumi.Resource:
        """The endpoint's CA in ``openshift-config`` under ``ca-bundle.crt``, as ``s3.trustedCA`` expects."""
        return kube_object(
            f"{name}-ca-bundle",
            api_version="v1",
            kind="ConfigMap",
            fields={
                "metadata": {"name": spec.STORAGE_CA_CONFIGMAP, "namespace": CONFIG_NAMESPACE},
                "data": {spec.STORAGE_CA_KEY: bundle},
            },
            opts=needed(self._stack, self),
        )

    def _create_bucket(self, name: str, stack: StackSettings) -> None:
        import pulumi_aws as aws  # only stacks that create AWS resources pay for the SDK

        region = stack.storage.s3.region if stack.storage.s3 else None
        # The bucket's hardening stays with the retained bucket: a kept bucket must not turn public.
        child = needed(stack, self)
        self.bucket = aws.s3.Bucket(
            f"{name}-bucket",
            bucket=self.bucket_name,
            region=region,
            force_destroy=False,
            tags=spec.tags(stack),
            opts=needed(stack, self, holds_images=True),
        )
        bucket = self.bucket.id
        self.public_access_block = aws.s3.BucketPublicAccessBlock(
            f"{name}-public-access-block",
            bucket=bucket,
            region=region,
            **_snake(spec.public_access_block()),
            opts=child,
        )
        self.ownership = aws.s3.BucketOwnershipControls(
            f"{name}-ownership",
            bucket=bucket,
            region=region,
            rule={"objectOwnership": "BucketOwnerEnforced"},
            opts=child,
        )
        self.encryption = aws.s3.BucketServerSideEncryptionConfiguration(
            f"{name}-encryption", bucket=bucket, region=region, rules=spec.encryption_rules(stack), opts=child
        )
        self.lifecycle = aws.s3.BucketLifecycleConfiguration(
            f"{name}-lifecycle", bucket=bucket, region=region, rules=spec.lifecycle_rules(), opts=child
        )
        self.policy = aws.s3.BucketPolicy(
            f"{name}-tls-only",
            bucket=bucket,
            region=region,
            policy=json.dumps(spec.tls_only_policy(self.bucket_arn), sort_keys=True),
            opts=child,
        )
        self.ready = [
            self.bucket,
            self.public_access_block,
            self.ownership,
            self.encryption,
            self.lifecycle,
            self.policy,
        ]

    def _create_user(self, name: str, stack: StackSettings) -> dict[str, pulumi.Output[str]]:
        import pulumi_aws as aws

        s3 = stack.storage.s3
        assert s3 is not None
        child = needed(stack, self)
        kms_arn: pulumi.Input[str | None] = None
        if s3.key_id:
            # An IAM policy grants on a key ARN only: an alias, alias ARN or key id is resolved to the
            # ARN of the key it names (the bucket's default encryption keeps the form the user gave).
            kms_arn = (
                s3.key_id
                if s3.kms_key_is_arn
                else aws.kms.get_key_output(
                    key_id=s3.key_id, region=s3.region, opts=pulumi.InvokeOutputOptions(parent=self)
                ).arn
            )
        tagging = bool(s3.cluster_resource_tags)
        self.user = aws.iam.User(f"{name}-user", name=spec.user_name(stack), tags=spec.tags(stack), opts=child)
        self.user_policy = aws.iam.UserPolicy(
            f"{name}-user-policy",
            user=self.user.name,
            policy=pulumi.Output.from_input(kms_arn).apply(
                lambda arn: json.dumps(spec.registry_user_policy(self.bucket_arn, arn, tagging=tagging), sort_keys=True)
            ),
            opts=child,
        )
        self.access_key = aws.iam.AccessKey(f"{name}-access-key", user=self.user.name, opts=child)
        # The registry must not use the key before its policy exists; waiting here rather than in
        # the key keeps the chain user -> key -> secret -> Config patch at four.
        self.ready = [*self.ready, self.user_policy]
        return {
            "REGISTRY_STORAGE_S3_ACCESSKEY": pulumi.Output.secret(self.access_key.id),
            "REGISTRY_STORAGE_S3_SECRETKEY": pulumi.Output.secret(self.access_key.secret),
        }


def _snake(values: dict[str, Any]) -> dict[str, Any]:
    return {re.sub(r"([A-Z])", lambda m: "_" + m.group(1).lower(), k): v for k, v in values.items()}
