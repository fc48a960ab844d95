"""A storage kind lives in its folder: outside ``components/storage/<kind>/`` (and its tests and the docs), at
most two Python files name it: the list of kinds, and the policy pack, which the Pulumi CLI runs alone (it
cannot import a row). What "naming a kind" means here: code, not prose (comments and docstrings are free to
explain): its field as a string (``"swift"``, ``"storage.swift..."``), its settings class, its folder as a
module, its operator keys (``REGISTRY_STORAGE_SWIFT_...``), or its name inside an identifier (``swift_``).

Where a kind is also a platform (``azure``), its name in a list of platforms is the platform's."""

from __future__ import annotations

import ast
import re
import subprocess
from pathlib import Path

import pytest

from components.storage.kind import StorageKind
from components.storage.kinds import KINDS, PLATFORMS

ROOT = Path(__file__).resolve().parents[2]
LIST = "components/storage/kinds.py"
PACK = ("policy/checks.py", "policy/catalog.py")
# Files that still name a kind outside its folder, each with why: the list may only shrink.
KNOWN: dict[str, dict[str, str]] = {
    "s3": {"components/storage/ibmcos/probe.py": "the registry reaches IBM COS through S3: its probe is S3's"},
    "azure": {"components/cluster/shapes.py": "the Infrastructure's platformStatus.azure: the platform, not the kind"},
}


def _files() -> list[str]:
    listed = subprocess.run(["git", "ls-files", "*.py"], cwd=ROOT, capture_output=True, text=True, check=True)
    return [name for name in listed.stdout.split() if not name.startswith("tests/")]


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list):
            for statement in body:
                if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
                    found.add(id(statement.value))
    return found


def _platform_lists(tree: ast.AST) -> set[int]:
    """String constants in a tuple or list that holds two platforms or more: platforms, not kinds."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Tuple | ast.List):
            strings = [e for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
            if sum(e.value in PLATFORMS for e in strings) >= 2:
                found |= {id(e) for e in strings}
    return found


def names_kind(source: str, kind: StorageKind) -> bool:
    tree = ast.parse(source)
    skip = _docstrings(tree) | _platform_lists(tree)
    folder = kind.package.rsplit(".", 1)[1]
    word = re.compile(rf"(^|_){re.escape(kind.python_name)}(_|$)", re.IGNORECASE)
    text = re.compile(
        rf"^{re.escape(kind.field)}$|^storage\.{re.escape(kind.field)}\b|REGISTRY_STORAGE_{folder.upper()}_"
    )
    settings = kind.model.__name__
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            if text.search(node.value):
                return True
        elif isinstance(node, ast.Name | ast.Attribute | ast.FunctionDef | ast.ClassDef | ast.arg):
            name = getattr(node, "id", None) or getattr(node, "attr", None) or getattr(node, "name", None) or node.arg
            if name == settings or word.search(str(name)):
                return True
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(kind.package):
            return True
    return False


def naming_files(kind: StorageKind) -> set[str]:
    folder = kind.package.replace(".", "/") + "/"
    return {
        name
        for name in _files()
        if not name.startswith(folder) and names_kind((ROOT / name).read_text(encoding="utf-8"), kind)
    }


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.field)
def test_a_kind_is_named_outside_its_folder_only_by_the_list_and_the_pack(kind: StorageKind) -> None:
    outside = naming_files(kind) - {LIST} - set(KNOWN.get(kind.field, {}))
    pack = outside & set(PACK)
    assert len(outside - pack) + bool(pack) <= 2 and outside - pack <= {LIST}, sorted(outside)


def test_the_measure_sees_a_kind_in_code_and_not_in_prose() -> None:
    swift = next(kind for kind in KINDS if kind.field == "swift")
    assert names_kind('if kind == "swift":\n    pass\n', swift)
    assert names_kind("from components.storage.swift.row import ROW\n", swift)
    assert names_kind("def swift_mode() -> None: ...\n", swift)
    assert not names_kind('"""Swift and its container."""\n# swift\nx = 1\n', swift)
    azure = next(kind for kind in KINDS if kind.field == "azure")
    assert not names_kind('PLATFORMS = ("aws", "azure", "gcp")\n', azure)


@pytest.mark.parametrize("field", sorted(KNOWN))
def test_every_known_exception_still_holds(field: str) -> None:
    """An exception that no longer names its kind is taken off the list, so the list only shrinks."""
    kind = next(kind for kind in KINDS if kind.field == field)
    assert set(KNOWN[field]) <= naming_files(kind)
