"""The storage-kind table's contract, row by row: each row must be true of the code, the vendored
CRD and the operator, so adding a backend is one model, one spec module and one row."""

from __future__ import annotations

import pytest

from components.crd import subschema
from components.names import INSTALLER_SECRET
from components.settings.secrets import SECRET_KEYS
from components.settings.storage import StorageSettings
from components.specs.objects import Object, Plan
from components.specs.storage import StorageSpec, spec_of
from components.storage.kind import StorageKind
from components.storage.kinds import KINDS, PLATFORMS, kinds_on
from tests.support import settings

# The keys each storage driver reads, by Secret, read from cluster-image-registry-operator (main @ 02bb5c2):
# image-registry-private-configuration-user in GetConfig of pkg/storage/s3/s3.go, gcs/gcs.go and
# azure/azure.go; installer-cloud-credentials (keyless) in sharedCredentialsDataFromSecret (s3.go: the
# ini in `credentials`), GetConfig (gcs.go: `service_account.json`; azure.go: the azure_* keys, with
# azure_resourcegroup for an account outside the cluster's group). PVC and emptyDir read no secret.
OPERATOR_KEYS = {
    ("s3", "iamUser"): {"REGISTRY_STORAGE_S3_ACCESSKEY", "REGISTRY_STORAGE_S3_SECRETKEY"},
    ("s3", "secretConfig"): {"REGISTRY_STORAGE_S3_ACCESSKEY", "REGISTRY_STORAGE_S3_SECRETKEY"},
    ("s3", "sts"): {"credentials"},
    ("gcs", "serviceAccount"): {"REGISTRY_STORAGE_GCS_KEYFILE"},
    ("gcs", "secretConfig"): {"REGISTRY_STORAGE_GCS_KEYFILE"},
    ("gcs", "workloadIdentity"): {"service_account.json"},
    ("azure", "accountKey"): {"REGISTRY_STORAGE_AZURE_ACCOUNTKEY"},
    # swift.go GetConfig: user and password, or all three application-credential keys.
    ("swift", "password"): {"REGISTRY_STORAGE_SWIFT_USERNAME", "REGISTRY_STORAGE_SWIFT_PASSWORD"},
    ("swift", "applicationCredential"): {
        "REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALID",
        "REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALNAME",
        "REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALSECRET",
    },
    # ibmcos.go: the IAM API key of its own calls.
    ("ibmcos", "apiKey"): {"REGISTRY_STORAGE_IBMCOS_IAMAPIKEY"},
    ("azure", "workloadIdentity"): {
        "azure_client_id",
        "azure_tenant_id",
        "azure_region",
        "azure_subscription_id",
        "azure_federated_token_file",
        "azure_resourcegroup",
    },
    ("pvc", "none"): set(),
    ("emptyDir", "none"): set(),
}
# A valid stack per kind, to exercise each row's spec and component.
EXAMPLES = {
    "s3": {"platform": "aws", "storage": {"s3": {"region": "us-east-1"}}},
    "gcs": {"platform": "gcp", "storage": {"gcs": {"region": "us-central1"}}, "extra": {"gcp:project": "example-p"}},
    "azure": {"platform": "azure", "storage": {"azure": {"location": "eastus"}}},
    "pvc": {"platform": "baremetal", "storage": {"pvc": {}}},
    "emptyDir": {"platform": "baremetal", "storage": {"emptyDir": {}}, "environment": "nonproduction"},
    "swift": {
        "platform": "openstack",
        "storage": {"swift": {"authURL": "https://keystone.example.com/v3"}},
        "secrets": {
            "swiftApplicationCredentialId": "i",
            "swiftApplicationCredentialName": "n",
            "swiftApplicationCredentialSecret": "s",
        },
    },
    "ibmcos": {
        "platform": "ibmcloud",
        "storage": {
            "ibmcos": {
                "bucket": "registry",
                "serviceInstanceCRN": "crn:v1:bluemix:public:cloud-object-storage:global:a/1:2::",
            }
        },
        "secrets": {"ibmcosApiKey": "k"},
    },
}
ROWS = pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.field)


