"""The benchmark's critical path on small hand-made graphs (the timings themselves are not tested)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bench.critical_path import critical_path


def r(name: str, parent: str = "stack", deps: tuple[str, ...] = ()) -> dict[str, Any]:
    return {"urn": name, "name": name, "type": "t", "parent": parent, "dependsOn": list(deps)}


def test_independent_resources_have_a_path_of_one() -> None:
    assert len(critical_path([r("a"), r("b")])) == 1


def test_the_longest_chain_wins() -> None:
    graph = [r("a"), r("b", deps=("a",)), r("c", deps=("b",)), r("d", deps=("a",))]
    assert critical_path(graph) == ["a", "b", "c"]


def test_waiting_on_a_component_waits_on_everything_inside_it() -> None:
    graph = [
        r("storage"),
        r("bucket", parent="storage"),
        r("policy", parent="storage", deps=("bucket",)),
        r("config", deps=("storage",)),
    ]
    assert critical_path(graph) == ["bucket", "policy", "config"]


def test_components_themselves_cost_nothing() -> None:
    graph = [r("registry"), r("inner", parent="registry"), r("leaf", parent="inner")]
    assert critical_path(graph) == ["leaf"]


def test_an_empty_component_of_the_project_is_no_resource() -> None:
    graph = [{**r("storage"), "type": "openshift-registry:storage:S3Storage"}, r("config", deps=("storage",))]
    assert critical_path(graph) == ["config"]


def test_empty_plan() -> None:
    assert critical_path([]) == []


def test_a_lookup_counts_in_the_chain_but_changes_nothing() -> None:
    from bench.critical_path import changes

    graph = [
        {**r("keys"), "type": "invoke:azure-native:storage:listStorageAccountKeys", "dependsOn": ["account"]},
        r("account"),
        r("secret", deps=("keys",)),
        r("config", deps=("secret",)),
    ]
    path = critical_path(graph)
    assert path == ["account", "keys", "secret", "config"]
    assert changes(path, graph) == 3


def test_ties_are_broken_by_name_whatever_the_order() -> None:
    graph = [r("b"), r("a"), r("c", deps=("b", "a"))]
    assert critical_path(graph) == ["a", "c"] == critical_path(list(reversed(graph)))


def test_an_invalid_stack_is_skipped_and_said_not_a_traceback(monkeypatch, capsys) -> None:
    """Whether its evaluation fails (found by the one SDK probe) or its timed preview exits non-zero."""
    import bench.__main__ as bench

    def fake(stack: str, repeat: int, sdks: list[str]) -> object:
        raise bench.RunError(f"python -m offline --stack {stack} --json exited 2")

    monkeypatch.setattr(bench, "bench_stack", fake)
    monkeypatch.setattr(bench, "sdks_imported", lambda stacks: {s: (None if s == "lab" else []) for s in stacks})
    assert bench.main(["--no-fleet", "--repeat", "1"]) == 0
    captured = capsys.readouterr()
    assert "bench: skipped aws-prod: its preview fails" in captured.err
    assert "bench: skipped lab: its preview fails" in captured.err
    assert "Skipped, their preview failing: `aws-prod`, `aws-sts`," in captured.out


def test_the_sdk_probe_sees_each_stack_import_an_sdk_an_earlier_stack_imported(tmp_path) -> None:
    """The probe drops SDK modules between stacks: here two stacks of the repository, and a fake SDK
    that both import, are each seen to import it; a stack that fails says null."""
    import json
    import subprocess
    import sys

    import bench.__main__ as bench

    (tmp_path / "fake_sdk.py").write_text("")
    program = bench.SDK_PROBE.replace(
        "evaluate(load_stack_file(stack_path(stack)))",
        "evaluate(load_stack_file(stack_path(stack))) if stack != 'broken' else 1 / 0\n        __import__('fake_sdk')",
    )
    found = subprocess.run(
        [sys.executable, "-c", program, "fake_sdk", "--", "lab", "broken", "baremetal"],
        cwd=bench.ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**__import__("os").environ, "PYTHONPATH": f"{tmp_path}:{bench.ROOT}"},
    )
    assert json.loads(found.stdout) == {"lab": ["fake_sdk"], "broken": None, "baremetal": ["fake_sdk"]}


def test_the_benchmarks_fleet_is_mostly_single_node(tmp_path) -> None:
    import yaml

    from bench.__main__ import fleet_file

    clusters = yaml.safe_load(fleet_file(100, tmp_path).read_text())["clusters"]
    single = [c for c in clusters if c["settings"].get("cluster", {}).get("infrastructureTopology") == "SingleReplica"]
    assert len(single) == 90 and len({c["name"] for c in clusters}) == 100


def test_where_a_clusters_time_goes_is_measured_in_the_fleets_own_steps() -> None:
    from bench.__main__ import stages_table, where_time_goes

    count, stages, total = where_time_goes(3)
    assert set(stages) == {
        "settings and cluster rules",
        "evaluation under the mock engine",
        "schema validation of the objects",
    }
    assert count == 3 and 0 < sum(stages.values()) <= total
    table = stages_table(count, stages, total)
    assert "| the rest |" in table and "3 clusters of the hub fleet" in table


def test_the_report_states_the_issues_aim_as_it_is() -> None:
    """1.5x the floor, not rounded to 2x (the aim a preview is held to, and missed, in the report)."""
    from bench.__main__ import AIM_RATIO, report

    assert AIM_RATIO == 1.5
    assert "a preview within 1.5× the floor" in report([], repeat=3, jobs=2)


def test_where_a_previews_time_goes_is_measured_in_a_lean_fresh_interpreter() -> None:
    """Every step of the preview, in order, each with the packages it ran first: pydantic's step runs
    pydantic, and the SDK's step never runs what lean_start defers (dill comes with pulumi.dynamic). It is
    a preview run again: the warm-up kept its answers, so no step imports a checker."""
    from bench.__main__ import preview_steps, preview_steps_table

    found = preview_steps("aws-prod", 1)
    names = [name for name, _, _ in found.steps]
    assert names[0].startswith("the Pulumi SDK, lean") and names[-1] == "schema validation of the objects"
    packages = {name: ran for name, _, ran in found.steps}
    assert "pulumi" in packages[names[0]] and "dill" not in packages[names[0]]
    assert "pydantic" in packages["pydantic"] and "yaml" in packages["PyYAML"]
    imported = {package for ran in packages.values() for package in ran}
    assert not imported & {"jsonschema", "croniter", "kubernetes_validate", "cryptography", "fastjsonschema"}
    assert all(seconds >= 0 for _, seconds, _ in found.steps) and found.floor > found.start > 0
    table = preview_steps_table(found)
    assert "| **in all** |" in table and "`aws-prod`" in table
    assert f"take {found.beyond_floor:.2f}× the floor by themselves" in table


def test_a_commands_peak_memory_is_its_own_not_the_bench_s() -> None:
    """Linux carries the memory high-water mark across exec: a command forked from a large process would
    report that process's memory as its own peak. The launcher forks it from a small interpreter."""
    import sys

    from bench.__main__ import START_COMMAND, RunError, measure

    ballast = bytearray(200 * 2**20)
    ballast[:: 2**12] = b"\x01" * len(ballast[:: 2**12])  # touched, so resident in this process
    run = measure(START_COMMAND)
    assert run.megabytes < 50 and 0 < run.seconds < 5
    assert len(ballast) == 200 * 2**20
    with pytest.raises(RunError, match="exited 3"):
        measure([sys.executable, "-c", "raise SystemExit(3)"])
    assert measure([sys.executable, "-c", "print('out')"]).stdout == "out\n"


