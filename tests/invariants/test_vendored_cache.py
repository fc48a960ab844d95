"""The parse of a vendored YAML file is kept per machine (components/vendored.py), and never trusted over
the file: an edited file, a broken cache or one that cannot be written only means parsing again."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from components import crd, vendored

CRD = Path(crd.SCHEMA_DIR) / "latest" / "configs.crd.yaml"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv(vendored.NO_CACHE, raising=False)
    return tmp_path / "cache" / "openshift-registry"


def _parses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the YAML parses from now on."""
    count: list[int] = []
    real = yaml.load

    def counting(*args, **kwargs):
        count.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(vendored.yaml, "load", counting)
    return count


def test_a_file_is_parsed_once_then_read_from_the_cache(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parses = _parses(monkeypatch)
    first = vendored.vendored_yaml(CRD)
    second = vendored.vendored_yaml(CRD)
    assert len(parses) == 1
    assert first == second == yaml.load(CRD.read_bytes(), Loader=yaml.CSafeLoader)
    assert [path.name.split(".cpython")[0] for path in cache.iterdir()] == ["latest-configs.crd.yaml"]


def test_the_strict_schemas_are_the_same_from_the_cache(cache: Path) -> None:
    fresh = crd.strict_schema.__wrapped__(CRD)
    assert list(cache.iterdir())
    assert crd.strict_schema.__wrapped__(CRD) == fresh
    assert fresh["properties"]["spec"]["additionalProperties"] is False


def test_an_edited_file_is_parsed_again_and_its_old_cache_dropped(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "latest" / "configs.crd.yaml"
    source.parent.mkdir()
    source.write_text("spec: {a: 1}\n")
    assert vendored.vendored_yaml(source) == {"spec": {"a": 1}}
    source.write_text("spec: {a: 2}\n")
    parses = _parses(monkeypatch)
    assert vendored.vendored_yaml(source) == {"spec": {"a": 2}}
    assert len(parses) == 1
    assert len(list(cache.iterdir())) == 1


def test_files_of_the_same_name_in_two_folders_keep_their_own_caches(cache: Path, monkeypatch) -> None:
    older = Path(crd.SCHEMA_DIR) / "4.6" / "configs.crd.yaml"
    vendored.vendored_yaml(CRD)
    vendored.vendored_yaml(older)
    parses = _parses(monkeypatch)
    assert vendored.vendored_yaml(CRD) != vendored.vendored_yaml(older)
    assert parses == []


def test_a_broken_cache_is_parsed_over_and_mended(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = vendored.vendored_yaml(CRD)
    (kept,) = cache.iterdir()
    kept.write_bytes(kept.read_bytes()[:100])
    parses = _parses(monkeypatch)
    assert vendored.vendored_yaml(CRD) == expected
    assert vendored.vendored_yaml(CRD) == expected
    assert len(parses) == 1


def test_a_cache_that_cannot_be_written_leaves_nothing_behind(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> None:
        raise PermissionError("read-only file system")

    monkeypatch.setattr(vendored.os, "replace", refuse)
    assert vendored.vendored_yaml(CRD)["kind"] == "CustomResourceDefinition"
    assert list(cache.iterdir()) == []


def test_no_cache_when_the_user_says_so_or_has_no_home(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(vendored.NO_CACHE, "1")
    vendored.vendored_yaml(CRD)
    assert not cache.exists()
    monkeypatch.delenv(vendored.NO_CACHE)
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # the XDG spec: a relative path is ignored...
    monkeypatch.setattr(vendored.os.path, "expanduser", lambda path: path)  # ...and "~" cannot be expanded
    assert vendored.cache_dir() is None
    assert vendored.vendored_yaml(CRD)["kind"] == "CustomResourceDefinition"
    assert not Path("relative").exists() and not Path("~").exists()


def test_a_value_marshal_cannot_hold_is_parsed_each_time(cache: Path, tmp_path: Path) -> None:
    source = tmp_path / "dated.yaml"
    source.write_text("when: 2026-12-03\n")
    assert str(vendored.vendored_yaml(source)["when"]) == "2026-12-03"
    assert not cache.exists() or not list(cache.iterdir())


def test_the_cache_is_private_to_its_user(cache: Path) -> None:
    vendored.vendored_yaml(CRD)
    (kept,) = cache.iterdir()
    assert os.stat(kept).st_mode & 0o077 == 0


def test_what_other_code_made_from_the_same_bytes_is_never_read(cache: Path) -> None:
    """A program that cuts or parses differently (a new version) makes its own, from the same file."""
    calls: list[str] = []

    def first() -> dict[str, int]:
        calls.append("first")
        return {"made": 1}

    def second() -> dict[str, int]:
        calls.append("second")
        return {"made": 2}

    assert vendored.kept("thing", b"bytes", first) == {"made": 1}
    assert vendored.kept("thing", b"bytes", first) == {"made": 1}
    assert vendored.kept("thing", b"bytes", second) == {"made": 2}
    assert calls == ["first", "second"]
