"""Keyless credentials: an identity the registry uses with the cluster's projected token, no key.

For each cloud: the exact trust, the exact secret the operator parses (parsed here as the operator
parses it: an ini file for AWS, JSON for GCP, keys for Azure), least privilege, and the refusals.
"""

from __future__ import annotations

import configparser
import json
from pathlib import Path
from typing import Any

import pytest

from components.cluster.readers import read_dump
from components.cluster.rules import cluster_findings
from components.stack_config import StackConfig
from offline.engine import evaluate
from tests.support import PROJECT, by_type, config_of, evaluate_config, is_secret, one, reveal, settings

ISSUER = "https://ocp-abc12-oidc.s3.us-east-1.amazonaws.com"
CLUSTER = {"serviceAccountIssuer": ISSUER}
SUBJECTS = [
    "system:serviceaccount:openshift-image-registry:cluster-image-registry-operator",
    "system:serviceaccount:openshift-image-registry:registry",
]
TOKEN = "/var/run/secrets/openshift/serviceaccount/token"
SECRET = "kubernetes:core/v1:Secret"
SECRET_PATCH = "kubernetes:core/v1:SecretPatch"
CLUSTERS = Path(__file__).resolve().parents[1] / "clusters"
STS = {"platform": "aws", "storage": {"s3": {"bucket": "corp-registry", "region": "us-east-1", "credentials": "sts"}}}
WIF = {
    "platform": "gcp",
    "storage": {"gcs": {"bucket": "corp-registry", "region": "us-central1", "credentials": "workloadIdentity"}},
    "extra": {"gcp:project": "example-project"},
}
AZURE_WI = {"platform": "azure", "storage": {"azure": {"location": "eastus", "credentials": "workloadIdentity"}}}


def installer_secret(evaluation: Any) -> dict[str, Any]:
    (secret,) = by_type(evaluation, SECRET_PATCH)
    assert secret.inputs["metadata"]["name"] == "installer-cloud-credentials"
    assert secret.inputs["metadata"]["namespace"] == "openshift-image-registry"
    assert secret.retain_on_delete, "retained: the destroy invariant covers it"
    data = secret.inputs["stringData"]
    assert all(is_secret(value) for value in data.values())
    assert by_type(evaluation, SECRET) == [], "no image-registry-private-configuration-user: it would turn tokens off"
    return reveal(data)


def test_sts_role_trusts_exactly_the_two_service_accounts_through_the_clusters_provider() -> None:
    evaluation = evaluate_config(**STS, cluster=CLUSTER)
    provider = one(evaluation, "aws:iam/openIdConnectProvider:OpenIdConnectProvider")
    assert provider.inputs["url"] == ISSUER
    assert provider.inputs["clientIdLists"] == ["openshift", "sts.amazonaws.com"]
    role = one(evaluation, "aws:iam/role:Role")
    trust = json.loads(role.inputs["assumeRolePolicy"])
    (statement,) = trust["Statement"]
    assert statement["Action"] == "sts:AssumeRoleWithWebIdentity" and statement["Effect"] == "Allow"
    assert statement["Principal"]["Federated"].startswith("arn:aws:mock:::openidconnectprovider/")
    assert statement["Condition"] == {
        "StringEquals": {"ocp-abc12-oidc.s3.us-east-1.amazonaws.com:sub": SUBJECTS},
    }


def test_sts_role_has_the_users_least_privilege_and_no_key_exists() -> None:
    evaluation = evaluate_config(**STS, cluster=CLUSTER)
    policy = json.loads(one(evaluation, "aws:iam/rolePolicy:RolePolicy").inputs["policy"])
    assert {s["Resource"] for s in policy["Statement"]} == {
        "arn:aws:s3:::corp-registry",
        "arn:aws:s3:::corp-registry/*",
    }
    types = {r.type for r in evaluation.registrations}
    assert not types & {"aws:iam/accessKey:AccessKey", "aws:iam/user:User"}


def test_sts_secret_is_the_ini_file_the_operator_reads() -> None:
    """sharedCredentialsDataFromSecret (pkg/storage/s3/s3.go) hands `credentials` to the AWS SDK as a
    shared config file: parsed here as an ini file."""
    data = installer_secret(evaluate_config(**STS, cluster=CLUSTER))
    assert set(data) == {"credentials"}
    ini = configparser.ConfigParser()
    ini.read_string(data["credentials"])
    assert dict(ini["default"]) == {
        "sts_regional_endpoints": "regional",
        "role_arn": "arn:aws:mock:::role/corp-registry-registry",
        "web_identity_token_file": TOKEN,
    }


