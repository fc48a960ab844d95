"""``python -m verify --stack NAME``: does the deployed registry work, and is it as the stack meant?

Three views: the operator's (its conditions; the live Config against the stack), the registry's own
access to its storage with the credentials the registry uses (read from its credential secret in
the cluster, never shown), and the storage as the stack set it, read with the caller's own cloud
credentials. ``--cluster DIR`` takes ``oc get -o yaml`` dumps instead of the live cluster (the
credential secret's values included). Exit 0 only when every check ran and held.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from components import command_kit as kit
from components.checks import PROBING, exit_code
from offline.progress import status
from verify import results
from verify.run import VerifyInputError, verify_stack


def parser() -> argparse.ArgumentParser:
    args = argparse.ArgumentParser(prog="python -m verify", description=__doc__.splitlines()[0])
    source = args.add_mutually_exclusive_group(required=True)
    source.add_argument("--stack", metavar="NAME", help="verify against stacks/Pulumi.NAME.yaml")
    source.add_argument("--config-file", metavar="PATH", type=Path, help="any stack file")
    args.add_argument("--cluster", metavar="DIR", type=Path, help="`oc get -o yaml` dumps instead of the live cluster")
    args.add_argument("--json", action="store_true", help="the results as JSON, for scripts")
    return args


def main(argv: Sequence[str] | None = None, stdout: IO[str] = sys.stdout, stderr: IO[str] = sys.stderr) -> int:

    options = parser().parse_args(argv)
    try:
        stack_config = kit.read_stack(kit.stack_file(options.stack, options.config_file))
        with status(stderr, "verifying") as update:
            reporting = PROBING.set(lambda area, name: update(f"{area}: {name}"))
            try:
                checks = verify_stack(stack_config, options.cluster, stderr)
            finally:
                PROBING.reset(reporting)
    except kit.CommandError as error:
        return kit.refuse(error, stderr)
    except (VerifyInputError, OSError, ValueError) as error:
        return kit.refuse(kit.CommandError([f"error: {error}"]), stderr)
    (results.print_json if options.json else results.print_table)(checks, stdout)
    return exit_code(checks)


if __name__ == "__main__":
    from offline.__main__ import run

    run(main)
