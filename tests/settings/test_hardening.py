"""What the program itself checks under the Pulumi CLI, where it sees config as the CLI hands it
(values as text or JSON, secretness per top-level key): the stack-file reader is not there."""

from __future__ import annotations

import pytest

from components.errors import SettingsError
from components.settings.loader import load_settings
from tests.support import problems_of, the_problem

S3 = {"s3": {"region": "us-east-1"}}


def load_raw(config: dict[str, str], secret: list[str], stack: str = "test") -> list[str]:
    with pytest.raises(SettingsError) as caught:
        load_settings(config, secret, project="openshift-registry", stack=stack)
    return [str(p) for p in caught.value.problems]


BASE = {"openshift-registry:platform": "aws", "openshift-registry:storage": '{"s3": {"region": "us-east-1"}}'}


def test_a_key_that_is_not_secret_but_marked_secret_is_refused() -> None:
    """The CLI marks a whole top-level key secret when any leaf is `secure:`; its values would then be
    shown in plan, manifests and outputs as placeholders, unredacted, or leak: refused."""
    config = {**BASE, "openshift-registry:registry": '{"proxy": {"https": "http://proxy:3128"}}'}
    found = load_raw(config, ["openshift-registry:registry"])
    the_problem(found, "registry", "is marked secret (set with --secret), but it is not a secret key")


def test_a_secret_string_given_as_an_object_is_refused_without_its_value() -> None:
    config = {**BASE, "openshift-registry:httpSecret": '{"value": "hunter2hunter2", "note": "x"}'}
    (found,) = load_raw(config, ["openshift-registry:httpSecret"])
    assert found.startswith("openshift-registry:httpSecret: is one secret string, not an object")
    assert "hunter2" not in found


def test_a_key_file_is_json_text_by_nature() -> None:
    config = {
        "openshift-registry:platform": "gcp",
        "openshift-registry:storage": '{"gcs": {"region": "us-central1", "credentials": "secretConfig"}}',
        "openshift-registry:gcsKeyFile": '{"type": "service_account"}',
        "gcp:project": "example-project",
    }
    load_settings(config, ["openshift-registry:gcsKeyFile"], project="openshift-registry", stack="test")


@pytest.mark.parametrize(
    ("key", "fragment"),
    [
        ("openshfit-registry:registry", "did you mean openshift-registry:?"),
        ("aws-native:region", "did you mean azure-native:?"),
        ("terraform:x", "this program reads openshift-registry, aws, gcp, azure-native, kubernetes"),
    ],
)
def test_an_unknown_namespace_is_an_error_with_the_nearest_name(key: str, fragment: str) -> None:
    found = load_raw({**BASE, key: "x"}, [])
    (problem,) = found
    assert problem.startswith(f"{key}: unknown namespace") and fragment in problem


@pytest.mark.parametrize("stack", ["", "has space", "bang!", "x" * 200])
def test_a_stack_name_pulumi_refuses_is_refused(stack: str) -> None:
    (problem,) = load_raw(BASE, [], stack=stack)
    assert problem.startswith("(stack name): ") and "is not a stack name Pulumi accepts" in problem


@pytest.mark.parametrize(
    ("stack", "storage", "extra"),
    [
        ("prod-s3alias", S3, {}),
        ("google", {"gcs": {"region": "us-central1"}}, {"gcp:project": "example-project"}),
    ],
)
def test_a_derived_bucket_name_obeys_the_rules_of_a_given_one(stack: str, storage: dict, extra: dict) -> None:
    platform = "aws" if "s3" in storage else "gcp"
    found = problems_of(platform=platform, storage=storage, extra=extra, stack=stack)
    kind = next(iter(storage))
    (problem,) = [p for p in found if p.startswith(f"openshift-registry:storage.{kind}.bucket")]
    assert "unset, and the name derived from project and stack fails" in problem and problem.endswith("set it")


def test_route_secret_names_are_checked_like_any_object_name() -> None:
    found = problems_of(
        platform="aws",
        storage=S3,
        registry={"routes": [{"name": "a", "secretName": "installer-cloud-credentials"}]},
        secrets={"routeTls": '{"a": {"certificate": "offline-placeholder-for-encrypted-value", "key": "k"}}'},
    )
    the_problem(found, "registry.routes[0].secretName", "is one the operator owns or reads")


def test_a_section_with_a_type_error_still_reports_its_other_rules() -> None:
    """A bad logLevel does not hide the route rules beside it: one round fixes everything."""
    found = problems_of(
        platform="aws",
        storage=S3,
        registry={"logLevel": "Loud", "routes": [{"name": "a"}, {"name": "default-route"}]},
    )
    assert [p.split(": ", 1)[0] for p in found] == [
        "openshift-registry:registry.logLevel",
        "openshift-registry:registry.routes[1].name",
    ]
