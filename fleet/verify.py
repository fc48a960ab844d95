"""``python -m fleet verify``: ``python -m verify`` over every cluster of a fleet, a row per cluster.

Each cluster's kubeconfig is found by its name: ``--kubeconfigs DIR`` reads ``DIR/<name>.kubeconfig``
(the fleet file holds only a reference to a Secret on the management cluster, which this command does
not read: extract them first, e.g. ``oc extract secret/<ref> --keys=<key> --to=- > DIR/<name>.kubeconfig``);
``--dumps DIR`` reads ``DIR/<name>/`` as ``python -m verify --cluster`` does. Clusters are verified a
few at a time (``--concurrency``), with a progress display on a terminal; the command exits 0 only when
every cluster passes.
"""

from __future__ import annotations

import io
import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import IO, Literal

from components import command_kit as kit
from components.checks import Check, exit_code
from fleet.model import Cluster, Fleet
from fleet.stacks import stack_config
from offline.progress import tracked, wrap_width
from verify.run import VerifyInputError, verify_stack

Source = tuple[Literal["kubeconfigs", "dumps"], Path]


@dataclass
class Verified:
    cluster: str
    checks: list[Check] = field(default_factory=list)
    error: str = ""
    """Why the cluster could not be verified at all (no kubeconfig, an unreadable dump, invalid settings)."""

    @property
    def ok(self) -> bool:
        return not self.error and exit_code(self.checks) == 0


def verify_cluster(fleet: Fleet, cluster: Cluster, source: Source) -> Verified:

    kind, directory = source
    config = stack_config(fleet, cluster)
    where: Path | None = None
    if kind == "dumps":
        where = directory / cluster.name
        if not where.is_dir():
            return Verified(cluster.name, error=f"no dump directory {where}")
    else:
        kubeconfig = directory / f"{cluster.name}.kubeconfig"
        if not kubeconfig.is_file():
            return Verified(cluster.name, error=f"no kubeconfig {kubeconfig}")
        config = replace(config, config={**config.config, "kubernetes:kubeconfig": str(kubeconfig)})
    notes = io.StringIO()
    try:
        return Verified(cluster.name, verify_stack(config, where, notes))
    except kit.CommandError as error:
        return Verified(cluster.name, error=" ".join(line.strip() for line in error.lines).removeprefix("error: "))
    except (VerifyInputError, OSError, ValueError) as error:
        return Verified(cluster.name, error=str(error))


def verify_fleet(
    fleet: Fleet, source: Source, concurrency: int, as_json: bool, stdout: IO[str], stderr: IO[str]
) -> int:
    clusters = fleet.clusters
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        verified = list(
            tracked(pool.map(lambda c: verify_cluster(fleet, c, source), clusters), len(clusters), "verifying", stderr)
        )
    if as_json:
        body = {v.cluster: {"ok": v.ok, "error": v.error, "checks": [asdict(c) for c in v.checks]} for v in verified}
        stdout.write(json.dumps({"clusters": body, "ok": all(v.ok for v in verified)}, indent=2) + "\n")
    else:
        columns = wrap_width(stdout)
        print(f"{'cluster':<42} {'passed':>6} {'failed':>6} {'not run':>7}  first problem", file=stdout)
        for v in verified:
            counts = {s: sum(c.status == s for c in v.checks) for s in ("pass", "fail", "not run")}
            problem = v.error or next(
                (f"{c.name}: {c.detail}" for c in v.checks if c.status in ("fail", "not run")), ""
            )
            line = f"{v.cluster:<42} {counts['pass']:>6} {counts['fail']:>6} {counts['not run']:>7}  {problem}"
            print(line[:columns] if columns else line, file=stdout)
    failing = sum(not v.ok for v in verified)
    print(f"{len(verified)} clusters, {failing} not passing", file=stderr)
    return 0 if failing == 0 else 1
