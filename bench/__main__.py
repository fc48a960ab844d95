"""``python -m bench``: the offline preview's cost for every stack, measured in one run.

For each stack: wall time and peak memory of ``python -m offline --stack NAME --json`` (each
run a fresh interpreter), paired with its floors in alternation (floor, stack, floor, stack, ...)
so that both see the same machine: ``import pulumi`` (leaving with ``os._exit`` as the preview
does, so neither pays interpreter shutdown), and ``import pulumi`` plus the provider SDK modules
the stack's evaluation really imports (none, since resources are registered by type token; then
the second floor is the first). Also: which SDKs it imported, how many resources it registers,
and the critical path: the longest chain of calls that wait on each other, lookups (invokes)
included, which bounds how long ``pulumi up`` waits on the cloud. Then where the slowest stack's preview
spends its time, step by step, each step as a share of the floor. Two stacks are measured at once
(``--jobs``), each pair's runs one after the other, so the whole run stays near half a minute on two
cores. Then the fleet preview at hub scale, beside its floor, and where a cluster's time goes.
Prints a Markdown table; writes it only where asked (``--out docs/benchmark.md`` refreshes the
tracked report). A script, not a test: timings belong to the machine.
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import copy
import datetime
import importlib.util
import json
import os
import platform
import py_compile
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bench.critical_path import INVOKE, changes, critical_path
from components.settings.loader import load_settings
from components.specs.objects import Lookup, Object, refs_in
from components.specs.storage import spec_of
from components.stack_config import load_stack_file, stack_path
from components.storage.kinds import BY_FIELD, kind_of
from components.vendored import NO_CACHE
from fleet.__main__ import load as load_fleet
from fleet.stacks import Stages
from fleet.stacks import preview as preview_cluster
from offline.progress import tracked

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "docs" / "benchmark.md"
AIM_RATIO = 1.5
AIM_MEGABYTES = 200
AIM_CHANGES = 4
PROVIDER_SDKS = ("pulumi_aws", "pulumi_gcp", "pulumi_azure_native", "pulumi_kubernetes")
# One interpreter evaluates every stack (argv: the SDKs, "--", the stacks) and prints, per stack, the
# provider SDKs its evaluation imported, or null where it failed. The SDK modules are dropped after each
# stack, so a stack that imports one an earlier stack imported is still seen to.
SDK_PROBE = """\
import json, sys
from components.stack_config import load_stack_file, stack_path
from offline.engine import evaluate
split = sys.argv.index("--")
sdks, stacks, found = set(sys.argv[1:split]), sys.argv[split + 1 :], {}
for stack in stacks:
    try:
        evaluate(load_stack_file(stack_path(stack)))
    except (Exception, SystemExit):  # a stack whose program exits is skipped like one that raises
        found[stack] = None
        continue
    imported = {m for m in sys.modules if m.split(".")[0] in sdks}
    found[stack] = sorted({m.split(".")[0] for m in imported})
    for module in imported:
        del sys.modules[module]
print(json.dumps(found))
"""


# One fresh interpreter previews a stack (argv[1]) as `python -m offline` does (lean, the collector off,
# answers remembered: offline.__main__.run), in steps, and prints each step's seconds (imports in the
# order a preview meets them; a step's imports are charged to it).
PREVIEW_STEPS_PROBE = """\
import gc, json, os, sys, time, types
gc.disable()
clock = time.perf_counter
def packages():  # top-level packages that ran (a deferred module has not: components/lean_start.py)
    return {n.split(".")[0] for n, m in list(sys.modules.items()) if type(m) is types.ModuleType}
marks, last, seen = [], clock(), packages()
skip = {"components", "offline", "fleet", "verify", "adopt", "policy", "bench", *sys.stdlib_module_names}
def step(name):
    global last, seen
    now = clock()
    marks.append([name, now - last, sorted(n for n in packages() - seen - skip if not n.startswith("_"))])
    last, seen = now, packages()
