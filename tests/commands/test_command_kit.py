"""One command kit (components/command_kit.py): every command reads a stack file, checks settings against the
cluster and refuses bad input the same way, with the exit codes of components/exits.py."""

from __future__ import annotations

import ast
import io
import subprocess
from pathlib import Path

import pytest

from adopt.__main__ import main as adopt_main
from components.exits import EXIT_INVALID
from offline.__main__ import main as offline_main
from verify.__main__ import main as verify_main

ROOT = Path(__file__).resolve().parents[2]
BAD = sorted((ROOT / "tests" / "bad_stacks").glob("*.yaml"))[:6]


def test_exit_codes_are_defined_in_one_place() -> None:
    listed = subprocess.run(["git", "ls-files", "*.py"], cwd=ROOT, capture_output=True, text=True, check=True)
    defined = []
    for name in listed.stdout.split():
        if name.startswith("tests/") or name == "components/exits.py":
            continue
        for node in ast.walk(ast.parse((ROOT / name).read_text(encoding="utf-8"))):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
                defined += [
                    f"{name}:{t.id}" for t in node.targets if isinstance(t, ast.Name) and t.id.startswith("EXIT_")
                ]
    assert defined == []


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.name)
def test_offline_and_verify_refuse_a_bad_stack_file_alike(path: Path) -> None:
    """The same problems, the same words, the same exit code, whichever command read the file."""
    said = []
    for main in (offline_main, verify_main):
        stderr = io.StringIO()
        dump = ROOT / "tests" / "clusters" / "aws-stale-fields"
        assert main(["--config-file", str(path), "--cluster", str(dump)], io.StringIO(), stderr) == EXIT_INVALID
        said.append([line for line in stderr.getvalue().splitlines() if line.startswith(("error", "  "))])
    assert said[0] == said[1] and said[0]


def test_a_missing_stack_is_refused_alike_with_the_nearest_name() -> None:
    for main in (offline_main, verify_main):
        stderr = io.StringIO()
        assert main(["--stack", "aws-prd"], io.StringIO(), stderr) == EXIT_INVALID
        assert "aws-prod" in stderr.getvalue()
    stderr = io.StringIO()
    arguments = ["--cluster", str(ROOT / "no-such-dump"), "--stack", "x", "--out", "/dev/null/x"]
    assert adopt_main(arguments, io.StringIO(), stderr) == EXIT_INVALID


def test_each_probe_is_told_as_it_starts_and_a_terminal_shows_it() -> None:
    """verify over many probes shows which it is at (a spinner on a terminal, nothing when piped)."""
    from components.checks import PROBING, passed, probe_all
    from offline.progress import status

    seen: list[tuple[str, str]] = []
    token = PROBING.set(lambda area, name: seen.append((area, name)))
    try:
        probe_all(
            "registry access",
            [("one", lambda: passed("registry access", "one")), ("two", lambda: passed("registry access", "two"))],
        )
    finally:
        PROBING.reset(token)
    assert seen == [("registry access", "one"), ("registry access", "two")]

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen, piped = Terminal(), io.StringIO()
    with status(screen, "verifying") as update:
        update("registry access: one")
    with status(piped, "verifying") as update:
        update("registry access: one")
    assert piped.getvalue() == "" and "verifying" in screen.getvalue()
