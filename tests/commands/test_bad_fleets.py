"""Every damaged fleet file is refused by `preview` and `render` alike, naming cluster and key, before
anything is written: a secret given inline never reaches a Stack resource or a stack file.

``tests/bad_fleets/`` holds one change to the example ``fleet.yaml`` per file (a YAML map deep-merged
into it: ``clusters`` by index): its first line says what the error must say.
"""

from __future__ import annotations

import copy
import io
from pathlib import Path
from typing import Any

import pytest
import yaml

from fleet.__main__ import EXIT_INVALID, main

ROOT = Path(__file__).resolve().parents[2]
BASE = yaml.safe_load((ROOT / "fleet.yaml").read_text(encoding="utf-8"))
CORPUS = sorted((Path(__file__).resolve().parents[1] / "bad_fleets").glob("*.yaml"))
PLANTED = ("AKIAPLANTEDKEY", "planted-secret-value", "planted-http-secret", "planted-kubeconfig")


def changed(change: dict[str, Any]) -> dict[str, Any]:
    fleet = copy.deepcopy(BASE)
    for key, value in change.items():
        if key == "clusters" and isinstance(value, dict):
            for index, override in value.items():
                fleet["clusters"][int(index)] = _merge(fleet["clusters"][int(index)], override)
        elif isinstance(value, dict) and isinstance(fleet.get(key), dict):
            fleet[key] = _merge(fleet[key], value)
        else:
            fleet[key] = value
    return fleet


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in override.items():
        out[key] = _merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), out, err), out.getvalue(), err.getvalue()


def test_the_corpus_is_there() -> None:
    assert len(CORPUS) >= 10


@pytest.mark.parametrize("bad", CORPUS, ids=lambda p: p.stem)
@pytest.mark.parametrize("command", ["preview", "render"])
def test_each_bad_fleet_is_refused_before_anything_is_written(bad: Path, command: str, tmp_path: Path) -> None:
    text = bad.read_text(encoding="utf-8")
    expect = text.splitlines()[0].removeprefix("# expect: ")
    path = tmp_path / "fleet.yaml"
    path.write_text(yaml.safe_dump(changed(yaml.safe_load(text) or {})), encoding="utf-8")
    argv = [command, str(path)] + (
        ["--out", str(tmp_path / "out"), "--stacks", str(tmp_path / "stacks")] * (command == "render")
    )
    code, out, err = run(*argv)
    assert code == EXIT_INVALID, (code, out, err)
    assert expect in out + err, out + err
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists() and not (tmp_path / "stacks").exists(), "nothing is written"
    assert not any(value in out + err for value in PLANTED), "a secret is never echoed"


def test_render_replaces_its_own_earlier_output_and_refuses_anything_else(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("render", str(ROOT / "fleet.yaml"), "--out", str(out))[0] == 0
    code, stdout, _ = run("render", str(ROOT / "fleet.yaml"), "--out", str(out))
    assert code == 0 and "replaced the" in stdout
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    code, _, err = run("render", str(ROOT / "fleet.yaml"), "--out", str(out))
    assert code == EXIT_INVALID and "holds files this command did not write" in err and "earlier `fleet render`" in err
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_a_bad_cluster_name_does_not_hide_the_other_clusters_problems(tmp_path: Path) -> None:
    fleet = changed({"clusters": {"0": {"name": "Bad_Name"}, "1": {"settings": {"platform": "mars"}}}})
    path = tmp_path / "fleet.yaml"
    path.write_text(yaml.safe_dump(fleet), encoding="utf-8")
    code, _, err = run("preview", str(path))
    assert code == EXIT_INVALID
    assert "clusters[Bad_Name].name" in err and "clusters[prod-eu-west-4].settings.platform: 'mars'" in err
