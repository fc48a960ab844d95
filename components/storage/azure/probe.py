"""Azure Blob: the registry's own access with its account key, and the account as the stack meant it.

The probe does what the registry's Azure driver (distribution/registry/storage/driver/azure) does,
under a prefix of its own that no image uses, and removes what it wrote: a block blob written,
read, listed and deleted (``PutContent``, ``GetContent``, ``List``, ``Delete``); blocks staged and
committed as one blob and an append blob grown block by block (the driver's ``Writer``, which pushes
layers: with staged blocks in older releases, ``randomwriter.go``, with append blobs since); and a
server-side copy (``Move``). The second part reads the account through
Azure Resource Manager with the caller's own credentials.

Endpoints: ``https://ACCOUNT.blob.SUFFIX`` for the Config's ``cloudName`` (the operator's
``getBlobServiceURL``, pkg/storage/azure/azure.go); ``AZURE_STORAGE_BLOB_ENDPOINT`` overrides it
(a private endpoint, Azurite), and ``AZURE_RESOURCE_MANAGER_ENDPOINT`` the Resource Manager's.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import logging
import os
import uuid
from collections.abc import Callable
from functools import partial
from typing import Any

import requests
from azure.core.exceptions import ClientAuthenticationError, HttpResponseError
from azure.identity import ClientAssertionCredential, DefaultAzureCredential
from azure.storage.blob import BlobBlock, BlobServiceClient, ExponentialRetry

from components.checks import (
    ACCESS,
    INSTALLER,
    INTENDED,
    KEYLESS,
    PREFIX,
    Check,
    TokenSource,
    cleaned_up,
    failed,
    guarded,
    needs_live_token,
    not_applicable,
    not_run,
    passed,
    probe_all,
    reason,
    secret_values,
)
from components.cluster.state import ClusterState
from components.settings.stack import StackSettings
from components.storage.azure import spec
from components.storage.azure.row import KEYS
from components.storage.azure.settings import AzureSettings

BLOB_ENDPOINT_ENV = "AZURE_STORAGE_BLOB_ENDPOINT"
ARM_ENDPOINT_ENV = "AZURE_RESOURCE_MANAGER_ENDPOINT"
ARM_API_VERSION = "2023-05-01"
# The CR's cloudName -> (the storage endpoint suffix, the Resource Manager endpoint), as the
# operator's autorest environments have them.
CLOUDS = {
    "AzurePublicCloud": ("core.windows.net", "https://management.azure.com"),
    "AzureUSGovernmentCloud": ("core.usgovcloudapi.net", "https://management.usgovcloudapi.net"),
    "AzureChinaCloud": ("core.chinacloudapi.cn", "https://management.chinacloudapi.cn"),
}
# Each cloud's Entra ID, where the registry exchanges its token for one of its identity's (workloadIdentity).
AUTHORITIES = {
    "AzurePublicCloud": "login.microsoftonline.com",
    "AzureUSGovernmentCloud": "login.microsoftonline.us",
    "AzureChinaCloud": "login.chinacloudapi.cn",
}
AUTHORITY_ENV = "AZURE_AUTHORITY_HOST"
# Errors that, with the registry's own key, are the finding itself: a push would fail the same way.
KEY_REFUSED = (
    "AuthenticationFailed",
    "AuthorizationFailure",
    "AuthorizationPermissionMismatch",
    "KeyBasedAuthenticationNotPermitted",
)


def blob_endpoint(azure: AzureSettings, account: str) -> str:
    return os.environ.get(BLOB_ENDPOINT_ENV) or f"https://{account}.blob.{CLOUDS[azure.cloud_name][0]}"


def arm_endpoint(azure: AzureSettings) -> str:
    return (os.environ.get(ARM_ENDPOINT_ENV) or CLOUDS[azure.cloud_name][1]).rstrip("/")


def access_checks(
    azure: AzureSettings, account: str, container: str, key: str | None, credential: Any = None
) -> list[Check]:
    """With the registry's account key, or ``credential``: the identity it gets with its token (keyless)."""
    if credential is not None:
        return _probes(azure, account, container, credential)
    if not azure.uses_account_key:
        return [not_applicable(ACCESS, "the registry's access", KEYLESS)]
    if not key:
        return [not_run(ACCESS, "the registry's key", "no REGISTRY_STORAGE_AZURE_ACCOUNTKEY in the credential secret")]
    try:
        base64.b64decode(key.strip(), validate=True)
    except (binascii.Error, ValueError):
        return [
            failed(
                ACCESS,
                "the registry's key",
                "REGISTRY_STORAGE_AZURE_ACCOUNTKEY is not an account key (account keys are base64): the registry "
                "cannot sign a request with it",
                "`pulumi up --refresh` writes the account's current key into the credential secret",
            )
        ]

    return _probes(azure, account, container, {"account_name": account, "account_key": key})


