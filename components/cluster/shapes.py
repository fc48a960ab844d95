"""The shape the program relies on in each object it reads from a cluster, checked on reading.

The API server guarantees these shapes; a dump edited by hand (or damaged) does not. Every object of
a kind the program reads is checked here, by both readers, so that a wrong shape is one message
naming the file, the object and the field, never a traceback later. Only the fields the program
reads are typed; anything else an object holds is left alone. The Config's spec is checked against
its CRD (the vendored schema of the latest release, unknown fields allowed: a newer cluster may
have fields this program does not know).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator, Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from components.crd import violations
from components.storage.kinds import config_schema


class _Shape(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True, populate_by_name=True)


class _ManagedField(_Shape):
    manager: str | None = None
    operation: str | None = None
    fields_v1: dict[str, Any] | None = Field(default=None, alias="fieldsV1")


class _Metadata(_Shape):
    name: str
    namespace: str | None = None
    labels: dict[str, str] | None = None
    annotations: dict[str, str] | None = None
    managed_fields: list[_ManagedField] | None = Field(default=None, alias="managedFields")


class _Object(_Shape):
    api_version: str = Field(alias="apiVersion")
    kind: str
    metadata: _Metadata


class _ConfigSpec(_Shape):
    storage: dict[str, Any] | None = None

    @field_validator("storage")
    @classmethod
    def _blocks(cls, storage: dict[str, Any] | None) -> dict[str, Any] | None:
        for name, block in (storage or {}).items():
            if name != "managementState" and not isinstance(block, dict):
                raise ValueError(f"storage.{name} must be a map, not {type(block).__name__}")
        return storage


class Config(_Object):
    spec: _ConfigSpec | None = None
    status: _OperatorStatus | None = None


class _Release(_Shape):
    version: str | None = None
    state: str | None = None


class _Capabilities(_Shape):
    known: list[str] | None = Field(default=None, alias="knownCapabilities")
    enabled: list[str] | None = Field(default=None, alias="enabledCapabilities")


class _ClusterVersionStatus(_Shape):
    desired: _Release | None = None
    history: list[_Release] | None = None
    capabilities: _Capabilities | None = None


class ClusterVersion(_Object):
    status: _ClusterVersionStatus | None = None


class _CredentialSpec(_Shape):
    credentials_mode: str | None = Field(default=None, alias="credentialsMode")


class CloudCredential(_Object):
    spec: _CredentialSpec | None = None


class _AuthenticationSpec(_Shape):
    service_account_issuer: str | None = Field(default=None, alias="serviceAccountIssuer")


class Authentication(_Object):
    spec: _AuthenticationSpec | None = None


class _Tag(_Shape):
    key: str
    value: str = ""


class _AwsStatus(_Shape):
    region: str | None = None
    resource_tags: list[_Tag] | None = Field(default=None, alias="resourceTags")


class _AzureStatus(_Shape):
    cloud_name: str | None = Field(default=None, alias="cloudName")
    resource_group_name: str | None = Field(default=None, alias="resourceGroupName")


class _PlatformStatus(_Shape):
    type: str | None = None
    aws: _AwsStatus | None = None
    azure: _AzureStatus | None = None


class _InfrastructureStatus(_Shape):
    infrastructure_name: str | None = Field(default=None, alias="infrastructureName")
    platform: str | None = None
    platform_status: _PlatformStatus | None = Field(default=None, alias="platformStatus")
    infrastructure_topology: str | None = Field(default=None, alias="infrastructureTopology")


class Infrastructure(_Object):
    status: _InfrastructureStatus | None = None


class _TrustedCA(_Shape):
    name: str | None = None


class _ImageSpec(_Shape):
    additional_trusted_ca: _TrustedCA | None = Field(default=None, alias="additionalTrustedCA")


class Image(_Object):
    spec: _ImageSpec | None = None


class ConfigMap(_Object):
    data: dict[str, str] | None = None


class Secret(_Object):
    data: dict[str, str] | None = None
    string_data: dict[str, str] | None = Field(default=None, alias="stringData")

    @field_validator("data")
    @classmethod
    def _base64(cls, data: dict[str, str] | None) -> dict[str, str] | None:
        for key, value in (data or {}).items():
            try:
                base64.b64decode(value, validate=True)
            except (binascii.Error, ValueError):
                raise ValueError(f"data.{key} is not base64 (a Secret's data values are)") from None
        return data


class _Resources(_Shape):
    requests: dict[str, str] | None = None


class _ClaimSpec(_Shape):
    access_modes: list[str] | None = Field(default=None, alias="accessModes")
    resources: _Resources | None = None
    storage_class_name: str | None = Field(default=None, alias="storageClassName")


class PersistentVolumeClaim(_Object):
    spec: _ClaimSpec | None = None


class _Condition(_Shape):
    type: str
    status: str
    reason: str | None = None
    message: str | None = None


class _OperatorStatus(_Shape):
    conditions: list[_Condition] | None = None


class ClusterOperator(_Object):
    status: _OperatorStatus | None = None


Config.model_rebuild()
SHAPES: dict[str, type[_Object]] = {
    "Config": Config,
    "ClusterVersion": ClusterVersion,
    "CloudCredential": CloudCredential,
    "Authentication": Authentication,
    "Infrastructure": Infrastructure,
    "Image": Image,
    "ConfigMap": ConfigMap,
    "Secret": Secret,
    "PersistentVolumeClaim": PersistentVolumeClaim,
    "ClusterOperator": ClusterOperator,
}


def shape_problems(body: Any) -> Iterator[str]:
    """``field: message`` for every way ``body`` is not what the program relies on (nothing: it is)."""
    if not isinstance(body, Mapping):
        yield f"(whole object): a map, not {type(body).__name__}"
        return
    if not isinstance(body.get("metadata"), Mapping):
        yield "metadata: missing, or not a map"
        return
    shape = SHAPES.get(str(body.get("kind")))
    if shape is None:
        return
    reported: list[str] = []
    try:
        shape.model_validate(dict(body))
    except ValidationError as error:
        for item in error.errors(include_url=False):
            where = ".".join(str(part) for part in item["loc"]) or "(whole object)"
            reported.append(where)
            yield f"{where}: {_message(item)}"
    if shape is Config and isinstance(body.get("spec"), Mapping):
        spec_schema = config_schema(None)["properties"]["spec"]
        for path, message in violations(dict(body["spec"]), spec_schema):
            where = f"spec.{path}" if path else "spec"
            if not message.startswith("unknown field") and not any(where.startswith(r) for r in reported):
                yield f"{where}: {message}"


def _message(item: Mapping[str, Any]) -> str:
    kinds = {"dict_type": "a map", "model_type": "a map", "list_type": "a list", "string_type": "a string"}
    kind = kinds.get(str(item["type"]))
    if item["type"] == "missing":
        return "required"
    if kind:
        return f"must be {kind}, not {_describe(item.get('input'))}"
    text = str(item["msg"])
    return text.removeprefix("Value error, ")


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    names = {dict: "a map", list: "a list", str: "a string", bool: "a boolean", int: "a number", float: "a number"}
    return names.get(type(value), type(value).__name__)
