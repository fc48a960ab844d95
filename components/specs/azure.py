"""What an Azure storage account and container for the registry look like, as azure-native receives them.

The same settings the operator applies when it creates an account (StorageV2, HTTPS only,
TLS 1.2, no public blob access), plus infrastructure encryption and a private container.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from components.settings.stack import StackSettings
from components.settings.storage_azure import PUBLIC_CLOUD, AzureSettings

DEFAULT_CONTAINER = "image-registry"


def _azure(stack: StackSettings) -> AzureSettings:
    azure = stack.storage.azure
    assert azure is not None, "Azure specs need storage.azure"
    return azure


def account_name(stack: StackSettings) -> str:
    """Configured, else derived: 3-24 lowercase letters and digits, unique per project and stack.

    Account names are global across Azure; a hash of project and stack keeps the derived one
    from colliding with another stack's while staying the same on every run.
    """
    configured = _azure(stack).account_name
    if configured:
        return configured
    stem = re.sub(r"[^a-z0-9]", "", f"{stack.project}{stack.stack}".lower())[:16]
    digest = hashlib.sha256(f"{stack.project}/{stack.stack}".encode()).hexdigest()[:8]
    return f"{stem}{digest}"


def container_name(stack: StackSettings) -> str:
    return _azure(stack).container or DEFAULT_CONTAINER


def resource_group_name(stack: StackSettings) -> str:
    """Configured, else ``<project>-<stack>-registry`` within Azure's rules (90 characters; letters,
    digits, ``-_.()``, not ending in ``.``), the same on every run."""
    configured = _azure(stack).resource_group
    if configured:
        return configured
    stem = re.sub(r"[^-\w.()]", "-", f"{stack.project}-{stack.stack}")[:80].rstrip(".")
    return f"{stem}-registry"


OWN_TAGS = ("app", "pulumi-project", "pulumi-stack")  # Azure tag names allow no "/"


def tags(stack: StackSettings) -> dict[str, str]:
    return {
        OWN_TAGS[0]: "openshift-image-registry",
        OWN_TAGS[1]: stack.project,
        OWN_TAGS[2]: stack.stack,
        **_azure(stack).tags,
    }


def account_args(stack: StackSettings) -> dict[str, Any]:
    azure = _azure(stack)
    return {
        "account_name": account_name(stack),
        "resource_group_name": resource_group_name(stack),
        "location": azure.location,
        "kind": "StorageV2",
        "sku": {"name": azure.sku},
        "enable_https_traffic_only": True,
        "minimum_tls_version": "TLS1_2",
        "allow_blob_public_access": False,
        # The account key is the registry's credential: shared-key access must stay on, whatever an
        # organisation's default says. A keyless (workload identity) mode will need False, as the
        # operator itself sets on that path (pkg/storage/azure/azure.go, assureStorageAccount).
        "allow_shared_key_access": azure.uses_account_key,
        "encryption": {
            "key_source": "Microsoft.Storage",
            "require_infrastructure_encryption": True,
            "services": {"blob": {"enabled": True, "key_type": "Account"}},
        },
        "tags": tags(stack),
    }


def cr_storage(stack: StackSettings) -> dict[str, Any]:
    """``spec.storage.azure``: always account and container, and the cloud when it is not public.

    With the account key in the credential secret the operator creates nothing and needs both
    names. It takes ``cloudName`` from the cluster only when ``accountName`` is empty too, so a
    named account without ``cloudName`` would be looked for in the public cloud.
    """
    azure = _azure(stack)
    block: dict[str, Any] = {"accountName": account_name(stack), "container": container_name(stack)}
    if azure.cloud_name != PUBLIC_CLOUD:
        block["cloudName"] = azure.cloud_name
    return block