def test_every_kind_has_an_example_and_operator_keys() -> None:
    assert set(EXAMPLES) == {field for field, _ in OPERATOR_KEYS} == {kind.field for kind in KINDS}


@ROWS
def test_the_model_is_the_field_of_storage_settings(kind: StorageKind) -> None:
    field = StorageSettings.model_fields[kind.python_name]
    assert field.alias == kind.field
    assert kind.model in getattr(field.annotation, "__args__", ())


@ROWS
def test_cr_fields_exist_in_the_vendored_crd(kind: StorageKind) -> None:
    known = subschema("configs", ("spec", "storage", kind.field)).get("properties", {})
    assert set(kind.cr_fields) <= set(known), set(kind.cr_fields) - set(known)
    model_fields = {info.alias or name for name, info in kind.model.model_fields.items()}
    assert set(kind.cr_fields) <= model_fields, "every CR field a stack may set is a field of the model"


@ROWS
def test_platforms_are_known_and_every_platform_has_storage(kind: StorageKind) -> None:
    assert set(kind.platforms) <= set(PLATFORMS)
    assert all(kinds_on(platform) for platform in PLATFORMS)


@ROWS
def test_secret_keys_are_the_operators(kind: StorageKind) -> None:
    for mode in kind.credential_modes:
        assert set(mode.keys) == OPERATOR_KEYS[(kind.field, mode.name)], mode.name
        assert (mode.secret is None) == (not mode.keys), mode.name
        assert set(mode.config_secrets) <= set(SECRET_KEYS)
        assert not (mode.secret == INSTALLER_SECRET and mode.config_secrets), "keyless modes take no secret config"
    names = [mode.name for mode in kind.credential_modes]
    assert len(names) == len(set(names))


@ROWS
def test_credential_modes_are_the_models(kind: StorageKind) -> None:
    """A model's ``credentials`` choices are the row's modes (a kind with one mode has no field)."""
    field = kind.model.model_fields.get("credentials")
    names = {mode.name for mode in kind.credential_modes}
    if field is None:
        assert len(names) == 1
    else:
        choices = {a for arg in field.annotation.__args__ for a in getattr(arg, "__args__", (arg,))} - {type(None)}
        assert choices == names


@ROWS
def test_spec_and_component_work_for_the_row(kind: StorageKind) -> None:
    example = dict(EXAMPLES[kind.field])
    extra = example.pop("extra", None)
    stack = settings(extra=extra, **example)
    assert stack.storage.kind == kind.field
    model = stack.storage.selected
    assert isinstance(spec_of(kind), StorageSpec) and isinstance(model, kind.model)
    assert isinstance(spec_of(kind).cr_storage(model, stack.identity), dict)
    plan = spec_of(kind).plan(model, stack.identity, stack.secrets, stack.registry)
    assert isinstance(plan, Plan)
    assert set(plan.credentials) == set(kind.mode(model.credential_mode).keys)
    objects = [step for step in plan.steps if isinstance(step, Object)]
    assert (kind.component_type is None) == (not objects and not plan.credentials)
    assert kind.component_type is None or kind.component_type.startswith("openshift-registry:storage:")


@ROWS
def test_the_policy_pack_knows_every_kind_of_image_storage(kind: StorageKind) -> None:
    """The pack runs without this program (the Pulumi CLI loads policy/ alone), so its list of storage
    types is its own: this keeps it in step with the table."""
    from policy import checks

    example = dict(EXAMPLES[kind.field])
    extra = example.pop("extra", None)
    stack = settings(extra=extra, **example)
    plan = spec_of(kind).plan(stack.storage.selected, stack.identity, stack.secrets, stack.registry)
    storage = {s.type for s in plan.steps if isinstance(s, Object) and s.holds_images and s.ready}
    assert storage <= set(checks.IMAGE_STORAGE), storage - set(checks.IMAGE_STORAGE)
