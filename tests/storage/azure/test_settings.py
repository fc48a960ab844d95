"""Every storage.azure rule, fed its bad input; each message names the key."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support import load, problems_of, the_problem

BASE = {"resourceGroup": "registry-rg", "location": "eastus"}


def problems(azure: dict[str, Any], **kwargs: Any) -> list[str]:
    return problems_of(platform="azure", storage={"azure": azure}, **kwargs)


def only(azure: dict[str, Any], key: str, fragment: str, **kwargs: Any) -> None:
    the_problem(problems(azure, **kwargs), key, fragment)


def test_defaults_are_valid() -> None:
    azure = load(platform="azure", storage={"azure": BASE}).settings.storage.azure
    assert azure is not None and (azure.sku, azure.cloud_name) == ("Standard_LRS", "AzurePublicCloud")


@pytest.mark.parametrize("name", ["ab", "Registry01", "registry-01", "a" * 25])
def test_account_names_are_3_to_24_lowercase_letters_and_digits(name: str) -> None:
    only({**BASE, "accountName": name}, "storage.azure.accountName", "3-24 lowercase letters and digits")


@pytest.mark.parametrize("name", ["ab", "-registry", "registry-", "reg--istry", "Registry", "a" * 64])
def test_container_names_follow_azure_rules(name: str) -> None:
    """The CRD's own pattern and length catch most of these first; the rule catches what it lets pass."""
    (found,) = problems({**BASE, "container": name})
    assert found.startswith("openshift-registry:storage.azure.container: ")
    assert any(why in found for why in ("single hyphens", "pattern", "too short", "too long"))


def test_without_a_named_resource_group_one_is_created() -> None:
    azure = load(platform="azure", storage={"azure": {"location": "eastus"}}).settings.storage.azure
    assert azure is not None and azure.creates_resource_group


def test_a_named_resource_group_is_used_as_it_is() -> None:
    azure = load(platform="azure", storage={"azure": BASE}).settings.storage.azure
    assert azure is not None and not azure.creates_resource_group


def test_no_resource_group_and_create_false_is_refused() -> None:
    only(
        {"location": "eastus", "createResourceGroup": False},
        "storage.azure.resourceGroup",
        "required with createResourceGroup: false",
    )


def test_resource_group_is_required_to_adopt() -> None:
    only({"adopt": True, "accountName": "existing1"}, "storage.azure.resourceGroup", "required with adopt: true")


def test_location_is_required_to_create() -> None:
    only(
        {"resourceGroup": "rg"},
        "storage.azure.location",
        "required (or set azure-native:location): the storage account is created there",
    )


def test_location_defaults_to_the_provider_location() -> None:
    azure = load(
        platform="azure", storage={"azure": {"resourceGroup": "rg"}}, extra={"azure-native:location": "westeurope"}
    ).settings.storage.azure
    assert azure is not None and azure.location == "westeurope"


def test_adopting_needs_the_account_name_and_takes_no_creation_fields() -> None:
    only({"resourceGroup": "rg", "adopt": True}, "storage.azure.accountName", "required with adopt: true")
    found = problems({"resourceGroup": "rg", "adopt": True, "accountName": "existing1", "sku": "Standard_ZRS"})
    assert found == [
        "openshift-registry:storage.azure.sku: has no effect with adopt: true (nothing is created); remove it"
    ]


def test_sku_must_suit_a_storage_v2_blob_account() -> None:
    (found,) = problems({**BASE, "sku": "Premium_LRS"})
    assert found.startswith("openshift-registry:storage.azure.sku: ")
    assert "Standard_ZRS" in found


def test_german_cloud_is_refused_because_it_was_shut_down() -> None:
    only({**BASE, "cloudName": "AzureGermanCloud"}, "storage.azure.cloudName", "was shut down")


def test_cloud_name_must_be_an_azure_cloud() -> None:
    found = problems({**BASE, "cloudName": "AzureMoonCloud"})
    assert all(p.startswith("openshift-registry:storage.azure.cloudName: ") for p in found)


def test_provider_must_target_the_same_cloud() -> None:
    only(
        {**BASE, "cloudName": "AzureUSGovernmentCloud"},
        "storage.azure.cloudName",
        "set azure-native:environment to 'usgovernment' (it is 'public')",
    )
    only(BASE, "storage.azure.cloudName", "(it is 'china')", extra={"azure-native:environment": "china"})


def test_matching_cloud_and_provider_pass() -> None:
    stack = load(
        platform="azure",
        storage={"azure": {**BASE, "cloudName": "AzureChinaCloud"}},
        extra={"azure-native:environment": "china"},
    ).settings
    assert stack.storage.azure is not None and stack.storage.azure.cloud_name == "AzureChinaCloud"
