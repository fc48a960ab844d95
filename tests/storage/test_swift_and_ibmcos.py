"""OpenStack Swift, IBM Cloud Object Storage, and the Config fields users ask for: every rule fed its
bad input, and the resources and secret keys exactly the operator's."""

from __future__ import annotations

from typing import Any

import pytest

from tests.certs import make
from tests.support import (
    by_type,
    cloud_sdks_imported,
    crd_violations,
    evaluate_config,
    is_secret,
    one,
    problems_of,
    reveal,
    the_problem,
)

CONFIG = "kubernetes:imageregistry.operator.openshift.io/v1:ConfigPatch"
CONTAINER = "openstack:objectstorage/container:Container"
SWIFT = {"authURL": "https://keystone.example.com:5000/v3", "container": "registry"}
PASSWORD = {"swiftUsername": "u", "swiftPassword": "p"}
APP = {
    "swiftApplicationCredentialId": "app-id",
    "swiftApplicationCredentialName": "app-name",
    "swiftApplicationCredentialSecret": "app-secret",
}
NO_NAME = {k: v for k, v in APP.items() if k != "swiftApplicationCredentialName"}
KEY = {"ibmcosApiKey": "k"}
CRN = "crn:v1:bluemix:public:cloud-object-storage:global:a/0123:1111-2222::"
COS = {"bucket": "corp-registry", "serviceInstanceCRN": CRN}


def swift(stack: dict[str, Any] | None = None, secrets: dict[str, str] | None = None, **kwargs: Any) -> Any:
    return evaluate_config(
        platform="openstack",
        storage={"swift": {**SWIFT, **(stack or {})}},
        secrets=APP if secrets is None else secrets,
        **kwargs,
    )


def test_the_swift_container_is_private_protected_and_never_force_destroyed() -> None:
    evaluation = swift()
    container = one(evaluation, CONTAINER)
    assert container.inputs["name"] == "registry" and container.inputs["forceDestroy"] is False
    assert "containerRead" not in container.inputs and "containerWrite" not in container.inputs
    assert container.protect and container.urn in one(evaluation, CONFIG).depends_on


def test_swift_secret_holds_exactly_the_application_credential_keys() -> None:
    data = one(swift(), "kubernetes:core/v1:Secret").inputs["stringData"]
    assert all(is_secret(v) for v in data.values())
    assert reveal(data) == {
        "REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALID": "app-id",
        "REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALNAME": "app-name",
        "REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALSECRET": "app-secret",
    }


def test_swift_password_mode_and_the_config_block() -> None:
    evaluation = swift({"credentials": "password", "tenant": "ocp", "regionName": "RegionOne", "domain": "Default",
                        "authVersion": "3"}, secrets=PASSWORD)  # fmt: skip
    assert set(reveal(one(evaluation, "kubernetes:core/v1:Secret").inputs["stringData"])) == {
        "REGISTRY_STORAGE_SWIFT_USERNAME",
        "REGISTRY_STORAGE_SWIFT_PASSWORD",
    }
    config = one(evaluation, CONFIG)
    assert config.inputs["spec"]["storage"]["swift"] == {
        **SWIFT, "tenant": "ocp", "regionName": "RegionOne", "domain": "Default", "authVersion": "3",
    }  # fmt: skip
    assert config.inputs["spec"]["storage"]["managementState"] == "Unmanaged"
    assert crd_violations("configs", config.inputs) == []


def test_an_adopted_container_is_only_named() -> None:
    assert by_type(swift({"adopt": True}), CONTAINER) == []


