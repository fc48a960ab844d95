"""Azure under mocks: account, container, the key as a secret, clouds, the Config patch."""

from __future__ import annotations

from typing import Any

from tests.support import by_type, cloud_sdks_imported, crd_violations, evaluate_config, is_secret, one, reveal

BASE = {"resourceGroup": "registry-rg", "location": "eastus"}
ACCOUNT = "azure-native:storage:StorageAccount"
CONTAINER = "azure-native:storage:BlobContainer"
GROUP = "azure-native:resources:ResourceGroup"
CONFIG = "kubernetes:imageregistry.operator.openshift.io/v1:ConfigPatch"


def evaluate(azure: dict[str, Any], **kwargs: Any) -> Any:
    return evaluate_config(platform="azure", storage={"azure": azure}, **kwargs)


def test_account_is_hardened_and_protected() -> None:
    evaluation = evaluate({**BASE, "accountName": "corpregistry", "sku": "Standard_ZRS", "tags": {"team": "p"}})
    account = one(evaluation, ACCOUNT)
    assert account.inputs == {
        "accountName": "corpregistry",
        "resourceGroupName": "registry-rg",
        "location": "eastus",
        "kind": "StorageV2",
        "sku": {"name": "Standard_ZRS"},
        "enableHttpsTrafficOnly": True,
        "minimumTlsVersion": "TLS1_2",
        "allowBlobPublicAccess": False,
        # The account key is the registry's credential: an organisation default of false must not break it.
        "allowSharedKeyAccess": True,
        "encryption": {
            "keySource": "Microsoft.Storage",
            "requireInfrastructureEncryption": True,
            "services": {"blob": {"enabled": True, "keyType": "Account"}},
        },
        "tags": {
            "app": "openshift-image-registry",
            "pulumi-project": "openshift-registry",
            "pulumi-stack": "test",
            "team": "p",
        },
    }
    assert account.protect is True
    assert by_type(evaluation, GROUP) == []  # given, not created


def test_container_is_private_and_protected() -> None:
    evaluation = evaluate(BASE)
    container = one(evaluation, CONTAINER)
    assert container.inputs == {
        "accountName": one(evaluation, ACCOUNT).inputs["accountName"],
        "resourceGroupName": "registry-rg",
        "containerName": "image-registry",
        "publicAccess": "None",
    }
    assert container.protect is True
    assert container.urn in one(evaluation, CONFIG).depends_on


def test_derived_account_name_is_valid_and_stable() -> None:
    names = {one(evaluate(BASE), ACCOUNT).inputs["accountName"] for _ in range(2)}
    (name,) = names
    assert 3 <= len(name) <= 24 and name.isalnum() and name == name.lower()


def test_derived_resource_group_is_created_and_protected() -> None:
    evaluation = evaluate({"location": "eastus"})
    group = one(evaluation, GROUP)
    assert group.inputs["resourceGroupName"] == "openshift-registry-test-registry"
    assert group.protect is True
    assert one(evaluation, ACCOUNT).inputs["resourceGroupName"] == "openshift-registry-test-registry"


def test_created_resource_group_is_protected_too() -> None:
    evaluation = evaluate({**BASE, "createResourceGroup": True})
    group = one(evaluation, GROUP)
    assert group.inputs["resourceGroupName"] == "registry-rg"
    assert group.protect is True


def test_nothing_is_protected_outside_production() -> None:
    evaluation = evaluate({**BASE, "createResourceGroup": True}, environment="nonproduction")
    assert not any(r.protect for r in evaluation.registrations)


def test_account_key_is_the_only_secret_key_and_secret() -> None:
    evaluation = evaluate(BASE)
    data = one(evaluation, "kubernetes:core/v1:Secret").inputs["stringData"]
    assert is_secret(data) or all(is_secret(v) for v in data.values())
    assert reveal(data) == {"REGISTRY_STORAGE_AZURE_ACCOUNTKEY": "mock-account-key"}


def test_adopted_account_creates_nothing_but_reads_the_key() -> None:
    evaluation = evaluate({"resourceGroup": "rg", "adopt": True, "accountName": "existing1", "container": "images"})
    assert by_type(evaluation, ACCOUNT) == by_type(evaluation, CONTAINER) == []
    assert reveal(one(evaluation, "kubernetes:core/v1:Secret").inputs["stringData"])


def test_config_names_account_and_container_always_and_the_cloud_when_not_public() -> None:
    public = one(evaluate({**BASE, "accountName": "corpregistry"}), CONFIG)
    assert crd_violations("configs", public.inputs) == []
    assert public.inputs["spec"]["storage"]["azure"] == {"accountName": "corpregistry", "container": "image-registry"}
    gov = one(
        evaluate(
            {**BASE, "accountName": "corpregistry", "cloudName": "AzureUSGovernmentCloud"},
            extra={"azure-native:environment": "usgovernment"},
        ),
        CONFIG,
    )
    assert crd_violations("configs", gov.inputs) == []
    assert gov.inputs["spec"]["storage"] == {
        "managementState": "Unmanaged",
        "azure": {"accountName": "corpregistry", "container": "image-registry", "cloudName": "AzureUSGovernmentCloud"},
    }


def test_azure_stacks_import_no_cloud_sdk() -> None:
    assert cloud_sdks_imported("azure-prod") == []
