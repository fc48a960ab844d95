"""A derived account name a person recognises (#26), and an account made under the earlier derivation kept.

An account name cannot change in place: azure-native replaces the account (``accountName`` forces a new
resource), and a new account is an empty one. So a stack whose account was derived the earlier way
(project first) keeps it wherever the cluster's Config names it, run after run, and a stack that reads
no cluster must say which account it means.
"""

from __future__ import annotations

from typing import Any

import pytest

from components.cluster.state import CONFIG as CONFIG_KEY
from components.stack_config import StackConfig
from components.storage.azure.settings import derived_account_name, earlier_account_name
from offline.engine import evaluate
from tests.cluster_model import operator, states
from tests.cluster_model.apply import read
from tests.cluster_model.loop import plan_of, refusals, up_twice
from tests.support import PROJECT, config_of, evaluate_config, one, problems_of, settings

ACCOUNT = "azure-native:storage:StorageAccount"
CONFIG = "kubernetes:imageregistry.operator.openshift.io/v1:ConfigPatch"
WHERE = {"resourceGroup": "registry-rg", "location": "eastus"}


def azure_stack(stack: str = "azure-lab", **azure: Any) -> StackConfig:
    config, secret_keys = config_of(
        platform="azure", environment="nonproduction", storage={"azure": {**WHERE, **azure}}
    )
    return StackConfig(project=PROJECT, stack=stack, config=config, secret_keys=secret_keys)


def account_of(evaluation: Any) -> str:
    return one(evaluation, ACCOUNT).inputs["accountName"]


def test_the_earlier_name_is_the_one_the_earlier_program_derived() -> None:
    """The account name in the plan of the `azure-gov` stack made by the program before this change
    (`python -m offline --stack azure-gov --json` at 2c933f6): what `kept` looks for is what was deployed."""
    assert earlier_account_name(PROJECT, "azure-gov") == "openshiftregistrc8f10621"


def test_a_derived_name_begins_with_the_stack_and_stays_unique_per_project_and_stack() -> None:
    name = account_of(evaluate_config(platform="azure", storage={"azure": WHERE}, stack="azure-gov"))
    assert name == derived_account_name(PROJECT, "azure-gov") and name.startswith("azuregov")
    assert 3 <= len(name) <= 24 and name.isalnum() and name == name.lower()
    assert name[-8:] == earlier_account_name(PROJECT, "azure-gov")[-8:]
    assert derived_account_name("other-project", "azure-gov") != name


@pytest.mark.parametrize("stack", ["a-very-long-stack-name-for-a-far-edge-cluster-0001", "__", "Prod.EU"])
def test_any_stack_name_derives_a_valid_account_name(stack: str) -> None:
    name = derived_account_name(PROJECT, stack)
    assert 8 <= len(name) <= 24 and name.isalnum() and name == name.lower()


def test_an_account_made_under_the_earlier_name_is_kept_run_after_run() -> None:
    """The cluster's Config names the account the earlier program made: no move is proposed, nothing is
    replaced, and the Config keeps naming it, on the first `pulumi up` of this program and the next."""
    objects = states.build(states.ClusterSpec("4.17", "azure", "ipi"))
    earlier = earlier_account_name(PROJECT, "azure-lab")
    before = up_twice(azure_stack(accountName=earlier), objects, "4.17")  # what the earlier program did
    assert before.second is not None and before.second_refusals == []

    # This program's first `pulumi up` on that cluster, then (the operator synced again) its second.
    now = azure_stack()
    runs = []
    for _ in range(2):
        assert refusals(now, read(objects)) == []
        runs.append(evaluate(now, cluster=read(objects)))
        objects[CONFIG_KEY] = operator.sync(objects[CONFIG_KEY], "4.17")
    assert [account_of(run) for run in runs] == [earlier, earlier]
    assert one(runs[1], CONFIG).inputs["spec"]["storage"]["azure"]["accountName"] == earlier
    assert plan_of(runs[0]) == plan_of(runs[1]) == plan_of(before.second)


def test_an_account_of_another_name_is_not_taken_for_ours() -> None:
    """The operator's own account (an installer-made cluster) is not the stack's: moving to the stack's
    account is still refused as a move, naming where the images are."""
    objects = states.build(states.ClusterSpec("4.17", "azure", "ipi"))
    found = refusals(azure_stack(), read(objects))
    assert any("would move the registry" in p for p in found)


def test_a_new_cluster_gets_the_name_that_shows_the_stack() -> None:
    evaluation = evaluate_config(
        platform="azure", environment="nonproduction", storage={"azure": WHERE}, stack="azure-lab"
    )
    assert account_of(evaluation).startswith("azurelab")


def test_a_stack_that_reads_no_cluster_must_name_its_account_with_both_choices_given() -> None:
    found = problems_of(platform="azure", storage={"azure": WHERE}, cluster={"read": False}, stack="azure-lab")
    (problem,) = [p for p in found if p.startswith(f"{PROJECT}:storage.azure.accountName: ")]
    assert "required with cluster.read: false" in problem
    assert f"accountName: {earlier_account_name(PROJECT, 'azure-lab')}" in problem
    assert f"accountName: {derived_account_name(PROJECT, 'azure-lab')}" in problem


def test_a_stack_that_reads_no_cluster_and_names_its_account_or_adopts_one_passes() -> None:
    named = settings(platform="azure", storage={"azure": {**WHERE, "accountName": "corp1"}}, cluster={"read": False})
    assert named.storage.azure is not None and named.storage.azure.account_name == "corp1"
    adopted = {"resourceGroup": "rg", "adopt": True, "accountName": "existing1"}
    found = settings(platform="azure", storage={"azure": adopted}, cluster={"read": False})
    assert found.storage.azure is not None and found.storage.azure.adopt


def test_verify_judges_the_stack_with_the_account_it_keeps(tmp_path) -> None:
    """verify compares the Config with the stack as the program builds it on that cluster: the kept
    account is no drift (and a stack without it would be)."""
    from tests import verify_support as support

    block = {"accountName": earlier_account_name(PROJECT, "verified"), "container": "image-registry"}
    dump = support.cluster_dump(tmp_path, {"managementState": "Unmanaged", "azure": block}, {})
    stack = support.stack_file(
        tmp_path,
        {
            "openshift-registry:platform": "azure",
            "openshift-registry:registry": {"replicas": 2},
            "openshift-registry:storage": {"azure": WHERE},
        },
    )
    _, results, _ = support.run(stack, dump)
    assert results["Config as the stack sets it"]["status"] == "pass"
    block["accountName"] = "someoneelses1"
    _, results, _ = support.run(
        stack, support.cluster_dump(tmp_path, {"managementState": "Unmanaged", "azure": block}, {})
    )
    assert results["Config as the stack sets it"]["status"] == "fail"