def _probes(azure: AzureSettings, account: str, container: str, credential: Any) -> list[Check]:
    # The SDK's default retries back off for minutes on an unreachable endpoint: one retry, bounded waits.
    service = BlobServiceClient(
        blob_endpoint(azure, account),
        credential=credential,
        retry_policy=ExponentialRetry(initial_backoff=1, increment_base=2, retry_total=1),
        connection_timeout=10,
        read_timeout=60,
    )
    api = service.get_container_client(container)
    name = f"{PREFIX}/{uuid.uuid4().hex}"
    probes: tuple[tuple[str, Callable[[], Check]], ...] = (
        ("write, read, list, delete", lambda: _round_trip(api, name)),
        ("blocks staged and committed", lambda: _blocks(api, f"{name}-blocks")),
        ("append blob (layer upload)", lambda: _append(api, f"{name}-append")),
        ("server-side copy (move)", lambda: _copy(api, f"{name}-copy")),
    )
    keyless = not isinstance(credential, dict)
    return probe_all(ACCESS, [(label, partial(_refused_fails, label, probe, keyless)) for label, probe in probes])


def _refused_fails(label: str, probe: Callable[[], Check], keyless: bool = False) -> Check:

    try:
        return probe()
    except ClientAuthenticationError as error:
        if not keyless:
            raise
        return failed(
            ACCESS,
            label,
            f"Entra ID refused the registry's token: {' '.join(str(error).split())[:160]}",
            "the identity's federated credential must name the cluster's issuer and "
            "system:serviceaccount:openshift-image-registry:registry: `pulumi up --refresh` puts the stack's back",
        )
    except HttpResponseError as error:
        code = str(getattr(error.error_code, "value", error.error_code) or "")
        if keyless and code not in ("ContainerNotFound",) and (code in KEY_REFUSED or error.status_code == 403):
            return failed(
                ACCESS,
                label,
                f"{code or error.status_code} with the registry's managed identity",
                "the identity needs the Storage Blob Data Contributor role on the account: `pulumi up --refresh` "
                "puts the stack's role assignment back",
            )
        if code == "ContainerNotFound":
            return failed(
                ACCESS,
                label,
                "the container does not exist",
                "`pulumi up` creates it; an adopted container must exist before the registry uses it",
            )
        if code not in KEY_REFUSED and error.status_code != 403:
            raise
        return failed(
            ACCESS,
            label,
            f"{code or error.status_code} with the registry's own account key",
            "the credential secret's REGISTRY_STORAGE_AZURE_ACCOUNTKEY is wrong or was rotated: "
            "`pulumi up --refresh` writes the account's current key; check that shared-key access is allowed",
        )


BODY = b"openshift-registry verify"


def _round_trip(api: Any, name: str) -> Check:
    api.upload_blob(name, BODY, overwrite=True)
    with cleaned_up(lambda: api.delete_blob(name)):
        body = api.download_blob(name).readall()
        listed = [blob.name for blob in api.list_blobs(name_starts_with=name)]
        encrypted = api.get_blob_client(name).get_blob_properties().server_encrypted
    api.delete_blob(name)
    if body != BODY or name not in listed:
        return failed(
            ACCESS,
            "write, read, list, delete",
            "the blob did not come back as written",
            "check the account's versioning, immutability or replication policies",
        )
    if not encrypted:
        return failed(ACCESS, "write, read, list, delete", "the blob was stored unencrypted", "`pulumi up --refresh`")
    return passed(ACCESS, "write, read, list, delete", f"{api.container_name}/{PREFIX}/...")


def _blocks(api: Any, name: str) -> Check:

    def write(blob: Any) -> None:
        ids = [f"{index:08d}" for index in range(2)]
        for block_id in ids:
            blob.stage_block(block_id, BODY)
        blob.commit_block_list([BlobBlock(block_id=block_id) for block_id in ids])

    return _written_in_two(api, name, "blocks staged and committed", write)


