"""``python -m fleet preview|render [fleet.yaml]``: one registry set-up for many clusters.

``preview`` evaluates every cluster's stack in this one process, as the offline preview does, and
prints a row per cluster (exit 2 when any is invalid). ``render --out DIR`` writes a Stack resource
per cluster for the Pulumi Kubernetes Operator, with the service account and RBAC its workspaces
need, and (``--stacks DIR``) a stack file per cluster for the CLI or Pulumi Deployments.
"""

from __future__ import annotations

import argparse
import re
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import IO

import yaml
from pydantic import ValidationError

from components.exits import EXIT_INVALID, EXIT_OK
from components.yaml_reader import Limits, YamlFileError, read_yaml
from fleet.model import Fleet
from fleet.parallel import summaries
from offline.progress import wrap_width

DEFAULT_FLEET = Path("fleet.yaml")
# A fleet's own bounds: a hub manages about 3,500 clusters, each entry a few hundred bytes and a few dozen
# values; room for that three times over, and still a bound (a bomb is refused as in a stack file).
MAX_CLUSTERS = 10_000
FLEET_FILE = Limits("a fleet file", max_bytes=MAX_CLUSTERS * 2048, max_nodes=MAX_CLUSTERS * 200)


def parser() -> argparse.ArgumentParser:
    args = argparse.ArgumentParser(prog="python -m fleet", description=__doc__.splitlines()[0])
    commands = args.add_subparsers(dest="command", required=True)
    preview = commands.add_parser("preview", help="evaluate every cluster's stack; a row per cluster")
    preview.add_argument("fleet", nargs="?", type=Path, default=DEFAULT_FLEET)
    render = commands.add_parser("render", help="write the Stack resources (and stack files)")
    render.add_argument("fleet", nargs="?", type=Path, default=DEFAULT_FLEET)
    render.add_argument("--out", type=Path, required=True, help="a new or empty directory for the Stack resources")
    render.add_argument("--stacks", type=Path, help="also write a stack file per cluster there (e.g. stacks)")
    check = commands.add_parser("verify", help="run `python -m verify` on every cluster; a row per cluster")
    check.add_argument("fleet", nargs="?", type=Path, default=DEFAULT_FLEET)
    where = check.add_mutually_exclusive_group(required=True)
    where.add_argument("--kubeconfigs", type=Path, metavar="DIR",
                       help="DIR/<cluster name>.kubeconfig: each cluster's kubeconfig (the live clusters)")  # fmt: skip
    where.add_argument("--dumps", type=Path, metavar="DIR",
                       help="DIR/<cluster name>/: each cluster's `oc get -o yaml` dumps")  # fmt: skip
    check.add_argument("--concurrency", type=int, default=4, choices=range(1, 33), metavar="1-32",
                       help="clusters verified at once (default 4)")  # fmt: skip
    check.add_argument("--json", action="store_true", help="every cluster's checks as JSON, for scripts")
    return args


def load(path: Path) -> tuple[object | None, list[str]]:
    """The fleet file, or every problem with it, each naming the cluster and key."""

    try:
        document, _ = read_yaml(path, FLEET_FILE, streamed="clusters")
    except YamlFileError as error:
        return None, [problem.located(path) for problem in error.problems]
    if not isinstance(document, dict):
        return None, [f"{path}: a fleet file is a map (git, backend, defaults, clusters)"]
    clusters = document.get("clusters")
    if isinstance(clusters, list) and len(clusters) > MAX_CLUSTERS:
        return None, [f"clusters: {len(clusters)} clusters; a fleet file holds at most {MAX_CLUSTERS} (split it)"]
    try:
        fleet = Fleet.model_validate(document)
    except ValidationError as error:
        names = [c.get("name", i) if isinstance(c, dict) else i for i, c in enumerate(document.get("clusters") or [])]
        return None, [_pydantic(e, names) for e in error.errors(include_url=False)]
    return fleet, [f"{key}: {message}" for key, message in fleet.problems()]


def _pydantic(error: dict, names: list) -> str:
    loc = list(error["loc"])
    if loc[:1] == ["clusters"] and len(loc) > 1 and isinstance(loc[1], int) and loc[1] < len(names):
        loc[:2] = [f"clusters[{names[loc[1]]}]"]
    key = ".".join(str(part) for part in loc)
    message = "unknown key" if error["type"] == "extra_forbidden" else error["msg"]
    return f"{key}: {message}"


def preview(fleet: object, stdout: IO[str], stderr: IO[str]) -> int:

    assert isinstance(fleet, Fleet)
    invalid = 0
    columns = wrap_width(stdout)
    print(f"{'cluster':<42} {'storage':<9} {'resources':>9} {'warnings':>8}  errors", file=stdout)
    for summary in summaries(fleet, stderr, "previewing clusters"):
        invalid += bool(summary.errors)
        print(f"{summary.cluster:<42} {summary.storage or '-':<9} {summary.resources:>9} {len(summary.warnings):>8}  "
              f"{len(summary.errors) or ''}", file=stdout)  # fmt: skip
        for error in summary.errors:  # each under its row, wrapped on a terminal (one line each for scripts)
            text = (
                textwrap.fill(error, columns - 4, initial_indent="    ", subsequent_indent="      ")
                if columns
                else f"    {error}"
            )
            print(text, file=stdout)
    print(f"{len(fleet.clusters)} clusters, {invalid} invalid", file=stderr)
    return EXIT_INVALID if invalid else EXIT_OK