@pytest.mark.parametrize(
    ("swift_stack", "secrets", "key", "fragment"),
    [
        ({**SWIFT, "authURL": None}, APP, "storage.swift.authURL", "required: the Keystone URL"),
        ({**SWIFT, "authURL": "https://admin:pw@keystone.example.com"}, APP, "storage.swift.authURL", "no credentials"),
        ({**SWIFT, "credentials": "password"}, PASSWORD, "storage.swift.tenant", "required (or tenantID)"),
        ({**SWIFT, "tenant": "ocp"}, APP, "storage.swift.tenant", "Keystone refuses any scope with an application"),
        ({**SWIFT, "tenantID": "0123"}, APP, "storage.swift.tenantID", "must not be set with credentials: applic"),
        (SWIFT, NO_NAME, "swiftApplicationCredentialName", "required with storage.swift.credentials"),
        (SWIFT, {**APP, "swiftPassword": "p"}, "swiftPassword", "is set but never used"),
        ({**SWIFT, "container": "a/b"}, APP, "storage.swift.container", "no '/'"),
    ],
)  # fmt: skip
def test_each_swift_rule(swift_stack: dict, secrets: dict, key: str, fragment: str) -> None:
    stack = {k: v for k, v in swift_stack.items() if v is not None}
    the_problem(problems_of(platform="openstack", storage={"swift": stack}, secrets=secrets), key, fragment)


def test_application_credentials_need_openshift_4_10() -> None:
    """Before 4.10 GetConfig (pkg/storage/swift, release-4.9) reads only the username and password keys."""
    found = problems_of(
        platform="openstack", storage={"swift": SWIFT}, secrets=APP, cluster={"openshiftVersion": "4.9"}
    )
    the_problem(found, "storage.swift.credentials", "applicationCredential needs OpenShift 4.10 or later")
    stack = {**SWIFT, "credentials": "password", "tenant": "ocp"}
    evaluation = swift(stack, secrets=PASSWORD, cluster={"openshiftVersion": "4.9"})
    data = reveal(one(evaluation, "kubernetes:core/v1:Secret").inputs["stringData"])
    assert data == {"REGISTRY_STORAGE_SWIFT_USERNAME": "u", "REGISTRY_STORAGE_SWIFT_PASSWORD": "p"}


@pytest.mark.parametrize("version", ["4.10", "4.12", "4.14"])
def test_openshift_4_10_to_4_14_get_all_five_swift_keys(version: str) -> None:
    """release-4.10 ... release-4.14 GetConfig calls util.GetValueFromSecret for each of the five keys and
    fails the sync on any missing: the mode's keys carry the values, the others are present and empty."""
    data = one(swift(cluster={"openshiftVersion": version}), "kubernetes:core/v1:Secret").inputs["stringData"]
    assert all(is_secret(v) for v in data.values())
    assert reveal(data) == {
        "REGISTRY_STORAGE_SWIFT_USERNAME": "",
        "REGISTRY_STORAGE_SWIFT_PASSWORD": "",
        "REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALID": "app-id",
        "REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALNAME": "app-name",
        "REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALSECRET": "app-secret",
    }
    password = swift(
        {"credentials": "password", "tenant": "ocp"}, secrets=PASSWORD, cluster={"openshiftVersion": version}
    )
    data = reveal(one(password, "kubernetes:core/v1:Secret").inputs["stringData"])
    assert (
        data["REGISTRY_STORAGE_SWIFT_USERNAME"] == "u" and data["REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALID"] == ""
    )
    assert len(data) == 5


def test_from_openshift_4_15_the_mode_s_keys_alone() -> None:
    """release-4.15 (ff56012): user and password, or the three application-credential keys."""
    data = reveal(one(swift(cluster={"openshiftVersion": "4.15"}), "kubernetes:core/v1:Secret").inputs["stringData"])
    assert sorted(data) == [
        "REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALID",
        "REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALNAME",
        "REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALSECRET",
    ]


def test_swift_runs_only_on_openstack_where_a_claim_is_the_alternative() -> None:
    found = problems_of(platform="aws", storage={"swift": SWIFT}, secrets=APP)
    the_problem(found, "storage.swift", "not available on platform aws")
    evaluate_config(platform="openstack", storage={"pvc": {}})


def test_ibm_cos_names_the_existing_bucket_and_passes_the_api_key() -> None:
    evaluation = evaluate_config(platform="ibmcloud", storage={"ibmcos": COS}, secrets={"ibmcosApiKey": "api-key"})
    assert [r.type for r in evaluation.registrations if r.custom] == ["kubernetes:core/v1:Secret", CONFIG]
    data = one(evaluation, "kubernetes:core/v1:Secret").inputs["stringData"]
    assert reveal(data) == {"REGISTRY_STORAGE_IBMCOS_IAMAPIKEY": "api-key"} and all(is_secret(v) for v in data.values())
    config = one(evaluation, CONFIG)
    assert config.inputs["spec"]["storage"] == {"managementState": "Unmanaged", "ibmcos": COS}
    assert crd_violations("configs", config.inputs) == []