def test_sts_with_the_clusters_existing_provider_creates_none() -> None:
    arn = "arn:aws:iam::111122223333:oidc-provider/ocp-abc12-oidc.s3.us-east-1.amazonaws.com"
    stack = {**STS, "storage": {"s3": {**STS["storage"]["s3"], "oidcProviderArn": arn}}}
    evaluation = evaluate_config(**stack, cluster=CLUSTER)
    assert by_type(evaluation, "aws:iam/openIdConnectProvider:OpenIdConnectProvider") == []
    trust = json.loads(one(evaluation, "aws:iam/role:Role").inputs["assumeRolePolicy"])
    assert trust["Statement"][0]["Principal"]["Federated"] == arn


def test_workload_identity_pool_provider_and_impersonation_for_the_two_subjects() -> None:
    evaluation = evaluate_config(**WIF, cluster=CLUSTER)
    provider = one(evaluation, "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider")
    assert provider.inputs["oidc"] == {"issuerUri": ISSUER, "allowedAudiences": ["openshift"]}
    assert provider.inputs["attributeMapping"] == {"google.subject": "assertion.sub"}
    pool = one(evaluation, "gcp:iam/workloadIdentityPool:WorkloadIdentityPool").inputs["workloadIdentityPoolId"]
    members = by_type(evaluation, "gcp:serviceaccount/iAMMember:IAMMember")
    assert {m.inputs["role"] for m in members} == {"roles/iam.workloadIdentityUser"}
    assert sorted(m.inputs["member"] for m in members) == [
        f"principal://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/{pool}/subject/{s}"
        for s in SUBJECTS
    ]
    assert by_type(evaluation, "gcp:serviceaccount/key:Key") == [], "no key"
    grants = by_type(evaluation, "gcp:storage/bucketIAMMember:BucketIAMMember")
    assert {g.inputs["bucket"] for g in grants} == {"corp-registry"}, "bucket grants only"


def test_workload_identity_secret_is_the_external_account_file() -> None:
    """GetConfig (pkg/storage/gcs/gcs.go) reads `service_account.json` as a Google credentials file."""
    evaluation = evaluate_config(**WIF, cluster=CLUSTER)
    data = installer_secret(evaluation)
    assert set(data) == {"service_account.json"}
    account = json.loads(data["service_account.json"])
    pool = one(evaluation, "gcp:iam/workloadIdentityPool:WorkloadIdentityPool").inputs["workloadIdentityPoolId"]
    assert account == {
        "type": "external_account",
        "audience": "//iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/"
        f"{pool}/providers/openshift",
        "subject_token_type": "urn:ietf:params:oauth:token-type:jwt",
        "token_url": "https://sts.googleapis.com/v1/token",
        "service_account_impersonation_url": "https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/"
        "corp-registry@mock-project.iam.gserviceaccount.com:generateAccessToken",
        "credential_source": {"file": TOKEN, "format": {"type": "text"}},
    }


def test_azure_workload_identity_federates_the_two_subjects_and_turns_shared_keys_off() -> None:
    evaluation = evaluate_config(**AZURE_WI, cluster=CLUSTER)
    federated = by_type(evaluation, "azure-native:managedidentity:FederatedIdentityCredential")
    assert sorted(f.inputs["subject"] for f in federated) == SUBJECTS
    assert all(f.inputs["issuer"] == ISSUER and f.inputs["audiences"] == ["openshift"] for f in federated)
    account = one(evaluation, "azure-native:storage:StorageAccount")
    assert account.inputs["allowSharedKeyAccess"] is False, "what the operator itself sets on this path"
    assert "azure-native:storage:listStorageAccountKeys" not in evaluation.invokes, "no account key is read"


def test_azure_workload_identity_grants_exactly_what_the_operator_calls() -> None:
    evaluation = evaluate_config(**AZURE_WI, cluster=CLUSTER)
    roles = {r.name: r.inputs for r in by_type(evaluation, "azure-native:authorization:RoleDefinition")}
    account_scope = (
        one(evaluation, "azure-native:storage:StorageAccount").inputs["accountName"] + "-placeholder-id"
    )  # the mock id
    assert roles["registry-storage-account-role"]["permissions"] == [
        {"actions": ["Microsoft.Storage/storageAccounts/read", "Microsoft.Storage/storageAccounts/write"]}
    ]
    assert roles["registry-storage-account-role"]["scope"] == account_scope
    subscription = "/subscriptions/00000000-0000-0000-0000-00000000000a"
    assert roles["registry-storage-name-check-role"]["scope"] == subscription, "the documented exception"
    assert roles["registry-storage-name-check-role"]["permissions"] == [
        {"actions": ["Microsoft.Storage/checknameavailability/read"]}
    ]
    assignments = by_type(evaluation, "azure-native:authorization:RoleAssignment")
    scopes = sorted(a.inputs["scope"] for a in assignments)
    assert scopes == sorted([account_scope, account_scope, subscription])
    builtin = [a.inputs["roleDefinitionId"] for a in assignments if isinstance(a.inputs["roleDefinitionId"], str)]
    assert all(rid.endswith("/ba92f5b4-2d11-453d-a403-e96b0029c9fe") for rid in builtin if "roleDefinitions" in rid)
    for broad in ("Contributor", "Owner", "Storage Account Contributor"):
        assert all(broad not in json.dumps(a.inputs) for a in assignments)