def render(fleet: object, out: Path, stacks: Path | None, stdout: IO[str], stderr: IO[str]) -> int:
    # lazy: the SDK only once the fleet file is read, and after `run` started lean (components/lean_start.py)
    from fleet.stacks import stack_file, stack_resource, validate_rendered, workspace_access

    assert isinstance(fleet, Fleet)
    earlier = rendered_earlier(out)
    if earlier is None:
        print(
            f"error: {out} holds files this command did not write (nothing was written): give a new or empty "
            "directory, or one an earlier `fleet render` wrote (its files are then replaced)",
            file=stderr,
        )
        return EXIT_INVALID
    # Every check `preview` makes, per cluster, before anything is written: a typo, an unknown platform
    # and a secret given inline (which would land in plain text in the Stack resource) are refused here too.
    errors = [error for summary in summaries(fleet, stderr, "checking clusters") for error in summary.errors]  # type: ignore[attr-defined]
    if errors:
        print(f"error: {len(errors)} problem(s) in the fleet's stacks (nothing was written):", file=stderr)
        for error in errors:
            print(f"  {error}", file=stderr)
        return EXIT_INVALID
    objects = [*workspace_access(fleet), *(stack_resource(fleet, c) for c in fleet.clusters)]
    problems = [f"{o['kind']} {o['metadata']['name']}: {v}" for o in objects for v in validate_rendered(o)]
    if problems:
        print(f"error: {len(problems)} rendered object(s) break their schema (nothing was written):", file=stderr)
        for problem in problems:
            print(f"  {problem}", file=stderr)
        return EXIT_INVALID
    out.mkdir(parents=True, exist_ok=True)
    for path in earlier:
        path.unlink()
    if earlier:
        print(f"replaced the {len(earlier)} file(s) an earlier render wrote in {out}", file=stdout)
    for index, body in enumerate(objects):
        name = f"{index:04d}-{body['kind'].lower()}-{body['metadata']['name'].replace(':', '-')}.yaml"
        (out / name).write_text(yaml.safe_dump(body, sort_keys=False), encoding="utf-8")
    print(f"wrote {len(objects)} objects to {out} (apply with `oc apply -f {out}` or from Argo CD)", file=stdout)
    if stacks is not None:
        stacks.mkdir(parents=True, exist_ok=True)
        for cluster in fleet.clusters:
            body, commands = stack_file(fleet, cluster)
            header = "".join(f"# {line}\n" for line in ["Rendered by `python -m fleet render`; secrets:", *commands])
            (stacks / f"Pulumi.{cluster.name}.yaml").write_text(
                header + yaml.safe_dump(body, sort_keys=False), encoding="utf-8"
            )
        print(f"wrote {len(fleet.clusters)} stack files to {stacks}; set their secrets with the commands in each",
              file=stdout)  # fmt: skip
    return EXIT_OK


# What `render` names its files: `0007-stack-prod-us-east-1.yaml`.
RENDERED = re.compile(r"[0-9]{4}-[a-z]+-[a-z0-9.-]+\.yaml")


def rendered_earlier(out: Path) -> list[Path] | None:
    """The files an earlier render wrote in ``out`` (empty: a new or empty directory); None when it holds
    anything else, which is never replaced."""
    if not out.exists():
        return []
    if not out.is_dir():
        return None
    found = list(out.iterdir())
    return found if all(p.is_file() and RENDERED.fullmatch(p.name) for p in found) else None


def main(argv: Sequence[str] | None = None, stdout: IO[str] = sys.stdout, stderr: IO[str] = sys.stderr) -> int:
    options = parser().parse_args(argv)
    fleet, problems = load(options.fleet)
    if problems and fleet is not None:
        # The file's own problems (a cluster's name, say) hide none of the clusters' stack problems.
        problems += [error for summary in summaries(fleet, stderr, "checking clusters") for error in summary.errors]  # type: ignore[arg-type]
    if problems:
        print(f"error: {options.fleet} has {len(problems)} problem(s):", file=stderr)
        for problem in problems:
            print(f"  {problem}", file=stderr)
        return EXIT_INVALID
    if options.command == "preview":
        return preview(fleet, stdout, stderr)
    if options.command == "verify":
        # lazy: as in `render`
        from fleet.verify import verify_fleet

        source = ("kubeconfigs", options.kubeconfigs) if options.kubeconfigs else ("dumps", options.dumps)
        return verify_fleet(fleet, source, options.concurrency, options.json, stdout, stderr)  # type: ignore[arg-type]
    return render(fleet, options.out, options.stacks, stdout, stderr)


if __name__ == "__main__":
    from offline.__main__ import run

    run(main, brief=False)
