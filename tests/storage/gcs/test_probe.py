"""``python -m verify`` on GCS, at the HTTP level against recorded responses (``tests/recorded/gcs``):
no implementation of the GCS JSON API can be installed here. The replay keeps the objects the probe
writes, so the resumable protocol (a session URI, a 308 for a chunk, the final 200, a 499 for a
cancelled session) and the clean-up are checked request by request. The registry's key is a real
RSA key made here: google-auth signs its token request as it would against Google.
"""

from __future__ import annotations

import copy
import json
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

import pytest
import responses
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from google.auth.transport.requests import AuthorizedSession
from google.oauth2.credentials import Credentials

from components.storage.gcs import probe as gcs
from components.storage.gcs.settings import GcsSettings
from tests import verify_support as support

BUCKET, PROJECT = "corp-ocp-registry", "corp-ocp"
KMS_KEY = "projects/corp-ocp/locations/us-central1/keyRings/registry/cryptoKeys/registry"
API = "https://storage.googleapis.com"
TOKEN_URI = "https://oauth2.googleapis.com/token"
RECORDED = Path(__file__).resolve().parents[2] / "recorded" / "gcs"


def recorded(name: str) -> dict[str, Any]:
    return json.loads((RECORDED / f"{name}.json").read_text())


@pytest.fixture(scope="module")
def key_file() -> str:
    """A service account key as IAM issues one (the private key made here, 2048-bit RSA)."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    return json.dumps(
        {
            "type": "service_account",
            "project_id": PROJECT,
            "private_key_id": uuid.uuid4().hex,
            "private_key": pem,
            "client_email": f"registry@{PROJECT}.iam.gserviceaccount.com",
            "client_id": "104857600000000000001",
            "auth_uri": "https://accounts.google.com/o/oauth2/auth",
            "token_uri": TOKEN_URI,
        }
    )


class Replay:
    """The JSON API's answers for one bucket, from the recorded bodies, keeping what the probe writes."""

    def __init__(self, mock: responses.RequestsMock) -> None:
        self.bucket: dict[str, Any] | None = recorded("bucket")
        self.denied: set[str] = set()
        """Permissions the registry's service account lacks."""
        self.objects: dict[str, bytes] = {}
        self.sessions: dict[str, dict[str, Any]] = {}
        self.token_status = 200
        self.object_kms: str | None = f"{KMS_KEY}/cryptoKeyVersions/1"
        mock.add_callback("POST", TOKEN_URI, self.token)
        mock.add_callback("GET", f"{API}/storage/v1/b/{BUCKET}", self.get_bucket)
        mock.add_callback("POST", f"{API}/upload/storage/v1/b/{BUCKET}/o", self.start)
        mock.add_callback("PUT", re.compile(rf"{API}/upload/storage/v1/b/{BUCKET}/o\?.*upload_id="), self.chunk)
        mock.add_callback("DELETE", re.compile(rf"{API}/upload/storage/v1/b/{BUCKET}/o\?.*upload_id="), self.cancel)
        mock.add_callback("GET", f"{API}/storage/v1/b/{BUCKET}/o", self.list)
        mock.add_callback("GET", re.compile(rf"{API}/storage/v1/b/{BUCKET}/o/[^?]+"), self.get_object)
        mock.add_callback("DELETE", re.compile(rf"{API}/storage/v1/b/{BUCKET}/o/[^?]+"), self.delete_object)

    def _registry(self, request: Any, permission: str) -> tuple[int, dict, str] | None:
        caller = request.headers.get("Authorization", "")
        if caller == "Bearer " + recorded("token")["access_token"] and permission in self.denied:
            body = json.dumps(recorded("forbidden")).replace("storage.objects.delete", permission)
            return 403, {}, body
        return None

    def token(self, request: Any) -> tuple[int, dict, str]:
        form = parse_qs(request.body if isinstance(request.body, str) else request.body.decode())
        assert form["grant_type"] == ["urn:ietf:params:oauth:grant-type:jwt-bearer"] and form["assertion"]
        if self.token_status != 200:
            return self.token_status, {}, json.dumps(recorded("invalid-grant"))
        return 200, {}, json.dumps(recorded("token"))

    def get_bucket(self, request: Any) -> tuple[int, dict, str]:
        if self.bucket is None:
            return (
                404,
                {},
                json.dumps(recorded("not-found")).replace("No such object: corp-ocp-registry/NAME", "Not Found"),
            )
        return self._registry(request, "storage.buckets.get") or (200, {}, json.dumps(self.bucket))

    def start(self, request: Any) -> tuple[int, dict, str]:
        query = parse_qs(urlparse(request.url).query)
        assert query["uploadType"] == ["resumable"]
        if self.bucket is None:
            return (
                404,
                {},
                json.dumps(recorded("not-found")).replace("No such object: corp-ocp-registry/NAME", "Not Found"),
            )
        if refused := self._registry(request, "storage.objects.create"):
            return refused
        upload = uuid.uuid4().hex
        self.sessions[upload] = {"name": query["name"][0], "data": b""}
        location = (
            f"{API}/upload/storage/v1/b/{BUCKET}/o?uploadType=resumable&name={query['name'][0]}&upload_id={upload}"
        )
        return 200, {"Location": location}, ""

    def chunk(self, request: Any) -> tuple[int, dict, str]:
        upload = parse_qs(urlparse(request.url).query)["upload_id"][0]
        session = self.sessions[upload]
        first, last, total = re.fullmatch(r"bytes (\d+)-(\d+)/(\d+|\*)", request.headers["Content-Range"]).groups()
        assert int(first) == len(session["data"]) and int(last) - int(first) + 1 == len(request.body)
        session["data"] += request.body
        if total == "*":
            assert len(session["data"]) % gcs.CHUNK == 0, "a chunk that is not the last is a multiple of 256 KiB"
            return 308, {"Range": f"bytes=0-{len(session['data']) - 1}"}, ""
        self.objects[session["name"]] = self.sessions.pop(upload)["data"]
        stored = json.loads(json.dumps(recorded("object")).replace("NAME", session["name"]))
        stored["size"] = str(len(session["data"]))
        if self.object_kms is None:
            stored.pop("kmsKeyName")
        return 200, {}, json.dumps(stored)

    def cancel(self, request: Any) -> tuple[int, dict, str]:
        self.sessions.pop(parse_qs(urlparse(request.url).query)["upload_id"][0])
        return 499, {}, ""

    def list(self, request: Any) -> tuple[int, dict, str]:
        prefix = parse_qs(urlparse(request.url).query).get("prefix", [""])[0]
        items = [{**recorded("object"), "name": name} for name in self.objects if name.startswith(prefix)]
        return (
            200,
            {},
            json.dumps({"kind": "storage#objects", "items": items} if items else {"kind": "storage#objects"}),
        )

    def _name(self, request: Any) -> str:
        return unquote(urlparse(request.url).path.split("/o/", 1)[1])

    def get_object(self, request: Any) -> tuple[int, dict, str | bytes]:
        if refused := self._registry(request, "storage.objects.get"):
            return refused
        name = self._name(request)
        if name not in self.objects:
            return 404, {}, json.dumps(recorded("not-found")).replace("NAME", name)
        if "alt=media" in request.url:
            return 200, {}, self.objects[name]
        return 200, {}, json.dumps({**recorded("object"), "name": name})

    def delete_object(self, request: Any) -> tuple[int, dict, str]:
        if refused := self._registry(request, "storage.objects.delete"):
            return refused
        self.objects.pop(self._name(request))
        return 204, {}, ""


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch) -> Iterator[Replay]:
    monkeypatch.delenv(gcs.ENDPOINT_ENV, raising=False)
    monkeypatch.setattr(gcs, "caller_session", lambda: AuthorizedSession(Credentials("the-callers-token")))
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield Replay(mock)


