"""GCS: the registry's own access with its service account key, and the bucket as the stack meant it.

The probe speaks the JSON API the way the registry's GCS driver (distribution/registry/storage/
driver/gcs) does, under a prefix of its own that no image uses, and removes what it wrote: the
bucket read the operator does on every sync (``bucketExists`` in pkg/storage/gcs/gcs.go); a
resumable upload sent in two chunks (a 256 KiB chunk answered 308, then the last one), read back,
listed and deleted; a resumable upload cancelled; and the customer key on the object when the stack
names one. The second part reads the bucket with the caller's own credentials.

Endpoint: ``https://storage.googleapis.com``, or ``STORAGE_EMULATOR_HOST`` as Google's own client
libraries honour it.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable
from functools import partial
from typing import Any
from urllib.parse import quote

import google.auth
from google.auth import identity_pool
from google.auth.exceptions import OAuthError, RefreshError
from google.auth.transport.requests import AuthorizedSession
from google.oauth2 import service_account

from components.checks import (
    ACCESS,
    INSTALLER,
    INTENDED,
    KEYLESS,
    PREFIX,
    Check,
    TokenSource,
    cleaned_up,
    failed,
    needs_live_token,
    not_applicable,
    not_run,
    passed,
    probe_all,
    reason,
    secret_values,
)
from components.cluster.state import ClusterState
from components.settings.stack import StackSettings
from components.storage.gcs import spec
from components.storage.gcs.row import KEYS, WIF_KEYS
from components.storage.gcs.settings import GcsSettings

ENDPOINT_ENV = "STORAGE_EMULATOR_HOST"
READ_WRITE = "https://www.googleapis.com/auth/devstorage.read_write"
READ_ONLY = "https://www.googleapis.com/auth/devstorage.read_only"
CHUNK = 256 * 1024  # a resumable upload's chunks are multiples of 256 KiB, but for the last
TIMEOUT = 30


def endpoint() -> str:
    host = os.environ.get(ENDPOINT_ENV) or "https://storage.googleapis.com"
    return (host if "://" in host else f"http://{host}").rstrip("/")


class GcsError(Exception):
    """A JSON API answer other than the one the probe expects, with Google's own reason."""

    def __init__(self, step: str, status: int, body: str) -> None:
        try:
            error = json.loads(body).get("error", {})
            message = error.get("message", "") if isinstance(error, dict) else str(error)
        except (ValueError, AttributeError):
            message = body
        super().__init__(f"{step}: HTTP {status} {message[:200]}".strip())
        self.step, self.status = step, status


def _expect(response: Any, step: str, *statuses: int) -> Any:
    if response.status_code not in statuses:
        raise GcsError(step, response.status_code, response.text)
    return response


def registry_session(key_file: str) -> Any:
    """A session with the registry's own key, as the driver's ``google.JWTConfigFromJSON`` makes one."""

    info = json.loads(key_file)
    return AuthorizedSession(service_account.Credentials.from_service_account_info(info, scopes=[READ_WRITE]))


def caller_session() -> Any:
    """The caller's own credentials (gcloud's application default login, a key file, metadata server)."""

    credentials, _ = google.auth.default(scopes=[READ_ONLY])
    return AuthorizedSession(credentials)


def access_checks(gcs: GcsSettings, bucket: str, key_file: str | None, session: Any = None) -> list[Check]:
    """With the registry's key file, or ``session``: the registry's session got another way (keyless)."""
    if session is not None:
        return _probes(session, gcs, bucket)
    if gcs.credentials == "workloadIdentity":
        return [not_applicable(ACCESS, "the registry's access", KEYLESS)]
    if not key_file:
        return [not_run(ACCESS, "the registry's key", "no REGISTRY_STORAGE_GCS_KEYFILE in the credential secret")]
    try:
        session = registry_session(key_file)
    except (ValueError, KeyError, TypeError) as error:
        return [
            failed(
                ACCESS,
                "the registry's key",
                f"REGISTRY_STORAGE_GCS_KEYFILE is not a service account key ({type(error).__name__})",
                "`pulumi up --refresh` writes the key again",
            )
        ]
    return _probes(session, gcs, bucket)


def _probes(session: Any, gcs: GcsSettings, bucket: str) -> list[Check]:
    name = f"{PREFIX}/{uuid.uuid4().hex}"
    probes: tuple[tuple[str, Callable[[], Check]], ...] = (
        ("bucket readable (operator)", lambda: _bucket_read(session, bucket)),
        ("resumable upload, read, list, delete", lambda: _round_trip(session, bucket, name, gcs)),
        ("resumable upload, cancelled", lambda: _cancelled(session, bucket, f"{name}-cancel")),
    )
    keyless = gcs.credentials == "workloadIdentity"
    return probe_all(ACCESS, [(label, partial(_refused_fails, label, probe, keyless)) for label, probe in probes])