def _append(api: Any, name: str) -> Check:
    def write(blob: Any) -> None:
        blob.create_append_blob()
        blob.append_block(BODY)
        blob.append_block(BODY)

    return _written_in_two(api, name, "append blob (layer upload)", write)


def _written_in_two(api: Any, name: str, label: str, write: Callable[[Any], None]) -> Check:
    """A blob written in two pieces reads back as both; it is removed whatever happened."""

    blob = api.get_blob_client(name)
    try:
        write(blob)
        body = blob.download_blob().readall()
    finally:
        with contextlib.suppress(HttpResponseError):  # the probe's own error is the one to report
            blob.delete_blob()
    if body != BODY * 2:
        return failed(ACCESS, label, "the blob read back is not the two pieces written", "check the account")
    return passed(ACCESS, label)


def _copy(api: Any, name: str) -> Check:
    source, target = api.get_blob_client(f"{name}-from"), api.get_blob_client(f"{name}-to")
    source.upload_blob(BODY, overwrite=True)
    try:
        copy = target.start_copy_from_url(source.url)
        status = copy.get("copy_status")
        for _ in range(20):  # a same-account copy is synchronous on Azure; Azurite too
            if status != "pending":
                break
            status = target.get_blob_properties().copy.status
        body = target.download_blob().readall() if status == "success" else b""
    finally:
        source.delete_blob()
    if status == "success":
        target.delete_blob()
    if body != BODY:
        return failed(ACCESS, "server-side copy (move)", f"the copy ended {status}", "check the account")
    return passed(ACCESS, "server-side copy (move)")


# --- the account as intended, through Azure Resource Manager with the caller's credentials ---


def account_id(subscription: str, group: str, account: str) -> str:
    return f"/subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.Storage/storageAccounts/{account}"


def arm_getter(azure: AzureSettings, token: Callable[[], str]) -> Callable[[str], dict[str, Any]]:
    """GET one Resource Manager path as JSON with the caller's token; HTTP errors raise with ARM's message."""

    base = arm_endpoint(azure)

    def get(path: str) -> dict[str, Any]:
        response = requests.get(
            f"{base}{path}",
            params={"api-version": ARM_API_VERSION},
            headers={"Authorization": f"Bearer {token()}"},
            timeout=30,
        )
        if response.status_code != 200:
            try:
                error = response.json().get("error", {})
            except ValueError:
                error = {}
            raise ArmError(response.status_code, error.get("code", ""), error.get("message", "")[:200])
        return response.json()

    return get


class ArmError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{status} {code}: {message}".strip())
        self.status, self.code = status, code


def caller_token(azure: AzureSettings) -> Callable[[], str]:
    """The caller's own token for Resource Manager (Azure CLI login, environment, managed identity)."""

    cached: list[str] = []

    def token() -> str:

        if not cached:
            # Its own warning lists every credential it tried; the check that could not run says why, once.
            logging.getLogger("azure.identity").setLevel(logging.ERROR)
            cached.append(DefaultAzureCredential().get_token(f"{arm_endpoint(azure)}/.default").token)
        return cached[0]

    return token


def intended_checks(
    azure: AzureSettings,
    account: str,
    container: str,
    group: str,
    subscription: str | None,
    get: Callable[[str], dict[str, Any]],
) -> list[Check]:
    """What the stack set on an account it created (``spec.py: account``), read back."""
    if not azure.creates_account:
        return [not_applicable(INTENDED, "account settings", "the account is adopted: the stack sets nothing on it")]
    if not subscription:
        return [
            not_run(
                INTENDED,
                "account settings",
                "no subscription: set azure-native:subscriptionId in the stack or AZURE_SUBSCRIPTION_ID",
            )
        ]
    path = account_id(subscription, group, account)
    try:
        properties = get(path).get("properties") or {}
    except ArmError as error:
        if error.code in ("ResourceNotFound", "ResourceGroupNotFound"):  # not SubscriptionNotFound: the caller's
            return [
                failed(
                    INTENDED,
                    "account settings",
                    f"{account} is not in {group}: {error.code}",
                    "`pulumi refresh` shows whether the stack's account is gone",
                )
            ]
        return [not_run(INTENDED, "account settings", f"Resource Manager said {error}")]
    except Exception as error:  # no credentials, no network: the check could not run
        return [not_run(INTENDED, "account settings", reason(error))]
    checks = [
        _property(
            properties,
            "supportsHttpsTrafficOnly",
            True,
            "HTTPS only",
            "plain HTTP is accepted: `pulumi up --refresh` turns HTTPS-only back on",
        ),
        _tls(properties),
        _property(
            properties,
            "allowBlobPublicAccess",
            False,
            "no public blob access",
            "containers may be made public: `pulumi up --refresh` turns it off",
        ),
        _property(
            properties,
            "allowSharedKeyAccess",
            azure.uses_account_key,
            "shared-key access",
            "the registry's account key is refused"
            if azure.uses_account_key
            else "account keys work on an account meant to be keyless: `pulumi up --refresh` turns them off",
        ),
    ]
    checks.append(guarded(INTENDED, "container is private", lambda: _container(get, path, container)))
    return checks