def stack_file(tmp_path: Path, **settings: Any) -> Path:
    storage = {"bucket": BUCKET, "region": "us-central1", "projectID": PROJECT, "keyID": KMS_KEY, **settings}
    return support.stack_file(
        tmp_path,
        {
            "gcp:project": PROJECT,
            "openshift-registry:platform": "gcp",
            "openshift-registry:storage": {"gcs": {k: v for k, v in storage.items() if v is not None}},
        },
    )


def dump(tmp_path: Path, key_file: str | None) -> Path:
    block = {"bucket": BUCKET, "region": "us-central1", "projectID": PROJECT, "keyID": KMS_KEY}
    secret = {"REGISTRY_STORAGE_GCS_KEYFILE": key_file} if key_file else {}
    return support.cluster_dump(tmp_path, {"managementState": "Unmanaged", "gcs": block}, secret)


verify = support.run


def test_a_healthy_gcs_registry_passes_every_check(tmp_path, api, key_file) -> None:
    code, results, text = verify(stack_file(tmp_path), dump(tmp_path, key_file))
    assert {n: c["status"] for n, c in results.items() if c["status"] != "pass"} == {}, results
    assert code == 0
    for name in (
        "bucket readable (operator)",
        "resumable upload, read, list, delete",
        "resumable upload, cancelled",
        "uniform bucket-level access",
        "public access prevention",
        "multipart cleanup rule",
        "default encryption key",
    ):
        assert results[name]["status"] == "pass"
    assert api.objects == {} and api.sessions == {}, "the probe leaves nothing behind"
    assert "PRIVATE KEY" not in text and "recorded-registry-access-token" not in text


