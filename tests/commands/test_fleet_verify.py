"""``python -m fleet verify`` over a fleet of clusters served by dumps and by a stand-in API server.

The example fleet's single-node cluster is brought to the state `pulumi up` leaves it in (the cluster
model: plan, apply, the operator's sync, healthy conditions) and must pass; a cluster with no dump or
kubeconfig is a row that says so; the command exits 0 only when every cluster passes.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import yaml

from components.cluster.state import CONFIG
from fleet.__main__ import main
from fleet.stacks import stack_config
from tests.cluster_model import states
from tests.cluster_model.apiserver import serving
from tests.cluster_model.loop import up_twice
from tests.verify_support import healthy_conditions

ROOT = Path(__file__).resolve().parents[2]
SINGLE_NODE = "far-edge-sno-0001"


def deployed_single_node() -> dict[Any, dict[str, Any]]:
    """The single-node cluster after the fleet's `pulumi up` and the operator's sync, reporting healthy."""
    from fleet.__main__ import load

    fleet, problems = load(ROOT / "fleet.yaml")
    assert not problems
    cluster = next(c for c in fleet.clusters if c.name == SINGLE_NODE)  # type: ignore[attr-defined]
    objects = states.build(states.ClusterSpec("4.17", "baremetal", "removed", "SingleReplica"))
    run = up_twice(stack_config(fleet, cluster), objects, "4.17")  # type: ignore[arg-type]
    assert run.second is not None, run
    objects[CONFIG]["status"] = {"conditions": healthy_conditions()}
    return objects


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), out, err), out.getvalue(), err.getvalue()


def test_fleet_verify_over_dumps_passes_the_deployed_cluster_and_names_the_missing(tmp_path: Path) -> None:
    directory = tmp_path / "dumps" / SINGLE_NODE
    directory.mkdir(parents=True)
    for index, body in enumerate(deployed_single_node().values()):
        (directory / f"{index:02d}.yaml").write_text(yaml.safe_dump(body), encoding="utf-8")
    code, out, err = run("verify", str(ROOT / "fleet.yaml"), "--dumps", str(tmp_path / "dumps"), "--json")
    assert code == 1 and "4 clusters, 3 not passing" in err
    clusters = json.loads(out)["clusters"]
    assert clusters[SINGLE_NODE]["ok"] is True, clusters[SINGLE_NODE]
    assert clusters["prod-us-east-1"]["error"].startswith("no dump directory")
    code, table, _ = run("verify", str(ROOT / "fleet.yaml"), "--dumps", str(tmp_path / "dumps"))
    assert any(line.startswith(SINGLE_NODE) for line in table.splitlines()) and "no dump directory" in table


def test_fleet_verify_reads_live_clusters_by_their_kubeconfig(tmp_path: Path) -> None:
    kubeconfigs = tmp_path / "kubeconfigs"
    kubeconfigs.mkdir()
    with serving(deployed_single_node()) as served:
        (kubeconfigs / f"{SINGLE_NODE}.kubeconfig").write_text(yaml.safe_dump(served.kubeconfig), encoding="utf-8")
        code, out, _ = run("verify", str(ROOT / "fleet.yaml"), "--kubeconfigs", str(kubeconfigs), "--json")
    clusters = json.loads(out)["clusters"]
    assert clusters[SINGLE_NODE]["ok"] is True, clusters[SINGLE_NODE]
    assert clusters["prod-eu-west-4"]["error"].startswith("no kubeconfig") and code == 1


def test_a_cluster_whose_settings_the_program_refuses_is_a_row_that_says_why(tmp_path: Path) -> None:
    """Settings refused at verify time (the same words as ``python -m verify``) make the cluster's row an
    error, never a traceback that stops the fleet."""
    from fleet.__main__ import load
    from fleet.verify import verify_cluster

    fleet, problems = load(ROOT / "fleet.yaml")
    assert not problems
    cluster = next(c for c in fleet.clusters if c.name == SINGLE_NODE)  # type: ignore[attr-defined]
    broken = cluster.model_copy(update={"settings": {**cluster.settings, "environment": "staging"}})
    (tmp_path / SINGLE_NODE).mkdir()
    verified = verify_cluster(fleet, broken, ("dumps", tmp_path))  # type: ignore[arg-type]
    assert not verified.ok and verified.error.startswith(f"stack {SINGLE_NODE} has 1 problem(s):")
    assert "environment" in verified.error
