"""Every damaged cluster dump ends in exit 2 and a message naming file, object and field, in every
command that reads dumps (``offline --cluster``, ``adopt --cluster``, ``verify --cluster``): never a
traceback, never "could not run: AttributeError".

``tests/bad_dumps/`` holds one damaged object per file: its first line says what the error must say,
its second which file of a healthy dump (``tests/clusters/adopt-s3``) it replaces. Generated damage
(hypothesis) covers what the corpus does not.
"""

from __future__ import annotations

import copy
import io
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.generated import JSON_VALUES, ODD_TEXT, _delete, _paths, _set

HERE = Path(__file__).resolve().parents[1]
HEALTHY = HERE / "clusters" / "adopt-s3"
CORPUS = sorted((HERE / "bad_dumps").glob("*.yaml"))
LEAKS = ("Traceback", "AttributeError", "KeyError", "TypeError", "NoneType", "<class ")

Main = Callable[[list[str], IO[str], IO[str]], int]


def commands(directory: Path, out: Path) -> dict[str, tuple[Main, list[str]]]:
    from adopt.__main__ import main as adopt
    from offline.__main__ import main as offline
    from verify.__main__ import main as verify

    written = str(out / "Pulumi.adopted.yaml")
    return {
        "offline": (offline, ["--stack", "aws-prod", "--cluster", str(directory), "--quiet"]),
        "adopt": (adopt, ["--cluster", str(directory), "--stack", "adopted", "--out", written]),
        "verify": (verify, ["--stack", "aws-prod", "--cluster", str(directory), "--json"]),
    }


def run(main: Main, argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, out, err)
    return code, out.getvalue(), err.getvalue()


def dump_with(bad: Path, tmp_path: Path) -> Path:
    lines = bad.read_text(encoding="utf-8").splitlines()
    replaces = lines[1].removeprefix("# replaces: ")
    directory = tmp_path / "dump"
    shutil.copytree(HEALTHY, directory)
    (directory / replaces).unlink()
    shutil.copy(bad, directory / bad.name)
    return directory


def test_the_corpus_is_there() -> None:
    assert len(CORPUS) >= 20


@pytest.mark.parametrize("bad", CORPUS, ids=lambda p: p.stem)
@pytest.mark.parametrize("command", ["offline", "adopt", "verify"])
def test_each_damaged_dump_is_refused_naming_file_and_field(bad: Path, command: str, tmp_path: Path) -> None:
    directory = dump_with(bad, tmp_path)
    main, argv = commands(directory, tmp_path)[command]
    code, out, err = run(main, argv)
    expect = bad.read_text(encoding="utf-8").splitlines()[0].removeprefix("# expect: ")
    assert code == 2, (code, out, err)
    assert expect in err and bad.name in err, err
    assert not any(leak in err + out for leak in LEAKS), err
    assert not (tmp_path / "Pulumi.adopted.yaml").exists(), "nothing is written"


def test_an_empty_file_is_named_not_skipped_silently(tmp_path: Path) -> None:
    directory = tmp_path / "dump"
    shutil.copytree(HEALTHY, directory)
    (directory / "trusted-cas.yaml").write_text("", encoding="utf-8")
    from offline.__main__ import main

    _, _, err = run(main, ["--stack", "aws-prod", "--cluster", str(directory), "--quiet"])
    assert f"note: {directory / 'trusted-cas.yaml'}: empty, skipped" in err


def test_two_files_with_one_object_name_both(tmp_path: Path) -> None:
    directory = tmp_path / "dump"
    shutil.copytree(HEALTHY, directory)
    shutil.copy(directory / "config.yaml", directory / "config-again.yaml")
    from offline.__main__ import main

    code, _, err = run(main, ["--stack", "aws-prod", "--cluster", str(directory), "--quiet"])
    assert code == 2
    assert f"{directory / 'config.yaml'}: Config cluster: is in {directory / 'config-again.yaml'} too" in err or (
        f"{directory / 'config-again.yaml'}" in err and f"{directory / 'config.yaml'}" in err
    ), err


def test_adopting_a_block_the_operator_has_not_filled_is_refused_with_why(tmp_path: Path) -> None:
    """An S3 block without a bucket (the operator has not made one yet) ended in KeyError in import mode."""
    directory = tmp_path / "dump"
    shutil.copytree(HEALTHY, directory)
    config = yaml.safe_load((directory / "config.yaml").read_text(encoding="utf-8"))
    del config["spec"]["storage"]["s3"]["bucket"]
    (directory / "config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    from adopt.__main__ import main

    for mode in ("reference", "import"):
        argv = ["--cluster", str(directory), "--stack", "x", "--out", str(tmp_path / "x.yaml"), "--mode", mode]
        code, _, err = run(main, argv)
        assert code == 2 and "the Config's storage.s3 names no bucket" in err, err


def _healthy() -> dict[str, Any]:
    return {p.name: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(HEALTHY.glob("*.yaml"))}


@st.composite
def damaged_dumps(draw: st.DrawFn) -> dict[str, Any]:
    """The healthy dump with one to three objects damaged: a value retyped, deleted or made odd."""
    files = copy.deepcopy(_healthy())
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        name = draw(st.sampled_from(sorted(files)))
        body = files[name]
        paths = _paths(body)
        if not paths:
            continue
        path = draw(st.sampled_from(paths))
        damage = draw(st.sampled_from(["retype", "delete", "odd"]))
        if damage == "retype":
            _set(body, path, draw(JSON_VALUES))
        elif damage == "delete":
            _delete(body, path)
        else:
            _set(body, path, draw(ODD_TEXT))
    return files


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files=damaged_dumps(), command=st.sampled_from(["offline", "adopt", "verify"]))
def test_generated_damage_never_ends_in_a_traceback(files: dict[str, Any], command: str) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        directory = Path(scratch) / "dump"
        directory.mkdir()
        for name, body in files.items():
            (directory / name).write_text(yaml.safe_dump(body), encoding="utf-8")
        main, argv = commands(directory, Path(scratch))[command]
        code, _, err = run(main, argv)  # any exception fails the test: that is the point
        assert code in (0, 1, 2, 3, 4), (code, err)
        assert not any(leak in err for leak in LEAKS), err
