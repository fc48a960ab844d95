"""Run ``__main__.py`` in-process under Pulumi's mock engine and record what it registers.

Used by the offline preview and by the tests, so both see exactly the same evaluation. The
mocks answer like the providers would (ids, ARNs, generated keys) with fixed fake values, so
two runs are identical.
"""

from __future__ import annotations

import logging
import runpy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi
from google.protobuf import json_format
from pulumi.runtime import mocks as pulumi_mocks

from components import pulumi_internals as internals
from components.cluster import given
from components.cluster.state import ClusterState
from components.names import PLACEHOLDER_ID, aws_partition
from components.stack_config import PROJECT_ROOT, StackConfig

SECRET_SIG = "4dabf18193072939515e22adb298388d"
FAKE_ACCOUNT = "111122223333"

# Outputs a provider computes that the program reads; everything else echoes the inputs.
_COMPUTED: dict[str, dict[str, Any]] = {
    "aws:iam/accessKey:AccessKey": {"secret": "mock-secret-access-key"},
    "gcp:serviceaccount/key:Key": {"privateKey": "eyJ0eXBlIjogInNlcnZpY2VfYWNjb3VudCJ9"},
    "azure-native:managedidentity:UserAssignedIdentity": {
        "clientId": "11111111-2222-3333-4444-555555555555",
        "principalId": "66666666-7777-8888-9999-000000000000",
    },
}
# Values the mocks make up, each shown as a placeholder wherever a view reveals secrets: a reviewer must
# never take one for the real key the provider makes at `pulumi up`.
PLACEHOLDERS = {
    "mock-secret-access-key": "the access key's secret AWS makes at `pulumi up`",
    "mock-account-key": "the storage account key Azure makes",
    _COMPUTED["gcp:serviceaccount/key:Key"]["privateKey"]: "the service account key GCP makes",
}
# Resources whose ``name`` output echoes an input of another name.
_NAME_INPUT = {
    "azure-native:resources:ResourceGroup": "resourceGroupName",
    "azure-native:storage:StorageAccount": "accountName",
    "azure-native:storage:BlobContainer": "containerName",
}
_INVOKES: dict[str, dict[str, Any]] = {
    "aws:index/getCallerIdentity:getCallerIdentity": {
        "accountId": FAKE_ACCOUNT,
        "arn": "arn:aws:iam::mock",
        "userId": "mock",
    },
    "gcp:organizations/getProject:getProject": {"number": "123456789012", "projectId": "mock-project"},
    "gcp:storage/getProjectServiceAccount:getProjectServiceAccount": {
        "emailAddress": "service-123456789012@gs-project-accounts.iam.gserviceaccount.com"
    },
    "azure-native:authorization:getClientConfig": {
        "subscriptionId": "00000000-0000-0000-0000-00000000000a",
        "tenantId": "00000000-0000-0000-0000-00000000000b",
        "clientId": "mock",
        "objectId": "mock",
    },
    "azure-native:storage:listStorageAccountKeys": {
        "keys": [{"keyName": "key1", "value": "mock-account-key", "permissions": "FULL"}]
    },
}


class ProviderMocks(pulumi.runtime.Mocks):
    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        state = dict(args.inputs)
        if args.typ in _NAME_INPUT:
            state["name"] = args.inputs.get(_NAME_INPUT[args.typ], args.name)
        name = state.get("name") or args.inputs.get("bucket") or args.name
        if args.typ.startswith("aws:"):
            state.setdefault("arn", f"arn:aws:mock:::{args.typ.split(':')[-1].lower()}/{name}")
        if args.typ == "gcp:serviceaccount/account:Account":
            project = args.inputs.get("project", "mock-project")
            state["email"] = f"{args.inputs.get('accountId')}@{project}.iam.gserviceaccount.com"
            state["name"] = f"projects/{project}/serviceAccounts/{state['email']}"
        state.update(_COMPUTED.get(args.typ, {}))
        return f"{name}{PLACEHOLDER_ID}", state

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[str] = []
        """The token of every invoke, in order: what a stack reads from the providers."""
        self.call_args: list[tuple[str, dict[str, Any]]] = []
        """Each invoke's token and arguments (wire names), for the tests' SDK contract."""

    def call(self, args: pulumi.runtime.MockCallArgs) -> Any:
        self.calls.append(args.token)
        self.call_args.append((args.token, dict(args.args)))
        # A bare dict: the mock monitor iterates the failures of a (result, failures) tuple even when None.
        if args.token == "aws:kms/getKey:getKey":
            return {"arn": _mock_key_arn(str(args.args.get("keyId", "")), str(args.args.get("region") or "us-east-1"))}
        return dict(_INVOKES.get(args.token, {}))


