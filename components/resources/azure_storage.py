"""Azure Blob Storage for the registry."""

from __future__ import annotations

from typing import Any

import pulumi

from components.resources.lifecycle import needed
from components.settings.stack import StackSettings
from components.specs import azure as spec


class AzureStorage(pulumi.ComponentResource):
    """A storage account and a private blob container, and the account key for the registry.

    Creates, unless adopted: the resource group (when none is named, or with ``createResourceGroup``), the account
    and the container, all protected in production (deleting a resource group deletes the
    account in it). The key is read with ``listStorageAccountKeys`` and stays a secret end to end.
    """

    def __init__(self, name: str, *, stack: StackSettings, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("openshift-registry:storage:AzureStorage", name, None, opts)
        from pulumi_azure_native import resources, storage

        azure = stack.storage.azure
        assert azure is not None
        keep = needed(stack, self, holds_images=True)
        self.ready: list[pulumi.Resource] = []
        group: pulumi.Input[str] = spec.resource_group_name(stack)
        account: pulumi.Input[str] = spec.account_name(stack)
        self.resource_group = self.account = self.container = None
        if azure.creates_account:
            if azure.creates_resource_group:
                self.resource_group = resources.ResourceGroup(
                    f"{name}-group",
                    resource_group_name=spec.resource_group_name(stack),
                    location=azure.location,
                    tags=spec.tags(stack),
                    opts=keep,
                )
                group = self.resource_group.name
            self.account = storage.StorageAccount(
                f"{name}-account", **{**spec.account_args(stack), "resource_group_name": group}, opts=keep
            )
            account = self.account.name
            self.container = storage.BlobContainer(
                f"{name}-container",
                account_name=account,
                resource_group_name=group,
                container_name=spec.container_name(stack),
                public_access="None",
                opts=keep,
            )
            self.ready.append(self.container)
        keys = storage.list_storage_account_keys_output(
            account_name=account, resource_group_name=group, opts=pulumi.InvokeOutputOptions(parent=self)
        )
        self.credentials = {
            "REGISTRY_STORAGE_AZURE_ACCOUNTKEY": pulumi.Output.secret(keys.keys[0].value),
        }
        self.exports: dict[str, Any] = {
            "storageAccountName": spec.account_name(stack),
            "containerName": spec.container_name(stack),
            "resourceGroupName": spec.resource_group_name(stack),
        }
        self.register_outputs(dict(self.exports))
