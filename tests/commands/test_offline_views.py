"""The pieces of the offline preview: redaction, manifest names, strict validation."""

from __future__ import annotations

from typing import Any

from offline.engine import SECRET_SIG, Registration
from offline.manifests import Manifest, file_names, to_yaml
from offline.plan import REDACTED, clean
from offline.validation import validate


def secret(value: Any) -> dict[str, Any]:
    return {SECRET_SIG: "1b47061264138c4ac30d75fd1eb44270", "value": value}


def manifest(body: dict[str, Any], *, patch: bool = False) -> Manifest:
    resource = Registration("urn:x", "kubernetes:core/v1:Secret", "x", "", True, body, [], False, False)
    return Manifest(resource, body, patch)


def test_clean_hides_each_secret_leaf_but_keeps_keys_and_plain_neighbours() -> None:
    inputs = {"stringData": secret({"A": "a-value", "B": ["b1"]}), "spec": {"httpSecret": secret("h"), "replicas": 2.0}}
    assert clean(inputs, show_secrets=False) == {
        "spec": {"httpSecret": REDACTED, "replicas": 2},
        "stringData": {"A": REDACTED, "B": [REDACTED]},
    }
    assert clean(inputs, show_secrets=True)["stringData"] == {"A": "a-value", "B": ["b1"]}
    assert clean({"ratio": 0.5}, show_secrets=False) == {"ratio": 0.5}


def test_file_names_are_kind_and_name_and_take_the_namespace_only_on_collision() -> None:
    one = manifest({"kind": "RoleBinding", "metadata": {"name": "Registry-Viewer", "namespace": "team-a"}})
    two = manifest({"kind": "RoleBinding", "metadata": {"name": "Registry-Viewer", "namespace": "team-b"}})
    solo = manifest({"kind": "ConfigMap", "metadata": {"name": "cas", "namespace": "openshift-config"}})
    assert file_names([one, two, solo]) == [
        "rolebinding-team-a-registry-viewer.yaml",
        "rolebinding-team-b-registry-viewer.yaml",
        "configmap-cas.yaml",
    ]


def test_patch_manifests_say_they_are_partial() -> None:
    body = {"apiVersion": "imageregistry.operator.openshift.io/v1", "kind": "Config", "metadata": {"name": "cluster"}}
    assert to_yaml(manifest(body, patch=True)).startswith("# A partial object")
    assert not to_yaml(manifest(body)).startswith("#")


def test_an_unknown_field_on_a_core_object_is_a_violation_naming_object_field_and_rule() -> None:
    body = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "s", "namespace": "openshift-image-registry"},
        "stringData": {"k": "v"},
        "strinData": {"k": "v"},
    }
    (violation,) = validate([manifest(body)], "latest")
    assert violation.manifest == "Secret openshift-image-registry/s"
    assert "strinData" in violation.rule
    assert violation.schema.startswith("Kubernetes 1.")


def test_a_crd_violation_names_the_path() -> None:
    body = {
        "apiVersion": "imageregistry.operator.openshift.io/v1",
        "kind": "Config",
        "metadata": {"name": "cluster"},
        "spec": {"managementState": "Managed", "replicas": 1, "logLevel": "Loud"},
    }
    (violation,) = validate([manifest(body, patch=True)], "latest")
    assert (violation.manifest, violation.field) == ("Config cluster", "spec.logLevel")
    assert "'Loud' is not allowed" in violation.rule
    assert str(violation).startswith("Config cluster: spec.logLevel: ")


def test_46_requires_the_management_state() -> None:
    body = {"apiVersion": "imageregistry.operator.openshift.io/v1", "kind": "Config", "metadata": {"name": "cluster"}}
    body["spec"] = {"replicas": 1}
    assert any("managementState" in v.rule for v in validate([manifest(body, patch=True)], "4.6"))


def test_an_object_of_unknown_kind_is_a_violation_not_a_pass() -> None:
    body = {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"}}
    (violation,) = validate([manifest(body)], "latest")
    assert "no schema" in violation.rule
