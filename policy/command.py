"""``python -m policy --stack NAME``: the pack over one stack's offline plan, as ``python -m offline --policy``."""

from __future__ import annotations

import argparse
import sys

from offline.__main__ import main as offline_main


def main(argv: list[str] | None = None) -> int:
    """``python -m policy``: the pack over one stack's offline plan."""
    parser = argparse.ArgumentParser(prog="python -m policy", description=main.__doc__)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--stack", metavar="NAME")
    source.add_argument("--config-file", metavar="PATH")
    parser.add_argument("--policy-pack-config", metavar="FILE", help="e.g. policy/policy-config.json")
    options = parser.parse_args(argv)
    forwarded = ["--stack", options.stack] if options.stack else ["--config-file", options.config_file]
    if options.policy_pack_config:
        forwarded += ["--policy-pack-config", options.policy_pack_config]
    return offline_main([*forwarded, "--policy", "--quiet"], sys.stdout, sys.stderr)
