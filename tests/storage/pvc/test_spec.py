"""The claim, the Config patch on bare metal and vSphere, and what these stacks do not touch."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support import by_type, cloud_sdks_imported, crd_violations, evaluate_config, one

CLAIM = "kubernetes:core/v1:PersistentVolumeClaim"
CONFIG = "kubernetes:imageregistry.operator.openshift.io/v1:ConfigPatch"


def config_spec(evaluation: Any) -> dict[str, Any]:
    patch = one(evaluation, CONFIG)
    assert crd_violations("configs", patch.inputs) == []
    assert crd_violations("configs", patch.inputs, "4.6") == []
    return patch.inputs["spec"]


def test_shared_claim_for_two_replicas() -> None:
    evaluation = evaluate_config(
        platform="baremetal", storage={"pvc": {"size": "500Gi", "storageClass": "ocs-storagecluster-cephfs"}}
    )
    claim = one(evaluation, CLAIM)
    assert claim.inputs["metadata"]["name"] == "image-registry-storage"
    assert claim.inputs["metadata"]["namespace"] == "openshift-image-registry"
    assert claim.inputs["metadata"]["annotations"] == {"pulumi.com/skipAwait": "true"}
    assert claim.inputs["spec"] == {
        "accessModes": ["ReadWriteMany"],
        "resources": {"requests": {"storage": "500Gi"}},
        "storageClassName": "ocs-storagecluster-cephfs",
        "volumeMode": "Filesystem",
    }
    assert (claim.protect, claim.retain_on_delete) == (True, True)
    spec = config_spec(evaluation)
    assert spec["replicas"] == 2
    assert "rolloutStrategy" not in spec
    assert spec["managementState"] == "Managed"
    assert spec["storage"] == {"managementState": "Unmanaged", "pvc": {"claim": "image-registry-storage"}}
    assert claim.urn in one(evaluation, CONFIG).depends_on


def test_read_write_once_gives_one_replica_and_recreate() -> None:
    evaluation = evaluate_config(platform="vsphere", storage={"pvc": {"accessMode": "ReadWriteOnce", "claim": "reg"}})
    assert one(evaluation, CLAIM).inputs["spec"]["accessModes"] == ["ReadWriteOnce"]
    assert "storageClassName" not in one(evaluation, CLAIM).inputs["spec"]  # the cluster's default class
    spec = config_spec(evaluation)
    assert (spec["replicas"], spec["rolloutStrategy"]) == (1, "Recreate")
    assert spec["storage"]["pvc"] == {"claim": "reg"}


def test_one_replica_alone_chooses_read_write_once() -> None:
    evaluation = evaluate_config(platform="vsphere", storage={"pvc": {}}, registry={"replicas": 1})
    assert one(evaluation, CLAIM).inputs["spec"]["accessModes"] == ["ReadWriteOnce"]
    assert config_spec(evaluation)["rolloutStrategy"] == "Recreate"


def test_claims_are_retained_but_not_protected_outside_production() -> None:
    evaluation = evaluate_config(platform="baremetal", environment="nonproduction", storage={"pvc": {"size": "20Gi"}})
    claim = one(evaluation, CLAIM)
    assert (claim.protect, claim.retain_on_delete) == (False, True)


def test_adopted_claim_is_only_named() -> None:
    evaluation = evaluate_config(platform="baremetal", storage={"pvc": {"adopt": True, "claim": "existing"}})
    assert by_type(evaluation, CLAIM) == []
    assert config_spec(evaluation)["storage"]["pvc"] == {"claim": "existing"}


@pytest.mark.parametrize("state", ["Unmanaged", "Removed"])
def test_management_state_is_passed_on_and_storage_stays_unmanaged(state: str) -> None:
    evaluation = evaluate_config(platform="baremetal", storage={"pvc": {}}, registry={"managementState": state})
    spec = config_spec(evaluation)
    assert spec["managementState"] == state
    assert spec["storage"]["managementState"] == "Unmanaged"


def test_empty_dir_creates_nothing_but_the_patch() -> None:
    evaluation = evaluate_config(platform="baremetal", environment="nonproduction", storage={"emptyDir": {}})
    assert [r.type for r in evaluation.registrations if r.custom] == [CONFIG]
    spec = config_spec(evaluation)
    assert spec["replicas"] == 1
    # storage.managementState means nothing for emptyDir (pkg/storage/emptydir): it is not written.
    assert spec["storage"] == {"emptyDir": {}}


def test_no_credential_secret_on_volume_storage() -> None:
    evaluation = evaluate_config(platform="vsphere", storage={"pvc": {}})
    assert by_type(evaluation, "kubernetes:core/v1:Secret") == []
    assert "credentialSecret" not in evaluation.outputs
    assert evaluation.outputs["claimName"] == "image-registry-storage"


@pytest.mark.parametrize("stack", ["baremetal", "vsphere", "lab"])
def test_volume_stacks_import_no_cloud_sdk(stack: str) -> None:
    assert cloud_sdks_imported(stack) == []
