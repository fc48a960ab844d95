"""Swift: the registry's own access with the credentials the operator holds, and the container as intended.

The registry's credentials are the operator's keys (``REGISTRY_STORAGE_SWIFT_*``: a user and password,
or an application credential), exchanged with Keystone as gophercloud and ncw/swift do (``POST
/v3/auth/tokens``; the object store's public endpoint from the catalog). The probe then does what
distribution's Swift driver does, under a prefix of its own that no image uses, and removes what it
wrote: the operator's existence check (``HEAD`` on the container), an object written, read, listed by
prefix and deleted, a segmented upload read back through its manifest (``X-Object-Manifest``, how the
driver writes layers), and the move that completes an upload (a server-side ``COPY``, then ``DELETE``).
The container as intended: no read ACL, and nothing readable or listable without a token.

Plain HTTP (requests): Keystone's and Swift's APIs are small, and no OpenStack client is needed.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import requests

from components.checks import ACCESS, INTENDED, PREFIX, Check, TokenSource, failed, not_run, passed, probe_all
from components.cluster.state import ClusterState
from components.settings.stack import StackSettings
from components.storage.swift import spec
from components.storage.swift.row import APPLICATION_KEYS, PASSWORD_KEYS
from components.storage.swift.settings import SwiftSettings

TIMEOUT = 30
REFRESH = "`pulumi up --refresh` writes the stack's credentials into the operator's secret again"


class RefusedError(Exception):
    """Keystone or Swift said no: the check that asked fails with this detail and fix."""

    def __init__(self, detail: str, fix: str) -> None:
        super().__init__(detail)
        self.detail, self.fix = detail, fix


def checks(
    settings: StackSettings,
    values: dict[str, str],
    state: ClusterState,
    config: dict[str, Any],
    token: TokenSource | None,
) -> list[Check]:
    """The registry's own access with the operator's keys, and the container as intended."""
    model = settings.storage.swift
    assert model is not None
    container = spec.container_name(model, settings.identity)
    keys = APPLICATION_KEYS if model.credentials == "applicationCredential" else PASSWORD_KEYS
    if not any(values.get(key) for key in keys):
        detail = f"the operator's secret holds none of {', '.join(keys)}: the registry cannot log in"
        return [failed(ACCESS, "Keystone takes the registry's credentials", detail, "`pulumi up` writes them")]
    try:
        session = login(model, values)
    except RefusedError as refused:
        return [failed(ACCESS, "Keystone takes the registry's credentials", refused.detail, refused.fix)]
    except requests.RequestException as error:
        return [not_run(ACCESS, "Keystone takes the registry's credentials", f"{type(error).__name__}: {error}")]
    return [*access_checks(session, container), *intended_checks(session, container)]


class Session:
    """A token and the object store's account URL, as the registry gets them."""

    def __init__(self, token: str, account: str) -> None:
        self.token, self.account = token, account

    def call(self, method: str, path: str = "", *, token: bool = True, **kwargs: Any) -> requests.Response:
        headers = {**({"X-Auth-Token": self.token} if token else {}), **kwargs.pop("headers", {})}
        return requests.request(method, f"{self.account}/{path}", headers=headers, timeout=TIMEOUT, **kwargs)


def login(model: SwiftSettings, values: dict[str, str]) -> Session:
    """Keystone v3, as the operator's keys allow: an application credential (by id, else by name and user),
    or a user and password scoped to the Config's project."""
    application = {key.rsplit("_", 1)[1].lower(): values.get(key, "") for key in APPLICATION_KEYS}
    if model.credentials == "applicationCredential":
        credential: dict[str, Any] = {"secret": application["applicationcredentialsecret"]}
        if application["applicationcredentialid"]:
            credential["id"] = application["applicationcredentialid"]
        else:
            credential["name"] = application["applicationcredentialname"]
        auth: dict[str, Any] = {
            "identity": {"methods": ["application_credential"], "application_credential": credential}
        }
    else:
        user, password = (values.get(key, "") for key in PASSWORD_KEYS)
        domain = {"id": model.domain_id} if model.domain_id else {"name": model.domain or "Default"}
        auth = {"identity": {"methods": ["password"], "password": {"user": {"name": user, "domain": domain,
                "password": password}}}}  # fmt: skip
        if model.tenant_id or model.tenant:
            project = {"id": model.tenant_id} if model.tenant_id else {"name": model.tenant, "domain": domain}
            auth["scope"] = {"project": project}
    url = f"{str(model.auth_url).rstrip('/')}/auth/tokens"
    answer = requests.post(url, json={"auth": auth}, timeout=TIMEOUT)
    if answer.status_code in (401, 403):
        raise RefusedError(f"Keystone refused them ({answer.status_code}) at {model.auth_url}", REFRESH)
    answer.raise_for_status()
    account = _object_store(answer.json().get("token", {}).get("catalog") or [], model.region_name)
    if account is None:
        raise RefusedError(
            "the token's catalog has no public object-store endpoint"
            + (f" in region {model.region_name}" if model.region_name else ""),
            "give the credential's project a role on Swift's service (member), or set the Config's regionName",
        )
    return Session(answer.headers["X-Subject-Token"], account.rstrip("/"))


def _object_store(catalog: list[dict[str, Any]], region: str | None) -> str | None:
    for service in catalog:
        if service.get("type") != "object-store":
            continue
        for endpoint in service.get("endpoints") or []:
            if endpoint.get("interface") == "public" and (region is None or endpoint.get("region_id") == region):
                return str(endpoint["url"])
    return None


