"""Every bad stack file ends in exit 2 and a message, never a traceback, never a render.

``tests/bad_stacks/`` holds one file per class of mistake (its first line says what the error
must say); the limits (size, depth, aliases) are generated here, and tested as limits: each
is refused, and a file just inside it is read.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from components import yaml_reader
from offline.__main__ import EXIT_INVALID_CONFIG, main

CORPUS = sorted((Path(__file__).resolve().parents[1] / "bad_stacks").glob("Pulumi.*.yaml"))
# What a message must never show: a Python class or type name, a raw None, a traceback.
LEAKS = re.compile(r"Traceback|instance of|[A-Z][a-z]+Settings\b|\bNoneType\b|\bNone\b|<class |Error:")


def run(path: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["--config-file", str(path), "--quiet"], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def expectation(path: Path) -> str:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# expect: "), f"{path.name}: the first line says what the error must say"
    return first.removeprefix("# expect: ")


def test_the_corpus_is_there() -> None:
    assert len(CORPUS) >= 50


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name[len("Pulumi.") : -len(".yaml")])
def test_each_bad_stack_file_is_refused_with_its_message(path: Path) -> None:
    code, out, err = run(path)
    assert code == EXIT_INVALID_CONFIG, err
    assert out == "", "nothing is rendered"
    assert expectation(path) in err, err
    assert not LEAKS.search(err), err
    assert "MC4CAQAwBQYDK2VwBCIE" not in err and "s3cr3t" not in err and "hunter2" not in err, "never echo a secret"


def _write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / f"Pulumi.{name}.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _refused(path: Path, fragment: str) -> None:
    code, out, err = run(path)
    assert code == EXIT_INVALID_CONFIG and out == "", err
    assert fragment in err and "Traceback" not in err, err


def _read(path: Path) -> None:
    yaml_reader.read_yaml(path)  # raises when refused


def test_an_alias_bomb_is_refused_by_its_expanded_size(tmp_path: Path) -> None:
    """The classic billion laughs in a few hundred bytes: expanding it is never attempted."""
    lines = ["a: &a [" + ",".join(['"lol"'] * 9) + "]"]
    for level, (name, previous) in enumerate(zip("bcdefghi", "abcdefgh", strict=True)):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
        assert level < 8
    bomb = _write(tmp_path, "bomb", "\n".join(lines) + "\n")
    assert bomb.stat().st_size < 600
    _refused(bomb, "expands to more than")


def test_the_alias_count_is_a_limit(tmp_path: Path) -> None:
    anchors = "config:\n  x: &x a\n  y: [" + ", ".join(["*x"] * yaml_reader.MAX_ALIASES) + "]\n"
    _read(_write(tmp_path, "inside", anchors))
    _refused(_write(tmp_path, "over", anchors.replace("*x]", "*x, *x]")), "more than 100 aliases")


def test_a_recursive_alias_is_refused(tmp_path: Path) -> None:
    _refused(_write(tmp_path, "loop", "config: &a\n  x: *a\n"), "refers to a node that contains it")


def test_depth_is_a_limit(tmp_path: Path) -> None:
    def nested(levels: int) -> str:
        return "config:\n  openshift-registry:registry: " + "[" * levels + "]" * levels + "\n"

    _read(_write(tmp_path, "inside", nested(yaml_reader.MAX_DEPTH - 3)))
    _refused(_write(tmp_path, "deep", nested(500)), "nested more than 64 levels")


def test_size_is_a_limit(tmp_path: Path) -> None:
    padding = "# " + "x" * 1000 + "\n"
    count = yaml_reader.MAX_BYTES // len(padding)
    _read(_write(tmp_path, "inside", padding * (count - 1) + "config: {}\n"))
    _refused(_write(tmp_path, "huge", padding * (count + 2) + "config: {}\n"), "a stack file is at most")


def test_text_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    _refused(_write(tmp_path, "latin1", b"config:\n  openshift-registry:platform: caf\xe9\n"), "is not UTF-8 text")


def test_an_unreadable_file_is_refused(tmp_path: Path) -> None:
    directory = tmp_path / "Pulumi.dir.yaml"
    directory.mkdir()
    code, _, err = run(directory)
    assert code == EXIT_INVALID_CONFIG and "Traceback" not in err


@pytest.mark.parametrize(
    ("name", "certificate_damage"),
    [("damaged-extension", "extension"), ("unknown-key-type", "key")],
)
def test_a_damaged_route_certificate_is_a_message(tmp_path: Path, name: str, certificate_damage: str) -> None:
    """cryptography raises ValueError, UnsupportedAlgorithm or InternalError for such input: each
    becomes a message naming routeTls, never a traceback."""
    from tests.certs import damaged_extension_certificate, make, unknown_type_key

    pair = make("registry.example.com")
    certificate = damaged_extension_certificate() if certificate_damage == "extension" else pair.certificate
    key = pair.key if certificate_damage == "extension" else unknown_type_key()
    from components.settings.loader import load_settings

    config = {
        "openshift-registry:platform": "aws",
        "openshift-registry:storage": '{"s3": {"region": "us-east-1"}}',
        "openshift-registry:registry": '{"routes": [{"name": "ext", "hostname": "registry.example.com"}]}',
        "openshift-registry:routeTls": __import__("json").dumps({"ext": {"certificate": certificate, "key": key}}),
    }
    from components.errors import SettingsError

    with pytest.raises(SettingsError) as caught:
        load_settings(config, ["openshift-registry:routeTls"], project="openshift-registry", stack=name)
    (problem,) = [str(p) for p in caught.value.problems]
    assert problem.startswith("openshift-registry:routeTls.ext.")
    assert ("damaged extension" in problem) if certificate_damage == "extension" else ("supported type" in problem)
    assert "PRIVATE KEY" not in problem


@pytest.mark.parametrize("enabled", [True, False])
def test_reading_leaves_the_garbage_collector_as_it_found_it_whatever_the_file(tmp_path: Path, enabled: bool) -> None:
    """The reader pauses cyclic collection while it builds a file's nodes and values (yaml_reader's
    _collector_paused), and gives it back as it was, also when the file is refused midway."""
    import gc

    good, bad = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    good.write_text("config:\n  a: 1\n")
    bad.write_text("config:\n  a: 1\n  a: 2\n")  # refused while constructing: a duplicate key
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        assert yaml_reader.read_yaml(good)[0] == {"config": {"a": 1}}
        assert gc.isenabled() is enabled
        with pytest.raises(yaml_reader.YamlFileError, match="duplicate key"):
            yaml_reader.read_yaml(bad)
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