from components.lean_start import lean_start
lean_start()
import pulumi, pulumi.runtime
step("the Pulumi SDK, lean (the floor imports all of it)")
from pydantic import BaseModel, ConfigDict, Field, create_model
import pydantic.alias_generators, pydantic.types
step("pydantic")
import yaml
step("PyYAML")
from components.remembered import flush, remember
remember()
import offline.__main__, components.command_kit, components.cluster.readers, components.cluster.rules
import offline.engine, offline.plan, offline.manifests, offline.validation
step("the program's modules (the settings models are built here)")
from components import command_kit as kit
from components.cluster.readers import new_cluster
stack_config, cluster = kit.read_stack(kit.stack_file(sys.argv[1], None)), new_cluster()
kit.checked_settings(stack_config, cluster)
step("the stack file, its settings and the cluster rules")
evaluation = offline.engine.evaluate(stack_config, cluster=cluster)
step("the evaluation under the mock engine")
plan = offline.plan.plan_of(evaluation, show_secrets=False)
objects = offline.manifests.manifests(plan)
json.dumps(plan.as_json(), indent=2)
step("the plan and its JSON")
offline.validation.validate(objects, "latest")
step("schema validation of the objects")
flush()  # as offline.__main__.run does as it ends: the next probe reads what this one found
print(json.dumps(marks))
sys.stdout.flush()
os._exit(0)
"""
START_COMMAND = [sys.executable, "-c", "import os; os._exit(0)"]


@dataclass(frozen=True)
class Run:
    seconds: float
    megabytes: float
    stdout: str


class RunError(Exception):
    """A measured command exited non-zero: its stack is skipped and said."""


# Runs argv[2:] as its own child and writes "seconds peak-KiB" to the file argv[1]. The measured command is
# forked from this small interpreter, not from the bench: Linux carries a process's memory high-water mark
# across exec, so a child forked from the bench (100 MB and more, once it has made a hub's fleet file)
# would report the bench's memory as its own peak.
LAUNCHER = """\
import os, sys, time
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execv(sys.argv[2], sys.argv[2:])
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
seconds = time.perf_counter() - start
with open(sys.argv[1], "w") as out:
    out.write(f"{seconds} {usage.ru_maxrss}")
code = os.waitstatus_to_exitcode(status)
os._exit(code if 0 <= code < 256 else 1)
"""


def measure(command: list[str], env: dict[str, str] | None = None) -> Run:
    """Wall time and peak resident memory of one command (its process tree's rusage, via wait4), timed from
    its fork to its end in a small launcher (``LAUNCHER``); ``env``: set for the command."""
    with tempfile.TemporaryDirectory() as directory:
        result = Path(directory) / "measured"
        launched = [sys.executable, "-c", LAUNCHER, str(result), *command]
        environment = {**os.environ, **env} if env else None
        child = subprocess.Popen(
            launched, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=environment
        )
        stdout = child.stdout.read() if child.stdout else ""
        if child.wait() != 0 or not result.exists():
            raise RunError(f"{' '.join(command)} exited {child.returncode}")
        seconds, kibibytes = result.read_text().split()
    return Run(float(seconds), int(kibibytes) / 1024, stdout)  # ru_maxrss is in KiB on Linux


def floor_command(modules: list[str]) -> list[str]:
    imports = ", ".join(["pulumi", *modules])
    return [sys.executable, "-c", f"import os, {imports}; os._exit(0)"]


@dataclass(frozen=True)
class Paired:
    """A stack's runs, each beside the floor run just before it: previews run again (what a user does
    preview after preview: the answers of the slow checks are remembered, ``components/remembered.py``),
    the first preview, which found nothing kept, and a preview after an edit (``paired``)."""

    runs: list[Run]
    floors: list[Run]
    sdk_floors: list[Run]
    first: Run
    first_floor: Run
    edited: Run
    edited_floor: Run

    @property
    def first_ratio(self) -> float:
        return self.first.seconds / self.first_floor.seconds

    @property
    def edited_ratio(self) -> float:
        return self.edited.seconds / self.edited_floor.seconds

    @property
    def seconds(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def megabytes(self) -> float:
        return statistics.median(r.megabytes for r in self.runs)

    @property
    def floor(self) -> float:
        return statistics.median(r.seconds for r in self.floors)

    @property
    def ratio(self) -> float:
        """The median of the pairs' ratios: each stack run against the floor run beside it."""
        return statistics.median(r.seconds / f.seconds for r, f in zip(self.runs, self.floors, strict=True))

    @property
    def sdk_ratio(self) -> float:
        pairs = zip(self.runs, self.sdk_floors, strict=True)
        return statistics.median(r.seconds / f.seconds for r, f in pairs)


