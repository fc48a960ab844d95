"""Core objects are checked against a kind's schema with only the definitions it reaches (offline/validation.py
``kind_schema``), kept per machine: it must judge every object exactly as the whole ``_definitions.json``
does, which is what ``kubernetes_validate`` reads."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest
from kubernetes_validate import utils
from referencing import Registry, Resource

from offline import validation
from offline.manifests import manifests
from offline.plan import plan_of
from tests.commands.test_offline_views import manifest
from tests.support import STACK_FILES, evaluate_file

META = {"name": "registry", "namespace": "openshift-image-registry"}
# Every core kind the program renders, each with mistakes deep enough to need the definitions it refers to.
BAD = {
    "secret-v1.json": {"apiVersion": "v1", "kind": "Secret", "metadata": {**META, "labels": {"a": 1}}, "data": []},
    "configmap-v1.json": {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {**META, "ownerReferences": [{}]}},
    "persistentvolumeclaim-v1.json": {
        "apiVersion": "v1",
        "kind": "PersistentVolumeClaim",
        "metadata": META,
        "spec": {"accessModes": "ReadWriteMany", "resources": {"requests": {"storage": []}}, "selector": {"x": 1}},
    },
    "clusterrole-rbac-v1.json": {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "ClusterRole",
        "metadata": {"name": "r"},
        "rules": [{"verbs": "get", "apiGroup": [""]}],
        "aggregationRule": {"clusterRoleSelectors": [{"matchExpressions": [{"key": 1}]}]},
    },
    "clusterrolebinding-rbac-v1.json": {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "ClusterRoleBinding",
        "metadata": {"name": "b"},
        "subjects": [{"kind": "ServiceAccount"}],
    },
    "role-rbac-v1.json": {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "Role",
        "metadata": {**META, "annotations": {"a": 2}},
        "rules": [{"verbs": ["get"], "resourceNames": "one"}],
    },
    "rolebinding-rbac-v1.json": {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "RoleBinding",
        "metadata": META,
        "roleRef": {"kind": "Role"},
        "subjects": [{"kind": "User", "name": 3}],
    },
    "serviceaccount-v1.json": {
        "apiVersion": "v1",
        "kind": "ServiceAccount",
        "metadata": META,
        "secrets": [{"name": 1}],
        "automountServiceAccountToken": "yes",
    },
}
VERSIONS = sorted({validation.kubernetes_version("latest"), validation.kubernetes_version("4.6")})


def _errors(validator: jsonschema.protocols.Validator, body: dict) -> list[tuple[str, str, str]]:
    return sorted((".".join(map(str, e.absolute_path)), e.validator, e.message) for e in validator.iter_errors(body))


def _whole(version: str, name: str) -> jsonschema.protocols.Validator:
    """The kind's schema against the whole definitions document, as ``kubernetes_validate`` has it."""
    folder = f"kubernetes-json-schema/v{version}-local-strict"
    schema = utils.schema_contents(f"{folder}/{name}", version)
    definitions = Resource.from_contents(utils.schema_contents(f"{folder}/_definitions.json", version))
    return jsonschema.Draft202012Validator(schema, registry=definitions @ (Resource.from_contents(schema) @ Registry()))


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    validation._kubernetes_validator.cache_clear()


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("name", sorted(BAD))
def test_a_kind_is_judged_against_its_reached_definitions_as_against_them_all(version: str, name: str) -> None:
    body = BAD[name]
    kind, _, rest = name.removesuffix(".json").partition("-")
    cut = validation._kubernetes_validator(version, body["kind"], body["apiVersion"])
    whole = _whole(version, name)
    assert kind == body["kind"].lower() and rest
    found = _errors(cut, body)
    assert len(found) >= 2, found  # the mistakes reach into the definitions
    assert found == _errors(whole, body)
    assert jsonschema.exceptions.best_match(cut.iter_errors(body)).message == (
        jsonschema.exceptions.best_match(whole.iter_errors(body)).message
    )


def test_the_cut_is_kept_and_a_kept_cut_is_read_without_parsing_the_definitions(monkeypatch) -> None:
    version = VERSIONS[-1]
    made = validation.kind_schema(version, "persistentvolumeclaim-v1.json")
    definitions = made[1]["$defs"]
    assert 5 < len(definitions) < 100  # a cut, not the 800-odd of the whole
    assert made[1]["$id"] == "https://kubernetes.io/api/_definitions.json"

    def no_parse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the definitions were parsed again")

    monkeypatch.setattr(validation.json, "loads", no_parse)
    assert validation.kind_schema(version, "persistentvolumeclaim-v1.json") == made


def test_a_kind_with_no_schema_is_a_violation_not_a_crash() -> None:
    body = {"apiVersion": "v1", "kind": "Nonsense", "metadata": META}
    (violation,) = validation.validate([manifest(body)], "latest")
    assert violation.rule.startswith("no schema to check it against")


def test_the_kinds_above_are_every_core_kind_the_stacks_render() -> None:
    rendered = {
        f"{item.kind.lower()}-{validation.group_version(str(item.body['apiVersion']))}.json"
        for path in STACK_FILES
        for item in manifests(plan_of(evaluate_file(path), show_secrets=False))
        if (str(item.body["apiVersion"]), item.kind) not in validation.CRDS
    }
    assert len(rendered) >= 4
    assert rendered <= set(BAD), sorted(rendered - set(BAD))