def test_azure_workload_identity_secret_holds_the_operators_keys() -> None:
    data = installer_secret(evaluate_config(**AZURE_WI, cluster=CLUSTER))
    assert data == {
        "azure_client_id": "11111111-2222-3333-4444-555555555555",
        "azure_tenant_id": "00000000-0000-0000-0000-00000000000b",
        "azure_region": "eastus",
        "azure_subscription_id": "00000000-0000-0000-0000-00000000000a",
        "azure_federated_token_file": TOKEN,
        "azure_resourcegroup": "openshift-registry-test-registry",
    }


@pytest.mark.parametrize(
    ("stack", "version", "fragment"),
    [
        (STS, "4.6", "credentials: sts (the registry's projected token) needs OpenShift 4.7"),
        (WIF, "4.10", "credentials: workloadIdentity needs OpenShift 4.11"),
        (AZURE_WI, "4.13", "credentials: workloadIdentity needs OpenShift 4.14"),
    ],
)
def test_a_mode_older_than_its_openshift_is_refused(stack: dict, version: str, fragment: str) -> None:
    from tests.support import problems_of

    found = problems_of(**stack, cluster={**CLUSTER, "openshiftVersion": version})
    assert any(fragment in p for p in found), found


def test_an_issuer_that_is_not_https_is_refused() -> None:
    from tests.support import problems_of, the_problem

    found = problems_of(**STS, cluster={"serviceAccountIssuer": "http://oidc.example.com"})
    the_problem(found, "cluster.serviceAccountIssuer", "must be the issuer's https URL")


def test_keyless_is_refused_unless_the_credential_operator_is_in_manual_mode() -> None:
    found = [
        str(p) for p in cluster_findings(settings(**STS, cluster=CLUSTER), read_dump(CLUSTERS / "aws-operator-managed"))
    ]
    assert any("needs the cloud-credential operator in Manual mode" in p and "credentialsMode" in p for p in found)


def test_keyless_needs_an_issuer_from_the_stack_or_the_cluster() -> None:
    from components.cluster.state import ClusterState

    found = [str(p) for p in cluster_findings(settings(**STS), ClusterState())]
    assert any(
        p.startswith("openshift-registry:cluster.serviceAccountIssuer: required with storage.s3.credentials")
        for p in found
    )


def test_key_pairs_beside_a_keyless_mode_are_refused() -> None:
    from tests.support import problems_of

    found = problems_of(**STS, cluster=CLUSTER, secrets={"s3AccessKey": "a", "s3SecretKey": "b"})
    assert any(p.startswith("openshift-registry:s3AccessKey: is set but never used") for p in found), found


def test_on_a_short_lived_cluster_sts_reads_the_issuer_and_patches_ccoctls_secret() -> None:
    state = read_dump(CLUSTERS / "aws-short-lived")
    stack = {**STS, "storage": {"s3": {**STS["storage"]["s3"], "bucket": "ocp-abc12-image-registry"}}}
    assert cluster_findings(settings(**stack), state) == []
    config, secret_keys = config_of(**stack)
    evaluation = evaluate(
        StackConfig(project=PROJECT, stack="test", config=config, secret_keys=secret_keys), cluster=state
    )
    trust = json.loads(one(evaluation, "aws:iam/role:Role").inputs["assumeRolePolicy"])
    assert "ocp-abc12-oidc.s3.us-east-1.amazonaws.com:sub" in trust["Statement"][0]["Condition"]["StringEquals"]
    installer_secret(evaluation)


def test_no_key_material_in_any_keyless_stack() -> None:
    for stack in (STS, WIF, AZURE_WI):
        evaluation = evaluate_config(**stack, cluster=CLUSTER)
        types = {r.type for r in evaluation.registrations}
        assert not types & {"aws:iam/accessKey:AccessKey", "gcp:serviceaccount/key:Key"}
        assert "azure-native:storage:listStorageAccountKeys" not in evaluation.invokes


def test_the_offline_schemas_follow_the_stacks_openshift_version() -> None:
    from offline.__main__ import schemas_for

    assert schemas_for("4.6") == schemas_for("4.10") == "4.6"
    assert schemas_for("4.11") == schemas_for(None) == "latest"
