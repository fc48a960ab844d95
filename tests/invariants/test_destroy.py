"""``pulumi destroy`` never leaves the cluster pointing at something it removed.

Checked from the registrations of every stack file, of variants of them, and (in
test_generated_settings) of generated stacks: see tests/destroy.py for the rule.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.certs import make
from tests.destroy import destroy_violations, survives
from tests.support import STACK_FILES, by_type, evaluate_config, evaluate_file, one

DEPLOYING = (Path(__file__).resolve().parents[2] / "docs" / "deploying.md").read_text(encoding="utf-8")
KMS = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
GCS_KEY = "projects/p/locations/us-central1/keyRings/r/cryptoKeys/k"
CA = make(ca=True).certificate
ROUTE = make("registry.example.com")


@pytest.mark.parametrize("path", STACK_FILES, ids=lambda p: p.name)
def test_every_stack_keeps_what_its_survivors_need(path: Path) -> None:
    assert destroy_violations(evaluate_file(path)) == []


VARIANTS: dict[str, dict[str, Any]] = {
    "s3-kms-user": {"platform": "aws", "storage": {"s3": {"region": "us-east-1", "keyID": KMS}}},
    "s3-alias": {"platform": "aws", "storage": {"s3": {"region": "us-east-1", "keyID": "alias/registry"}}},
    "gcs-kms": {
        "platform": "gcp",
        "storage": {"gcs": {"region": "us-central1", "keyID": GCS_KEY}},
        "extra": {"gcp:project": "p-example"},
    },
    "gcs-adopted": {
        "platform": "gcp",
        "storage": {"gcs": {"region": "us-central1", "bucket": "existing-b", "adopt": True}},
        "extra": {"gcp:project": "p-example"},
    },
    "azure-derived-group": {"platform": "azure", "storage": {"azure": {"location": "eastus"}}},
    "pvc": {"platform": "baremetal", "storage": {"pvc": {}}},
    "ca-bundle-and-trusted-cas": {
        "platform": "baremetal",
        "storage": {"s3": {"region": "r", "regionEndpoint": "https://s3.example.com", "caBundle": CA}},
        "trustedCAs": {"mirror.example.com:5000": CA},
        "secrets": {"s3AccessKey": "AKIA", "s3SecretKey": "s3cr3t"},
    },
    "s3-sts": {
        "platform": "aws",
        "storage": {"s3": {"region": "us-east-1", "credentials": "sts"}},
        "cluster": {"serviceAccountIssuer": "https://oidc.example.com"},
    },
    "gcs-workload-identity": {
        "platform": "gcp",
        "storage": {"gcs": {"region": "us-central1", "credentials": "workloadIdentity"}},
        "cluster": {"serviceAccountIssuer": "https://oidc.example.com"},
        "extra": {"gcp:project": "p-example"},
    },
    "azure-workload-identity": {
        "platform": "azure",
        "storage": {"azure": {"location": "eastus", "credentials": "workloadIdentity"}},
        "cluster": {"serviceAccountIssuer": "https://oidc.example.com"},
    },
    "swift": {
        "platform": "openstack",
        "storage": {"swift": {"authURL": "https://keystone.example.com/v3", "tenant": "t"}},
        "secrets": {"swiftUsername": "u", "swiftPassword": "p"},
        "credentialsMode": "password",
    },
    "route-certificate": {
        "platform": "baremetal",
        "storage": {"pvc": {}},
        "registry": {"routes": [{"name": "external", "hostname": "registry.example.com"}]},
        "routeTls": {"external": {"certificate": ROUTE.certificate, "key": ROUTE.key}},
    },
}


def _evaluate(variant: dict[str, Any], environment: str, state: str) -> Any:
    keys = {
        k: v for k, v in variant.items() if k not in ("extra", "secrets", "registry", "routeTls", "credentialsMode")
    }
    if "credentialsMode" in variant:
        keys["storage"] = {"swift": {**keys["storage"]["swift"], "credentials": variant["credentialsMode"]}}
    secrets = dict(variant.get("secrets", {}))
    if "routeTls" in variant:
        secrets["routeTls"] = json.dumps(variant["routeTls"])
    return evaluate_config(
        environment=environment,
        registry={**variant.get("registry", {}), "managementState": state},
        extra=variant.get("extra"),
        secrets=secrets,
        **keys,
    )


@pytest.mark.parametrize("environment", ["production", "nonproduction"])
@pytest.mark.parametrize("state", ["Managed", "Unmanaged", "Removed"])
@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_variants_keep_what_their_survivors_need(name: str, state: str, environment: str) -> None:
    evaluation = _evaluate(VARIANTS[name], environment, state)
    assert destroy_violations(evaluation) == []
    kept = [r for r in evaluation.registrations if r.custom and r.type.startswith("kubernetes:core/v1:")]
    if state != "Removed":
        assert all(r.retain_on_delete for r in kept), [r.name for r in kept if not r.retain_on_delete]


def test_a_running_registry_keeps_its_identity_and_secret_even_in_nonproduction() -> None:
    """The IAM user and key whose key the secret holds, and the secret, outlive destroy: the
    operator would otherwise find credentials of a deleted user."""
    evaluation = evaluate_config(platform="aws", environment="nonproduction", storage={"s3": {"region": "us-east-1"}})
    for type_ in (
        "aws:iam/user:User",
        "aws:iam/accessKey:AccessKey",
        "aws:iam/userPolicy:UserPolicy",
        "kubernetes:core/v1:Secret",
        "aws:s3/bucket:Bucket",
    ):
        assert one(evaluation, type_).retain_on_delete, type_


def test_removed_registry_lets_destroy_take_identity_and_helpers_but_never_protected_storage() -> None:
    evaluation = evaluate_config(
        platform="gcp",
        registry={"managementState": "Removed"},
        storage={"gcs": {"region": "us-central1", "keyID": GCS_KEY}},
        extra={"gcp:project": "p"},
    )
    assert not one(evaluation, "gcp:serviceaccount/account:Account").retain_on_delete
    assert not one(evaluation, "kubernetes:core/v1:Secret").retain_on_delete
    bucket = one(evaluation, "gcp:storage/bucket:Bucket")
    grant = one(evaluation, "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember")
    assert bucket.protect and grant.protect, "a protected bucket stays readable: its key grant stays with it"


def test_the_invariant_catches_a_survivor_whose_need_is_deleted() -> None:
    """The checker itself: flip one needed resource to deletable and it must say so."""
    evaluation = evaluate_config(platform="aws", storage={"s3": {"region": "us-east-1"}})
    key = one(evaluation, "aws:iam/accessKey:AccessKey")
    key.retain_on_delete = False
    found = destroy_violations(evaluation)
    assert any("registry-storage-access-key" in f for f in found), found


def test_the_trusted_ca_configmap_survives_whatever_the_registry_state() -> None:
    """The Image config (retained) names it for the whole cluster, registry or not."""
    evaluation = evaluate_config(
        platform="baremetal",
        storage={"pvc": {}},
        registry={"managementState": "Removed"},
        trustedCAs={"mirror.example.com": CA},
    )
    (configmap,) = by_type(evaluation, "kubernetes:core/v1:ConfigMap")
    assert survives(configmap)


def test_the_docs_say_what_destroy_leaves_and_how_to_take_the_registry_off() -> None:
    section = DEPLOYING[DEPLOYING.index("## What `pulumi destroy`") :]
    section = section[: section.index("\n# ")]
    for phrase in ("retained on delete", "managementState: Removed", "pulumi state unprotect", "credential secret"):
        assert phrase in section, phrase
    assert "Remove the Config patch's storage first" not in DEPLOYING
    assert re.search(r"IAM user.*access key", section, re.S)
