"""The private Pulumi SDK names this project uses are all still there (components/pulumi_internals.py).

When a Pulumi upgrade moves one, this fails first and says which, instead of the offline preview
failing on a fresh machine with an AttributeError from deep inside an evaluation.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from components import pulumi_internals

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("module", "name"), pulumi_internals.USED, ids=lambda v: getattr(v, "__name__", v))
def test_each_internal_still_exists(module: object, name: str) -> None:
    assert hasattr(module, name), (
        f"pulumi {pulumi_internals.sdk_version()} has no {module.__name__}.{name}: "  # type: ignore[attr-defined]
        "update components/pulumi_internals.py (its docstring says what it is for), then the lock files"
    )


def test_no_other_module_reaches_into_pulumi_internals() -> None:
    """Only pulumi_internals.py imports ``pulumi.runtime.{config,settings,stack,sync_await}`` or
    touches an underscored name of pulumi."""
    private_modules = {"pulumi.runtime.config", "pulumi.runtime.settings", "pulumi.runtime.stack"}
    private_modules |= {"pulumi.runtime.sync_await"}
    offenders = []
    for path in sorted(ROOT.glob("*/**/*.py")):
        if "venv" in path.parts or path.name == "pulumi_internals.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "pulumi":
                names = {f"{node.module}.{alias.name}" for alias in node.names} | {node.module}
                if names & private_modules or any(alias.name.startswith("_") for alias in node.names):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_config_is_read_with_every_key_and_its_secretness() -> None:
    import pulumi

    pulumi.runtime.set_all_config({"a:b": "1", "openshift-registry:x": "2"}, ["openshift-registry:x"])
    config, secret = pulumi_internals.all_config()
    assert config["a:b"] == "1" and secret == {"openshift-registry:x"}


def test_an_evaluation_answers_every_monitor_call_in_its_own_thread(monkeypatch) -> None:
    """rpcs_inline: under the mocks no call is handed to a thread and back (the fleet's per-cluster cost)."""
    import threading

    from components.stack_config import load_stack_file, stack_path
    from offline import engine

    threads: set[str] = set()
    register, invoke = engine.RecordingMonitor.RegisterResource, engine.RecordingMonitor.Invoke

    def registering(self, request):
        threads.add(threading.current_thread().name)
        return register(self, request)

    def invoking(self, request):
        threads.add(threading.current_thread().name)
        return invoke(self, request)

    monkeypatch.setattr(engine.RecordingMonitor, "RegisterResource", registering)
    monkeypatch.setattr(engine.RecordingMonitor, "Invoke", invoking)
    evaluation = engine.evaluate(load_stack_file(stack_path("azure-prod")))
    assert evaluation.invokes and len(evaluation.registrations) > 3
    assert threads == {threading.current_thread().name}


def test_a_call_that_fails_inline_fails_where_it_is_awaited_as_from_a_thread() -> None:
    """The inline executor runs the call in the loop's own thread, and hands its error to the awaiting
    coroutine through the future, as a thread would: not out of ``run_in_executor`` itself."""
    import asyncio
    import threading

    pulumi_internals.ensure_event_loop()
    pulumi_internals.rpcs_inline()
    ran_in: list[str] = []

    def refuse() -> None:
        ran_in.append(threading.current_thread().name)
        raise RuntimeError("refused by the mock")

    async def call() -> None:
        pending = asyncio.get_running_loop().run_in_executor(None, refuse)
        with pytest.raises(RuntimeError, match="refused by the mock"):
            await pending

    pulumi_internals.sync_await(call())
    assert ran_in == [threading.current_thread().name]


def test_a_program_of_any_size_evaluates_inline_within_the_recursion_limit(tmp_path) -> None:
    """A mock call pumps the event loop, which may start the next call inside it: inline calls nest. Past
    MAX_NESTED_CALLS the next goes to a thread, so 1,200 registrations (independent and chained) evaluate
    in bounded depth instead of raising RecursionError."""
    import sys

    from components.stack_config import StackConfig
    from offline import engine

    program = tmp_path / "__main__.py"
    program.write_text(
        "import pulumi\n"
        "for i in range(600):\n"
        "    pulumi.CustomResource('test:index:Thing', f'thing-{i}', {'v': i})\n"
        "previous = None\n"
        "for i in range(600):\n"
        "    link = {'v': previous.id if previous else 'x'}\n"
        "    previous = pulumi.CustomResource('test:index:Link', f'link-{i}', link)\n"
    )
    stack = StackConfig(project="openshift-registry", stack="large", config={}, secret_keys=[])
    evaluation = engine.evaluate(stack, program=program)
    assert len(evaluation.registrations) == 1200
    assert sys.getrecursionlimit() == 1000  # the default: nothing raised it to make this pass