@pytest.mark.parametrize(
    ("cos", "secrets", "key", "fragment"),
    [
        ({**COS, "location": "us-south"}, KEY, "storage.ibmcos.location", "overwritten by the operator"),
        ({**COS, "resourceGroupName": "rg"}, KEY, "storage.ibmcos.resourceGroupName", "Infrastructure"),
        ({"bucket": "b-registry"}, KEY, "storage.ibmcos.serviceInstanceCRN", "creates an instance of its own"),
        ({**COS, "resourceKeyCRN": "key"}, KEY, "storage.ibmcos.resourceKeyCRN", "does not match the pattern ^crn:"),
        (COS, {}, "ibmcosApiKey", "required with storage.ibmcos"),
    ],
)  # fmt: skip
def test_each_ibm_cos_rule(cos: dict, secrets: dict, key: str, fragment: str) -> None:
    the_problem(problems_of(platform="ibmcloud", storage={"ibmcos": cos}, secrets=secrets), key, fragment)


def test_ibm_cos_needs_openshift_4_9() -> None:
    found = problems_of(platform="ibmcloud", storage={"ibmcos": COS}, secrets={"ibmcosApiKey": "k"},
                        cluster={"openshiftVersion": "4.8"})  # fmt: skip
    the_problem(found, "storage.ibmcos", "needs OpenShift 4.9 or later")


def test_alibaba_oss_is_refused_with_the_reason() -> None:
    found = problems_of(platform="aws", storage={"oss": {"bucket": "b"}})
    assert any(
        p.startswith(
            "openshift-registry:storage.oss: Alibaba Cloud OSS is not provided by this program: from OpenShift "
            "4.17 the image-registry operator has no OSS driver"
        )
        for p in found
    ), found


@pytest.mark.parametrize("platform", ["nutanix", "external", "kubevirt", "equinixmetal"])
def test_platforms_the_operator_bootstraps_removed_take_a_claim_or_s3_compatible_storage(platform: str) -> None:
    """GetPlatformStorage (pkg/storage/storage.go) bootstraps these as Removed, like bare metal."""
    evaluate_config(platform=platform, storage={"pvc": {}})
    endpoint = {"s3": {"bucket": "b-registry", "region": "r", "regionEndpoint": "https://rgw.example.com"}}
    evaluate_config(platform=platform, storage=endpoint, secrets={"s3AccessKey": "a", "s3SecretKey": "b"})
    found = problems_of(platform=platform, storage={"gcs": {"region": "us-central1"}})
    the_problem(found, "storage.gcs", f"not available on platform {platform}")


def test_ibm_cos_on_powervs_needs_openshift_4_13() -> None:
    """release-4.13 added PowerVSPlatformType beside IBMCloud in GetPlatformStorage."""
    found = problems_of(platform="powervs", storage={"ibmcos": COS}, secrets=KEY, cluster={"openshiftVersion": "4.12"})
    the_problem(found, "storage.ibmcos", "storage.ibmcos on platform powervs needs OpenShift 4.13 or later")
    evaluate_config(platform="ibmcloud", storage={"ibmcos": COS}, secrets=KEY, cluster={"openshiftVersion": "4.12"})


def test_azure_internal_network_access_is_refused_with_the_reason() -> None:
    found = problems_of(
        platform="azure", storage={"azure": {"location": "eastus", "networkAccess": {"type": "Internal"}}}
    )
    (problem,) = found
    assert problem.startswith("openshift-registry:storage.azure.networkAccess: is refused: with the account key")