def _property(properties: dict[str, Any], name: str, wanted: bool, label: str, why: str) -> Check:
    value = properties.get(name)
    if name == "allowSharedKeyAccess" and value is None:
        value = True  # Resource Manager leaves it out while it has never been set: allowed
    if value is wanted:
        return passed(INTENDED, label, f"{name}: {str(wanted).lower()}")
    return failed(INTENDED, label, f"{name} is {value!r}", why if value is not None else f"{why} (unset)")


def _tls(properties: dict[str, Any]) -> Check:
    version = properties.get("minimumTlsVersion") or "TLS1_0"  # unset means Azure's old default
    if version in ("TLS1_2", "TLS1_3"):
        return passed(INTENDED, "TLS 1.2 or later", f"minimumTlsVersion: {version}")
    return failed(INTENDED, "TLS 1.2 or later", f"minimumTlsVersion is {version}", "`pulumi up --refresh` sets TLS1_2")


def _container(get: Callable[[str], dict[str, Any]], account_path: str, container: str) -> Check:
    access = (get(f"{account_path}/blobServices/default/containers/{container}").get("properties") or {}).get(
        "publicAccess", "None"
    )
    if access in (None, "None"):
        return passed(INTENDED, "container is private", f"{container}: publicAccess None")
    return failed(
        INTENDED,
        "container is private",
        f"{container}: publicAccess {access}",
        "`pulumi up --refresh` sets it back to None",
    )


def checks(
    settings: StackSettings,
    values: dict[str, str],
    state: ClusterState,
    config: dict[str, Any],
    token: TokenSource | None,
) -> list[Check]:
    """The registry's own access with its account key (or, with ``workloadIdentity``, the identity it gets with
    its token), and the account and container as intended."""
    model = settings.storage.azure
    assert model is not None
    account, container = spec.account_name(model, settings.identity), spec.container_name(model)
    group = spec.resource_group_name(model, settings.identity)
    named = config.get("azure-native:subscriptionId")
    subscription = named if isinstance(named, str) else os.environ.get("AZURE_SUBSCRIPTION_ID")
    get = arm_getter(model, caller_token(model))
    intended = intended_checks(model, account, container, group, subscription, get)
    if model.credential_mode == "workloadIdentity":
        credential = federated_credential(model, state, token)
        if isinstance(credential, Check):
            return [credential, *intended]
        return [*access_checks(model, account, container, None, credential), *intended]
    return [*access_checks(model, account, container, values.get(KEYS[0])), *intended]


def federated_credential(azure: AzureSettings, state: ClusterState, token: TokenSource | None) -> Any:
    """As the registry gets in with ``workloadIdentity``: installer-cloud-credentials names its identity's client
    and tenant, and its service account token (audience ``openshift``) is the client assertion Entra ID takes."""
    if token is None:
        return needs_live_token("identity")
    installer = secret_values(state.get(INSTALLER))
    client, tenant = installer.get("azure_client_id", ""), installer.get("azure_tenant_id", "")
    if not client or not tenant:
        return failed(
            ACCESS,
            "the registry's managed identity",
            "installer-cloud-credentials names no azure_client_id and azure_tenant_id",
            "`pulumi up` writes them (the stack's managed identity)",
        )
    authority = os.environ.get(AUTHORITY_ENV) or AUTHORITIES[azure.cloud_name]
    return ClientAssertionCredential(tenant, client, lambda: token(), authority=authority)
