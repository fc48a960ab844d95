"""verify's Swift probe against a real Keystone and Swift on 127.0.0.1 (tests/openstack.py), with the
credentials the operator holds, as the registry uses them; and the stack's documented least-privilege recipe
(docs/settings.md, storage.swift) proven: a project of the registry's own, a user with the member role there,
an application credential without access rules. Access rules, as the docs say, cannot confine one to the
container and still let the registry work: shown here too."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import requests

from components.checks import Check
from components.cluster.state import ClusterState
from components.storage.swift import probe
from tests.openstack import OpenStack, openstack
from tests.support import settings

CONTAINER = "registry-images"
SECRETS = {
    key: "offline-placeholder-for-encrypted-value"
    for key in ("swiftApplicationCredentialId", "swiftApplicationCredentialName", "swiftApplicationCredentialSecret")
}


@dataclass
class Registry:
    """The recipe's Keystone objects: the registry's project, its user (member there) and its container."""

    cloud: OpenStack
    project: str
    user: str
    password: str

    def application_credential(self, name: str, access_rules: list[dict[str, str]] | None = None) -> dict[str, str]:
        token, _ = self.cloud.token(self.user, self.password, self.project)
        body: dict[str, Any] = {"name": name, **({"access_rules": access_rules} if access_rules else {})}
        made = self.cloud.api("POST", f"/users/{self.user}/application_credentials", token=token,
                              json={"application_credential": body}).json()["application_credential"]  # fmt: skip
        return {
            "REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALID": made["id"],
            "REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALNAME": made["name"],
            "REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALSECRET": made["secret"],
        }

    def account(self) -> tuple[str, str]:
        return self.cloud.token(self.user, self.password, self.project)


@pytest.fixture(scope="module")
def registry() -> Iterator[Registry]:
    with openstack() as cloud:
        project = cloud.make("projects", {"name": "registry", "domain_id": "default"})
        user = cloud.make("users", {"name": "registry", "domain_id": "default", "password": "registry-pw"})
        cloud.grant(project, user, "member")
        found = Registry(cloud, project, user, "registry-pw")
        token, account = found.account()
        assert requests.put(f"{account}/{CONTAINER}", headers={"X-Auth-Token": token}, timeout=30).status_code == 201
        yield found


def run(registry: Registry, values: dict[str, str], **swift: Any) -> list[Check]:
    block = {"container": CONTAINER, "authURL": registry.cloud.keystone, "adopt": True, **swift}
    secrets = SECRETS if block.get("credentials", "applicationCredential") == "applicationCredential" else {
        "swiftUsername": "x", "swiftPassword": "y"}  # fmt: skip
    stack = settings(platform="openstack", environment="nonproduction", storage={"swift": block}, secrets=secrets)
    return probe.checks(stack, values, ClusterState(), {}, None)


def statuses(checks: list[Check]) -> dict[str, str]:
    return {check.name: check.status for check in checks}


def test_the_documented_recipe_lets_the_registry_do_all_it_does(registry: Registry) -> None:
    checks = run(registry, registry.application_credential("registry"))
    assert statuses(checks) == {
        "container reachable (operator)": "pass",
        "write, read, list by prefix, delete": "pass",
        "segmented upload read through its manifest": "pass",
        "move by server-side copy": "pass",
        "container private": "pass",
    }, checks
    token, account = registry.account()
    left = requests.get(
        f"{account}/{CONTAINER}", headers={"X-Auth-Token": token}, params={"format": "json"}, timeout=30
    )
    assert left.json() == [], "the probe removes all it wrote"


def test_a_user_and_password_scoped_to_the_project_work_too(registry: Registry) -> None:
    values = {"REGISTRY_STORAGE_SWIFT_USERNAME": "registry", "REGISTRY_STORAGE_SWIFT_PASSWORD": registry.password}
    checks = run(registry, values, credentials="password", tenant="registry", domainID="default")
    assert {check.status for check in checks} == {"pass"}, checks


def test_a_wrong_secret_fails_at_keystone_with_the_fix(registry: Registry) -> None:
    values = registry.application_credential("wrong")
    values["REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALSECRET"] = "not-the-secret"
    (check,) = run(registry, values)
    assert (
        check.status == "fail" and "Keystone refused them (401)" in check.detail and "pulumi up --refresh" in check.fix
    )


def test_access_rules_cannot_confine_the_credential_to_the_container(registry: Registry) -> None:
    """The rules the docs discuss: every method on the container's objects. The operator's HEAD on the
    container itself matches no rule, so the registry is refused (docs/settings.md, storage.swift)."""
    path = f"/v1/AUTH_{registry.project}/{CONTAINER}/**"
    rules = [{"service": "object-store", "method": method, "path": path} for method in ("GET", "PUT", "HEAD", "DELETE")]
    checks = run(registry, registry.application_credential("confined", rules))
    reachable = next(check for check in checks if check.name == "container reachable (operator)")
    assert reachable.status == "fail" and "refused to the registry's credentials" in reachable.detail
    assert "no access rules" in reachable.fix


def test_a_public_container_fails_as_intended_and_says_how_to_close_it(registry: Registry) -> None:
    token, account = registry.account()
    headers = {"X-Auth-Token": token, "X-Container-Read": ".r:*,.rlistings"}
    requests.post(f"{account}/{CONTAINER}", headers=headers, timeout=30)
    try:
        checks = run(registry, registry.application_credential("public"))
    finally:
        requests.post(
            f"{account}/{CONTAINER}", headers={"X-Auth-Token": token, "X-Remove-Container-Read": "x"}, timeout=30
        )
    private = next(check for check in checks if check.name == "container private")
    assert private.status == "fail" and ".r:*" in private.detail and "pulumi up --refresh" in private.fix


def test_a_deleted_container_fails_with_the_fix(registry: Registry) -> None:
    values = registry.application_credential("gone")
    checks = run(registry, values, container="no-such-container")
    reachable = next(check for check in checks if check.name == "container reachable (operator)")
    assert reachable.status == "fail" and "the container is gone" in reachable.detail
    assert "pulumi up" in reachable.fix


def test_a_secret_without_the_modes_keys_fails_before_keystone_is_asked(registry: Registry) -> None:
    (check,) = run(registry, {"REGISTRY_STORAGE_SWIFT_USERNAME": "registry"})
    assert check.status == "fail" and "holds none of REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALID" in check.detail
    assert check.fix == "`pulumi up` writes them"
