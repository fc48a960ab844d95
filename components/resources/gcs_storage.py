"""GCS registry storage."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any

import pulumi

from components.resources.lifecycle import needed
from components.settings.stack import StackSettings
from components.specs import gcs as spec

if TYPE_CHECKING:
    import pulumi_gcp


class GcsStorage(pulumi.ComponentResource):
    """A hardened GCS bucket and, by default, a service account that may use only that bucket.

    Creates, unless the bucket is adopted: the bucket (protected in production, never
    force-destroyed) with uniform bucket-level access, public access prevention ``enforced``, the
    multipart-cleanup lifecycle rule and labels; with ``keyID``, the key as the bucket's default
    and the Cloud Storage service agent allowed to use it (without that grant every write fails).
    With ``credentials: serviceAccount``: the account, ``roles/storage.objectAdmin`` and
    ``roles/storage.legacyBucketReader`` (the operator reads the bucket's metadata on every sync) on
    this bucket only (nothing project-wide), for created and adopted buckets alike, and a key whose
    JSON goes into the credential secret.
    """

    def __init__(self, name: str, *, stack: StackSettings, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("openshift-registry:storage:GcsStorage", name, None, opts)
        import pulumi_gcp as gcp

        gcs = stack.storage.gcs
        assert gcs is not None
        self.bucket_name = spec.bucket_name(stack)
        self.bucket: pulumi_gcp.storage.Bucket | None = None
        self.ready: list[pulumi.Resource] = []
        bucket_ref: pulumi.Input[str] = self.bucket_name
        if gcs.creates_bucket:
            self.bucket = self._create_bucket(gcp, name, stack)
            bucket_ref = self.bucket.name
            self.ready.append(self.bucket)
        if gcs.credentials == "serviceAccount":
            self.credentials = self._create_account(gcp, name, stack, bucket_ref)
        else:
            key_file = stack.secrets.gcs_key_file
            assert key_file is not None
            self.credentials = {"REGISTRY_STORAGE_GCS_KEYFILE": pulumi.Output.secret(key_file.get_secret_value())}
        self.exports: dict[str, Any] = {"bucketName": self.bucket_name, "region": gcs.region}
        self.register_outputs({"bucketName": self.bucket_name})

    def _create_bucket(self, gcp: Any, name: str, stack: StackSettings) -> pulumi_gcp.storage.Bucket:
        gcs = stack.storage.gcs
        assert gcs is not None
        depends_on: list[pulumi.Resource] = []
        encryption = None
        if gcs.key_id:
            agent = gcp.storage.get_project_service_account_output(project=gcs.project_id)
            # Without this grant the bucket's objects can be neither written nor read: it lives as long as the bucket.
            grant = gcp.kms.CryptoKeyIAMMember(
                f"{name}-kms-agent",
                crypto_key_id=gcs.key_id,
                role=spec.KMS_ROLE,
                member=agent.email_address.apply(lambda email: f"serviceAccount:{email}"),
                opts=needed(stack, self, holds_images=True),
            )
            depends_on.append(grant)
            encryption = {"default_kms_key_name": gcs.key_id}
        return gcp.storage.Bucket(
            f"{name}-bucket",
            name=self.bucket_name,
            project=gcs.project_id,
            location=spec.location(stack),
            uniform_bucket_level_access=True,
            public_access_prevention="enforced",
            lifecycle_rules=spec.lifecycle_rules(),
            labels=spec.labels(stack),
            encryption=encryption,
            force_destroy=False,
            opts=needed(stack, self, holds_images=True, depends_on=depends_on),
        )

    def _create_account(
        self, gcp: Any, name: str, stack: StackSettings, bucket: pulumi.Input[str]
    ) -> dict[str, pulumi.Output[str]]:
        gcs = stack.storage.gcs
        assert gcs is not None
        child = needed(stack, self)
        self.account = gcp.serviceaccount.Account(
            f"{name}-account",
            account_id=spec.service_account_id(stack),
            display_name=f"OpenShift image registry ({stack.project}/{stack.stack})",
            project=gcs.project_id,
            opts=child,
        )
        member = self.account.email.apply(lambda email: f"serviceAccount:{email}")
        self.bucket_access = [
            gcp.storage.BucketIAMMember(f"{name}-{suffix}", bucket=bucket, role=role, member=member, opts=child)
            for suffix, role in (("object-access", spec.OBJECT_ROLE), ("bucket-read", spec.BUCKET_READ_ROLE))
        ]
        self.key = gcp.serviceaccount.Key(f"{name}-key", service_account_id=self.account.name, opts=child)
        self.ready.extend(self.bucket_access)
        # The provider returns the key file base64-encoded; the operator wants the JSON itself.
        key_json = self.key.private_key.apply(lambda encoded: base64.b64decode(encoded).decode("utf-8"))
        return {"REGISTRY_STORAGE_GCS_KEYFILE": pulumi.Output.secret(key_json)}
