"""Every stack file in stacks/ loads, validates and evaluates as the Pulumi CLI would run it."""

from __future__ import annotations

from pathlib import Path

import pytest

from components.errors import SettingsError
from components.names import SECURE_PLACEHOLDER
from components.settings.loader import load_settings
from components.stack_config import load_stack_file, stack_name
from tests.support import STACK_FILES, assert_storage_unmanaged, crd_violations, evaluate_file

PATCH = "kubernetes:imageregistry.operator.openshift.io/v1:ConfigPatch"


def test_there_are_stack_files() -> None:
    assert {p.name for p in STACK_FILES} >= {"Pulumi.aws-prod.yaml", "Pulumi.ceph-rgw.yaml"}


@pytest.mark.parametrize("path", STACK_FILES, ids=lambda p: p.name)
def test_stack_validates_and_evaluates(path: Path) -> None:
    config = load_stack_file(path)
    load_settings(config.config, config.secret_keys, project=config.project, stack=config.stack)
    evaluation = evaluate_file(path)
    (patch,) = [r for r in evaluation.registrations if r.type == PATCH]
    assert_storage_unmanaged(patch.inputs["spec"]["storage"])
    assert crd_violations("configs", patch.inputs) == []
    assert_storage_unmanaged(evaluation.outputs["registryConfigSpec"]["storage"])


def test_project_defaults_apply_and_secure_values_become_secret_placeholders() -> None:
    config = load_stack_file(Path("stacks/Pulumi.ceph-rgw.yaml").resolve())
    assert config.project == "openshift-registry" and config.stack == "ceph-rgw"
    assert config.config["openshift-registry:s3AccessKey"] == SECURE_PLACEHOLDER
    assert config.secret_keys == ["openshift-registry:s3AccessKey", "openshift-registry:s3SecretKey"]


def test_declared_default_is_used_when_the_stack_omits_it(tmp_path: Path) -> None:
    path = tmp_path / "Pulumi.minimal.yaml"
    path.write_text(
        "config:\n  openshift-registry:platform: aws\n  openshift-registry:storage:\n    s3: {region: us-east-1}\n"
    )
    config = load_stack_file(path)
    assert config.config["openshift-registry:environment"] == "production"
    assert config.config["openshift-registry:storage"] == '{"s3": {"region": "us-east-1"}}'


def test_a_stack_file_with_an_unknown_key_fails(tmp_path: Path) -> None:
    source = Path("stacks/Pulumi.aws-prod.yaml").resolve().read_text()
    path = tmp_path / "Pulumi.typo.yaml"
    path.write_text(source.replace("      keyID:", "      regoin: us-east-2\n      keyID:", 1))
    config = load_stack_file(path)
    with pytest.raises(SettingsError) as caught:
        load_settings(config.config, config.secret_keys, project=config.project, stack=config.stack)
    assert [str(p).split(":", 2)[1] for p in caught.value.problems] == ["storage.s3.regoin"]


def test_stack_name_comes_from_the_file_name() -> None:
    assert stack_name(Path("stacks/Pulumi.aws-prod.yaml")) == "aws-prod"
    with pytest.raises(ValueError, match=r"Pulumi\.<stack>\.yaml"):
        stack_name(Path("stacks/aws-prod.yaml"))