def _refused_fails(label: str, probe: Callable[[], Check], keyless: bool = False) -> Check:
    """With the registry's own key, a refusal is the finding: a push or the operator's sync fails the same way."""

    try:
        return probe()
    except (RefreshError, OAuthError) as error:  # STS answers a refused exchange with an OAuth error
        if keyless:
            return failed(
                ACCESS,
                label,
                f"Google refused the registry's token exchange: {' '.join(str(error).split())[:160]}",
                "the pool's provider must trust the cluster's issuer, and the service account let the pool's "
                "principal impersonate it: `pulumi up --refresh` puts the stack's back",
            )
        return failed(
            ACCESS,
            label,
            f"Google refused the registry's key: {str(error)[:160]}",
            "the key in REGISTRY_STORAGE_GCS_KEYFILE was deleted or is wrong: `pulumi up --refresh` "
            "writes the service account's current key",
        )
    except GcsError as error:
        if error.status == 404 and error.step in ("buckets.get", "resumable upload start"):
            return failed(
                ACCESS,
                label,
                f"{error}: the bucket does not exist",
                "`pulumi refresh` shows whether the stack's bucket is gone",
            )
        if error.status not in (401, 403):
            raise
        return failed(
            ACCESS,
            label,
            f"{error} with the registry's own key",
            f"the service account needs {', '.join(spec.BUCKET_ROLES)} on the bucket: "
            "`pulumi up --refresh` restores the grants",
        )


def _bucket_read(session: Any, bucket: str) -> Check:
    _expect(session.get(f"{endpoint()}/storage/v1/b/{bucket}", timeout=TIMEOUT), "buckets.get", 200)
    return passed(ACCESS, "bucket readable (operator)", "storage.buckets.get")


def _object_url(bucket: str, name: str) -> str:
    return f"{endpoint()}/storage/v1/b/{bucket}/o/{quote(name, safe='')}"


def _start(session: Any, bucket: str, name: str) -> str:
    response = session.post(
        f"{endpoint()}/upload/storage/v1/b/{bucket}/o",
        params={"uploadType": "resumable", "name": name},
        headers={"X-Upload-Content-Type": "application/octet-stream"},
        json={},
        timeout=TIMEOUT,
    )
    location = _expect(response, "resumable upload start", 200).headers.get("Location")
    if not location:
        raise GcsError("resumable upload start", response.status_code, "no session URI in Location")
    return str(location)


def _chunk(session: Any, upload: str, data: bytes, start: int, total: str) -> Any:
    content_range = f"bytes {start}-{start + len(data) - 1}/{total}"
    return session.put(
        upload, data=data, headers={"Content-Range": content_range}, timeout=TIMEOUT, allow_redirects=False
    )


def _round_trip(session: Any, bucket: str, name: str, gcs: GcsSettings) -> Check:
    label = "resumable upload, read, list, delete"
    first, last = b"r" * CHUNK, b"openshift-registry verify"
    upload = _start(session, bucket, name)
    _expect(_chunk(session, upload, first, 0, "*"), "first chunk", 308)
    stored = _expect(_chunk(session, upload, last, CHUNK, str(CHUNK + len(last))), "last chunk", 200, 201).json()

    def delete() -> None:
        _expect(session.delete(_object_url(bucket, name), timeout=TIMEOUT), "objects.delete", 204, 200)

    with cleaned_up(delete):
        media = session.get(_object_url(bucket, name), params={"alt": "media"}, timeout=TIMEOUT)
        body = _expect(media, "objects.get", 200).content
        found = session.get(f"{endpoint()}/storage/v1/b/{bucket}/o", params={"prefix": name}, timeout=TIMEOUT)
        listed = _expect(found, "objects.list", 200).json()
    delete()
    names = [item.get("name") for item in listed.get("items", [])]
    if body != first + last or name not in names:
        return failed(
            ACCESS,
            label,
            "the object did not come back as written",
            "check the bucket's retention policy and object holds",
        )
    if gcs.key_id and not str(stored.get("kmsKeyName", "")).startswith(gcs.key_id):
        return failed(
            ACCESS,
            label,
            f"the object was stored without {gcs.key_id} ({stored.get('kmsKeyName')})",
            "`pulumi up --refresh` sets the bucket's default key; the service agent needs the key's "
            "encrypter/decrypter role",
        )
    return passed(ACCESS, label, f"gs://{bucket}/{PREFIX}/... in two chunks")


def _cancelled(session: Any, bucket: str, name: str) -> Check:
    upload = _start(session, bucket, name)
    _expect(_chunk(session, upload, b"c" * CHUNK, 0, "*"), "first chunk", 308)
    # Google answers a cancelled session 499; the object never exists.
    _expect(session.delete(upload, timeout=TIMEOUT), "cancel", 499, 204)
    _expect(session.get(_object_url(bucket, name), timeout=TIMEOUT), "objects.get after cancel", 404)
    return passed(ACCESS, "resumable upload, cancelled")


# --- the bucket as intended, with the caller's own credentials ---


