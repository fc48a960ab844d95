"""Every storage.pvc and storage.emptyDir rule, fed its bad input; each message names the key and why."""

from __future__ import annotations

from typing import Any

import pytest

from components.storage.pvc.settings import quantity_bytes
from tests.support import load, problems_of, the_problem


def problems(storage: dict[str, Any], platform: str = "baremetal", **kwargs: Any) -> list[str]:
    return problems_of(platform=platform, storage=storage, **kwargs)


def only(storage: dict[str, Any], key: str, fragment: str, **kwargs: Any) -> None:
    the_problem(problems(storage, **kwargs), key, fragment)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("100Gi", 100 * 2**30), ("0.5Ti", 2**39), ("200G", 200 * 10**9), ("1024", 1024), ("1.5Mi", 1572864)],
)
def test_quantities_are_read_as_kubernetes_does(text: str, expected: int) -> None:
    assert quantity_bytes(text) == expected


@pytest.mark.parametrize("text", ["100GB", "Gi", "-1Gi", "100 Gi", "1e3", ""])
def test_non_quantities_are_none(text: str) -> None:
    assert quantity_bytes(text) is None


def test_size_below_100gi_is_refused_in_production_citing_the_documentation() -> None:
    only({"pvc": {"size": "50Gi"}}, "storage.pvc.size", "the documentation requires a claim of at least 100Gi")
    only({"pvc": {"size": "100G"}}, "storage.pvc.size", "below 100Gi")  # 100 G < 100 Gi


def test_small_claims_are_fine_outside_production() -> None:
    assert load(platform="baremetal", environment="nonproduction", storage={"pvc": {"size": "10Gi"}}).settings


@pytest.mark.parametrize("size", ["lots", "100GB", "0Gi"])
def test_size_must_be_a_quantity(size: str) -> None:
    only({"pvc": {"size": size}}, "storage.pvc.size", "is not a storage quantity")


def test_read_write_once_cannot_serve_two_replicas() -> None:
    only(
        {"pvc": {"accessMode": "ReadWriteOnce"}},
        "storage.pvc.accessMode",
        "the replicas cannot share it",
        registry={"replicas": 2},
    )


def test_read_write_once_refuses_an_explicit_rolling_update() -> None:
    only(
        {"pvc": {"accessMode": "ReadWriteOnce"}},
        "registry.rolloutStrategy",
        "the operator accepts only Recreate",
        registry={"rolloutStrategy": "RollingUpdate"},
    )


def test_one_replica_defaults_to_read_write_once_and_so_refuses_rolling_update() -> None:
    only(
        {"pvc": {}},
        "registry.rolloutStrategy",
        "Recreate",
        registry={"replicas": 1, "rolloutStrategy": "RollingUpdate"},
    )


def test_access_mode_must_be_one_of_two() -> None:
    (found,) = problems({"pvc": {"accessMode": "ReadOnlyMany"}})
    assert found.startswith("openshift-registry:storage.pvc.accessMode: ")
    assert "ReadWriteMany" in found and "ReadWriteOnce" in found


def test_block_volume_mode_is_refused_with_what_block_storage_means() -> None:
    only(
        {"pvc": {"volumeMode": "Block", "accessMode": "ReadWriteOnce"}},
        "storage.pvc.volumeMode",
        "'block storage' means a ReadWriteOnce Filesystem volume on a block device",
        registry={"replicas": 1},
    )


def test_claim_name_must_be_a_kubernetes_name() -> None:
    only({"pvc": {"claim": "Registry_Storage"}}, "storage.pvc.claim", "is not a valid claim name")


def test_adopted_claims_take_no_size_or_class() -> None:
    found = problems({"pvc": {"adopt": True, "size": "200Gi", "storageClass": "thin-csi"}})
    assert sorted(p.split(": ")[0] for p in found) == [
        "openshift-registry:storage.pvc.size",
        "openshift-registry:storage.pvc.storageClass",
    ]
    assert all("has no effect with adopt: true" in p for p in found)


def test_nfs_storage_class_is_a_warning_not_an_error() -> None:
    loaded = load(platform="baremetal", storage={"pvc": {"storageClass": "nfs-client"}})
    (warning,) = loaded.warnings
    assert str(warning).startswith("openshift-registry:storage.pvc.storageClass: ")
    assert "advises against RHEL NFS" in str(warning)


def test_empty_dir_is_refused_in_production() -> None:
    only({"emptyDir": {}}, "storage.emptyDir", "only for nonproduction stacks")


def test_empty_dir_allows_one_replica_only() -> None:
    only(
        {"emptyDir": {}},
        "registry.replicas",
        "emptyDir allows 1 replica",
        environment="nonproduction",
        registry={"replicas": 2},
    )


def test_empty_dir_takes_no_fields() -> None:
    (found,) = problems({"emptyDir": {"medium": "Memory"}}, environment="nonproduction")
    assert found.startswith("openshift-registry:storage.emptyDir.medium: ")


def test_pvc_is_only_for_bare_metal_and_vsphere() -> None:
    only({"pvc": {}}, "storage.pvc", "not available on platform aws", platform="aws")


@pytest.mark.parametrize("state", ["Managed", "Unmanaged", "Removed"])
def test_every_documented_management_state_is_allowed(state: str) -> None:
    stack = load(platform="vsphere", storage={"pvc": {}}, registry={"managementState": state}).settings
    assert stack.registry.management_state == state
