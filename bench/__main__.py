"""``python -m bench``: the offline preview's cost for every stack, measured in one run.

For each stack: wall time and peak memory of ``python -m offline --stack NAME --json`` (the
median of a few runs, each a fresh interpreter), beside the floor of ``python -c "import
pulumi"`` measured the same way; which provider SDKs the evaluation imported; how many
resources it registers; and the critical path, the longest chain of resources waiting on each
other, which bounds how long ``pulumi up`` waits on the cloud. Prints a Markdown table; writes it
only where asked (``--out docs/benchmark.md`` refreshes the tracked report). A script, not a
test: timings belong to the machine.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench.critical_path import critical_path

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "docs" / "benchmark.md"
AIM_RATIO = 3.0
AIM_MEGABYTES = 200
AIM_CRITICAL_PATH = 4
PROVIDER_SDKS = ("pulumi_aws", "pulumi_gcp", "pulumi_azure_native", "pulumi_kubernetes")
SDK_PROBE = """\
import sys
from components.stack_config import load_stack_file, stack_path
from offline.engine import evaluate
evaluate(load_stack_file(stack_path(sys.argv[1])))
print(" ".join(sorted({m.split(".")[0] for m in sys.modules} & set(sys.argv[2:]))))
"""


@dataclass(frozen=True)
class Run:
    seconds: float
    megabytes: float
    stdout: str


def measure(command: list[str]) -> Run:
    """Wall time and peak resident memory of one child process (its own rusage, via wait4)."""
    start = time.perf_counter()
    child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    stdout = child.stdout.read() if child.stdout else ""
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited {child.returncode}")
    return Run(seconds, usage.ru_maxrss / 1024, stdout)  # ru_maxrss is in KiB on Linux


def median(command: list[str], repeat: int) -> Run:
    runs = [measure(command) for _ in range(repeat)]
    return Run(statistics.median(r.seconds for r in runs), statistics.median(r.megabytes for r in runs), runs[0].stdout)


@dataclass(frozen=True)
class Row:
    stack: str
    storage: str
    resources: int
    path: list[str]
    sdks: list[str]
    run: Run
    ratio: float

    def misses(self) -> list[str]:
        missed = []
        if self.ratio > AIM_RATIO:
            missed.append(f"{self.ratio:.1f}x floor")
        if self.run.megabytes > AIM_MEGABYTES:
            missed.append(f"{self.run.megabytes:.0f} MB")
        if len(self.path) > AIM_CRITICAL_PATH:
            missed.append(f"critical path {len(self.path)}")
        clouds = [s for s in self.sdks if s != "pulumi_kubernetes"]
        if len(clouds) > 1:
            missed.append("more than one cloud SDK")
        return missed


def bench_stack(stack: str, floor: Run, repeat: int) -> Row:
    run = median([sys.executable, "-m", "offline", "--stack", stack, "--json"], repeat)
    plan = json.loads(run.stdout)
    custom = [r for r in plan["resources"] if not r["type"].startswith(plan["project"] + ":")]
    probe = subprocess.run(
        [sys.executable, "-c", SDK_PROBE, stack, *PROVIDER_SDKS], cwd=ROOT, capture_output=True, text=True, check=True
    )
    config = next(r for r in plan["resources"] if r["type"].endswith(":ConfigPatch"))
    storage = next(iter(k for k in config["inputs"]["spec"]["storage"] if k != "managementState"))
    return Row(
        stack=stack,
        storage=storage,
        resources=len(custom),
        path=critical_path(plan["resources"], plan["project"]),
        sdks=probe.stdout.split(),
        run=run,
        ratio=run.seconds / floor.seconds,
    )


def table(rows: list[Row], floor: Run) -> str:
    lines = [
        "| stack | storage | resources | critical path | SDKs imported | wall (s) | × floor | peak MB | aims |",
        "| --- | --- | ---: | --- | --- | ---: | ---: | ---: | --- |",
    ]
    for row in rows:
        sdks = ", ".join(s.removeprefix("pulumi_") for s in row.sdks) or "none"
        path = f"{len(row.path)}: {' → '.join(row.path)}"
        aims = "; ".join(row.misses()) or "met"
        lines.append(
            f"| `{row.stack}` | {row.storage} | {row.resources} | {path} | {sdks} | "
            f"{row.run.seconds:.2f} | {row.ratio:.1f} | {row.run.megabytes:.0f} | {aims} |"
        )
    lines.append(
        f'| floor: `python -c "import pulumi"` | | | | | {floor.seconds:.2f} | 1.0 | {floor.megabytes:.0f} | |'
    )
    return "\n".join(lines)


def report(rows: list[Row], floor: Run, repeat: int) -> str:
    missed = [row for row in rows if row.misses()]
    verdict = (
        "Every stack meets every aim."
        if not missed
        else "Misses: " + "; ".join(f"`{row.stack}` ({', '.join(row.misses())})" for row in missed) + "."
    )
    return f"""# Benchmark: the offline preview, per stack

Made by `python -m bench` on {datetime.date.today().isoformat()}: {os.cpu_count()} cores,
{platform.python_implementation()} {platform.python_version()} on {platform.system()} {platform.machine()}.
Each figure is the median of {repeat} runs, each a fresh interpreter running
`python -m offline --stack NAME --json` (the whole preview: settings, evaluation under the mock
engine, schema validation, JSON). The floor is a fresh interpreter that only imports `pulumi`.

Aims: a preview within {AIM_RATIO:.0f}× the floor and under {AIM_MEGABYTES} MB; only the stack's own
cloud SDK imported (plus `pulumi_kubernetes`, which every stack uses); a critical path of at most
{AIM_CRITICAL_PATH} resources (the longest chain of resources that wait on each other: it bounds
how long `pulumi up` waits on the cloud; components cost nothing, a resource waiting on a
component waits on everything in it).

{table(rows, floor)}

{verdict}
"""


def main(argv: list[str] | None = None) -> int:
    options = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    options.add_argument("--repeat", type=int, default=3, help="runs per measurement (median; default 3)")
    options.add_argument(
        "--out", type=Path, help=f"also write the report there (e.g. {REPORT.relative_to(ROOT)}); printed either way"
    )
    args = options.parse_args(argv)
    floor = median([sys.executable, "-c", "import pulumi"], args.repeat)
    stacks = sorted(p.name[len("Pulumi.") : -len(".yaml")] for p in (ROOT / "stacks").glob("Pulumi.*.yaml"))
    rows = [bench_stack(stack, floor, args.repeat) for stack in stacks]
    text = report(rows, floor, args.repeat)
    print(text)
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
        print(f"written to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
