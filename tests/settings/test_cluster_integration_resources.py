"""Routes' TLS secrets, trusted CAs, the S3 CA bundle, metrics, roles and the pruner, under mocks."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.certs import make
from tests.support import by_type, crd_violations, evaluate_config, is_secret, one, reveal, unmarked_strings

S3 = {"s3": {"region": "us-east-1"}}
CA = make("Example CA", ca=True).certificate
CONFIG = "kubernetes:imageregistry.operator.openshift.io/v1:ConfigPatch"
CONFIGMAP = "kubernetes:core/v1:ConfigMap"
SECRET = "kubernetes:core/v1:Secret"


def evaluate(**kwargs: Any) -> Any:
    kwargs.setdefault("platform", "aws")
    kwargs.setdefault("storage", S3)
    return evaluate_config(**kwargs)


def named(evaluation: Any, name: str) -> Any:
    (found,) = [r for r in evaluation.registrations if r.name == name]
    return found


def test_route_certificate_becomes_a_tls_secret_that_the_config_names_and_waits_for() -> None:
    pair = make()
    evaluation = evaluate(
        registry={"routes": [{"name": "external", "hostname": "registry.apps.example.com"}]},
        secrets={"routeTls": json.dumps({"external": {"certificate": pair.certificate, "key": pair.key}})},
    )
    secret = named(evaluation, "registry-route-external-tls")
    assert secret.inputs["type"] == "kubernetes.io/tls"
    assert secret.inputs["metadata"] == {"name": "external-tls", "namespace": "openshift-image-registry"}
    assert is_secret(secret.inputs["stringData"])
    assert reveal(secret.inputs["stringData"]) == {"tls.crt": pair.certificate, "tls.key": pair.key}
    config = one(evaluation, CONFIG)
    assert config.inputs["spec"]["routes"] == [
        {"name": "external", "hostname": "registry.apps.example.com", "secretName": "external-tls"}
    ]
    assert secret.urn in config.depends_on
    key_line = pair.key.splitlines()[1]
    for registration in evaluation.registrations:
        assert not any(key_line in text for text in unmarked_strings(registration.inputs)), registration.name
    assert key_line not in json.dumps(evaluation.outputs) and key_line not in str(evaluation.logs)


def test_route_without_certificate_gets_no_secret_name() -> None:
    evaluation = evaluate(registry={"routes": [{"name": "external", "hostname": "registry.apps.example.com"}]})
    assert one(evaluation, CONFIG).inputs["spec"]["routes"] == [
        {"name": "external", "hostname": "registry.apps.example.com"}
    ]
    assert [r.name for r in by_type(evaluation, SECRET)] == ["registry-credentials"]


def test_trusted_cas_configmap_writes_ports_as_double_dots_and_the_image_config_names_it() -> None:
    evaluation = evaluate(trustedCAs={"mirror.example.com:5000": CA, "quay.example.com": CA})
    configmap = one(evaluation, CONFIGMAP)
    assert configmap.inputs["metadata"] == {
        "name": "image-registry-additional-trusted-cas",
        "namespace": "openshift-config",
    }
    assert configmap.inputs["data"] == {"mirror.example.com..5000": CA, "quay.example.com": CA}
    image = one(evaluation, "kubernetes:config.openshift.io/v1:ImagePatch")
    assert image.inputs["spec"] == {"additionalTrustedCA": {"name": "image-registry-additional-trusted-cas"}}
    assert image.inputs["metadata"]["name"] == "cluster"
    assert image.retain_on_delete and configmap.urn in image.depends_on
    for version in ("latest", "4.6"):
        assert crd_violations("images", image.inputs, version) == []


def test_storage_ca_bundle_becomes_the_configmap_trusted_ca_names() -> None:
    evaluation = evaluate(
        platform="baremetal",
        storage={
            "s3": {
                "bucket": "registry",
                "region": "us-east-1",
                "regionEndpoint": "https://rgw.example.com",
                "caBundle": CA,
            }
        },
        secrets={"s3AccessKey": "AKIAEXAMPLE", "s3SecretKey": "example-secret"},
    )
    configmap = one(evaluation, CONFIGMAP)
    assert configmap.inputs["metadata"] == {"name": "image-registry-s3-ca-bundle", "namespace": "openshift-config"}
    assert configmap.inputs["data"] == {"ca-bundle.crt": CA}
    config = one(evaluation, CONFIG)
    assert config.inputs["spec"]["storage"]["s3"]["trustedCA"] == {"name": "image-registry-s3-ca-bundle"}
    assert configmap.urn in config.depends_on
    assert crd_violations("configs", config.inputs) == []
    assert any("trustedCA" in v for v in crd_violations("configs", config.inputs, "4.6"))


def test_metrics_role_and_binding() -> None:
    evaluation = evaluate(
        metrics={"users": ["alice"], "groups": ["sre"], "serviceAccounts": ["openshift-monitoring/prometheus-k8s"]}
    )
    role = one(evaluation, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole")
    assert role.inputs["metadata"] == {"name": "prometheus-scraper"}
    assert role.inputs["rules"] == [
        {"apiGroups": ["image.openshift.io"], "resources": ["registry/metrics"], "verbs": ["get"]}
    ]
    binding = one(evaluation, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding")
    assert binding.inputs["roleRef"] == {
        "apiGroup": "rbac.authorization.k8s.io",
        "kind": "ClusterRole",
        "name": "prometheus-scraper",
    }
    assert binding.inputs["subjects"] == [
        {"kind": "User", "apiGroup": "rbac.authorization.k8s.io", "name": "alice"},
        {"kind": "Group", "apiGroup": "rbac.authorization.k8s.io", "name": "sre"},
        {"kind": "ServiceAccount", "name": "prometheus-k8s", "namespace": "openshift-monitoring"},
    ]


@pytest.mark.parametrize(
    ("binding", "kind", "name"),
    [
        ({"role": "registry-viewer", "groups": ["devs"]}, "ClusterRoleBinding", "openshift-registry-registry-viewer"),
        (
            {"role": "registry-editor", "namespace": "ci", "users": ["bot"]},
            "RoleBinding",
            "openshift-registry-registry-editor",
        ),
        (
            {"role": "system:image-builder", "namespace": "ci", "users": ["bot"]},
            "RoleBinding",
            "openshift-registry-image-builder",
        ),
    ],
)
def test_registry_roles_bind_the_documented_cluster_roles(binding: dict[str, Any], kind: str, name: str) -> None:
    evaluation = evaluate(roles=[binding])
    bound = one(evaluation, f"kubernetes:rbac.authorization.k8s.io/v1:{kind}")
    assert bound.inputs["metadata"]["name"] == name
    assert bound.inputs["metadata"].get("namespace") == binding.get("namespace")
    assert bound.inputs["roleRef"] == {
        "apiGroup": "rbac.authorization.k8s.io",
        "kind": "ClusterRole",
        "name": binding["role"],
    }


def test_pruner_patch_carries_exactly_the_stack_fields_and_validates() -> None:
    pruner = {
        "schedule": "0 2 * * *",
        "suspend": False,
        "keepTagRevisions": 3,
        "keepYoungerThanDuration": "24h",
        "successfulJobsHistoryLimit": 3,
        "failedJobsHistoryLimit": 1,
        "ignoreInvalidImageReferences": True,
        "logLevel": "Debug",
    }
    evaluation = evaluate(pruner=pruner)
    patch = one(evaluation, "kubernetes:imageregistry.operator.openshift.io/v1:ImagePrunerPatch")
    assert patch.inputs["spec"] == pruner
    assert patch.inputs["metadata"]["name"] == "cluster"
    assert patch.retain_on_delete
    for version in ("latest", "4.6"):
        assert crd_violations("imagepruners", patch.inputs, version) == []


def test_nothing_around_the_registry_unless_configured() -> None:
    evaluation = evaluate()
    assert not [r for r in evaluation.registrations if r.type == "openshift-registry:index:ClusterIntegration"]