def _mock_key_arn(key_id: str, region: str) -> str:
    """The key ARN an alias, alias ARN or key id resolves to: the same input always gives the same key."""

    name = key_id.rsplit(":", 1)[-1].replace("alias/", "").replace("/", "-")
    return f"arn:{aws_partition(region)}:kms:{region}:{FAKE_ACCOUNT}:key/mock-{name}"


@dataclass
class Registration:
    urn: str
    type: str
    name: str
    parent: str
    custom: bool
    inputs: dict[str, Any]
    depends_on: list[str]
    protect: bool
    retain_on_delete: bool
    import_id: str = ""
    """The id of an existing object it takes over (Pulumi's ``import``); empty: created."""
    property_dependencies: dict[str, list[str]] = field(default_factory=dict)
    """Input name -> the URNs its value came from (what a policy pack sees as property_dependencies)."""


class RecordingMonitor(pulumi_mocks.MockMonitor):
    """The mock monitor, plus a record of what each registration asked for."""

    def __init__(self, mocks: pulumi.runtime.Mocks) -> None:
        super().__init__(mocks)
        self.registrations: list[Registration] = []

    def RegisterResource(self, request: Any) -> Any:  # noqa: N802 - the gRPC method's name
        response = super().RegisterResource(request)
        if request.type != "pulumi:pulumi:Stack":
            internals.ensure_event_loop()
            self.registrations.append(
                Registration(
                    urn=response.urn,
                    type=request.type,
                    name=request.name,
                    parent=request.parent,
                    custom=bool(request.custom),
                    # As the provider receives them: a secret stays marked exactly where it is (the SDK's
                    # own deserializer would push the mark up to the whole enclosing object).
                    inputs=json_format.MessageToDict(request.object),
                    depends_on=sorted(set(request.dependencies)),
                    protect=bool(request.protect),
                    retain_on_delete=bool(request.retainOnDelete),
                    import_id=str(request.importId),
                    property_dependencies={
                        key: sorted(deps.urns)
                        for key, deps in sorted(request.propertyDependencies.items())
                        if deps.urns
                    },
                )
            )
        return response


@dataclass
class Evaluation:
    project: str
    stack: str
    registrations: list[Registration]
    outputs: dict[str, Any]
    secret_outputs: set[str]
    logs: list[tuple[str, str]] = field(default_factory=list)
    invokes: list[str] = field(default_factory=list)
    invoke_args: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[tuple[str, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.levelname.lower(), record.getMessage()))


def evaluate(
    stack_config: StackConfig, program: Path = PROJECT_ROOT / "__main__.py", cluster: ClusterState | None = None
) -> Evaluation:
    """Evaluate the program for one stack against ``cluster`` (a new cluster by default: nothing
    here ever reads a live one); raises whatever the program raises."""
    mocks = ProviderMocks()
    monitor = RecordingMonitor(mocks)
    logger = logging.getLogger(f"openshift-registry.offline.{stack_config.stack}")
    logger.propagate = False
    capture = _Capture()
    logger.handlers = [capture]
    logger.setLevel(logging.INFO)  # the SDK's own debug chatter is read by nothing here
    internals.fresh_stack()  # outputs of an earlier evaluation must not leak in
    pulumi.runtime.set_mocks(
        monitor.mocks,
        project=stack_config.project,
        stack=stack_config.stack,
        preview=False,
        logger=logger,
        monitor=monitor,
    )
    pulumi.runtime.set_all_config(dict(stack_config.config), list(stack_config.secret_keys))
    internals.clear_pending()
    internals.rpcs_inline()

    def run() -> None:
        runpy.run_path(str(program), run_name="__main__")

    with given(cluster or ClusterState()), internals.without_source_positions():
        internals.run_program(run)
    outputs: dict[str, Any] = {}
    secret: set[str] = set()
    for key, value in sorted(internals.root_outputs().items()):
        output = pulumi.Output.from_input(value)
        outputs[key] = internals.sync_await(output.future())
        if internals.sync_await(output.is_secret()):
            secret.add(key)
    return Evaluation(
        project=stack_config.project,
        stack=stack_config.stack,
        registrations=list(monitor.registrations),
        outputs=outputs,
        secret_outputs=secret,
        logs=capture.records,
        invokes=list(mocks.calls),
        invoke_args=list(mocks.call_args),
    )
