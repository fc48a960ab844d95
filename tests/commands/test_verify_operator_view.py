"""The operator's view in ``python -m verify``: its conditions, including the storage-specific ones
its drivers set while it manages the storage (pkg/storage/s3/s3.go and gcs.go, CreateStorage)."""

from __future__ import annotations

from typing import Any

import pytest

from components.cluster.state import CONFIG, ClusterState
from components.settings.loader import load_settings
from components.stack_config import load_stack_file, stack_path
from tests.verify_support import healthy_conditions
from verify import operator_view


def settings() -> Any:
    stack = load_stack_file(stack_path("aws-prod"))
    return load_settings(stack.config, stack.secret_keys, project=stack.project, stack=stack.stack).settings


def state(storage_state: str, *extra: dict[str, str]) -> ClusterState:
    conditions = [*healthy_conditions(), *extra]
    config = {
        "apiVersion": CONFIG[0],
        "kind": "Config",
        "metadata": {"name": "cluster"},
        "spec": {"managementState": "Managed", "storage": {"managementState": storage_state, "s3": {}}},
        "status": {"conditions": conditions},
    }
    return ClusterState({CONFIG: config}, source="a test dump", read=True)


DENIED = {"type": "StorageEncrypted", "status": "False", "reason": "AccessDenied", "message": "kms:GenerateDataKey"}


def test_a_storage_condition_the_operator_reports_false_fails_while_it_manages_the_storage() -> None:
    checks = {c.name: c for c in operator_view.checks(settings(), state("Managed", DENIED))}
    check = checks["Config StorageEncrypted"]
    assert check.status == "fail" and "kms:GenerateDataKey" in check.detail


@pytest.mark.parametrize("condition", [DENIED, {"type": "StorageTagged", "status": "True"}])
def test_storage_conditions_left_from_before_unmanaged_storage_are_not_reported(condition) -> None:
    names = {c.name for c in operator_view.checks(settings(), state("Unmanaged", condition))}
    assert f"Config {condition['type']}" not in names


def test_a_storage_condition_that_holds_passes() -> None:
    checks = {
        c.name: c
        for c in operator_view.checks(settings(), state("Managed", {"type": "StorageTagged", "status": "True"}))
    }
    assert checks["Config StorageTagged"].status == "pass"


def test_a_dump_with_shapes_no_api_server_would_serve_names_file_object_and_field(tmp_path) -> None:
    import io

    import yaml

    from verify.__main__ import main

    config = {
        "apiVersion": CONFIG[0],
        "kind": "Config",
        "metadata": {"name": "cluster"},
        "spec": {"storage": "s3", "routes": 7},
        "status": {"conditions": "none"},
    }
    secret = {
        "apiVersion": "v1",
        "kind": "Secret",
        "data": ["not", "a", "map"],
        "metadata": {"name": "image-registry-private-configuration-user", "namespace": "openshift-image-registry"},
    }
    (tmp_path / "objects.yaml").write_text(
        yaml.safe_dump({"kind": "List", "apiVersion": "v1", "items": [config, secret]})
    )
    out, err = io.StringIO(), io.StringIO()
    code = main(["--stack", "aws-prod", "--cluster", str(tmp_path), "--json"], out, err)
    assert code == 2 and out.getvalue() == ""
    message = err.getvalue()
    where = f"{tmp_path / 'objects.yaml'}"
    assert f"{where} items[0]: Config cluster: spec.storage: must be a map, not a string" in message
    assert f"{where} items[0]: Config cluster: spec.routes: 7 is not a list" in message
    assert f"{where} items[0]: Config cluster: status.conditions: must be a list, not a string" in message
    assert f"{where} items[1]: Secret image-registry-private-configuration-user: data: must be a map" in message
    assert "Traceback" not in message and "AttributeError" not in message


def test_not_applicable_checks_neither_pass_nor_block_and_could_not_run_blocks() -> None:
    from components.checks import exit_code, not_applicable, not_run, passed

    assert exit_code([passed("a", "x"), not_applicable("a", "y", "adopted")]) == 0
    assert exit_code([passed("a", "x"), not_run("a", "y", "no permission")]) == 1


