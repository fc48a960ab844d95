"""The settings reference (docs/settings.md) and the settings models cannot drift apart: every setting a
model has is documented in its section, and every setting a table documents exists. The models are the
truth (pydantic, ``components/settings`` and each kind's folder); a setting cannot exist without its
documentation or the other way round."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import BaseModel

from components.settings.access import MetricsSettings, RoleBindingSettings
from components.settings.pruner import PrunerSettings
from components.settings.registry import RegistrySettings
from components.settings.secrets import SECRET_KEYS
from components.settings.stack import RESERVED, StackSettings
from components.storage.kinds import KINDS

DOC = (Path(__file__).resolve().parents[2] / "docs" / "settings.md").read_text(encoding="utf-8")


def sections(text: str) -> dict[str, str]:
    """``## `registry`: ...`` -> its text; the part before the first section under ``""``."""
    parts = re.split(r"^## ", text, flags=re.M)
    found = {"": parts[0]}
    for part in parts[1:]:
        title, _, body = part.partition("\n")
        name = re.match(r"`([^`]+)`", title)
        found[name.group(1) if name else title.strip()] = body
    return found


def table_keys(section: str) -> set[str]:
    """The backticked names in the first column of the section's tables whose header names a field or key."""
    keys: set[str] = set()
    in_table = False
    for line in section.splitlines():
        if re.match(r"\|\s*(field|key)\s*\|", line):
            in_table = True
            continue
        if not line.startswith("|"):
            in_table = False
            continue
        if in_table and not line.startswith("| ---"):
            keys |= set(re.findall(r"`([^`]+)`", line.split("|")[1]))
    return keys


def aliases(model: type[BaseModel]) -> set[str]:
    return {info.alias or name for name, info in model.model_fields.items()}


SECTIONS = sections(DOC)
DOCUMENTED = {
    "registry": RegistrySettings,
    "pruner": PrunerSettings,
    "metrics": MetricsSettings,
    "roles": RoleBindingSettings,
    **{f"storage.{kind.field}": kind.model for kind in KINDS},
}


def test_the_top_level_table_lists_exactly_the_stack_keys_and_the_secret_keys() -> None:
    keys = (aliases(StackSettings) - set(RESERVED)) | set(SECRET_KEYS)
    assert table_keys(SECTIONS[""]) == keys


@pytest.mark.parametrize("name", sorted(DOCUMENTED))
def test_every_field_of_a_model_is_in_its_section_and_every_documented_field_exists(name: str) -> None:
    assert name in SECTIONS, f"docs/settings.md has no section `{name}`"
    section, fields = SECTIONS[name], aliases(DOCUMENTED[name])
    mentioned = {word for span in re.findall(r"`([^`]+)`", section) for word in re.findall(r"[A-Za-z]\w*", span)}
    assert fields - mentioned == set(), "settings without documentation"
    assert table_keys(section) - fields == set(), "documented settings no model has"


def test_the_check_sees_an_undocumented_and_an_invented_setting() -> None:
    doc = sections("| key |\n| --- |\n| `platform` | x |\n\n## `registry`: x\n\n| field |\n| --- |\n| `bogus` | y |\n")
    assert table_keys(doc[""]) == {"platform"}
    assert table_keys(doc["registry"]) - aliases(RegistrySettings) == {"bogus"}
    assert aliases(RegistrySettings) - set(re.findall(r"`([^`]+)`", doc["registry"]))


def test_every_file_the_docs_name_exists() -> None:
    """A path in the docs (``tests/...py``, ``components/...py``) names a file of the tree, so moving a file
    moves its mentions too."""
    root = Path(__file__).resolve().parents[2]
    texts = [root / "README.md", *sorted((root / "docs").glob("*.md"))]
    named = {
        m
        for text in texts
        for m in re.findall(
            r"`((?:tests|components|offline|verify|fleet|adopt|policy|bench)/[\w/.-]+\.(?:py|md|json|yaml))`",
            text.read_text(encoding="utf-8"),
        )
    }
    assert named and {name for name in named if not (root / name).exists()} == set()