def test_a_missing_bucket_read_grant_fails_the_operators_own_call(tmp_path, api, key_file) -> None:
    api.denied.add("storage.buckets.get")
    code, results, _ = verify(stack_file(tmp_path), dump(tmp_path, key_file))
    check = results["bucket readable (operator)"]
    assert check["status"] == "fail" and "storage.buckets.get" in check["detail"], check
    assert "roles/storage.legacyBucketReader" in check["fix"] and "pulumi up --refresh" in check["fix"]
    assert results["resumable upload, read, list, delete"]["status"] == "pass" and code == 1


def test_a_missing_object_permission_fails_the_upload_check(tmp_path, api, key_file) -> None:
    api.denied.add("storage.objects.delete")
    _, results, _ = verify(stack_file(tmp_path), dump(tmp_path, key_file))
    check = results["resumable upload, read, list, delete"]
    assert check["status"] == "fail" and "storage.objects.delete" in check["detail"], check
    assert "roles/storage.objectAdmin" in check["fix"]


def test_a_deleted_or_wrong_key_fails_every_access_check(tmp_path, api, key_file) -> None:
    api.token_status = 400
    _, results, _ = verify(stack_file(tmp_path), dump(tmp_path, key_file))
    for name in ("bucket readable (operator)", "resumable upload, read, list, delete", "resumable upload, cancelled"):
        assert results[name]["status"] == "fail" and "invalid_grant" in results[name]["detail"], results[name]
        assert "REGISTRY_STORAGE_GCS_KEYFILE" in results[name]["fix"]


def test_a_key_file_that_is_not_a_service_account_key_fails(tmp_path, api) -> None:
    _, results, text = verify(stack_file(tmp_path), dump(tmp_path, '{"type": "authorized_user"}'))
    assert "authorized_user" not in text, "the key file is never echoed"
    assert results["the registry's key"]["status"] == "fail"


def test_no_key_in_the_secret_is_a_check_that_could_not_run(tmp_path, api) -> None:
    code, results, _ = verify(stack_file(tmp_path), dump(tmp_path, None))
    assert results["the registry's key"]["status"] == "not run" and code == 1


def test_an_object_stored_without_the_customer_key_fails(tmp_path, api, key_file) -> None:
    api.object_kms = None
    _, results, _ = verify(stack_file(tmp_path), dump(tmp_path, key_file))
    check = results["resumable upload, read, list, delete"]
    assert check["status"] == "fail" and KMS_KEY in check["detail"]


def test_a_bucket_changed_by_hand_fails_each_matching_check(tmp_path, api, key_file) -> None:
    changed = copy.deepcopy(recorded("bucket"))
    changed["iamConfiguration"] = {
        "uniformBucketLevelAccess": {"enabled": False},
        "publicAccessPrevention": "inherited",
    }
    changed.pop("lifecycle")
    changed.pop("encryption")
    api.bucket = changed
    code, results, _ = verify(stack_file(tmp_path), dump(tmp_path, key_file))
    for name, detail in (
        ("uniform bucket-level access", "off"),
        ("public access prevention", "'inherited'"),
        ("multipart cleanup rule", "no rule"),
        ("default encryption key", "None"),
    ):
        assert results[name]["status"] == "fail" and detail in results[name]["detail"], results[name]
        assert "pulumi up --refresh" in results[name]["fix"]
    assert code == 1


