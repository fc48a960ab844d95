"""``python -m verify`` on Azure: the registry's own access against Azurite (a real Azure Blob API,
on 127.0.0.1, started and stopped here), and the account as intended against recorded Azure
Resource Manager responses (``tests/recorded/azure``), replayed at the HTTP level. The cluster is
an `oc get` dump.
"""

from __future__ import annotations

import base64
import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import responses
from azure.storage.blob import BlobServiceClient

from components.checks import secret_values
from components.storage.azure import probe as azure
from components.storage.azure.settings import AzureSettings
from tests import verify_support as support
from tests.servers import azurite

ACCOUNT, CONTAINER, GROUP = "corpregistry", "registry", "ocp-registry"
SUBSCRIPTION = "00000000-0000-0000-0000-00000000abcd"
KEY = base64.b64encode(b"the registry's own account key, 64 bytes long.................").decode()
RECORDED = Path(__file__).resolve().parents[2] / "recorded" / "azure"
ARM = "https://management.azure.com"
ACCOUNT_PATH = azure.account_id(SUBSCRIPTION, GROUP, ACCOUNT)


@pytest.fixture(scope="module")
def blob_service() -> Iterator[str]:
    with azurite({ACCOUNT: KEY}) as url:
        yield f"{url}/{ACCOUNT}"


