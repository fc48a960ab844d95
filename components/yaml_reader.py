"""Read a YAML file a user wrote, with bounded work and a message for every way it can be wrong.

A stack file is user input: it may be malformed, hostile (an alias bomb of a few hundred bytes
expands to gigabytes; 500 levels of nesting exhaust the interpreter's recursion), or ambiguous
(a duplicate key, where the last would silently win). Everything here works on the composed node
graph first, where aliases are still shared and every node knows its line, and constructs
Python values only once the graph is known to be small, shallow and made of plain data.
"""

from __future__ import annotations

import gc
import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 100_000
"""Nodes after expanding every alias: a stack file has a few hundred."""
MAX_ALIASES = 100


@dataclass(frozen=True)
class Limits:
    """What one kind of file may hold: bounded work whatever a file says (size, expanded values)."""

    what: str
    max_bytes: int = MAX_BYTES
    max_nodes: int = MAX_NODES


STACK_FILE = Limits("a stack file")

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str": "a string",
    "tag:yaml.org,2002:int": "an integer",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:bool": "a boolean",
    "tag:yaml.org,2002:null": "null",
    "tag:yaml.org,2002:map": "a map",
    "tag:yaml.org,2002:seq": "a list",
    "tag:yaml.org,2002:merge": "a merge key",
}
_BASE_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class YamlProblem:
    line: int | None
    message: str

    def located(self, path: Path) -> str:
        return f"{path}:{self.line}: {self.message}" if self.line else f"{path}: {self.message}"


class YamlFileError(ValueError):
    """The file cannot be read as plain YAML data; carries every problem found."""

    def __init__(self, path: Path, problems: list[YamlProblem]) -> None:
        self.path = path
        self.problems = problems
        super().__init__("\n".join(p.located(path) for p in problems))


def describe(value: Any) -> str:
    """A value as YAML would show it (``null``, ``true``), never a Python class name."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return "a map" if isinstance(value, dict) else "a list"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def line_of(node: yaml.Node) -> int | None:
    mark = getattr(node, "start_mark", None)
    return mark.line + 1 if mark is not None else None


class _Loader(_BASE_LOADER):  # type: ignore[misc, valid-type]
    """The safe loader, refusing what a stack file must not hold: non-string and duplicate keys."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        self.flatten_mapping(node)
        seen: dict[str, int | None] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                raise _RefusedError(line_of(key_node), f"a key must be a string, not {describe(key)}: quote it")
            if key in seen:
                raise _RefusedError(line_of(key_node), f"duplicate key {key!r} (first at line {seen[key]}): keep one")
            seen[key] = line_of(key_node)
        return super().construct_mapping(node, deep=deep)


class _RefusedError(Exception):
    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.problem = YamlProblem(line, message)


def read_yaml(path: Path, limits: Limits = STACK_FILE) -> tuple[Any, yaml.Node | None]:
    """The one document in ``path`` as plain data, and its node graph (for line numbers)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise YamlFileError(path, [YamlProblem(None, f"cannot be read: {exc.strerror or exc}")]) from None
    if len(raw) > limits.max_bytes:
        message = f"is {len(raw)} bytes; {limits.what} is at most {limits.max_bytes}"
        raise YamlFileError(path, [YamlProblem(None, message)])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        problem = YamlProblem(None, f"is not UTF-8 text ({exc.reason} at byte {exc.start})")
        raise YamlFileError(path, [problem]) from None
    loader = _Loader(text)
    try:
        with _collector_paused():
            node = loader.get_single_node()
            if node is None:
                return None, None
            problems = list(_shape_problems(node, limits.max_nodes))
            if problems:
                raise YamlFileError(path, problems)
            return loader.construct_document(node), node
    except _RefusedError as exc:
        raise YamlFileError(path, [exc.problem]) from None
    except yaml.MarkedYAMLError as exc:
        raise YamlFileError(path, [_syntax_problem(exc)]) from None
    except yaml.YAMLError as exc:
        raise YamlFileError(path, [YamlProblem(None, f"is not valid YAML: {exc}")]) from None
    finally:
        loader.dispose()


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while a file's nodes and values are built: every new container counts
    towards the next collection, and each one walks everything built so far, for nothing (none is garbage
    yet). A hub's fleet file is read in 0.5 s instead of 0.8 s. Bounded: the node count is checked before
    any value is built, and composing is bounded by the file's size."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _syntax_problem(exc: yaml.MarkedYAMLError) -> YamlProblem:
    mark = exc.problem_mark or exc.context_mark
    what = " ".join(part for part in (exc.context, exc.problem) if part)
    if "expected a single document" in what:
        what = "holds several YAML documents (---); a stack file is one"
    elif "'\\t'" in what or "\\t" in what:
        what = "a tab where YAML needs spaces for indentation"
    else:
        what = f"is not valid YAML: {what}"
    return YamlProblem(mark.line + 1 if mark is not None else None, what)


def _shape_problems(root: yaml.Node, max_nodes: int = MAX_NODES) -> Iterator[YamlProblem]:
    """Depth, expanded size, aliases and tags, iteratively (no recursion to exhaust)."""
    size: dict[int, int] = {}
    aliases = 0
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 1, False)]
    while stack:
        node, depth, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            size[key] = 1 + sum(size.get(id(child), 0) for child in _children(node))
            if size[key] > max_nodes:
                yield YamlProblem(line_of(root), f"expands to more than {max_nodes} values (aliases?); refused")
                return
            continue
        if key in on_path:
            yield YamlProblem(line_of(node), "an alias refers to a node that contains it; refused")
            return
        if key in size:
            aliases += 1
            if aliases > MAX_ALIASES:
                yield YamlProblem(line_of(node), f"uses more than {MAX_ALIASES} aliases; refused")
                return
            continue
        if depth > MAX_DEPTH:
            yield YamlProblem(line_of(node), f"is nested more than {MAX_DEPTH} levels deep; refused")
            return
        if node.tag not in _PLAIN_TAGS:
            yield YamlProblem(
                line_of(node),
                f"the tag {node.tag.replace('tag:yaml.org,2002:', '!!')} is not allowed: a stack file holds "
                "strings, numbers, booleans, null, lists and maps",
            )
            return
        if node.tag == "tag:yaml.org,2002:float" and not _finite(node.value):
            yield YamlProblem(line_of(node), f"{node.value} is not a finite number")
            return
        size[key] = 0  # seen; the real count comes when the node is done
        on_path.add(key)
        stack.append((node, depth, True))
        for child in reversed(list(_children(node))):
            stack.append((child, depth + 1, False))


def _children(node: yaml.Node) -> Iterator[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            yield key_node
            yield value_node
    elif isinstance(node, yaml.SequenceNode):
        yield from node.value


def _finite(text: str) -> bool:
    if text.lower().lstrip("+-") in (".inf", ".nan"):
        return False
    try:
        return math.isfinite(float(text.replace("_", "")))
    except ValueError:
        return True  # a form the constructor will reject or read on its own
