"""The loop users run: plan, fix what the program asks, apply, the operator's sync, read, plan again."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any

from components.cluster.rules import cluster_findings
from components.cluster.state import CONFIG, ClusterState
from components.importing import import_findings
from components.settings.loader import load_settings
from components.stack_config import StackConfig
from offline.engine import Evaluation, evaluate
from tests.cluster_model import operator
from tests.cluster_model.apply import Objects, apply, json_patches, read, run_json_patch
from tests.cluster_model.fields import fields_v1, leaf_paths, leaves, set_owned
from tests.support import reveal

PROJECT = "openshift-registry"


def refusals(stack: StackConfig, state: ClusterState) -> list[str]:
    """What ``pulumi up`` refuses before registering anything (components/program.py ``read_cluster``)."""
    loaded = load_settings(dict(stack.config), list(stack.secret_keys), project=stack.project, stack=stack.stack)
    return [str(p) for p in cluster_findings(loaded.settings, state) + import_findings(loaded.settings, state)]


def plan_of(evaluation: Evaluation) -> list[tuple[Any, ...]]:
    """What a plan asks of the providers: every registration, its inputs (secrets revealed) and options
    (in a fixed order: the engine registers independent resources in whatever order they resolve)."""
    return sorted(
        (r.type, r.name, json.dumps(reveal(r.inputs), sort_keys=True), r.protect, r.retain_on_delete, r.import_id)
        for r in evaluation.registrations
    )


def with_move(stack: StackConfig) -> StackConfig:
    """The stack as a user who means to move the registry's storage writes it (``storage.move: true``)."""
    config = dict(stack.config)
    storage = json.loads(config[f"{PROJECT}:storage"])
    config[f"{PROJECT}:storage"] = json.dumps({**storage, "move": True})
    return replace(stack, config=config)


@dataclass
class Run:
    """One stack on one cluster: what happened at each step."""

    first: Evaluation | None = None
    refused: list[str] = field(default_factory=list)
    """Why the first `pulumi up` was refused for good (the stack itself must change); empty: it ran."""
    fixes: list[str] = field(default_factory=list)
    """What the user did on the program's word before the first `pulumi up` ran."""
    second_refusals: list[str] = field(default_factory=list)
    second: Evaluation | None = None


def up_twice(stack: StackConfig, objects: Objects, version: str) -> Run:
    """Plan; do what the refusal says to do (its `oc patch`, or `storage.move: true`); apply; the
    operator's sync; read again; plan again with the stack as written."""
    run = Run()
    first_stack = stack
    for _ in range(4):
        problems = refusals(first_stack, read(objects))
        if not problems:
            break
        patches = json_patches(problems)
        if patches:
            for operations in patches:
                config = objects[CONFIG]
                run_json_patch(config, operations)
                _forget_removed(config)
                set_owned(config, "kubectl-patch", {("spec", "managementState")}, "Update")
            run.fixes.append(f"oc patch {patches}")
        elif any("then set storage.move: true" in p for p in problems) and first_stack is stack:
            first_stack = with_move(stack)
            run.fixes.append("storage.move: true")
        else:
            run.refused = problems
            return run
    else:
        run.refused = problems
        return run
    run.first = evaluate(first_stack, cluster=read(objects))
    apply(objects, run.first.registrations, version)
    if CONFIG in objects:
        objects[CONFIG] = operator.sync(objects[CONFIG], version)
    state = read(objects)
    run.second_refusals = refusals(stack, state)
    if not run.second_refusals:
        run.second = evaluate(stack, cluster=state)
    return run


def _forget_removed(body: dict[str, Any]) -> None:
    """Fields an `oc patch` removed have no owner any more (the API server drops them from managedFields)."""
    present = set(leaf_paths({k: v for k, v in body.items() if k != "metadata"}))
    for entry in list((body.get("metadata") or {}).get("managedFields") or []):
        paths = {p for p in leaves(entry.get("fieldsV1") or {}, ()) if _under_present(p, present)}
        entry["fieldsV1"] = fields_v1(paths)


def _under_present(path: tuple[str, ...], present: set[tuple[str, ...]]) -> bool:
    return any(p[: len(path)] == path or path[: len(p)] == p for p in present)
