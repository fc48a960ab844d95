"""``python -m adopt --cluster DIR --stack NAME``: a stack file for a registry configured by hand.

Reads ``oc get -o yaml`` dumps (docs/cluster.md: "Adopting a registry configured by hand"), writes
``stacks/Pulumi.NAME.yaml`` with the settings that reproduce the registry and ``import`` entries
for what exists already, checks it against the same dump as ``python -m offline --cluster`` does,
and prints the ``pulumi config set --secret`` commands that copy the secrets (never written to
the file). Exit codes: 0 written, 2 the dump cannot be adopted or the stack would be refused.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO

import yaml

from adopt.translate import adopt
from components import command_kit as kit
from components.adoption import Adoption, AdoptionError
from components.cluster.readers import ClusterReadError, read_dump
from components.errors import Finding, SettingsError
from components.exits import EXIT_INVALID as EXIT_REFUSED
from components.exits import EXIT_OK
from components.names import NAMESPACE, SECURE_PLACEHOLDER
from components.stack_config import PROJECT_ROOT, StackConfig, stack_path


def parser() -> argparse.ArgumentParser:
    args = argparse.ArgumentParser(prog="python -m adopt", description=__doc__.splitlines()[0])
    args.add_argument("--cluster", metavar="DIR", type=Path, required=True, help="the `oc get -o yaml` dumps")
    args.add_argument("--stack", metavar="NAME", required=True, help="writes stacks/Pulumi.NAME.yaml")
    args.add_argument(
        "--mode",
        choices=("reference", "import"),
        default="reference",
        help="reference (default): name the storage and leave it as it is; import: take it over and harden it",
    )
    args.add_argument("--resource-group", help="Azure: the storage account's resource group (default: the cluster's)")
    args.add_argument("--subscription", help="Azure, with --mode import: the account's subscription id")
    args.add_argument("--location", help="Azure, with --mode import: the account's region")
    args.add_argument("--out", type=Path, help="write there instead of stacks/Pulumi.NAME.yaml")
    args.add_argument("--force", action="store_true", help="replace an existing stack file")
    return args


def main(argv: Sequence[str] | None = None, stdout: IO[str] = sys.stdout, stderr: IO[str] = sys.stderr) -> int:

    options = parser().parse_args(argv)
    out = options.out or stack_path(options.stack, PROJECT_ROOT)
    if out.exists() and not options.force:
        print(f"error: {out} exists; give --force to replace it, or another --stack", file=stderr)
        return EXIT_REFUSED
    try:
        state = read_dump(options.cluster)
        for note in state.notes:
            print(f"note: {note}", file=stderr)
        adoption = adopt(
            state,
            mode=options.mode,
            resource_group=options.resource_group,
            subscription=options.subscription,
            location=options.location,
        )
    except (ClusterReadError, AdoptionError) as error:
        print(f"error: {error}", file=stderr)
        return EXIT_REFUSED
    problems = check(adoption, options.stack, state)
    if problems:
        print(
            f"error: the adopted stack would be refused ({len(problems)} problem(s)); nothing was written:", file=stderr
        )
        for problem in problems:
            print(f"  {problem}", file=stderr)
        return EXIT_REFUSED
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(adoption, options.cluster, options.mode), encoding="utf-8")
    print(f"wrote {out} ({adoption.chose})", file=stdout)
    for line in next_steps(adoption, out, options.stack, options.cluster):
        print(line, file=stdout)
    return EXIT_OK


def next_steps(adoption: object, out: Path, stack: str, cluster: Path) -> list[str]:
    """What to run next, each command as it works: the CLI reads stack files from stacks/ only, and
    `pulumi config set` writes there, so a file written elsewhere is moved first."""

    assert isinstance(adoption, Adoption)
    home = stack_path(stack, PROJECT_ROOT)
    steps = ["", "Next:"]
    if out.resolve() != home.resolve():
        steps.append(f"  mv {out} {home}    # the Pulumi CLI reads stack files from stacks/ only")
    steps.append(f"  pulumi stack select --create {stack}")
    if adoption.commands:
        steps.append("  # copy the secrets into the stack (values go from the cluster straight to Pulumi):")
        steps += [f"  {command}" for command in adoption.commands]
    if adoption.asks:
        steps.append("  # set what a dump cannot show:")
        steps += [f"  {command}" for command in adoption.asks]
    steps.append(f"  python -m offline --stack {stack} --cluster {cluster}    # review")
    steps.append("  pulumi up")
    if f"{NAMESPACE}:import" in adoption.config:
        steps.append("Then remove the `import` entries from the stack file: the next `pulumi up` sets what they left.")
    return steps


def check(adoption: object, stack: str, state: object) -> list[str]:
    """The stack as the program will see it once the commands ran (secrets as placeholders)."""

    assert isinstance(adoption, Adoption)
    config = {key: value if isinstance(value, str) else json.dumps(value) for key, value in adoption.config.items()}
    secrets = []
    for secret in adoption.secrets:
        key = f"openshift-registry:{secret.split('.', 1)[0]}"
        if secret.startswith("routeTls."):
            routes = json.loads(config.get(key, "{}"))
            routes[secret.split(".", 1)[1]] = {"certificate": SECURE_PLACEHOLDER, "key": SECURE_PLACEHOLDER}
            config[key] = json.dumps(routes)
        else:
            config[key] = SECURE_PLACEHOLDER
        secrets.append(key)
    try:
        kit.checked_settings(StackConfig("openshift-registry", stack, config, secrets), state)  # type: ignore[arg-type]
        problems: list[Finding] = []
    except SettingsError as error:
        problems = error.problems
    return [str(problem) for problem in problems]


class _Dumper(yaml.SafeDumper):
    """Multi-line strings (PEM bundles) as literal blocks, as a person would write them."""


_Dumper.add_representer(
    str,
    lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None),
)


def render(adoption: object, cluster: Path, mode: str) -> str:

    assert isinstance(adoption, Adoption)
    lines = [
        f"# Adopted from the cluster dump in {cluster} by `python -m adopt` on {datetime.date.today().isoformat()}.",
        f"# Mode {adoption.chose}.",
    ]
    if adoption.commands:
        lines.append("# Secrets are not in this file; these commands copy them from the cluster into the stack:")
        lines += [f"#   {command}" for command in adoption.commands]
    if f"{NAMESPACE}:import" in adoption.config:
        lines.append(
            "# After the first `pulumi up`, remove the import entries: the next one sets what they left as it was."
        )
    body = yaml.dump({"config": adoption.config}, Dumper=_Dumper, sort_keys=False, default_flow_style=False, width=100)
    notes = []
    if adoption.remarks:
        notes += ["", "# Carried over, to know:", *(f"#   - {remark}" for remark in adoption.remarks)]
    if adoption.notes:
        notes += ["", "# Not carried over, and why:", *(f"#   - {note}" for note in adoption.notes)]
    return "\n".join(lines) + "\n" + body + "\n".join(notes) + ("\n" if notes else "")


if __name__ == "__main__":
    from offline.__main__ import run

    run(main)
