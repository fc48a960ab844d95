"""The Config spec is a pure function of the settings (no Pulumi needed)."""

from __future__ import annotations

from components.specs.credential_secret import secret_keys
from components.specs.registry_config import redacted, registry_config_spec
from tests.support import crd_violations, settings

S3 = {"s3": {"bucket": "b-1", "region": "us-east-1"}}


def cr(spec: dict) -> dict:
    return {
        "apiVersion": "imageregistry.operator.openshift.io/v1",
        "kind": "Config",
        "metadata": {"name": "cluster"},
        "spec": spec,
    }


def test_defaults() -> None:
    spec = registry_config_spec(settings(platform="aws", storage=S3))
    assert spec == {
        "managementState": "Managed",
        "replicas": 2,
        "storage": {"managementState": "Unmanaged", "s3": {"bucket": "b-1", "region": "us-east-1", "encrypt": True}},
    }
    assert crd_violations("configs", cr(spec)) == []
    assert crd_violations("configs", cr(spec), "4.6") == []


def test_every_registry_field_passes_through_under_its_own_name() -> None:
    registry = {
        "managementState": "Unmanaged",
        "replicas": 3,
        "logLevel": "Debug",
        "operatorLogLevel": "Trace",
        "rolloutStrategy": "RollingUpdate",
        "readOnly": True,
        "defaultRoute": True,
        "disableRedirect": True,
        "proxy": {"http": "http://proxy:3128", "https": "http://proxy:3128", "noProxy": ".cluster.local"},
        "requests": {"read": {"maxRunning": 100, "maxInQueue": 10, "maxWaitInQueue": "30s"}},
        "nodeSelector": {"node-role.kubernetes.io/infra": ""},
        "tolerations": [{"key": "infra", "operator": "Exists", "effect": "NoSchedule"}],
        "affinity": {"podAntiAffinity": {}},
        "resources": {"requests": {"cpu": "100m", "memory": "256Mi"}},
        "routes": [{"name": "public", "hostname": "registry.example.com"}],
    }
    spec = registry_config_spec(settings(platform="aws", storage=S3, registry=registry))
    assert {k: v for k, v in spec.items() if k != "storage"} == registry
    assert crd_violations("configs", cr(spec)) == []


def test_the_4_6_schema_lacks_newer_fields() -> None:
    spec = registry_config_spec(settings(platform="aws", storage={"s3": {"region": "us-east-1", "chunkSizeMiB": 10}}))
    assert crd_violations("configs", cr(spec)) == []
    assert any("chunkSizeMiB" in v for v in crd_violations("configs", cr(spec), "4.6"))


def test_unknown_fields_are_violations() -> None:
    (violation,) = crd_violations("configs", cr({"replicas": 1, "storage": {"s3": {"bucketName": "x"}}}))
    assert violation.startswith("spec.storage.s3: unknown field(s) 'bucketName'")


def test_redacted_hides_http_secret() -> None:
    assert redacted({"httpSecret": "x", "replicas": 1}) == {"httpSecret": "[secret]", "replicas": 1}


def test_secret_keys_per_storage() -> None:
    assert secret_keys(settings(platform="aws", storage=S3)) == (
        "REGISTRY_STORAGE_S3_ACCESSKEY",
        "REGISTRY_STORAGE_S3_SECRETKEY",
    )
