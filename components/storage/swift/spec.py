"""What a Swift container for the registry looks like, as the OpenStack provider receives it.

Private: no read ACL (``.r:*`` would make every image public) and no listing for others; the
registry's credentials are the user's, from secret config, under the keys the operator reads
(GetConfig in pkg/storage/swift/swift.go, which wants all three application-credential keys).
"""

from __future__ import annotations

from typing import Any

from components.identity import StackIdentity
from components.names import derived_bucket_name
from components.settings.registry import RegistrySettings
from components.settings.secrets import SecretSettings
from components.specs.objects import Object, Plan, Secret
from components.specs.storage import StorageSpec
from components.storage.swift.settings import SwiftSettings, reads_all_five_keys

PASSWORD_KEYS = {
    "REGISTRY_STORAGE_SWIFT_USERNAME": "swift_username",
    "REGISTRY_STORAGE_SWIFT_PASSWORD": "swift_password",
}
APPLICATION_CREDENTIAL_KEYS = {
    "REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALID": "swift_application_credential_id",
    "REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALNAME": "swift_application_credential_name",
    "REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALSECRET": "swift_application_credential_secret",
}


def container_name(swift: SwiftSettings, identity: StackIdentity) -> str:
    return swift.container or derived_bucket_name(identity.project, identity.stack)


def cr_storage(swift: SwiftSettings, identity: StackIdentity) -> dict[str, Any]:
    """``spec.storage.swift``: always the container, and every connection field the stack sets."""
    block: dict[str, Any] = {"container": container_name(swift, identity)}
    dumped = swift.model_dump(by_alias=True, exclude_none=True)
    block.update(
        {field: dumped[field] for field in SwiftSettings.CR_FIELDS if field in dumped and field != "container"}
    )
    return block


def container(swift: SwiftSettings, identity: StackIdentity) -> dict[str, Any]:
    """No ``containerRead``/``containerWrite`` ACLs: only the project's own members reach it."""
    inputs: dict[str, Any] = {
        "name": container_name(swift, identity),
        "metadata": {
            "app": "openshift-image-registry",
            "pulumi-project": identity.project,
            "pulumi-stack": identity.stack,
        },
        "forceDestroy": False,
    }
    if swift.region_name:
        inputs["region"] = swift.region_name
    return inputs


def plan(swift: SwiftSettings, identity: StackIdentity, secrets: SecretSettings, registry: RegistrySettings) -> Plan:
    steps = ()
    if not swift.adopt:
        steps = (
            Object(
                "container",
                "openstack:objectstorage/container:Container",
                container(swift, identity),
                holds_images=True,
                ready=True,
                import_ignore=("metadata",),
            ),
        )
    keys = PASSWORD_KEYS if swift.credentials == "password" else APPLICATION_CREDENTIAL_KEYS
    credentials: dict[str, Any] = {}
    if reads_all_five_keys(identity.openshift_version):
        credentials = {key: Secret("") for key in (*PASSWORD_KEYS, *APPLICATION_CREDENTIAL_KEYS)}
    for key, field in keys.items():
        value = getattr(secrets, field)
        assert value is not None, "checked by the settings"
        credentials[key] = Secret(value.get_secret_value())
    return Plan(steps=steps, credentials=credentials, exports={"containerName": container_name(swift, identity)})


SPEC = StorageSpec(cr_storage=cr_storage, plan=plan)
