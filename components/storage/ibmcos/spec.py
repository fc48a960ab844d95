"""IBM Cloud Object Storage: an existing bucket, named in the Config; nothing is created.

The operator overwrites ``location`` and ``resourceGroupName`` from the Infrastructure and mints an
HMAC key when ``resourceKeyCRN`` is empty (pkg/storage/ibmcos/ibmcos.go, CreateStorage): the Config
carries only the bucket, the instance and the key it may not infer.
"""

from __future__ import annotations

from typing import Any

from components.identity import StackIdentity
from components.settings.registry import RegistrySettings
from components.settings.secrets import SecretSettings
from components.specs.objects import Plan, Secret
from components.specs.storage import StorageSpec
from components.storage.ibmcos.settings import IbmCosSettings


def cr_storage(cos: IbmCosSettings, identity: StackIdentity) -> dict[str, Any]:
    block: dict[str, Any] = {"bucket": cos.bucket, "serviceInstanceCRN": cos.service_instance_crn}
    if cos.resource_key_crn:
        block["resourceKeyCRN"] = cos.resource_key_crn
    return block


def plan(cos: IbmCosSettings, identity: StackIdentity, secrets: SecretSettings, registry: RegistrySettings) -> Plan:
    assert secrets.ibmcos_api_key is not None, "checked by the settings"
    return Plan(
        credentials={"REGISTRY_STORAGE_IBMCOS_IAMAPIKEY": Secret(secrets.ibmcos_api_key.get_secret_value())},
        exports={"bucketName": cos.bucket},
    )


SPEC = StorageSpec(cr_storage=cr_storage, plan=plan)
