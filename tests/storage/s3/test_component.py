"""The S3 component's outputs, checked the Pulumi way: inside @pulumi.runtime.test."""

from __future__ import annotations

import pulumi

from components.resources.registry import Registry
from components.resources.storage import StorageComponent, build_storage
from tests.support import settings


def S3Storage(name: str, *, stack) -> StorageComponent:  # noqa: N802 - the S3 kind of the one component
    storage = build_storage(stack, pulumi.ResourceOptions())
    assert storage is not None
    return storage


KEYS = {"s3AccessKey": "planted-access-key", "s3SecretKey": "planted-secret-key"}
RGW = "https://rgw.example.com"


@pulumi.runtime.test
def test_iam_user_credentials_are_secret_outputs():
    storage = S3Storage("t", stack=settings(platform="aws", storage={"s3": {"region": "us-east-1"}}))
    assert sorted(storage.credentials) == ["REGISTRY_STORAGE_S3_ACCESSKEY", "REGISTRY_STORAGE_S3_SECRETKEY"]
    secret_key = storage.credentials["REGISTRY_STORAGE_S3_SECRETKEY"]

    def check(args: list) -> None:
        is_secret, value = args
        assert is_secret is True
        assert value == "mock-secret-access-key"

    return pulumi.Output.all(pulumi.Output.from_input(secret_key.is_secret()), secret_key).apply(check)


@pulumi.runtime.test
def test_secret_config_credentials_stay_secret():
    stack = settings(platform="baremetal", storage={"s3": {"region": "us-east-1", "regionEndpoint": RGW}}, secrets=KEYS)
    storage = S3Storage("t", stack=stack)
    assert "bucket" not in storage.resources and storage.ready == []
    outputs = [storage.credentials[k] for k in sorted(storage.credentials)]

    def check(args: list) -> None:
        assert args == [True, True, "planted-access-key", "planted-secret-key"]

    return pulumi.Output.all(*[pulumi.Output.from_input(o.is_secret()) for o in outputs], *outputs).apply(check)


@pulumi.runtime.test
def test_bucket_outputs():
    storage = S3Storage(
        "t", stack=settings(platform="aws", storage={"s3": {"bucket": "my-bucket", "region": "eu-west-1"}})
    )
    bucket = storage.resources["bucket"]
    assert len(storage.ready) == 7  # bucket, five bucket settings, the user policy

    def check(args: list) -> None:
        name, region = args
        assert name == "my-bucket" and region == "eu-west-1"

    return pulumi.Output.all(bucket.bucket, bucket.region).apply(check)  # type: ignore[attr-defined]


@pulumi.runtime.test
def test_registry_component_patch_and_exports():
    registry = Registry("r", stack=settings(platform="aws", storage={"s3": {"region": "us-east-1"}}))
    assert registry.secret is not None
    assert registry.exports["credentialSecret"] == "image-registry-private-configuration-user"

    def check(args: list) -> None:
        spec, name = args
        assert spec["storage"]["managementState"] == "Unmanaged"
        assert name == "cluster"

    config = registry.config
    return pulumi.Output.all(config.spec, config.metadata["name"]).apply(check)  # type: ignore[attr-defined]
