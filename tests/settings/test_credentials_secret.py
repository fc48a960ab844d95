"""Every platform's credentials, and route TLS data, are secret Outputs on the resources themselves.

Checked with ``Output.is_secret`` inside @pulumi.runtime.test: mocks ignore
``additional_secret_outputs``, so secrecy must come from the values.
"""

from __future__ import annotations

import json

import pulumi

from components.resources.registry import Registry
from components.resources.storage import build_storage
from tests.certs import make
from tests.support import settings


def storage_of(stack):
    storage = build_storage(stack, pulumi.ResourceOptions())
    assert storage is not None
    return storage


def all_secret(outputs: list[pulumi.Output], expected: list[str]) -> pulumi.Output:
    def check(args: list) -> None:
        flags, values = args[: len(outputs)], args[len(outputs) :]
        assert flags == [True] * len(outputs)
        assert values == expected

    return pulumi.Output.all(*[pulumi.Output.from_input(o.is_secret()) for o in outputs], *outputs).apply(check)


@pulumi.runtime.test
def test_gcs_service_account_key_is_secret_and_decoded():
    stack = settings(platform="gcp", storage={"gcs": {"region": "us-central1", "projectID": "example-project"}})
    storage = storage_of(stack)
    assert sorted(storage.credentials) == ["REGISTRY_STORAGE_GCS_KEYFILE"]
    return all_secret([storage.credentials["REGISTRY_STORAGE_GCS_KEYFILE"]], ['{"type": "service_account"}'])


@pulumi.runtime.test
def test_gcs_key_file_from_config_is_secret():
    key_file = json.dumps({"type": "service_account", "private_key": "planted"})
    stack = settings(
        platform="gcp",
        storage={"gcs": {"region": "us-central1", "projectID": "example-project", "credentials": "secretConfig"}},
        secrets={"gcsKeyFile": key_file},
    )
    return all_secret([storage_of(stack).credentials["REGISTRY_STORAGE_GCS_KEYFILE"]], [key_file])


@pulumi.runtime.test
def test_azure_account_key_is_secret():
    stack = settings(platform="azure", storage={"azure": {"resourceGroup": "rg", "location": "eastus"}})
    storage = storage_of(stack)
    assert sorted(storage.credentials) == ["REGISTRY_STORAGE_AZURE_ACCOUNTKEY"]
    return all_secret([storage.credentials["REGISTRY_STORAGE_AZURE_ACCOUNTKEY"]], ["mock-account-key"])


@pulumi.runtime.test
def test_route_tls_data_is_secret():
    pair = make()
    stack = settings(
        platform="aws",
        storage={"s3": {"region": "us-east-1"}},
        registry={"routes": [{"name": "external", "hostname": "registry.apps.example.com"}]},
        secrets={"routeTls": json.dumps({"external": vars(pair)})},
    )
    (secret,) = Registry("r", stack=stack).route_secrets
    data = secret.stringData  # type: ignore[attr-defined]
    return all_secret([data], [{"tls.crt": pair.certificate, "tls.key": pair.key}])
