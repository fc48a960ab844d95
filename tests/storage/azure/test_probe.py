"""``python -m verify`` on Azure: the registry's own access against Azurite (a real Azure Blob API,
on 127.0.0.1, started and stopped here), and the account as intended against recorded Azure
Resource Manager responses (``tests/recorded/azure``), replayed at the HTTP level. The cluster is
an `oc get` dump.
"""

from __future__ import annotations

import base64
import copy
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

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


# Keyless: the registry's service account token as the client assertion Entra ID exchanges for its identity's.
TENANT, CLIENT = "11111111-2222-3333-4444-555555555555", "66666666-7777-8888-9999-000000000000"
REGISTRY_TOKEN = "eyJhbGciOiJSUzI1NiJ9.registry-service-account-token.signature"
LOGIN = "https://login.microsoftonline.com"


def _jwt(claims: dict[str, Any]) -> str:
    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'RS256', 'typ': 'JWT'})}.{part(claims)}.c2lnbmF0dXJl"


class EntraId:
    """Entra ID's token endpoint as the registry's assertion meets it: the token it issues is one Azurite's
    OAuth accepts for the storage audience."""

    def __init__(self, mock: responses.RequestsMock) -> None:
        self.refuse = False
        self.asked: list[dict[str, str]] = []
        authority = f"{LOGIN}/{TENANT}"
        mock.add_callback("POST", f"{authority}/oauth2/v2.0/token", self.token)

    def token(self, request: Any) -> tuple[int, dict, str]:
        form = {
            k: v[0]
            for k, v in parse_qs(request.body if isinstance(request.body, str) else request.body.decode()).items()
        }
        self.asked.append(form)
        if self.refuse:
            error = {
                "error": "invalid_client",
                "error_description": "AADSTS70021: No matching federated identity record found",
            }
            return 400, {"Content-Type": "application/json"}, json.dumps(error)
        now = int(time.time())
        claims = {"aud": "https://storage.azure.com", "iss": f"https://sts.windows.net/{TENANT}/", "tid": TENANT,
                  "oid": CLIENT, "nbf": now - 60, "iat": now - 60, "exp": now + 3600}  # fmt: skip
        body = {"access_token": _jwt(claims), "token_type": "Bearer", "expires_in": 3600}
        return 200, {"Content-Type": "application/json"}, json.dumps(body)


@pytest.fixture(scope="module")
def oauth_blob_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    from tests.certs import make, signed_by

    folder = tmp_path_factory.mktemp("azurite-tls")
    ca = make("Test CA", ca=True)
    server = signed_by(ca, "localhost")
    for name, pem in (("tls.crt", server.certificate), ("tls.key", server.key), ("ca.crt", ca.certificate)):
        (folder / name).write_text(pem)
    with azurite({ACCOUNT: KEY}, (folder / "tls.crt", folder / "tls.key")) as url:
        yield f"{url}/{ACCOUNT}", folder / "ca.crt"


@pytest.fixture
def keyless(oauth_blob_service, monkeypatch: pytest.MonkeyPatch) -> Iterator[EntraId]:
    url, ca = oauth_blob_service
    monkeypatch.setenv(azure.BLOB_ENDPOINT_ENV, url)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(ca))
    made = BlobServiceClient(url, credential={"account_name": ACCOUNT, "account_key": KEY}).create_container(CONTAINER)
    try:
        with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
            mock.add_passthru("https://localhost")
            yield EntraId(mock)
    finally:
        made.delete_container()


def keyless_checks(token: Any) -> list[Any]:
    from components.checks import INSTALLER
    from components.cluster.state import ClusterState

    installer = {"azure_client_id": CLIENT, "azure_tenant_id": TENANT, "azure_region": "eastus",
                 "azure_federated_token_file": "/var/run/secrets/openshift/serviceaccount/token"}  # fmt: skip
    data = {key: base64.b64encode(value.encode()).decode() for key, value in installer.items()}
    secret = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": INSTALLER[3], "namespace": INSTALLER[2]},
              "data": data}  # fmt: skip
    model = AzureSettings(accountName=ACCOUNT, container=CONTAINER, resourceGroup=GROUP, credentials="workloadIdentity",
                          location="eastus")  # fmt: skip
    return azure.access_checks(
        model, ACCOUNT, CONTAINER, None, azure.federated_credential(model, ClusterState({INSTALLER: secret}), token)
    )


def test_workload_identity_is_probed_with_the_registrys_token_as_its_client_assertion(keyless) -> None:
    checks = keyless_checks(lambda: REGISTRY_TOKEN)
    assert {c.name: c.status for c in checks} == {
        "write, read, list, delete": "pass",
        "blocks staged and committed": "pass",
        "append blob (layer upload)": "pass",
        "server-side copy (move)": "pass",
    }, checks
    asked = keyless.asked[0]
    assert asked["client_assertion"] == REGISTRY_TOKEN and asked["client_id"] == CLIENT
    assert asked["client_assertion_type"] == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
    assert asked["scope"] == "https://storage.azure.com/.default"


def test_a_federated_credential_that_refuses_the_token_fails_with_the_fix(keyless) -> None:
    keyless.refuse = True
    first = keyless_checks(lambda: REGISTRY_TOKEN)[0]
    assert first.status == "fail" and "Entra ID refused the registry's token" in first.detail
    assert "issuer" in first.fix and "pulumi up --refresh" in first.fix


def test_without_a_live_cluster_the_managed_identity_is_not_applicable() -> None:
    from components.cluster.state import ClusterState

    model = AzureSettings(accountName=ACCOUNT, container=CONTAINER, resourceGroup=GROUP, credentials="workloadIdentity",
                          location="eastus")  # fmt: skip
    answer = azure.federated_credential(model, ClusterState(), None)
    assert answer.status == "n/a" and "live cluster" in answer.detail
