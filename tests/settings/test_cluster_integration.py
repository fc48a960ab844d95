"""Rules for routes and their certificates, trusted CAs, the S3 CA bundle, metrics, roles, the pruner."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.certs import make
from tests.support import load, problems_of, the_problem

S3 = {"s3": {"region": "us-east-1"}}
RGW = {"bucket": "registry", "region": "us-east-1", "regionEndpoint": "https://rgw.example.com"}
KEYS = {"s3AccessKey": "AKIAEXAMPLE", "s3SecretKey": "example-secret"}
ROUTE = {"name": "external", "hostname": "registry.apps.example.com"}
CA = make("Example CA", ca=True).certificate


def problems(**kwargs: Any) -> list[str]:
    kwargs.setdefault("platform", "aws")
    kwargs.setdefault("storage", S3)
    return problems_of(**kwargs)


def only(key: str, fragment: str, **kwargs: Any) -> str:
    return the_problem(problems(**kwargs), key, fragment)


def route_tls(name: str, certificate: str, key: str) -> dict[str, str]:
    return {"routeTls": json.dumps({name: {"certificate": certificate, "key": key}})}


# Routes and their certificates


def test_route_hostname_must_be_a_dns_name() -> None:
    only(
        "registry.routes[0].hostname", "is not a DNS name", registry={"routes": [{"name": "r", "hostname": "Bad_Host"}]}
    )


def test_secret_name_only_with_a_certificate() -> None:
    only(
        "registry.routes[0].secretName",
        "set only with a custom certificate",
        registry={"routes": [{**ROUTE, "secretName": "external-tls"}]},
    )


def test_certificate_for_an_unknown_route_is_refused() -> None:
    pair = make()
    only(
        "routeTls.other",
        "names no route",
        registry={"routes": [ROUTE]},
        secrets=route_tls("other", *vars(pair).values()),
    )


def test_route_tls_in_plain_text_is_refused() -> None:
    pair = make()
    only(
        "routeTls",
        "stored in plain text",
        registry={"routes": [ROUTE]},
        **route_tls("external", pair.certificate, pair.key),
    )


def test_certificate_must_parse() -> None:
    pair = make()
    only(
        "routeTls.external.certificate",
        "holds no valid PEM certificate",
        registry={"routes": [ROUTE]},
        secrets=route_tls("external", "-----BEGIN CERTIFICATE-----\ngarbage\n-----END CERTIFICATE-----", pair.key),
    )


def test_key_must_belong_to_the_certificate_and_is_never_shown() -> None:
    pair, other = make(), make()
    message = only(
        "routeTls.external.key",
        "does not belong to the certificate",
        registry={"routes": [ROUTE]},
        secrets=route_tls("external", pair.certificate, other.key),
    )
    assert "PRIVATE KEY" not in message and other.key.splitlines()[1] not in message


def test_key_must_be_a_pem_key() -> None:
    pair = make()
    only(
        "routeTls.external.key",
        "is not an unencrypted PEM private key",
        registry={"routes": [ROUTE]},
        secrets=route_tls("external", pair.certificate, "nope"),
    )


def test_certificate_not_covering_the_host_or_expiring_soon_is_a_warning() -> None:
    pair = make("other.example.com", days=10)
    loaded = load(
        platform="aws",
        storage=S3,
        registry={"routes": [ROUTE]},
        secrets=route_tls("external", pair.certificate, pair.key),
    )
    warnings = sorted(str(w) for w in loaded.warnings)
    assert len(warnings) == 2
    assert all(w.startswith("openshift-registry:routeTls.external.certificate: ") for w in warnings)
    assert any("does not cover the route's hostname 'registry.apps.example.com'" in w for w in warnings)
    assert any("expires in 9 day(s)" in w or "expires in 10 day(s)" in w for w in warnings)


def test_a_good_certificate_passes_silently() -> None:
    pair = make()
    loaded = load(
        platform="aws",
        storage=S3,
        registry={"routes": [ROUTE]},
        secrets=route_tls("external", pair.certificate, pair.key),
    )
    assert loaded.warnings == ()


# Trusted CAs


def test_trusted_ca_bundles_must_hold_a_certificate_named_by_host() -> None:
    only(
        "trustedCAs.mirror.example.com:5000",
        "holds no valid PEM certificate",
        trustedCAs={"mirror.example.com:5000": "not a pem"},
    )


@pytest.mark.parametrize(
    "host", ["Mirror.Example.com", "mirror.example.com:99999", "mirror example", "https://mirror.example.com"]
)
def test_trusted_ca_hosts_must_be_hosts(host: str) -> None:
    only(f"trustedCAs.{host}", "is not a registry host", trustedCAs={host: CA})


def test_valid_trusted_cas_pass() -> None:
    stack = load(
        platform="aws", storage=S3, trustedCAs={"mirror.example.com:5000": CA, "quay.example.com": CA}
    ).settings
    assert sorted(stack.trusted_cas) == ["mirror.example.com:5000", "quay.example.com"]


# Storage CA bundle for S3-compatible endpoints


def test_ca_bundle_needs_an_endpoint() -> None:
    only("storage.s3.caBundle", "only with regionEndpoint", storage={"s3": {"region": "us-east-1", "caBundle": CA}})


def test_ca_bundle_and_trusted_ca_exclude_each_other() -> None:
    only(
        "storage.s3.caBundle",
        "not both",
        platform="baremetal",
        storage={"s3": {**RGW, "caBundle": CA, "trustedCA": {"name": "mine"}}},
        secrets=KEYS,
    )


def test_ca_bundle_must_parse() -> None:
    only(
        "storage.s3.caBundle",
        "holds no valid PEM certificate",
        platform="baremetal",
        storage={"s3": {**RGW, "caBundle": "x"}},
        secrets=KEYS,
    )


# Metrics and roles


def test_metrics_must_name_someone() -> None:
    only("metrics", "names nobody", metrics={})


def test_service_accounts_are_namespace_slash_name() -> None:
    only(
        "metrics.serviceAccounts[0]",
        "write a service account as namespace/name",
        metrics={"serviceAccounts": ["prometheus"]},
    )


def test_image_builder_needs_a_project() -> None:
    only(
        "roles[0].namespace",
        "required for system:image-builder",
        roles=[{"role": "system:image-builder", "users": ["ci"]}],
    )


def test_one_binding_per_role_and_project() -> None:
    roles = [{"role": "registry-viewer", "users": ["a"]}, {"role": "registry-viewer", "groups": ["b"]}]
    only("roles[1]", "merge their subjects into one entry", roles=roles)


def test_unknown_roles_are_refused() -> None:
    (found,) = problems(roles=[{"role": "cluster-admin", "users": ["a"]}])
    assert found.startswith("openshift-registry:roles[0].role: ")
    assert "registry-viewer" in found


def test_role_project_must_be_a_project_name() -> None:
    only(
        "roles[0].namespace",
        "is not a project name",
        roles=[{"role": "registry-editor", "namespace": "CI", "users": ["a"]}],
    )


# Pruner


def test_pruner_schedule_must_be_cron() -> None:
    only("pruner.schedule", "a cron schedule has five fields", pruner={"schedule": "every night"})


def test_pruner_duration_must_be_a_go_duration() -> None:
    only("pruner.keepYoungerThanDuration", "is not a duration", pruner={"keepYoungerThanDuration": "2d"})


def test_pruner_fields_are_checked_against_the_crd() -> None:
    only("pruner.logLevel", "is not allowed; use one of Normal, Debug, Trace, TraceAll", pruner={"logLevel": "Loud"})
    (found,) = problems(pruner={"keepTagRevison": 3})
    assert found.startswith("openshift-registry:pruner.keepTagRevison: unknown key")


def test_a_full_pruner_passes() -> None:
    pruner = {"schedule": "@daily", "keepYoungerThanDuration": "1h30m", "keepTagRevisions": 5, "suspend": False}
    assert load(platform="aws", storage=S3, pruner=pruner).settings.pruner is not None