def intended_checks(gcs: GcsSettings, bucket: str, session: Callable[[], Any]) -> list[Check]:
    """What the stack set on a bucket it created (``spec.py: bucket``), read back."""
    if not gcs.creates_bucket:
        return [not_applicable(INTENDED, "bucket settings", "the bucket is adopted: the stack sets nothing on it")]
    try:
        response = session().get(f"{endpoint()}/storage/v1/b/{bucket}", timeout=TIMEOUT)
        if response.status_code == 404:
            return [
                failed(
                    INTENDED,
                    "bucket settings",
                    f"gs://{bucket} does not exist",
                    "`pulumi refresh` shows whether the stack's bucket is gone",
                )
            ]
        found = _expect(response, "buckets.get", 200).json()
    except Exception as error:  # no credentials, no permission, no network: the checks could not run
        return [not_run(INTENDED, "bucket settings", reason(error))]
    iam = found.get("iamConfiguration") or {}
    uniform = (iam.get("uniformBucketLevelAccess") or {}).get("enabled") is True
    prevention = iam.get("publicAccessPrevention")
    cleanup = _has_cleanup_rule(found)
    checks = [
        _check(
            "uniform bucket-level access",
            uniform,
            "uniformBucketLevelAccess is " + ("on" if uniform else "off"),
            "object ACLs are back in force: `pulumi up --refresh` turns it on (within 90 days of turning it off)",
        ),
        _check(
            "public access prevention",
            prevention == "enforced",
            f"publicAccessPrevention is {prevention!r}",
            "the bucket can be made public: `pulumi up --refresh` enforces prevention again",
        ),
        _check(
            "multipart cleanup rule",
            cleanup,
            "AbortIncompleteMultipartUpload after 1 day"
            if cleanup
            else "no rule aborts incomplete multipart uploads after 1 day",
            "`pulumi up --refresh` puts the rule back (interrupted pushes otherwise pile up)",
        ),
    ]
    if gcs.key_id:
        key = (found.get("encryption") or {}).get("defaultKmsKeyName")
        checks.append(
            _check(
                "default encryption key",
                key == gcs.key_id,
                f"defaultKmsKeyName is {key!r}",
                f"`pulumi up --refresh` sets {gcs.key_id} as the default",
            )
        )
    return checks


def _has_cleanup_rule(bucket: dict[str, Any]) -> bool:
    wanted = spec.lifecycle_rules()[0]
    for rule in (bucket.get("lifecycle") or {}).get("rule") or []:
        condition = rule.get("condition") or {}
        if rule.get("action", {}).get("type") == wanted["action"]["type"] and condition.get("age") == 1:
            return True
    return False


def _check(label: str, holds: bool, detail: str, fix: str) -> Check:
    return passed(INTENDED, label, detail) if holds else failed(INTENDED, label, detail, fix)


def checks(
    settings: StackSettings,
    values: dict[str, str],
    state: ClusterState,
    config: dict[str, Any],
    token: TokenSource | None,
) -> list[Check]:
    """The registry's own access with its key file (or, with ``workloadIdentity``, the identity it gets with
    its token), and the bucket as intended."""
    model = settings.storage.gcs
    assert model is not None
    bucket = spec.bucket_name(model, settings.identity)
    intended = intended_checks(model, bucket, caller_session)
    if model.credentials == "workloadIdentity":
        session = federated_session(state, token)
        if isinstance(session, Check):
            return [session, *intended]
        return [*access_checks(model, bucket, None, session), *intended]
    return [*access_checks(model, bucket, values.get(KEYS[0])), *intended]


class _RegistryToken(identity_pool.SubjectTokenSupplier):
    """The registry's service account token, asked of the cluster (not the pod's file, which only pods have)."""

    def __init__(self, token: TokenSource) -> None:
        self.token = token

    def get_subject_token(self, context: Any, request: Any) -> str:
        return self.token()


WIF_NAME = "the registry's federated identity"


def federated_session(state: ClusterState, token: TokenSource | None) -> Any:
    """As the registry gets in with ``workloadIdentity``: the external account configuration ccoctl or the stack
    wrote into installer-cloud-credentials (``service_account.json``), its subject token the registry's service
    account token (audience ``openshift``), exchanged at Google's STS and impersonating the service account."""
    if token is None:
        return needs_live_token("identity")
    text = secret_values(state.get(INSTALLER)).get(WIF_KEYS[0], "")
    try:
        info = json.loads(text)
        credentials = identity_pool.Credentials(
            audience=info["audience"],
            subject_token_type=info["subject_token_type"],
            token_url=info.get("token_url", "https://sts.googleapis.com/v1/token"),
            service_account_impersonation_url=info.get("service_account_impersonation_url"),
            subject_token_supplier=_RegistryToken(token),
            scopes=[READ_WRITE],
        )
    except (ValueError, KeyError, TypeError) as error:
        return failed(
            ACCESS,
            WIF_NAME,
            f"installer-cloud-credentials holds no external account configuration ({type(error).__name__})",
            "`pulumi up` writes it (the stack's pool, provider and service account)",
        )
    return AuthorizedSession(credentials)