def test_a_keyless_s3_registry_is_not_probed_and_does_not_block_a_healthy_verdict() -> None:
    from components.storage.s3 import probe as s3
    from components.storage.s3.settings import S3Settings

    model = S3Settings(bucket="b", region="us-east-1", credentials="sts")
    [check] = s3.access_checks(model, "b", None, None)
    assert check.status == "n/a" and "StorageExists" in check.detail
    static = S3Settings(bucket="b", region="us-east-1")
    [missing] = s3.access_checks(static, "b", None, None)
    assert missing.status == "not run" and "REGISTRY_STORAGE_S3_" in missing.detail


def test_an_unmanaged_registry_and_a_shadowed_keyless_mode_fail_with_their_fix() -> None:
    """Unmanaged: healthy conditions with reason Unmanaged mean nothing is reconciled. A user secret beside a
    keyless mode: GetConfig reads only it."""
    from components.cluster.state import USER_SECRET
    from tests.cluster_model import states
    from tests.cluster_model.apply import read
    from tests.support import settings
    from verify import operator_view

    objects = states.build(states.ClusterSpec("4.17", "aws", "manual"))
    config = next(body for key, body in objects.items() if key[1] == "Config")
    config["spec"]["managementState"] = "Unmanaged"
    metadata = {"name": USER_SECRET[3], "namespace": USER_SECRET[2]}
    objects[USER_SECRET] = {"apiVersion": "v1", "kind": "Secret", "metadata": metadata, "data": {}}
    stack = settings(platform="aws", storage={"s3": {"region": "us-east-1", "credentials": "sts"}},
                     cluster={"serviceAccountIssuer": states.ISSUER})  # fmt: skip
    found = {c.name: c for c in operator_view.checks(stack, read(objects))}
    assert found["registry managed"].status == "fail" and "Managed" in found["registry managed"].fix
    keyless = found["keyless credentials in use"]
    assert keyless.status == "fail" and "oc delete secret image-registry-private-configuration-user" in keyless.fix


def test_verify_on_a_single_node_cluster_expects_what_the_program_set_there(tmp_path) -> None:
    """verify judges the stack as the program builds it on that cluster (with_cluster_facts): on single-node
    OpenShift the program sets one replica (the operator's Bootstrap does the same), so the Config that
    `pulumi up` left there is no drift, though the stack says nothing of replicas."""
    import yaml

    from components.cluster.state import INFRASTRUCTURE
    from offline.engine import evaluate
    from tests import verify_support as support

    infrastructure = {
        "apiVersion": INFRASTRUCTURE[0],
        "kind": "Infrastructure",
        "metadata": {"name": "cluster"},
        "spec": {},
        "status": {
            "infrastructureName": "sno-1",
            "platform": "AWS",
            "platformStatus": {"type": "AWS"},
            "infrastructureTopology": "SingleReplica",
            "controlPlaneTopology": "SingleReplica",
        },
    }
    path = support.stack_file(
        tmp_path,
        {
            "aws:region": "us-east-1",
            "openshift-registry:platform": "aws",
            "openshift-registry:storage": {"s3": {"bucket": "corp-sno-registry"}},
        },
    )
    stack = load_stack_file(path)
    applied = evaluate(stack, cluster=ClusterState({INFRASTRUCTURE: infrastructure}, source="a test", read=True))
    (patch,) = [r for r in applied.registrations if r.type.endswith(":ConfigPatch")]
    spec = patch.inputs["spec"]
    assert spec["replicas"] == 1
    dump = tmp_path / "sno"
    dump.mkdir()
    objects = [
        infrastructure,
        {
            "apiVersion": CONFIG[0],
            "kind": "Config",
            "metadata": {"name": "cluster"},
            "spec": spec,
            "status": {"conditions": healthy_conditions()},
        },
    ]
    (dump / "objects.yaml").write_text(yaml.safe_dump({"apiVersion": "v1", "kind": "List", "items": objects}))
    _, results, _ = support.run(path, dump)
    assert results["Config as the stack sets it"]["status"] == "pass", results["Config as the stack sets it"]