def test_a_caller_who_cannot_read_the_bucket_gets_checks_that_could_not_run() -> None:
    model = GcsSettings(bucket=BUCKET, region="us-central1", projectID=PROJECT)

    def refusing_session() -> Any:
        raise RuntimeError("Your default credentials were not found")

    [check] = gcs.intended_checks(model, BUCKET, refusing_session)
    assert check.status == "not run" and "default credentials" in check.detail


def test_workload_identity_and_adopted_buckets_are_not_probed_with_what_they_lack() -> None:
    keyless = GcsSettings(bucket=BUCKET, region="us-central1", projectID=PROJECT, credentials="workloadIdentity")
    [probe] = gcs.access_checks(keyless, BUCKET, None)
    assert probe.status == "n/a" and "keyless" in probe.detail
    adopted = GcsSettings(bucket=BUCKET, adopt=True)
    [intended] = gcs.intended_checks(adopted, BUCKET, lambda: pytest.fail("no call for an adopted bucket"))
    assert intended.status == "n/a" and "adopted" in intended.detail


def test_the_emulator_host_overrides_the_endpoint(monkeypatch) -> None:
    monkeypatch.delenv(gcs.ENDPOINT_ENV, raising=False)
    assert gcs.endpoint() == API
    monkeypatch.setenv(gcs.ENDPOINT_ENV, "127.0.0.1:4443")
    assert gcs.endpoint() == "http://127.0.0.1:4443"
    monkeypatch.setenv(gcs.ENDPOINT_ENV, "https://gcs.private.example/")
    assert gcs.endpoint() == "https://gcs.private.example"


def test_a_clients_error_becomes_one_line_of_a_check_that_could_not_run() -> None:
    from components.checks import guarded

    def multi_line() -> Any:
        raise RuntimeError("DefaultAzureCredential failed.\nAttempted credentials:\n\tEnvironmentCredential: ...")

    check = guarded("storage as intended", "account settings", multi_line)
    assert check.status == "not run"
    one_line = "RuntimeError: DefaultAzureCredential failed. Attempted credentials: EnvironmentCredential: ..."
    assert check.detail == one_line


def test_probes_after_one_that_could_not_run_are_not_tried_but_failures_do_not_stop_them() -> None:
    from components.checks import failed, passed, probe_all

    def unreachable() -> Any:
        raise ConnectionError("refused")

    checks = probe_all(
        "registry access",
        [
            ("a", lambda: failed("registry access", "a", "denied", "grant it")),
            ("b", unreachable),
            ("c", lambda: passed("registry access", "c")),
        ],
    )
    assert [(c.name, c.status) for c in checks] == [("a", "fail"), ("b", "not run"), ("c", "not run")]
    assert checks[2].detail == "not tried: 'b' could not run"


def test_an_object_the_registry_cannot_read_back_is_still_removed(tmp_path, api, key_file) -> None:
    api.denied.add("storage.objects.get")
    _, results, _ = verify(stack_file(tmp_path), dump(tmp_path, key_file))
    check = results["resumable upload, read, list, delete"]
    assert check["status"] == "fail" and "storage.objects.get" in check["detail"], check
    assert api.objects == {}, "what the probe wrote is removed even when reading it back failed"


def test_a_bucket_that_is_gone_fails_the_probes_and_the_settings_check(tmp_path, api, key_file) -> None:
    api.bucket = None
    code, results, _ = verify(stack_file(tmp_path), dump(tmp_path, key_file))
    for name in ("bucket readable (operator)", "resumable upload, read, list, delete", "bucket settings"):
        assert results[name]["status"] == "fail" and "does not exist" in results[name]["detail"], results[name]
    assert code == 1


# Keyless: the registry's token exchanged at Google's STS, then the service account impersonated.
STS = "https://sts.googleapis.com/v1/token"
EMAIL = f"registry@{PROJECT}.iam.gserviceaccount.com"
IMPERSONATE = f"https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/{EMAIL}:generateAccessToken"
AUDIENCE = (
    "//iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/ocp-pool/providers/ocp-oidc"
)
REGISTRY_TOKEN = "eyJhbGciOiJSUzI1NiJ9.registry-service-account-token.signature"