def test_a_stacks_first_preview_fills_a_cache_of_its_own_that_its_next_previews_read(monkeypatch) -> None:
    """The first run finds an empty cache folder (the stack's own, never the user's) beside a floor of its
    own; the pairs that follow, each preview after its floor, read that folder; then one preview after an
    edit finds every OpenShift answer forgotten and the rest kept; the floors use no cache."""
    import bench.__main__ as bench

    calls: list[tuple[str, dict[str, str] | None]] = []
    seconds = iter([0.10, 0.20, 0.11, 0.15, 0.10, 0.16, 0.10, 0.17])
    seen: list[list[str]] = []

    def fake(command: list[str], env: dict[str, str] | None = None) -> object:
        calls.append(("preview" if "offline" in command else "floor", env))
        if env:
            kept = Path(env["XDG_CACHE_HOME"]) / "openshift-registry"
            seen.append(sorted(p.name.split(".")[0] for p in kept.glob("*")))
            kept.mkdir(exist_ok=True)
            for name in ("answers-crd-violations", "answers-cron", "configs.crd.yaml"):
                (kept / f"{name}.cpython-311-m4").touch()
        return bench.Run(next(seconds), 50.0, "{}")

    monkeypatch.setattr(bench, "measure", fake)
    found = bench.paired("lab", [], 2)
    kinds = [kind for kind, _ in calls]
    assert kinds == ["floor", "preview", "floor", "preview", "floor", "preview", "floor", "preview"]
    caches = {env["XDG_CACHE_HOME"] for kind, env in calls if kind == "preview"}
    assert len(caches) == 1 and all(env is None for kind, env in calls if kind == "floor")
    assert all(env["OPENSHIFT_REGISTRY_NO_CACHE"] == "" for kind, env in calls if kind == "preview")
    everything = ["answers-crd-violations", "answers-cron", "configs"]
    assert seen == [[], everything, everything, ["answers-cron", "configs"]]
    assert not Path(caches.pop()).exists()
    assert found.first_ratio == 2.0 and found.edited_ratio == 1.7
    assert [r.seconds for r in found.runs] == [0.15, 0.16]
    assert abs(found.ratio - (0.15 / 0.11 + 0.16 / 0.10) / 2) < 1e-9
    assert " | 2.00 | 1.70 | 50 |" in bench.table([bench.Row("lab", "emptyDir", 1, ["registry-config"], 1, [], found)])


def test_the_program_is_compiled_before_it_is_measured(tmp_path, monkeypatch) -> None:
    """Like the floor's packages (compiled by pip), so a machine that never writes bytecode measures the
    program and not the compiler."""
    import importlib.util
    import shutil

    import bench.__main__ as bench

    shutil.copytree(bench.ROOT / "offline", tmp_path / "offline", ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(bench, "ROOT", tmp_path)
    monkeypatch.setattr(bench, "PACKAGES", ("offline",))
    bench.compiled()
    for source in (tmp_path / "offline").glob("*.py"):
        assert Path(importlib.util.cache_from_source(str(source))).exists(), source.name


def test_every_installed_module_already_imported_is_compiled_too(tmp_path, monkeypatch) -> None:
    """pip --no-compile (the README) and no bytecode written: the floor would compile pulumi on every run."""
    import importlib
    import importlib.util
    import sys

    import bench.__main__ as bench

    (tmp_path / "installed_elsewhere.py").write_text("VALUE = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    importlib.import_module("installed_elsewhere")
    cached = Path(importlib.util.cache_from_source(str(tmp_path / "installed_elsewhere.py")))
    assert not cached.exists()
    monkeypatch.setattr(bench, "PACKAGES", ())
    bench.compiled()
    assert cached.exists()
    monkeypatch.delitem(sys.modules, "installed_elsewhere")
