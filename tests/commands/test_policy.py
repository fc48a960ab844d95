"""The policy pack's checks, called as pulumi_policy calls them (never constructing the PolicyPack)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pulumi_policy import (
    PolicyCustomTimeouts,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    StackValidationArgs,
)

from components.stack_config import load_stack_file
from policy import checks
from policy.offline import read_policy_config
from policy.offline import violations as policy_violations
from tests.support import STACK_FILES, evaluate_config, evaluate_file

RESOURCE_CHECKS = [
    checks.s3_public_access_block,
    checks.gcs_private,
    checks.azure_private,
    checks.swift_private,
    checks.azure_tls_and_encryption,
    checks.gcs_multipart_cleanup,
    checks.storage_protected,
    checks.no_empty_dir_in_production,
]
STACK_CHECKS = [
    checks.s3_bucket_public_access_blocked,
    checks.s3_bucket_encrypted,
    checks.s3_bucket_tls_only,
    checks.s3_bucket_multipart_cleanup,
    checks.no_long_lived_registry_keys,
]
BUCKET_URN = "urn:pulumi:s::p::aws:s3/bucket:Bucket::b"


def options(protect: bool = False) -> PolicyResourceOptions:
    return PolicyResourceOptions(protect, [], None, [], PolicyCustomTimeouts(0, 0, 0), [])


def resource_args(kind: str, props: dict[str, Any], *, protect: bool = False, production: bool = True) -> Any:
    return ResourceValidationArgs(
        kind, props, f"urn:x::{kind}::r", "r", options(protect), None, {"production": production}
    )


def violations(check: Any, args: Any) -> list[str]:
    found: list[str] = []
    check(args, lambda message, urn=None: found.append(message))
    return found


def policy_resource(
    kind: str, props: dict[str, Any], urn: str, bucket_from: PolicyResource | None = None
) -> PolicyResource:
    deps = {"bucket": [bucket_from]} if bucket_from else {}
    return PolicyResource(kind, props, urn, urn.rsplit("::", 1)[-1], options(), None, None, [], deps)


def s3_stack(**companions: dict[str, Any]) -> StackValidationArgs:
    bucket = policy_resource(checks.S3_BUCKET, {"bucket": "registry"}, BUCKET_URN)
    kinds = {
        "pab": checks.S3_PUBLIC_ACCESS_BLOCK,
        "encryption": checks.S3_ENCRYPTION,
        "policy": checks.S3_POLICY,
        "lifecycle": checks.S3_LIFECYCLE,
    }
    others = [policy_resource(kinds[k], props, f"urn:x::{k}", bucket) for k, props in companions.items()]
    return StackValidationArgs([bucket, *others])


GOOD_S3 = {
    "pab": {switch: True for switch in checks.PUBLIC_ACCESS_SWITCHES},
    "encryption": {"rules": [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}]},
    "policy": {
        "policy": json.dumps(
            {"Statement": [{"Effect": "Deny", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}
        )
    },
    "lifecycle": {
        "rules": [
            {
                "status": "Enabled",
                "filter": {"prefix": ""},
                "abortIncompleteMultipartUpload": {"daysAfterInitiation": 1},
            }
        ]
    },
}


def test_a_complete_s3_bucket_passes_every_stack_check() -> None:
    args = s3_stack(**GOOD_S3)
    assert [v for check in STACK_CHECKS for v in violations(check, args)] == []


@pytest.mark.parametrize(
    ("missing", "check", "message"),
    [
        ("pab", checks.s3_bucket_public_access_blocked, "public access block"),
        ("encryption", checks.s3_bucket_encrypted, "default encryption"),
        ("policy", checks.s3_bucket_tls_only, "do not use TLS"),
        ("lifecycle", checks.s3_bucket_multipart_cleanup, "incomplete multipart uploads"),
    ],
)
def test_an_s3_bucket_missing_a_companion_is_reported(missing: str, check: Any, message: str) -> None:
    args = s3_stack(**{k: v for k, v in GOOD_S3.items() if k != missing})
    (found,) = violations(check, args)
    assert message in found


def test_a_weak_companion_counts_as_missing() -> None:
    weak = {**GOOD_S3, "pab": {**GOOD_S3["pab"], "restrictPublicBuckets": False}}
    assert violations(checks.s3_bucket_public_access_blocked, s3_stack(**weak))
    pab = resource_args(checks.S3_PUBLIC_ACCESS_BLOCK, weak["pab"])
    assert violations(checks.s3_public_access_block, pab) == [
        "public access block with restrictPublicBuckets not true: all four switches must be on"
    ]


def test_public_gcs_and_azure_storage_is_reported() -> None:
    assert len(violations(checks.gcs_private, resource_args(checks.GCS_BUCKET, {}))) == 2
    assert violations(checks.azure_private, resource_args(checks.AZURE_ACCOUNT, {"allowBlobPublicAccess": True}))
    assert violations(checks.azure_private, resource_args(checks.AZURE_CONTAINER, {"publicAccess": "Blob"}))
    assert not violations(checks.azure_private, resource_args(checks.AZURE_CONTAINER, {"publicAccess": "None"}))


def test_azure_account_needs_https_tls12_and_infrastructure_encryption() -> None:
    found = violations(
        checks.azure_tls_and_encryption,
        resource_args(checks.AZURE_ACCOUNT, {"enableHttpsTrafficOnly": False, "minimumTlsVersion": "TLS1_0"}),
    )
    assert len(found) == 3


def test_gcs_bucket_needs_multipart_cleanup() -> None:
    assert violations(checks.gcs_multipart_cleanup, resource_args(checks.GCS_BUCKET, {"lifecycleRules": []}))
    rule = {"action": {"type": "AbortIncompleteMultipartUpload"}, "condition": {"age": 1}}
    assert not violations(checks.gcs_multipart_cleanup, resource_args(checks.GCS_BUCKET, {"lifecycleRules": [rule]}))


def test_image_storage_is_protected_in_production_and_never_force_destroyed() -> None:
    assert violations(checks.storage_protected, resource_args(checks.CLAIM, {}, protect=False))
    assert not violations(checks.storage_protected, resource_args(checks.CLAIM, {}, protect=False, production=False))
    assert violations(checks.storage_protected, resource_args(checks.S3_BUCKET, {"forceDestroy": True}, protect=True))


def test_no_empty_dir_in_production() -> None:
    props = {"spec": {"storage": {"emptyDir": {}}}}
    kind = checks.REGISTRY_CONFIG_TYPES[0]
    assert violations(checks.no_empty_dir_in_production, resource_args(kind, props))
    assert not violations(checks.no_empty_dir_in_production, resource_args(kind, props, production=False))


@pytest.mark.parametrize("path", STACK_FILES, ids=lambda p: p.name)
def test_every_stack_passes_the_pack(path: Path) -> None:
    """Built from what the program really registers: its inputs, protection and property dependencies."""
    production = load_stack_file(path).config.get("openshift-registry:environment") == "production"
    config = {} if production else json.loads(Path("policy/policy-config.json").read_text())
    assert policy_violations(evaluate_file(path), config) == []


def test_the_offline_run_names_the_policy_and_the_resource() -> None:
    evaluation = evaluate_config(platform="baremetal", storage={"emptyDir": {}}, environment="nonproduction")
    found = policy_violations(evaluation, {})
    (violation,) = found
    assert violation.startswith(
        "no-empty-dir-in-production: registry-config: registry on emptyDir in a production stack: every image "
        "is lost when the pod restarts"
    )
    assert policy_violations(evaluation, {"no-empty-dir-in-production": {"production": False}}) == []


def test_the_pack_and_the_offline_run_share_one_table_of_policies() -> None:
    from policy.catalog import POLICIES

    names = [policy.name for policy in POLICIES]
    assert len(names) == len(set(names))
    used = {check for policy in POLICIES for check in policy.checks}
    assert set(RESOURCE_CHECKS) | set(STACK_CHECKS) == used
    assert all(policy.checks for policy in POLICIES), "a policy no check guards"
    assert set(checks.GUARDED) == set(names), "a check guards a policy the catalog does not have"
    assert all(len(policy.checks) == 1 for policy in POLICIES if policy.kind == "stack"), (
        "the pack's stack policies take one"
    )


@pytest.mark.parametrize(
    ("text", "fragment"),
    [("[1]", "a policy config is"), ("{", "not a readable JSON"), ('{"no-such-policy": {}}', "unknown policies")],
)
def test_a_bad_policy_config_is_refused(tmp_path: Path, text: str, fragment: str) -> None:
    path = tmp_path / "policy-config.json"
    path.write_text(text)
    with pytest.raises(ValueError, match=fragment):
        read_policy_config(path)


def test_long_lived_keys_are_flagged_on_a_cluster_with_an_issuer() -> None:
    issuer = {"serviceAccountIssuer": "https://oidc.example.com"}
    with_keys = evaluate_config(
        platform="aws",
        storage={"s3": {"region": "us-east-1"}},
        cluster={**issuer, "allowLongLivedKeys": True},
    )
    found = policy_violations(with_keys, {})
    assert any(v.startswith("no-long-lived-registry-keys: registry-storage-access-key: long-lived") for v in found)
    assert any(v.startswith("no-long-lived-registry-keys: registry-credentials:") for v in found)
    keyless = evaluate_config(
        platform="aws", storage={"s3": {"region": "us-east-1", "credentials": "sts"}}, cluster=issuer
    )
    assert policy_violations(keyless, {}) == []


def test_python_m_policy_on_a_nonproduction_stack_reads_its_environment() -> None:
    """The lab stack (environment: nonproduction, emptyDir) passes without a policy config; a production
    stack on emptyDir is still refused, and the message says where the CLI's setting lives."""
    import io

    from offline.__main__ import EXIT_OK, EXIT_POLICY_VIOLATION, main

    out, err = io.StringIO(), io.StringIO()
    assert main(["--stack", "lab", "--policy", "--quiet"], out, err) == EXIT_OK, err.getvalue()
    from offline.engine import evaluate
    from policy.offline import violations
    from tests.support import config_of

    config, keys = config_of(platform="baremetal", storage={"emptyDir": {}}, environment="nonproduction")
    from components.stack_config import StackConfig

    evaluation = evaluate(StackConfig(project="openshift-registry", stack="t", config=config, secret_keys=keys))
    (found,) = [v for v in violations(evaluation, production=True) if v.startswith("no-empty-dir")]
    assert "policy/policy-config.json" in found
    assert violations(evaluation, production=False) == []
    assert EXIT_POLICY_VIOLATION == 4