@pytest.fixture
def container(blob_service: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The container as the stack makes it, on Azurite; the blob endpoint override points there."""
    monkeypatch.setenv(azure.BLOB_ENDPOINT_ENV, blob_service)
    client = BlobServiceClient(blob_service, credential={"account_name": ACCOUNT, "account_key": KEY})
    made = client.create_container(CONTAINER)
    yield made
    client.delete_container(CONTAINER)


def recorded(name: str) -> dict[str, Any]:
    return json.loads((RECORDED / f"{name}.json").read_text())


@pytest.fixture
def arm(monkeypatch: pytest.MonkeyPatch) -> Iterator[responses.RequestsMock]:
    """Resource Manager replayed from recorded responses; the caller's token is a fixed one, and
    everything on 127.0.0.1 (Azurite) goes through untouched."""
    monkeypatch.setattr(azure, "caller_token", lambda model: lambda: "the-callers-token")
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add_passthru("http://127.0.0.1")
        yield mock


def replay(arm: responses.RequestsMock, account: dict[str, Any] | None = None, container: dict | None = None) -> None:
    arm.get(f"{ARM}{ACCOUNT_PATH}", json=account or recorded("storage-account"))
    arm.get(f"{ARM}{ACCOUNT_PATH}/blobServices/default/containers/{CONTAINER}", json=container or recorded("container"))


def stack_file(tmp_path: Path, **azure_settings: Any) -> Path:
    storage = {"accountName": ACCOUNT, "container": CONTAINER, "resourceGroup": GROUP, "location": "eastus"}
    return support.stack_file(
        tmp_path,
        {
            "azure-native:subscriptionId": SUBSCRIPTION,
            "openshift-registry:platform": "azure",
            "openshift-registry:registry": {"replicas": 2},
            "openshift-registry:storage": {"azure": {**storage, **azure_settings}},
        },
    )


def dump(tmp_path: Path, key: str | None = KEY) -> Path:
    storage = {"managementState": "Unmanaged", "azure": {"accountName": ACCOUNT, "container": CONTAINER}}
    return support.cluster_dump(tmp_path, storage, {"REGISTRY_STORAGE_AZURE_ACCOUNTKEY": key} if key else {})


verify = support.run


def test_a_healthy_azure_registry_passes_every_check(tmp_path, container, arm) -> None:
    replay(arm)
    code, results, text = verify(stack_file(tmp_path), dump(tmp_path))
    assert {name: c["status"] for name, c in results.items() if c["status"] != "pass"} == {}, results
    assert code == 0
    assert KEY not in text and base64.b64encode(KEY.encode()).decode() not in text, "the key is never shown"
    for probe in (
        "write, read, list, delete",
        "blocks staged and committed",
        "append blob (layer upload)",
        "server-side copy (move)",
        "HTTPS only",
        "TLS 1.2 or later",
        "no public blob access",
        "shared-key access",
        "container is private",
    ):
        assert results[probe]["status"] == "pass"
    asked = arm.calls[0].request
    assert asked.headers["Authorization"] == "Bearer the-callers-token"
    assert f"api-version={azure.ARM_API_VERSION}" in asked.url
    left = [blob.name for blob in container.list_blobs()]
    assert left == [], f"the probe cleans up after itself: {left}"


def test_a_wrong_account_key_fails_the_registry_access_checks(tmp_path, container, arm) -> None:
    replay(arm)
    wrong = base64.b64encode(b"x" * 64).decode()
    code, results, text = verify(stack_file(tmp_path), dump(tmp_path, wrong))
    check = results["write, read, list, delete"]
    assert check["status"] == "fail" and "AuthorizationFailure" in check["detail"], check
    assert "REGISTRY_STORAGE_AZURE_ACCOUNTKEY" in check["fix"]
    assert all(results[name]["status"] == "fail" for name in ("append blob (layer upload)", "server-side copy (move)"))
    assert code == 1 and wrong not in text


def test_a_missing_container_fails_with_what_to_do(tmp_path, blob_service, monkeypatch, arm) -> None:
    replay(arm)
    monkeypatch.setenv(azure.BLOB_ENDPOINT_ENV, blob_service)
    _, results, _ = verify(stack_file(tmp_path), dump(tmp_path))
    check = results["write, read, list, delete"]
    assert check["status"] == "fail" and "container does not exist" in check["detail"]


def test_no_key_in_the_secret_is_a_check_that_could_not_run(tmp_path, container, arm) -> None:
    replay(arm)
    code, results, _ = verify(stack_file(tmp_path), dump(tmp_path, key=None))
    assert results["the registry's key"]["status"] == "not run" and code == 1


def test_an_account_changed_by_hand_fails_each_matching_check(tmp_path, container, arm) -> None:
    drifted = copy.deepcopy(recorded("storage-account"))
    drifted["properties"].update(supportsHttpsTrafficOnly=False, minimumTlsVersion="TLS1_0", allowBlobPublicAccess=True)
    opened = copy.deepcopy(recorded("container"))
    opened["properties"]["publicAccess"] = "Blob"
    replay(arm, drifted, opened)
    code, results, _ = verify(stack_file(tmp_path), dump(tmp_path))
    for name, detail in (
        ("HTTPS only", "supportsHttpsTrafficOnly is False"),
        ("TLS 1.2 or later", "TLS1_0"),
        ("no public blob access", "allowBlobPublicAccess is True"),
        ("container is private", "Blob"),
    ):
        assert results[name]["status"] == "fail" and detail in results[name]["detail"], results[name]
        assert "pulumi up --refresh" in results[name]["fix"]
    assert results["write, read, list, delete"]["status"] == "pass" and code == 1


def test_a_caller_without_read_access_gets_checks_that_could_not_run(tmp_path, container, arm) -> None:
    arm.get(f"{ARM}{ACCOUNT_PATH}", status=403, json=recorded("authorization-failed"))
    code, results, _ = verify(stack_file(tmp_path), dump(tmp_path))
    check = results["account settings"]
    assert check["status"] == "not run" and "AuthorizationFailed" in check["detail"] and code == 1


def test_without_a_subscription_the_account_checks_say_where_to_set_one(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("AZURE_SUBSCRIPTION_ID", raising=False)
    model = AzureSettings(account_name=ACCOUNT, container=CONTAINER, resource_group=GROUP)
    [check] = azure.intended_checks(model, ACCOUNT, CONTAINER, GROUP, None, lambda path: pytest.fail("no call"))
    assert check.status == "not run" and "azure-native:subscriptionId" in check.detail


def test_a_keyless_account_must_refuse_shared_keys_and_is_not_probed_with_a_key() -> None:
    model = AzureSettings(
        account_name=ACCOUNT, container=CONTAINER, resource_group=GROUP, credentials="workloadIdentity"
    )
    [probe] = azure.access_checks(model, ACCOUNT, CONTAINER, KEY)
    assert probe.status == "n/a" and "keyless" in probe.detail
    answers = {ACCOUNT_PATH: recorded("storage-account")}
    answers[f"{ACCOUNT_PATH}/blobServices/default/containers/{CONTAINER}"] = recorded("container")
    checks = {c.name: c for c in azure.intended_checks(model, ACCOUNT, CONTAINER, GROUP, SUBSCRIPTION, answers.get)}
    assert checks["shared-key access"].status == "fail" and "keyless" in checks["shared-key access"].fix
    answers[ACCOUNT_PATH] = copy.deepcopy(answers[ACCOUNT_PATH])
    answers[ACCOUNT_PATH]["properties"]["allowSharedKeyAccess"] = False
    checks = {c.name: c for c in azure.intended_checks(model, ACCOUNT, CONTAINER, GROUP, SUBSCRIPTION, answers.get)}
    assert checks["shared-key access"].status == "pass"


def test_an_adopted_account_is_not_checked_for_settings_the_stack_never_made() -> None:
    model = AzureSettings(account_name=ACCOUNT, container=CONTAINER, resource_group=GROUP, adopt=True)
    [check] = azure.intended_checks(model, ACCOUNT, CONTAINER, GROUP, SUBSCRIPTION, lambda path: pytest.fail("no"))
    assert check.status == "n/a" and "adopted" in check.detail


@pytest.mark.parametrize(
    ("cloud", "blob", "arm_endpoint"),
    [
        ("AzurePublicCloud", "https://corpregistry.blob.core.windows.net", "https://management.azure.com"),
        (
            "AzureUSGovernmentCloud",
            "https://corpregistry.blob.core.usgovcloudapi.net",
            "https://management.usgovcloudapi.net",
        ),
        ("AzureChinaCloud", "https://corpregistry.blob.core.chinacloudapi.cn", "https://management.chinacloudapi.cn"),
    ],
)
def test_endpoints_follow_the_configs_cloud_unless_overridden(cloud, blob, arm_endpoint, monkeypatch) -> None:
    monkeypatch.delenv(azure.BLOB_ENDPOINT_ENV, raising=False)
    monkeypatch.delenv(azure.ARM_ENDPOINT_ENV, raising=False)
    model = AzureSettings(account_name=ACCOUNT, container=CONTAINER, cloud_name=cloud)
    assert (azure.blob_endpoint(model, ACCOUNT), azure.arm_endpoint(model)) == (blob, arm_endpoint)
    monkeypatch.setenv(azure.BLOB_ENDPOINT_ENV, "http://127.0.0.1:10000/corpregistry")
    monkeypatch.setenv(azure.ARM_ENDPOINT_ENV, "https://arm.private.example/")
    assert azure.blob_endpoint(model, ACCOUNT) == "http://127.0.0.1:10000/corpregistry"
    assert azure.arm_endpoint(model) == "https://arm.private.example"


def test_a_secret_value_that_is_not_base64_counts_as_missing() -> None:
    assert secret_values({"data": {"A": "bm90IGJhc2U2NA==", "B": "%%%", "C": base64.b64encode(b"\xff").decode()}}) == {
        "A": "not base64"
    }


def test_an_unreachable_blob_endpoint_is_a_check_that_could_not_run_and_the_rest_are_not_tried(monkeypatch) -> None:
    from tests.servers import free_port

    monkeypatch.setenv(azure.BLOB_ENDPOINT_ENV, f"http://127.0.0.1:{free_port()}/{ACCOUNT}")  # nothing listens
    model = AzureSettings(account_name=ACCOUNT, container=CONTAINER, resource_group=GROUP)
    first, *rest = azure.access_checks(model, ACCOUNT, CONTAINER, KEY)
    assert first.status == "not run" and "ServiceRequestError" in first.detail
    assert [c.status for c in rest] == ["not run"] * 3 and all("not tried" in c.detail for c in rest)


def test_an_account_gone_from_its_resource_group_fails(tmp_path, container, arm) -> None:
    arm.get(f"{ARM}{ACCOUNT_PATH}", status=404, json=recorded("resource-not-found"))
    _, results, _ = verify(stack_file(tmp_path), dump(tmp_path))
    check = results["account settings"]
    assert check["status"] == "fail" and "ResourceNotFound" in check["detail"] and "pulumi refresh" in check["fix"]


def test_a_malformed_account_key_fails_with_the_fix_not_an_error_type(tmp_path, container, arm) -> None:
    """Not base64: the SDK fails inside signing (AttributeError before); the finding is the key itself."""
    replay(arm)
    code, results, text = verify(stack_file(tmp_path), dump(tmp_path, "not-a-key!!"))
    check = results["the registry's key"]
    assert check["status"] == "fail" and "not an account key" in check["detail"] and "pulumi up" in check["fix"]
    assert "AttributeError" not in text and "not-a-key!!" not in text and code == 1