def test_topology_spread_constraints_pass_through_from_openshift_4_11() -> None:
    spread = [{"maxSkew": 1, "topologyKey": "topology.kubernetes.io/zone", "whenUnsatisfiable": "DoNotSchedule",
               "labelSelector": {"matchLabels": {"docker-registry": "default"}}}]  # fmt: skip
    evaluation = evaluate_config(
        platform="baremetal", storage={"pvc": {}}, registry={"topologySpreadConstraints": spread}
    )
    assert one(evaluation, CONFIG).inputs["spec"]["topologySpreadConstraints"] == spread
    found = problems_of(platform="baremetal", storage={"pvc": {}}, registry={"topologySpreadConstraints": spread},
                        cluster={"openshiftVersion": "4.10"})  # fmt: skip
    the_problem(found, "registry.topologySpreadConstraints", "needs OpenShift 4.11")


CLOUD_FRONT = {"baseURL": "https://d111111abcdef8.cloudfront.net", "keypairID": "K2JCJMDEHXQW5F", "duration": "300s"}


def test_the_cloudfront_private_key_becomes_a_secret_the_config_names() -> None:
    key = make().key
    evaluation = evaluate_config(platform="aws", storage={"s3": {"region": "us-east-1", "cloudFront": CLOUD_FRONT}},
                                 secrets={"s3CloudFrontPrivateKey": key})  # fmt: skip
    secrets = {r.inputs["metadata"]["name"]: r for r in by_type(evaluation, "kubernetes:core/v1:Secret")}
    cloud_front = secrets["image-registry-cloudfront-private-key"]
    assert cloud_front.inputs["metadata"]["namespace"] == "openshift-image-registry"
    assert is_secret(cloud_front.inputs["stringData"]) and reveal(cloud_front.inputs["stringData"]) == {
        "private.pem": key
    }
    spec = one(evaluation, CONFIG).inputs["spec"]["storage"]["s3"]["cloudFront"]
    assert spec["privateKey"] == {"name": "image-registry-cloudfront-private-key", "key": "private.pem"}
    assert cloud_front.urn in one(evaluation, CONFIG).depends_on


@pytest.mark.parametrize(
    ("cloud_front", "secrets", "key", "fragment"),
    [
        (CLOUD_FRONT, {}, "storage.s3.cloudFront.privateKey", "required: the key pair's private key"),
        ({**CLOUD_FRONT, "privateKey": {"name": "mine", "key": "k"}}, {"s3CloudFrontPrivateKey": "PLACEHOLDER"},
         "storage.s3.cloudFront.privateKey", "give either"),
        (None, {"s3CloudFrontPrivateKey": "x"}, "s3CloudFrontPrivateKey", "is set but never used"),
        (CLOUD_FRONT, {"s3CloudFrontPrivateKey": "not a key"}, "s3CloudFrontPrivateKey", "is not a PEM private key"),
    ],
)  # fmt: skip
def test_each_cloudfront_rule(cloud_front: dict | None, secrets: dict, key: str, fragment: str) -> None:
    s3: dict[str, Any] = {"region": "us-east-1"}
    if cloud_front is not None:
        s3["cloudFront"] = cloud_front
    found = problems_of(platform="aws", storage={"s3": s3}, secrets=secrets)
    assert "not a key" not in " ".join(found)
    the_problem(found, key, fragment)


def test_the_new_stacks_import_no_cloud_sdk() -> None:
    assert cloud_sdks_imported("openstack-swift") == []


@pytest.mark.parametrize("version", ["4.9", "4.10", "4.11"])
def test_the_preview_validates_against_the_schema_of_the_gated_release(version: str, tmp_path) -> None:
    """The version gate allows IBM COS from 4.9; the Config is then validated against that release's
    CRD (which has ibmcos), not the vendored 4.6 file (which does not): exit 0, not 3."""
    import io

    import yaml

    from offline.__main__ import main

    config = {
        "openshift-registry:platform": "ibmcloud",
        "openshift-registry:cluster": {"openshiftVersion": version},
        "openshift-registry:storage": {"ibmcos": COS},
        "openshift-registry:ibmcosApiKey": {"secure": "AAABAGNpcGhlcnRleHQ="},
    }
    path = tmp_path / "Pulumi.cos.yaml"
    path.write_text(yaml.safe_dump({"config": config}), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert main(["--config-file", str(path), "--quiet"], out, err) == 0, err.getvalue()