class Exchange:
    """Google's STS and IAM Credentials as the registry's token meets them: what each was asked, and a switch
    for a trust that refuses the token."""

    def __init__(self, mock: responses.RequestsMock) -> None:
        self.refuse = False
        self.asked: list[dict[str, Any]] = []
        mock.add_callback("POST", STS, self.sts)
        mock.add_callback("POST", IMPERSONATE, self.impersonate)

    def sts(self, request: Any) -> tuple[int, dict, str]:
        body = request.body if isinstance(request.body, str) else request.body.decode()
        form = (
            {k: v[0] for k, v in parse_qs(body).items()}
            if "=" in body and not body.startswith("{")
            else json.loads(body)
        )
        self.asked.append(form)
        if self.refuse:
            error = {"error": "invalid_grant", "error_description": "The audience in ID Token does not match"}
            return 400, {}, json.dumps(error)
        return 200, {}, json.dumps({"access_token": "federated-token", "token_type": "Bearer", "expires_in": 3600,
                                    "issued_token_type": "urn:ietf:params:oauth:token-type:access_token"})  # fmt: skip

    def impersonate(self, request: Any) -> tuple[int, dict, str]:
        assert request.headers["Authorization"] == "Bearer federated-token"
        return 200, {}, json.dumps({"accessToken": "impersonated-token", "expireTime": "2099-01-01T00:00:00Z"})


@pytest.fixture
def keyless_api(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Replay, Exchange, responses.RequestsMock]]:
    monkeypatch.delenv(gcs.ENDPOINT_ENV, raising=False)
    monkeypatch.setattr(gcs, "caller_session", lambda: AuthorizedSession(Credentials("the-callers-token")))
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield Replay(mock), Exchange(mock), mock


def keyless_checks(token: Any) -> list[Any]:
    import base64

    from components.checks import INSTALLER
    from components.cluster.state import ClusterState
    from components.storage.gcs.spec import external_account
    from tests.support import settings

    config = external_account("123456789012", "ocp-pool", "ocp-oidc", EMAIL)
    data = {"service_account.json": base64.b64encode(config.encode()).decode()}
    secret = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": INSTALLER[3], "namespace": INSTALLER[2]},
              "data": data}  # fmt: skip
    block = {
        "bucket": BUCKET,
        "region": "us-central1",
        "projectID": PROJECT,
        "keyID": KMS_KEY,
        "credentials": "workloadIdentity",
        "workloadIdentityPool": "ocp-pool",
        "workloadIdentityProvider": "ocp-oidc",
    }
    issuer = {"serviceAccountIssuer": "https://issuer.example.com"}
    stack = settings(platform="gcp", storage={"gcs": block}, extra={"gcp:project": PROJECT}, cluster=issuer)
    return gcs.checks(stack, {}, ClusterState({INSTALLER: secret}), {}, token)


def test_workload_identity_is_probed_with_the_registrys_own_token_exchanged_as_it_does(keyless_api) -> None:
    replay, exchange, mock = keyless_api
    checks = keyless_checks(lambda: REGISTRY_TOKEN)
    access = {c.name: c.status for c in checks if c.area == "registry access"}
    assert access == {
        "bucket readable (operator)": "pass",
        "resumable upload, read, list, delete": "pass",
        "resumable upload, cancelled": "pass",
    }, checks
    (asked,) = exchange.asked
    assert asked["subject_token"] == REGISTRY_TOKEN and asked["audience"] == AUDIENCE
    assert asked["subject_token_type"] == "urn:ietf:params:oauth:token-type:jwt"
    uploads = {c.request.headers["Authorization"] for c in mock.calls if "/upload/" in c.request.url}
    assert uploads == {"Bearer impersonated-token"}, "the registry writes as the identity it got with its token"
    assert replay.objects == {}, "the probe leaves nothing behind"


def test_a_trust_that_refuses_the_token_fails_with_the_fix(keyless_api) -> None:
    _, exchange, _ = keyless_api
    exchange.refuse = True
    checks = keyless_checks(lambda: REGISTRY_TOKEN)
    first = next(c for c in checks if c.area == "registry access")
    assert first.status == "fail" and "token exchange" in first.detail and "issuer" in first.fix


def test_without_a_live_cluster_the_federated_identity_is_not_applicable(keyless_api) -> None:
    first = next(c for c in keyless_checks(None) if c.area == "registry access")
    assert first.status == "n/a" and "live cluster" in first.detail