def _expect(answer: requests.Response, step: str, *statuses: int) -> requests.Response:
    if answer.status_code in statuses:
        return answer
    if answer.status_code == 404:
        raise RefusedError(
            f"{step}: 404, the container is gone", "`pulumi up --refresh` shows it; `pulumi up` makes it"
        )
    if answer.status_code in (401, 403):
        raise RefusedError(
            f"{step}: {answer.status_code}, refused to the registry's credentials",
            "give the registry a user with the member role on the container's project (docs/settings.md: "
            "storage.swift); an application credential must have no access rules",
        )
    raise RuntimeError(f"{step}: {answer.status_code} {answer.text[:120]}")


def _checked(name: str, area: str, probe: Callable[[], Check]) -> Callable[[], Check]:
    def run() -> Check:
        try:
            return probe()
        except RefusedError as refused:
            return failed(area, name, refused.detail, refused.fix)

    return run


def access_checks(session: Session, container: str) -> list[Check]:
    base = f"{container}/{PREFIX}/{uuid.uuid4().hex}"
    probes = (
        ("container reachable (operator)", lambda: _reachable(session, container)),
        ("write, read, list by prefix, delete", lambda: _round_trip(session, container, base)),
        ("segmented upload read through its manifest", lambda: _segmented(session, container, base)),
        ("move by server-side copy", lambda: _move(session, container, base)),
    )
    return probe_all(ACCESS, [(name, _checked(name, ACCESS, probe)) for name, probe in probes])


def _reachable(session: Session, container: str) -> Check:
    _expect(session.call("HEAD", container), "HEAD on the container", 204, 200)
    return passed(ACCESS, "container reachable (operator)", container)


def _round_trip(session: Session, container: str, base: str) -> Check:
    name, body = f"{base}/data", b"openshift-registry verify"
    _expect(session.call("PUT", name, data=body), "PUT an object", 201)
    try:
        read = _expect(session.call("GET", name), "GET it back", 200)
        if read.content != body:
            return failed(ACCESS, "write, read, list by prefix, delete", "the object read back differs", REFRESH)
        prefix = base.split("/", 1)[1] + "/"
        listed = _expect(session.call("GET", container, params={"prefix": prefix, "format": "json"}), "list", 200)
        if f"{prefix}data" not in [entry.get("name") for entry in listed.json()]:
            return failed(ACCESS, "write, read, list by prefix, delete", "the listing by prefix misses it", REFRESH)
    finally:
        session.call("DELETE", name)
    return passed(ACCESS, "write, read, list by prefix, delete", f"{container}/{PREFIX}/...")


def _segmented(session: Session, container: str, base: str) -> Check:
    segments, manifest = f"{base}/segments", f"{base}/layer"
    parts = [b"first segment ", b"second segment"]
    written = [f"{segments}/{index:016d}" for index in range(1, len(parts) + 1)]
    try:
        for name, part in zip(written, parts, strict=True):
            _expect(session.call("PUT", name, data=part), "PUT a segment", 201)
        header = {"X-Object-Manifest": f"{segments}/"}  # container/prefix of the segments
        _expect(session.call("PUT", manifest, data=b"", headers=header), "PUT the manifest", 201)
        read = _expect(session.call("GET", manifest), "GET through the manifest", 200)
        if read.content != b"".join(parts):
            return failed(
                ACCESS, "segmented upload read through its manifest", "the segments read back differ", REFRESH
            )
    finally:
        for name in (manifest, *written):
            session.call("DELETE", name)
    return passed(ACCESS, "segmented upload read through its manifest", f"{len(parts)} segments")


def _move(session: Session, container: str, base: str) -> Check:
    source, target = f"{base}/upload", f"{base}/blob"
    try:
        _expect(session.call("PUT", source, data=b"layer"), "PUT the upload", 201)
        _expect(session.call("COPY", source, headers={"Destination": target}), "COPY it to its blob", 201)
        _expect(session.call("DELETE", source), "DELETE the upload", 204)
        moved = _expect(session.call("GET", target), "GET the blob", 200)
        if moved.content != b"layer":
            return failed(ACCESS, "move by server-side copy", "the copy differs from what was written", REFRESH)
    finally:
        for name in (source, target):
            session.call("DELETE", name)
    return passed(ACCESS, "move by server-side copy", "COPY, then DELETE")


def intended_checks(session: Session, container: str) -> list[Check]:
    """No read ACL on the container, and nothing of it readable or listable without a token."""

    def private() -> Check:
        head = _expect(session.call("HEAD", container), "HEAD on the container", 204, 200)
        read = head.headers.get("X-Container-Read", "")
        if ".r:" in read or ".rlistings" in read:
            return failed(INTENDED, "container private", f"its read ACL is {read!r}: every image is public",
                          "`pulumi up --refresh` removes the ACL (the stack sets none); by hand: "
                          f"`swift post -r '' {container}`")  # fmt: skip
        anonymous = session.call("GET", container, token=False, params={"format": "json"})
        if anonymous.status_code not in (401, 403):
            return failed(INTENDED, "container private", f"listed without a token ({anonymous.status_code})",
                          "`pulumi up --refresh`; check the proxy's keystoneauth and the container's ACLs")  # fmt: skip
        return passed(INTENDED, "container private", "no read ACL; a request without a token is refused")

    return probe_all(INTENDED, [("container private", _checked("container private", INTENDED, private))])