# The program's packages, as a command imports them.
PACKAGES = ("components", "offline", "fleet", "policy", "verify", "adopt", "bench")


def compiled() -> None:
    """Compile to bytecode, before anything is measured, the program's modules and every installed module a
    preview or its floor imports, as running them once does on a machine that writes bytecode. Where
    writing bytecode is off (``PYTHONDONTWRITEBYTECODE``, some CI images) and pip installed with
    ``--no-compile`` (the README), every run would otherwise compile them again, the floor's ``pulumi``
    included: the figures would be of the compiler, not of the program."""
    for package in PACKAGES:
        compileall.compile_dir(ROOT / package, quiet=2)
    # lazy: what a preview imports besides the SDK the bench has already, on any path it takes
    import croniter  # noqa: F401
    import cryptography.x509  # noqa: F401
    import fastjsonschema  # noqa: F401
    import jsonschema  # noqa: F401
    import kubernetes_validate  # noqa: F401
    import pulumi.automation
    import pulumi.dynamic  # noqa: F401

    sources = {getattr(module, "__file__", None) for module in list(sys.modules.values())}
    for source in sorted(s for s in sources if isinstance(s, str) and s.endswith(".py")):
        if not os.path.exists(importlib.util.cache_from_source(source)):
            with contextlib.suppress(py_compile.PyCompileError, OSError):  # a read-only install: measured as is
                py_compile.compile(source, doraise=True)


def paired(stack: str, sdks: list[str], repeat: int) -> Paired:
    """The stack's first preview on a machine that never ran one (a cache folder of its own, empty, which
    that preview fills), beside a floor run; then ``repeat`` pairs of a floor run and a preview run again
    with that cache, as a user's next previews run; then one after an edit of the stack's OpenShift
    settings (``EDITED``), beside a floor run of its own (paired with an earlier floor, one sample read 1.11x)."""
    command = [sys.executable, "-m", "offline", "--stack", stack, "--json"]
    with tempfile.TemporaryDirectory() as cache:
        kept_here = {"XDG_CACHE_HOME": cache, NO_CACHE: ""}
        first_floor = measure(floor_command([]))
        first = measure(command, kept_here)
        runs, floors, sdk_floors = [], [], []
        for _ in range(repeat):
            floors.append(measure(floor_command([])))
            sdk_floors.append(measure(floor_command(sdks)) if sdks else floors[-1])
            runs.append(measure(command, kept_here))
        for answers in (Path(cache) / "openshift-registry").glob(EDITED):
            answers.unlink()
        edited_floor = measure(floor_command([]))
        edited = measure(command, kept_here)
    return Paired(runs, floors, sdk_floors, first, first_floor, edited, edited_floor)


# An edit of the stack's OpenShift settings (the registry, the pruner, the storage block) changes the Config
# and ImagePruner it renders and the fields the settings check: every such question is asked anew, as if
# every one of them had changed, by forgetting those answers.
EDITED = "answers-crd-violations.*"


def lookups(stack: str, plan: dict[str, Any]) -> list[dict[str, Any]]:
    """The stack's provider lookups as graph nodes: each waits for the objects its arguments name,
    and the objects that read its result wait for it (read from the storage kind's own plan)."""

    config = load_stack_file(stack_path(stack))
    settings = load_settings(config.config, config.secret_keys, project=config.project, stack=config.stack).settings
    kind = kind_of(settings.storage.kind)
    storage_plan = spec_of(kind).plan(settings.storage.selected, settings.identity, settings.secrets, settings.registry)
    by_name = {r["name"]: r for r in plan["resources"]}
    nodes = []
    for step in storage_plan.steps:
        if not isinstance(step, Lookup):
            continue
        name = f"lookup {step.name}"
        urn = f"{INVOKE}{step.token}::{step.name}"
        needs = [by_name[f"registry-storage-{ref.name}"]["urn"] for ref in refs_in(step.args)]
        nodes.append({"urn": urn, "type": f"{INVOKE}{step.token}", "name": name, "parent": "", "dependsOn": needs})
        readers = [
            s.name
            for s in storage_plan.steps
            if isinstance(s, Object) and step.name in {r.name for r in refs_in(s.inputs)}
        ]
        readers += ["credentials"] if step.name in {r.name for r in refs_in(dict(storage_plan.credentials))} else []
        for reader in readers:
            target = by_name.get(f"registry-storage-{reader}") or by_name.get(f"registry-{reader}")
            if target is not None:
                target["dependsOn"] = [*target["dependsOn"], urn]
    return nodes


