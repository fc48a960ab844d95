"""The contract with the real provider SDKs: every resource and invoke the program registers, in every stack
and variant, against the pinned typed SDK classes (tests/sdk_contract.py), never against the program's own
constants. The type token exists; every input, recursively, is an input of that type in the shape the SDK
types it (an enum the SDK types as the enum alone: one of its values); required inputs are present; every
output the program reads is one the type has; every invoke's arguments and the results read are the SDK
function's."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from components.resources import provider_object
from components.specs.objects import Ref
from offline.engine import Evaluation, Registration
from tests.invariants.test_destroy import VARIANTS, _evaluate
from tests.invariants.test_sdk_tokens import crd_kinds
from tests.sdk_contract import args_class, input_problems, output_names, sdk_function, sdk_resource
from tests.support import STACK_FILES, evaluate_file


@contextmanager
def reads_recorded() -> Iterator[list[tuple[str, str, str]]]:
    """(``object``/``lookup``, type or token, output) of every output a plan's values read."""
    found: list[tuple[str, str, str]] = []
    original = provider_object.Registered.output

    def output(self: provider_object.Registered, ref: Ref) -> Any:
        found.append(("lookup" if ref.name in self.lookups else "object", self.types[ref.name], ref.output))
        return original(self, ref)

    provider_object.Registered.output = output  # type: ignore[method-assign]
    try:
        yield found
    finally:
        provider_object.Registered.output = original  # type: ignore[method-assign]


def contract_problems(evaluation: Any, reads: list[tuple[str, str, str]]) -> list[str]:
    problems = []
    for registration in evaluation.registrations:
        token = registration.type
        if not registration.custom or token.startswith("pulumi:providers:"):
            continue
        if token.startswith("kubernetes:") and token.split(":", 1)[1].removesuffix("Patch") in crd_kinds():
            continue  # a custom resource of a vendored CRD: checked against that CRD's schema elsewhere
        resource = sdk_resource(token)
        if resource is None:
            problems.append(f"{token}: no class of the pinned SDK registers this type")
            continue
        problems += [
            f"{token} {registration.name}: {p}" for p in input_problems(args_class(resource), registration.inputs)
        ]
    for token, arguments in evaluation.invoke_args:
        function = sdk_function(token)
        if function is None:
            problems.append(f"{token}: no function of the pinned SDK invokes this")
            continue
        problems += [f"{token}: {name} is not an argument of it" for name in sorted(set(arguments) - function[0])]
    for what, token, output in reads:
        if what == "object":
            resource = sdk_resource(token) if not token.startswith("kubernetes:") else None
            if resource is not None and output not in output_names(resource):
                problems.append(f"{token}: the program reads {output!r}, not an output of it")
        elif (function := sdk_function(token)) is not None and output not in function[1]:
            problems.append(f"{token}: the program reads {output!r}, not a result of it")
    return sorted(set(problems))


@pytest.mark.parametrize("path", STACK_FILES, ids=lambda p: p.name)
def test_every_stack_registers_what_its_pinned_sdk_accepts(path: Path) -> None:
    with reads_recorded() as reads:
        evaluation = evaluate_file(path)
    assert contract_problems(evaluation, reads) == []


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_every_variant_registers_what_its_pinned_sdk_accepts(name: str) -> None:
    with reads_recorded() as reads:
        evaluation = _evaluate(VARIANTS[name], "production", "Managed")
    assert contract_problems(evaluation, reads) == []


def _registration(token: str, inputs: dict[str, Any]) -> Registration:
    return Registration(f"urn:{token}", token, "x", "", True, inputs, [], False, False)


def test_the_contract_would_have_caught_the_swift_container_token() -> None:
    evaluation = Evaluation("p", "s", [_registration("openstack:objectstorage/containerV1:ContainerV1", {})], {}, set())
    assert contract_problems(evaluation, []) == [
        "openstack:objectstorage/containerV1:ContainerV1: no class of the pinned SDK registers this type"
    ]


def test_the_contract_sees_a_wrong_input_at_any_depth_a_wrong_shape_and_a_missing_required_one() -> None:
    lifecycle = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"
    rules = [{"id": "r", "status": "Enabled", "abortIncompleteMultipartUpload": {"daysAfterInitation": 7}}]
    account = "azure-native:storage:StorageAccount"
    evaluation = Evaluation(
        "p",
        "s",
        [
            _registration(lifecycle, {"rules": rules}),
            _registration(account, {"resourceGroupName": "g", "kind": "StorageV2", "sku": "Standard_LRS"}),
        ],
        {},
        set(),
    )
    problems = contract_problems(evaluation, [("object", "aws:iam/accessKey:AccessKey", "secretKey")])
    assert any("rules[0].abortIncompleteMultipartUpload.daysAfterInitation: not an input" in p for p in problems)
    assert any(p.endswith("bucket: required by BucketLifecycleConfigurationArgs, not given") for p in problems)
    assert any("sku: 'Standard_LRS' is none of the SDK's shapes (SkuArgs)" in p for p in problems)
    assert "aws:iam/accessKey:AccessKey: the program reads 'secretKey', not an output of it" in problems


def test_the_contract_checks_an_invokes_arguments_and_the_results_read() -> None:
    token = "aws:index/getCallerIdentity:getCallerIdentity"
    evaluation = Evaluation("p", "s", [], {}, set(), invoke_args=[(token, {"accountId": "1"})])
    problems = contract_problems(evaluation, [("lookup", token, "account")])
    assert f"{token}: accountId is not an argument of it" in problems
    assert f"{token}: the program reads 'account', not a result of it" in problems
