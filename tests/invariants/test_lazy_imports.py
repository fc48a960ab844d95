"""Every import inside a function says why it is there: a lazy import keeps a command fast or an optional
dependency optional; one that only dodges an import cycle hides a floor the contract (``.importlinter``)
must see, and is not allowed."""

from __future__ import annotations

import ast
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _program_files() -> list[Path]:
    listed = subprocess.run(["git", "ls-files", "*.py"], cwd=ROOT, capture_output=True, text=True, check=True)
    return [ROOT / name for name in listed.stdout.split() if not name.startswith("tests/")]


def unexplained_local_imports(source: str) -> list[int]:
    """Lines of imports inside a function with no ``lazy:`` reason: on the import's own line, or on the comment
    lines right above it or above the run of imports it belongs to."""
    lines = source.splitlines()
    found = []
    for function in ast.walk(ast.parse(source)):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            if "lazy:" in lines[node.lineno - 1].lower():
                continue
            above = node.lineno - 2
            while above >= 0 and lines[above].strip().startswith(("from ", "import ")):
                above -= 1
            comments = []
            while above >= 0 and lines[above].strip().startswith("#"):
                comments.append(lines[above].lower())
                above -= 1
            if not any("lazy:" in comment for comment in comments):
                found.append(node.lineno)
    return found


def test_every_function_local_import_says_why() -> None:
    unexplained = {
        str(path.relative_to(ROOT)): lines
        for path in _program_files()
        if (lines := unexplained_local_imports(path.read_text(encoding="utf-8")))
    }
    assert not unexplained, f"imports inside functions without a `# lazy: why` comment: {unexplained}"


def test_the_rule_sees_an_unexplained_import_and_accepts_a_reason() -> None:
    bare = "def f():\n    import json\n    return json\n"
    explained = "def f():\n    # lazy: only this path needs it\n    import json\n    import csv\n    return json, csv\n"
    same_line = "def f():\n    import json  # lazy: rare path\n    return json\n"
    assert unexplained_local_imports(bare) == [2]
    assert unexplained_local_imports(explained) == []
    assert unexplained_local_imports(same_line) == []