@dataclass(frozen=True)
class Row:
    stack: str
    storage: str
    resources: int
    path: list[str]
    changing: int
    sdks: list[str]
    timing: Paired

    def misses(self) -> list[str]:
        missed = []
        if self.timing.ratio > AIM_RATIO:
            missed.append(f"{self.timing.ratio:.1f}x floor")
        if self.timing.megabytes > AIM_MEGABYTES:
            missed.append(f"{self.timing.megabytes:.0f} MB")
        if self.changing > AIM_CHANGES:
            missed.append(f"{self.changing} sequential changes")
        if len([s for s in self.sdks if s != "pulumi_kubernetes"]) > 1:
            missed.append("more than one cloud SDK")
        return missed


def sdks_imported(stacks: list[str]) -> dict[str, list[str] | None]:
    """Per stack, the provider SDKs its evaluation imports (None: its evaluation fails), all in one run."""
    probe = subprocess.run(
        [sys.executable, "-c", SDK_PROBE, *PROVIDER_SDKS, "--", *stacks],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(probe.stdout)


def bench_stack(stack: str, repeat: int, sdks: list[str]) -> Row:
    timing = paired(stack, sdks, repeat)
    plan = json.loads(timing.runs[0].stdout)
    custom = [r for r in plan["resources"] if not r["type"].startswith(plan["project"] + ":")]
    graph = [*plan["resources"], *lookups(stack, plan)]
    config = next(r for r in plan["resources"] if r["type"].endswith(":ConfigPatch"))
    storage = next(iter(k for k in config["inputs"]["spec"]["storage"] if k != "managementState"))
    path = critical_path(graph, plan["project"])
    return Row(stack, storage, len(custom), path, changes(path, graph), sdks, timing)


FLEET_SIZES = (100, 3500)
AIM_FLEET_SECONDS = 30
"""A hub's fleet (about 3,500 single-node clusters) previewed in under this, on 2 cores."""


def fleet_file(size: int, directory: Path) -> Path:
    """A hub's fleet: mostly the example's single-node cluster (telco far edge), one in ten of the others,
    cycled to ``size``, each with names of its own."""

    base = yaml.safe_load((ROOT / "fleet.yaml").read_text(encoding="utf-8"))
    single = [c for c in base["clusters"] if c["settings"].get("cluster", {}).get("infrastructureTopology")]
    others = [c for c in base["clusters"] if c not in single]
    clusters = []
    for index in range(size):
        pick = others[(index // 10) % len(others)] if index % 10 == 0 or not single else single[0]
        cluster = copy.deepcopy(pick)
        cluster["name"] = f"{cluster['name']}-{index:04d}"
        for field, block in cluster["settings"]["storage"].items():
            # A bucket the stack creates gets a name of its own per cluster (bucket names are global).
            named = field in BY_FIELD and kind_of(field).names_storage == "bucket"
            if named and isinstance(block, dict) and not block.get("regionEndpoint") and not block.get("adopt"):
                block["bucket"] = f"corp-{index:04d}-registry"
        clusters.append(cluster)
    path = directory / f"fleet-{size}.yaml"
    # libyaml's emitter where built (the pure-Python one takes seconds for a hub's fleet)
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    path.write_text(yaml.dump({**base, "clusters": clusters}, Dumper=dumper), encoding="utf-8")
    return path


def fleet_rows(sizes: tuple[int, ...]) -> list[tuple[int, Run, Run]]:
    """``python -m fleet preview`` on fleets of growing size, each paired with ``import pulumi`` run right
    before it on the same machine (the ratio is what holds across machines)."""

    found = []
    with tempfile.TemporaryDirectory() as directory:
        for size in tracked(sizes, len(sizes), "fleet preview", sys.stderr):
            print(f"bench: fleet of {size} clusters", file=sys.stderr)
            floor = measure(floor_command([]))
            found.append(
                (
                    size,
                    measure([sys.executable, "-m", "fleet", "preview", str(fleet_file(size, Path(directory)))]),
                    floor,
                )
            )
    return found


PROFILED_CLUSTERS = 60


def where_time_goes(count: int = PROFILED_CLUSTERS) -> tuple[int, Stages, float]:
    """A cluster's preview in steps, timed in this process over the hub fleet's first ``count`` clusters
    after one to warm up (what each worker does, cluster after cluster): clusters, the steps' seconds, and
    the seconds of the whole loop."""
    with tempfile.TemporaryDirectory() as directory:
        fleet, problems = load_fleet(fleet_file(count + 1, Path(directory)))
    if fleet is None:
        raise RunError("; ".join(problems))
    preview_cluster(fleet, fleet.clusters[0])
    stages = Stages()
    start = time.perf_counter()
    for cluster in fleet.clusters[1:]:
        preview_cluster(fleet, cluster, stages)
    return count, stages, time.perf_counter() - start


@dataclass(frozen=True)
class PreviewSteps:
    """A stack's preview in steps, medians over fresh interpreters, beside the interpreter's start and
    the floor."""

    stack: str
    steps: list[tuple[str, float, list[str]]]
    start: float
    floor: float

    @property
    def beyond_floor(self) -> float:
        """The imports the floor does not have, as a share of the floor."""
        beyond = ("pydantic", "PyYAML", "the program's modules")
        return sum(seconds for name, seconds, _ in self.steps if name.startswith(beyond)) / self.floor


def preview_steps(stack: str, repeat: int) -> PreviewSteps:
    """The steps of the stack's preview run again (after one run, not measured, that fills a cache folder
    of its own, as in ``paired``)."""
    runs, starts, floors = [], [], []
    probe = [sys.executable, "-c", PREVIEW_STEPS_PROBE, stack]
    with tempfile.TemporaryDirectory() as cache:
        kept_here = {"XDG_CACHE_HOME": cache, NO_CACHE: ""}
        measure(probe, kept_here)
        for _ in range(repeat):
            floors.append(measure(floor_command([])).seconds)
            starts.append(measure(START_COMMAND).seconds)
            runs.append(json.loads(measure(probe, kept_here).stdout.strip().splitlines()[-1]))
    steps = [
        (name, statistics.median(run[index][1] for run in runs), packages)
        for index, (name, _, packages) in enumerate(runs[0])
    ]
    return PreviewSteps(stack, steps, statistics.median(starts), statistics.median(floors))


def preview_steps_table(found: PreviewSteps) -> str:
    lines = [
        f"Where a preview's time goes (`{found.stack}`, the stack furthest from the aim; medians of fresh "
        f"interpreters; the floor, `import pulumi`, took {1000 * found.floor:.0f} ms):",
        "",
        "| step | ms | × floor | packages it imports first (the standard library's left out) |",
        "| --- | ---: | ---: | --- |",
        f"| the interpreter's start (a `python -c` that leaves at once) | {1000 * found.start:.0f} | "
        f"{found.start / found.floor:.2f} | |",
    ]
    for name, seconds, packages in found.steps:
        shown = ", ".join(packages[:8]) + (f" and {len(packages) - 8} more" if len(packages) > 8 else "")
        lines.append(f"| {name} | {1000 * seconds:.0f} | {seconds / found.floor:.2f} | {shown} |")
    total = found.start + sum(seconds for _, seconds, _ in found.steps)
    lines += [
        f"| **in all** | {1000 * total:.0f} | {total / found.floor:.2f} | |",
        "",
        f"The imports the floor does not have (pydantic, PyYAML and the program's own modules, whose "
        f"import builds the settings models) take {found.beyond_floor:.2f}× the floor by themselves.",
    ]
    return "\n".join(lines)


def stages_table(count: int, stages: Stages, total: float) -> str:
    lines = [
        f"Where a cluster's time goes (in one process, {count} clusters of the hub fleet, "
        f"{1000 * total / count:.1f} ms each):",
        "",
        "| step | ms per cluster | share |",
        "| --- | ---: | ---: |",
    ]
    rest = total - sum(stages.values())
    for name, seconds in [*sorted(stages.items(), key=lambda item: -item[1]), ("the rest", rest)]:
        lines.append(f"| {name} | {1000 * seconds / count:.2f} | {100 * seconds / total:.0f}% |")
    return "\n".join(lines)


def fleet_table(rows: list[tuple[int, Run, Run]]) -> str:
    lines = [
        "| clusters | wall (s) | per cluster (ms) | × `import pulumi` | peak MB |",
        "| ---: | ---: | ---: | ---: | ---: |",
    ]
    for size, run, floor in rows:
        lines.append(
            f"| {size} | {run.seconds:.1f} | {1000 * run.seconds / size:.1f} | {run.seconds / floor.seconds:.0f} "
            f"| {run.megabytes:.0f} |"
        )
    return "\n".join(lines)


def table(rows: list[Row]) -> str:
    lines = [
        "| stack | storage | resources | critical path (lookups included) | changes | SDKs imported "
        "| wall (s) | floor (s) | × floor | × SDK floor | first run × floor | edited × floor | peak MB | aims |",
        "| --- | --- | ---: | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in rows:
        sdks = ", ".join(s.removeprefix("pulumi_") for s in row.sdks) or "none"
        path = f"{len(row.path)}: {' → '.join(row.path)}"
        aims = "; ".join(row.misses()) or "met"
        t = row.timing
        lines.append(
            f"| `{row.stack}` | {row.storage} | {row.resources} | {path} | {row.changing} | {sdks} | "
            f"{t.seconds:.2f} | {t.floor:.2f} | {t.ratio:.2f} | {t.sdk_ratio:.2f} | {t.first_ratio:.2f} | "
            f"{t.edited_ratio:.2f} | "
            f"{t.megabytes:.0f} | {aims} |"
        )
    return "\n".join(lines)


def report(
    rows: list[Row],
    repeat: int,
    jobs: int,
    fleet: list[tuple[int, Run, Run]] | None = None,
    skipped: tuple[str, ...] = (),
    stages: tuple[int, Stages, float] | None = None,
    steps: PreviewSteps | None = None,
) -> str:
    missed = [row for row in rows if row.misses()]
    verdict = (
        "Every stack meets every aim."
        if not missed
        else "Misses: " + "; ".join(f"`{row.stack}` ({', '.join(row.misses())})" for row in missed) + "."
    )
    return f"""# Benchmark: the offline preview, per stack

Made by `python -m bench --out docs/benchmark.md` on {datetime.date.today().isoformat()}: {os.cpu_count()} cores,
{platform.python_implementation()} {platform.python_version()} on {platform.system()} {platform.machine()}.
Each stack ran {repeat} times, each run a fresh interpreter running `python -m offline --stack NAME
--json` (the whole preview: settings, evaluation under the mock engine, schema validation, JSON),
each run right after a run of its floors, so a pair sees the same machine ({jobs} stack(s) measured at
once, a pair's runs one after the other). Wall time and memory are medians of the runs; "× floor" is
the median of the pairs' ratios. The floor is a fresh interpreter that imports `pulumi` and leaves
with `os._exit`, as the preview does; the SDK floor adds the provider SDK modules the stack imports
(none: resources are registered by type token). The program's modules, and every installed module a
preview or its floor imports, are compiled to bytecode before anything is measured, as one run leaves
them on a machine that writes bytecode.

These runs preview an unchanged stack again (a review loop, a CI job on a machine that keeps its cache):
the answers of the checks whose libraries take longer to import than the rest of a preview's own work
(jsonschema, croniter, cryptography) are remembered from the stack's first preview, under the digest of
the question and of the checking code (`components/remembered.py`), and the CRDs are read from their
parsed copy. "First run" is that first preview, on a machine that never ran one: each stack is measured
with a cache folder of its own, empty until its first run fills it (the CRDs parsed, their schemas
compiled to Python, every check's answer found), beside its own floor run. "Edited" is a preview after an
edit of the stack's OpenShift settings: every Config, ImagePruner and field question is asked anew (their
kept answers forgotten) and answered by the CRD schemas compiled to Python (`components/crd_quick.py`),
beside its own floor run. Both are one run each: read them as an indication, not a median.

Aims: a preview within {AIM_RATIO:g}× the floor and under {AIM_MEGABYTES} MB; at most one cloud SDK
imported; at most {AIM_CHANGES} sequential calls that change something on the critical path (the
longest chain of calls that wait on each other, provider lookups included: it bounds how long
`pulumi up` waits on the cloud; lookups only read, so they lengthen the chain but are not changes).

{table(rows)}

{verdict}{"" if not skipped else " Skipped, their preview failing: " + ", ".join(f"`{s}`" for s in skipped) + "."}
{"" if steps is None else chr(10) + preview_steps_table(steps) + chr(10)}{_fleet_section(fleet, stages)}"""


def _fleet_section(fleet: list[tuple[int, Run, Run]] | None, stages: tuple[int, Stages, float] | None = None) -> str:
    if not fleet:
        return ""
    largest, run, _ = fleet[-1]
    verdict = "met" if run.seconds < AIM_FLEET_SECONDS else "missed"
    return f"""
## Fleet preview

`python -m fleet preview` over hub-like fleets made from `fleet.yaml` (nine in ten the single-node
cluster, the rest its other clusters), one process each (every cluster's stack evaluated, validated
and summarised, on every core), each paired with `python -c "import pulumi"` run just before it.
Aim: {largest} clusters under {AIM_FLEET_SECONDS} s on this machine ({verdict}). Peak memory is the command's
process tree. The fleet file's clusters are read one at a time (its YAML node graph, some 50 times the
file, is never whole) and a worker evaluates clusters one after another, flat: what grows with the fleet
is the fleet's own data and the rows to print.

{fleet_table(fleet)}
{"" if stages is None else chr(10) + stages_table(*stages) + chr(10)}"""


def main(argv: list[str] | None = None) -> int:
    options = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    options.add_argument("--repeat", type=int, default=3, help="pairs of runs per stack (median; default 3)")
    options.add_argument(
        "--jobs",
        type=int,
        default=min(2, os.cpu_count() or 1),
        help="stacks measured at once (default: 2, or 1 on one core)",
    )
    options.add_argument("--no-fleet", action="store_true", help="leave out the fleet preview's scaling")
    options.add_argument(
        "--out", type=Path, help=f"also write the report there (e.g. {REPORT.relative_to(ROOT)}); printed either way"
    )
    args = options.parse_args(argv)
    stacks = sorted(p.name[len("Pulumi.") : -len(".yaml")] for p in (ROOT / "stacks").glob("Pulumi.*.yaml"))
    compiled()

    rows, skipped = [], []
    print(f"bench: which SDKs each of {len(stacks)} stacks imports", file=sys.stderr)
    imported = sdks_imported(stacks)
    with ThreadPoolExecutor(max(1, args.jobs)) as pool:
        started = {
            pool.submit(bench_stack, stack, args.repeat, sdks): stack
            for stack, sdks in imported.items()
            if sdks is not None
        }
        skipped += [stack for stack, sdks in imported.items() if sdks is None]
        for future in tracked(as_completed(started), len(started), "stacks", sys.stderr):
            stack = started[future]
            try:
                rows.append(future.result())
                print(f"bench: [{len(rows) + len(skipped)}/{len(stacks)}] {stack}", file=sys.stderr)
            except (RunError, ValueError, StopIteration):
                skipped.append(stack)
    for stack in sorted(skipped):
        print(f"bench: skipped {stack}: its preview fails (`python -m offline --stack {stack}` says why)",
              file=sys.stderr)  # fmt: skip
    rows.sort(key=lambda row: row.stack)
    steps = None
    if rows:
        slowest = max(rows, key=lambda row: row.timing.ratio).stack
        print(f"bench: where a preview's time goes ({slowest})", file=sys.stderr)
        try:
            steps = preview_steps(slowest, args.repeat)
        except (RunError, ValueError, IndexError) as error:
            print(f"bench: left out where a preview's time goes: {error}", file=sys.stderr)
    fleet, stages = None, None
    if not args.no_fleet:
        fleet = fleet_rows(FLEET_SIZES)
        print(f"bench: where a cluster's time goes ({PROFILED_CLUSTERS} clusters in this process)", file=sys.stderr)
        stages = where_time_goes()
    text = report(rows, args.repeat, args.jobs, fleet, tuple(sorted(skipped)), stages, steps)
    print(text)
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
        print(f"written to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
