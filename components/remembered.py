"""Answers that the program's slow pure checks gave before, kept so that a stack previewed again, unchanged,
is not checked again by libraries that take longer to import than the check itself takes.

A preview checks the stack's Config fields and every object it renders against their schemas with
jsonschema, and a pruner schedule with croniter. Importing the two takes about 30 ms, a fifth of what a
preview is held to (``import pulumi``, docs/benchmark.md), while the answers for an unchanged stack are the
same every time. So a command that previews a stack or two (``offline.__main__.run`` with ``brief``) keeps
each new answer in the user's cache directory (``components/vendored.cache_dir``) as it ends (``flush``),
under the digest of all it depends on:

- the question, marshalled (``canonical``): marshal writes each value's exact type, so ``1``, ``1.0``,
  ``True``, ``(1,)`` and ``[1]`` are different questions, and a value it cannot write (a YAML date, a str
  subclass) is never looked up: it is checked;
- the checker (``Checker``): the bytes of the program's modules that answer, and where the packages they
  run are, with their ``__init__``'s size and modification time (an upgrade writes it again). ``tests/invariants/
  test_remembered.py`` runs every checker under a tracer and fails if it executes a file its list leaves
  out;
- the interpreter (its cache tag and marshal version).

A command over many stacks (the fleet) checks every one and keeps nothing: its answers would not be asked
again. At most ``LIMIT`` answers are kept per checker, the newest. What cannot be read is checked again;
``OPENSHIFT_REGISTRY_NO_CACHE=1`` turns this off with every other cache of the program.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path
from typing import Any, TypeVar

from components.vendored import cache_dir, keep

T = TypeVar("T")
LIMIT = 512


@dataclass(frozen=True)
class Checker:
    """Who answers a kind of question: what a kept answer is only as good as."""

    name: str
    modules: tuple[str, ...]
    """The program's modules whose code answers (their bytes are in the key)."""
    packages: tuple[str, ...]
    """Installed packages the answer runs, by import name (where each is, and its ``__init__``'s size and
    modification time, are in the key)."""


class _State:
    on = False
    fingerprints: dict[Checker, bytes] = {}  # noqa: RUF012 - one per process, filled as checkers are asked
    answers: dict[Checker, dict[bytes, Any]] = {}  # noqa: RUF012 - as above
    new: dict[Checker, dict[bytes, Any]] = {}  # noqa: RUF012 - found by this command, kept by flush()


def remember(on: bool = True) -> None:
    """Keep and reuse answers from now on (a command about one stack), or stop (``on=False``)."""
    _State.on = on


def remembering() -> bool:
    return _State.on and cache_dir() is not None


def answered(checker: Checker, question: Any, work: Callable[[], T]) -> T:
    """``work()``, the answer to ``question``; the kept one when this checker answered it before."""
    if not remembering():
        return work()
    asked = canonical(question)
    if asked is None:
        return work()
    key = hashlib.sha256(fingerprint(checker) + asked).digest()[:16]
    known = _known(checker)
    if key in known:
        return known[key]
    answer = work()
    try:
        marshal.dumps(answer)
    except ValueError:
        return answer
    _add(checker, key, answer)
    return answer


def canonical(value: Any) -> bytes | None:
    """``value``'s bytes, the same for equal values of the same types in any process; None when marshal
    cannot write it exactly. Version 0 of marshal: later versions write a value met twice as a reference to
    its first place, so the bytes would depend on which objects happen to be shared (a schema parsed from
    YAML and the same schema loaded from the cache differ)."""
    try:
        return marshal.dumps(value, 0)
    except ValueError:
        return None


def fingerprint(checker: Checker) -> bytes:
    """The digest of everything the checker's answers depend on besides the question."""
    if checker not in _State.fingerprints:
        digest = hashlib.sha256(f"{checker.name} {sys.implementation.cache_tag} {marshal.version}\n".encode())
        for module in checker.modules:
            spec = find_spec(module)
            digest.update(Path(spec.origin).read_bytes() if spec and spec.origin else b"(missing)")
            digest.update(b"\0")
        for package in checker.packages:
            digest.update(package_signature(package))
        _State.fingerprints[checker] = digest.digest()
    return _State.fingerprints[checker]


def package_signature(package: str) -> bytes:
    """Where the package is and its ``__init__``'s size and modification time: installing another version
    writes every file of the package again."""
    spec = find_spec(package)
    if spec is None:
        return f"{package}: missing\n".encode()
    # a namespace package has no __init__: its folder, which an install writes into, stands for it
    where = spec.origin or next(iter(spec.submodule_search_locations or ()), None)
    return f"{package}: {file_signature(where) if where else 'nowhere'}\n".encode()


def file_signature(path: str | os.PathLike[str]) -> str:
    """A file by its path, size and modification time (read without reading the file)."""
    stat = os.stat(path)
    return f"{os.fspath(path)} {stat.st_size} {stat.st_mtime_ns}"


def _path(checker: Checker) -> Path:
    return cache_dir() / f"answers-{checker.name}.{sys.implementation.cache_tag}-m{marshal.version}"  # type: ignore[operator]


def _read(checker: Checker) -> dict[bytes, Any]:
    try:
        found = marshal.loads(_path(checker).read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    return found if isinstance(found, dict) else {}


def _known(checker: Checker) -> dict[bytes, Any]:
    if checker not in _State.answers:
        _State.answers[checker] = _read(checker)
    return _State.answers[checker]


def _add(checker: Checker, key: bytes, answer: Any) -> None:
    known = _known(checker)
    known.pop(key, None)
    known[key] = answer
    _State.new.setdefault(checker, {})[key] = answer


def flush() -> None:
    """Keep the answers this command found, once, as it ends (``offline.__main__.run``): merged with what
    another command may have kept since this one read the file, the oldest dropped beyond ``LIMIT``."""
    for checker, found in _State.new.items():
        merged = _read(checker)
        for key, answer in found.items():
            merged.pop(key, None)
            merged[key] = answer
        newest = dict(list(merged.items())[-LIMIT:])
        _State.answers[checker] = newest
        keep(_path(checker), newest)
    _State.new.clear()
