"""Adopting Azure storage: the account's resource group, and in import mode its and its container's ids."""

from __future__ import annotations

from typing import Any

from components.adoption import AdoptionError, Context

# What adopt says when the cluster has no credential secret for Azure.
NO_SECRET = "no credential secret: the account key is read from the account and one is created"


def storage(block: dict[str, Any], context: Context) -> dict[str, Any]:
    state = context.state
    status = ((state.infrastructure or {}).get("status") or {}).get("platformStatus") or {}
    group = context.resource_group or status.get("azure", {}).get("resourceGroupName")
    if not group:
        raise AdoptionError("the storage account's resource group is unknown: give --resource-group")
    block["resourceGroup"] = group
    if context.location and state.short_lived_credentials:
        block.setdefault("location", context.location)  # the keyless identity is made there
    if context.mode == "reference":
        block["adopt"] = True
        return block
    if not context.subscription or not context.location:
        raise AdoptionError(
            "--mode import on Azure needs --subscription (the account's id names it) and --location "
            "(the account's region; a dump does not show it)"
        )
    block["location"] = context.location
    account = (f"/subscriptions/{context.subscription}/resourceGroups/{group}/providers/Microsoft.Storage/"
               f"storageAccounts/{block['accountName']}")  # fmt: skip
    context.imports["account"] = account
    context.imports["container"] = (
        f"{account}/blobServices/default/containers/{block.get('container', 'image-registry')}"
    )
    return block


def keyless(block: dict[str, Any], context: Context) -> None:
    if "location" not in block:
        raise AdoptionError(
            "the cluster uses short-lived credentials, so the stack makes the registry a managed identity: give "
            "--location (the region to make it in, e.g. the account's; a dump does not show it)"
        )
