"""A remembered answer is the answer (components/remembered.py): the same question to the same checking code
gets it back, anything else is checked again, and every command prints exactly what it printed before."""

from __future__ import annotations

import datetime
import io
import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from components import remembered
from components.remembered import Checker, answered

ROOT = Path(__file__).resolve().parents[2]
STACKS = sorted(p.name[len("Pulumi.") : -len(".yaml")] for p in (ROOT / "stacks").glob("Pulumi.*.yaml"))
BAD_STACKS = sorted((ROOT / "tests" / "bad_stacks").glob("Pulumi.*.yaml"))


def new_process() -> None:
    """The command so far ends (keeping what it found, as ``offline.__main__.run`` does) and a new one starts:
    nothing read yet, no fingerprint made, nothing of a command asked before (what the program keeps for
    the rest of a process: settings, releases, provider versions)."""
    # lazy: only the tests of whole commands need them
    from components.resources import provider_object
    from components.settings import loader
    from offline import validation

    remembered.flush()
    remembered._State.answers.clear()
    remembered._State.fingerprints.clear()
    loader._cached_settings.cache_clear()
    validation.kubernetes_version.cache_clear()
    provider_object._package_version.cache_clear()


@pytest.fixture
def remembering(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("OPENSHIFT_REGISTRY_NO_CACHE", raising=False)
    new_process()
    remembered.remember()
    yield tmp_path / "openshift-registry"
    remembered.remember(False)
    new_process()


CHECKER = Checker("test-checker", ("components.formats",), ("yaml",))


class Counted:
    def __init__(self, answer: object) -> None:
        self.answer, self.calls = answer, 0

    def __call__(self) -> object:
        self.calls += 1
        return self.answer


def test_off_by_default_every_question_is_checked_and_nothing_is_kept(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    work = Counted(["a violation"])
    assert answered(CHECKER, "question", work) == ["a violation"]
    assert answered(CHECKER, "question", work) == ["a violation"]
    assert work.calls == 2 and not (tmp_path / "openshift-registry").exists()


def test_the_same_question_is_answered_from_what_an_earlier_command_kept(remembering: Path) -> None:
    work = Counted([("spec.replicas", "is not an integer")])
    assert answered(CHECKER, {"replicas": "2"}, work) == [("spec.replicas", "is not an integer")]
    new_process()
    again = Counted("never asked")
    assert answered(CHECKER, {"replicas": "2"}, again) == [("spec.replicas", "is not an integer")]
    assert (work.calls, again.calls) == (1, 0)
    assert [p.name for p in remembering.iterdir()] == [f"answers-test-checker.{sys.implementation.cache_tag}-m4"]


@pytest.mark.parametrize("other", [1.0, True, (1,), "1", None], ids=repr)
def test_values_equal_in_python_but_not_in_type_are_different_questions(remembering: Path, other: object) -> None:
    """1 == 1.0 == True in Python, but a schema tells an integer from a number and a boolean (and jsonschema
    a list from a tuple): each is asked of the checker itself."""
    answered(CHECKER, [1], Counted("for the list [1]"))
    answered(CHECKER, 1, Counted("for the integer 1"))
    new_process()
    work = Counted("its own answer")
    assert answered(CHECKER, other, work) == "its own answer" and work.calls == 1


@pytest.mark.parametrize(
    "question",
    [datetime.date(2026, 12, 3), type("Text", (str,), {})("x"), {"nested": [datetime.datetime(2026, 1, 1)]}],
    ids=["a YAML date", "a str subclass", "a date deep inside"],
)
def test_a_question_marshal_cannot_write_exactly_is_always_checked(remembering: Path, question: object) -> None:
    work = Counted("checked")
    answered(CHECKER, question, work)
    new_process()
    answered(CHECKER, question, work)
    assert work.calls == 2 and not remembering.exists()


def test_an_answer_marshal_cannot_write_is_given_but_not_kept(remembering: Path) -> None:
    work = Counted(datetime.date(2026, 12, 3))
    assert answered(CHECKER, "q", work) == datetime.date(2026, 12, 3)
    new_process()
    answered(CHECKER, "q", work)
    assert work.calls == 2


def test_other_checking_code_never_reads_what_this_code_kept(remembering: Path, tmp_path: Path, monkeypatch) -> None:
    """The checker's own modules by their bytes, its packages by their __init__'s size and time."""
    package = tmp_path / "lib" / "checking_library"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("VERSION = 1\n")
    (tmp_path / "lib" / "checking_rules.py").write_text("RULE = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path / "lib"))
    checker = Checker("edited", ("checking_rules",), ("checking_library",))
    answered(checker, "q", Counted("from version 1"))

    new_process()
    (tmp_path / "lib" / "checking_rules.py").write_text("RULE = 2\n")
    assert answered(checker, "q", Counted("from the edited rules")) == "from the edited rules"

    new_process()
    (package / "__init__.py").write_text("VERSION = 22\n")  # another release of the library
    assert answered(checker, "q", Counted("from the upgraded library")) == "from the upgraded library"

    new_process()
    assert answered(checker, "q", Counted("never asked")) == "from the upgraded library"


def test_at_most_limit_answers_are_kept_the_newest(remembering: Path, monkeypatch) -> None:
    monkeypatch.setattr(remembered, "LIMIT", 3)
    for number in range(5):
        answered(CHECKER, number, Counted(f"answer {number}"))
    new_process()
    assert [answered(CHECKER, n, Counted("checked again")) for n in (4, 3, 2, 1)] == [
        "answer 4",
        "answer 3",
        "answer 2",
        "checked again",
    ]


def test_two_commands_at_once_keep_both_their_answers(remembering: Path) -> None:
    """Each merges what the other kept since it read the file, so neither's answers are lost."""
    answered(CHECKER, "asked before", Counted("before"))
    new_process()
    answered(CHECKER, "first command's question", Counted("first"))  # the first command reads the file
    first = dict(remembered._State.new)
    remembered._State.new.clear()
    answered(CHECKER, "second command's question", Counted("second"))  # a second one, at the same time,
    remembered.flush()  # ends first
    remembered._State.new.update(first)
    remembered.flush()  # then the first ends
    new_process()
    questions = ("asked before", "first command's question", "second command's question")
    assert [answered(CHECKER, q, Counted("lost")) for q in questions] == ["before", "first", "second"]


def test_a_command_keeps_its_answers_once_as_it_ends(remembering: Path) -> None:
    answered(CHECKER, "q", Counted("found"))
    assert not remembering.exists()
    remembered.flush()
    assert len(list(remembering.iterdir())) == 1
    remembered.flush()  # nothing new: nothing written again
    assert remembered._State.new == {}


@pytest.mark.parametrize(
    "damage", [b"", b"\x00garbage", b"\xe9\x01\x00\x00\x00"], ids=["empty", "garbage", "not a map"]
)
def test_a_damaged_file_of_answers_means_checking_again(remembering: Path, damage: bytes) -> None:
    answered(CHECKER, "q", Counted("first"))
    remembered.flush()
    next(remembering.iterdir()).write_bytes(damage)
    new_process()
    assert answered(CHECKER, "q", Counted("checked again")) == "checked again"


def test_no_cache_turns_it_off(remembering: Path, monkeypatch) -> None:
    monkeypatch.setenv("OPENSHIFT_REGISTRY_NO_CACHE", "1")
    work = Counted("checked")
    answered(CHECKER, "q", work)
    answered(CHECKER, "q", work)
    assert work.calls == 2 and not remembering.exists()


def _every_command(stacks: list[str], files: list[Path]) -> list[tuple[int, str, str]]:
    # lazy: the in-process command imports the SDK
    from offline.__main__ import main

    found = []
    for argv in [["--stack", s, "--json"] for s in stacks] + [["--config-file", str(f), "--quiet"] for f in files]:
        out, err = io.StringIO(), io.StringIO()
        found.append((main(argv, stdout=out, stderr=err), out.getvalue(), err.getvalue()))
    return found


def test_every_stack_and_every_bad_stack_file_prints_the_same_with_answers_remembered(
    remembering: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The plans of stacks/ and the messages of the whole bad-stack corpus: checked (remembering off), then
    with answers kept, then read back by a new command, which checks nothing: three times the same."""
    remembered.remember(False)
    checked = _every_command(STACKS, BAD_STACKS)
    new_process()
    remembered.remember()
    keeping = _every_command(STACKS, BAD_STACKS)
    new_process()
    kept_files = sorted(p.name for p in remembering.iterdir())
    checked_again: list[str] = []
    monkeypatch.setattr(remembered, "_add", lambda checker, key, answer: checked_again.append(checker.name))
    reading = _every_command(STACKS, BAD_STACKS)
    assert checked == keeping == reading
    assert checked_again == []
    assert {name.split(".")[0] for name in kept_files} >= {
        "answers-crd-violations",
        "answers-kubernetes-violations",
        "answers-kubernetes-releases",
        "answers-cron",
        "answers-pem-certificates",
        "answers-provider-versions",
    }


# A preview in a fresh interpreter, as `python -m offline` runs it: which of the slow checkers it imported.
_PREVIEW = textwrap.dedent(
    """
    import io, json, sys, types
    from offline.__main__ import main
    from components.lean_start import lean_start
    from components.remembered import flush, remember
    lean_start()
    remember()
    out, err = io.StringIO(), io.StringIO()
    code = main(sys.argv[1:], stdout=out, stderr=err)
    flush()
    ran = lambda name: name in sys.modules and type(sys.modules[name]) is types.ModuleType
    slow = ["jsonschema", "croniter", "cryptography", "kubernetes_validate", "opentelemetry.sdk"]
    print(json.dumps({"code": code, "out": out.getvalue(), "err": err.getvalue(),
                      "imported": [name for name in slow if ran(name)]}))
    """
)


def _fresh_preview(cache: Path, *argv: str) -> dict:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    env.pop("OPENSHIFT_REGISTRY_NO_CACHE", None)
    env.pop("TRACEPARENT", None)
    done = subprocess.run(
        [sys.executable, "-c", _PREVIEW, *argv], cwd=ROOT, capture_output=True, text=True, timeout=120, env=env
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.parametrize(
    ("argv", "checkers"),
    [
        (["--stack", "aws-prod", "--json"], ["jsonschema", "croniter", "kubernetes_validate"]),
        (["--stack", "ceph-rgw", "--json"], ["jsonschema", "cryptography", "kubernetes_validate"]),
        (["--config-file", "tests/bad_stacks/Pulumi.management-state-newline.yaml", "--quiet"], ["jsonschema"]),
    ],
    ids=["aws-prod", "ceph-rgw", "a bad stack file"],
)
def test_a_preview_run_again_imports_no_checker(tmp_path: Path, argv: list[str], checkers: list[str]) -> None:
    first = _fresh_preview(tmp_path, *argv)
    again = _fresh_preview(tmp_path, *argv)
    assert set(checkers) <= set(first["imported"])
    assert again["imported"] == []
    assert {k: again[k] for k in ("code", "out", "err")} == {k: first[k] for k in ("code", "out", "err")}


def test_a_schema_marshal_cannot_write_is_checked_against_every_time(remembering: Path) -> None:
    """Its digest would stand for nothing: the instance is validated, and no answer is kept under it."""
    from components.crd import violations

    schema = {"type": "object", "properties": {"when": {"type": "string", "default": datetime.date(2026, 1, 1)}}}
    assert violations({"when": 1}, schema) == [("when", "1 is not a string")]
    assert violations({"when": "today"}, schema) == []
    assert not remembering.exists()


def test_a_preview_that_shows_secrets_keeps_nothing_of_its_objects(remembering: Path) -> None:
    """Not even a digest of an object that holds a secret's value: its objects are checked every time."""
    # lazy: the in-process command imports the SDK
    from offline.__main__ import main

    out = io.StringIO()
    assert main(["--stack", "aws-prod", "--json", "--show-secrets"], stdout=out, stderr=io.StringIO()) == 0
    remembered.flush()
    assert '"mock-secret-access-key' in out.getvalue() or "placeholder" in out.getvalue()
    kept = {p.name.split(".")[0] for p in remembering.iterdir()}
    assert "answers-kubernetes-violations" not in kept and "answers-crd-violations" in kept  # the settings' own
    assert remembered.remembering() is False
