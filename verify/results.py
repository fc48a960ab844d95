"""How verify prints what it found: a table for people, JSON for scripts."""

from __future__ import annotations

import json
import textwrap
from dataclasses import asdict
from typing import IO

from components.checks import Check, exit_code
from offline.progress import wrap_width


def print_table(checks: list[Check], stream: IO[str]) -> None:
    """A line per check, its detail and fix under it: wrapped on a terminal (or at ``COLUMNS``), one line
    each when piped, for scripts."""
    columns = wrap_width(stream)
    for check in checks:
        mark = {"pass": "PASS", "fail": "FAIL", "not run": "----", "n/a": "n/a "}[check.status]
        print(f"{mark}  {check.area}: {check.name}", file=stream)
        for label, text in (("", check.detail), ("fix: ", check.fix)):
            if text:
                wrapped = textwrap.wrap(f"{label}{text}", columns - 6, break_on_hyphens=False) if columns else None
                lines = wrapped or [f"{label}{text}"]
                print("\n".join(f"      {line}" for line in lines), file=stream)
    counts = {s: sum(c.status == s for c in checks) for s in ("pass", "fail", "not run", "n/a")}
    print(
        f"{counts['pass']} passed, {counts['fail']} failed, {counts['not run']} could not run, "
        f"{counts['n/a']} not applicable",
        file=stream,
    )


def print_json(checks: list[Check], stream: IO[str]) -> None:
    stream.write(json.dumps({"checks": [asdict(c) for c in checks], "ok": exit_code(checks) == 0}, indent=2) + "\n")
