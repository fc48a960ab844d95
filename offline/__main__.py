"""``python -m offline``: preview a stack with no Pulumi CLI, no cloud account and no cluster.

Runs ``__main__.py`` in-process under Pulumi's mock engine with exactly the config the CLI would
pass, then shows what ``pulumi up`` would create or patch and checks every rendered object
against its schema. Exit codes: 0 fine, 2 invalid stack config, 3 an object breaks its schema.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from components.stack_config import StackConfig

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_INVALID_CONFIG = 2
EXIT_SCHEMA_VIOLATION = 3

DESCRIPTION = """\
Preview what `pulumi up` would create or patch for a stack, offline: the program runs under
Pulumi's mock engine with the stack file's config plus the defaults in Pulumi.yaml. Encrypted
(`secure:`) values cannot be decrypted here; they become placeholders marked secret. Every
Kubernetes object is validated: OpenShift resources against the vendored CRDs, core objects
against the Kubernetes schemas, unknown fields included.

exit codes: 0 success, 2 invalid stack config (every problem listed, each naming its key),
3 a rendered object violates its schema.
"""


def parser() -> argparse.ArgumentParser:
    args = argparse.ArgumentParser(
        prog="python -m offline", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    source = args.add_mutually_exclusive_group(required=True)
    source.add_argument("--stack", metavar="NAME", help="preview stacks/Pulumi.NAME.yaml")
    source.add_argument(
        "--config-file",
        metavar="PATH",
        type=Path,
        help="preview any stack file; the stack name comes from its name, Pulumi.<name>.yaml",
    )
    args.add_argument("--json", action="store_true", help="print the plan as JSON (byte-identical across runs)")
    args.add_argument(
        "--out", metavar="DIR", type=Path, help="write one YAML file per Kubernetes object, for `oc apply -f DIR`"
    )
    args.add_argument("--graph", action="store_true", help="print a Mermaid flowchart: resources, what waits on what")
    args.add_argument("--show-secrets", action="store_true", help="reveal secret values (shown as [secret] otherwise)")
    args.add_argument(
        "--openshift", choices=("latest", "4.6"), default="latest", help="schemas to validate against (default: latest)"
    )
    return args


def main(argv: Sequence[str] | None = None, stdout: IO[str] = sys.stdout, stderr: IO[str] = sys.stderr) -> int:
    options = parser().parse_args(argv)
    from components.errors import SettingsError
    from components.settings import load_settings
    from components.stack_config import StackFileError, load_stack_file, stack_path

    path = options.config_file or stack_path(options.stack)
    if not path.is_file():
        print(f"error: no stack file {path}", file=stderr)
        return EXIT_INVALID_CONFIG
    try:
        stack_config = load_stack_file(path)
    except StackFileError as error:
        print(f"error: the stack file has {len(error.problems)} problem(s):", file=stderr)
        for problem in error.problems:
            print(f"  {problem.located(path)}", file=stderr)
        return EXIT_INVALID_CONFIG
    except (ValueError, OSError) as error:
        print(f"error: {path}: {error}", file=stderr)
        return EXIT_INVALID_CONFIG
    try:
        # The same check the program makes first; done here too so bad config is exit 2, not a crash.
        load_settings(
            stack_config.config, stack_config.secret_keys, project=stack_config.project, stack=stack_config.stack
        )
    except SettingsError as error:
        print(f"error: stack {stack_config.stack} has {len(error.problems)} problem(s):", file=stderr)
        for problem in error.problems:
            print(f"  {problem}", file=stderr)
        return EXIT_INVALID_CONFIG
    return preview(stack_config, options, stdout, stderr)


def preview(stack_config: StackConfig, options: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    """Evaluate valid config and show it in the views ``options`` asks for; validate what is rendered."""
    from offline.engine import evaluate
    from offline.graph import mermaid
    from offline.manifests import manifests, write
    from offline.plan import plan_of
    from offline.validation import validate

    evaluation = evaluate(stack_config)
    plan = plan_of(evaluation, show_secrets=options.show_secrets)
    objects = manifests(plan)
    if options.json:
        stdout.write(json.dumps(plan.as_json(), indent=2) + "\n")
    elif options.graph:
        stdout.write(mermaid(plan))
    elif options.out is None:
        from offline.table import print_table  # rich only for the table

        print_table(plan, stdout)
    if options.out is not None:
        for written in write(objects, options.out):
            print(f"wrote {written}", file=stderr if options.json or options.graph else stdout)
    if options.json or options.graph:
        for warning in plan.warnings:
            print(f"warning: {warning}", file=stderr)
    violations = validate(objects, options.openshift)
    if violations:
        print(f"error: {len(violations)} schema violation(s) (OpenShift {options.openshift}):", file=stderr)
        for violation in violations:
            print(f"  {violation}", file=stderr)
        return EXIT_SCHEMA_VIOLATION
    return EXIT_OK


def run() -> None:
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # The mock engine can leave an event loop that complains while the interpreter shuts down;
    # everything is written by now, so leave without that noise.
    os._exit(code)


if __name__ == "__main__":
    run()
