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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer

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
_STR = "tag:yaml.org,2002:str"


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


def read_yaml(path: Path, limits: Limits = STACK_FILE, *, streamed: str | None = None) -> tuple[Any, yaml.Node | None]:
    """The one document in ``path`` as plain data, and its node graph (for line numbers).

    ``streamed``: a key of the root map whose list is composed, checked and built one item at a time (a
    fleet's ``clusters``), so that the node graph, some 50 times the file's size, is never whole in
    memory; the same data, and the same refusals. No node graph is returned then.
    """
    text, shape = _text(path, limits), _Shape()
    loader = _Loader(text) if streamed is None else _StreamingLoader(text, streamed, limits.max_nodes, shape)
    try:
        with _collector_paused():
            node = loader.get_single_node()
            if node is None:
                return None, None
            problems = list(_shape_problems(node, limits.max_nodes - shape.total, shape=shape))
            if problems:
                raise YamlFileError(path, problems)
            document = loader.construct_document(node)
            items = getattr(loader, "items", None)
            if items is not None:
                document[streamed] = items
                return document, None
            return document, node
    except _RefusedError as exc:
        raise YamlFileError(path, [exc.problem]) from None
    except yaml.MarkedYAMLError as exc:
        raise YamlFileError(path, [_syntax_problem(exc)]) from None
    except yaml.YAMLError as exc:
        raise YamlFileError(path, [YamlProblem(None, f"is not valid YAML: {exc}")]) from None
    finally:
        loader.dispose()


def _text(path: Path, limits: Limits) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise YamlFileError(path, [YamlProblem(None, f"cannot be read: {exc.strerror or exc}")]) from None
    if len(raw) > limits.max_bytes:
        message = f"is {len(raw)} bytes; {limits.what} is at most {limits.max_bytes}"
        raise YamlFileError(path, [YamlProblem(None, message)])
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        problem = YamlProblem(None, f"is not UTF-8 text ({exc.reason} at byte {exc.start})")
        raise YamlFileError(path, [problem]) from None


class _StreamingLoader(_Loader):
    """PyYAML's own composer (Python) over libyaml's events, which builds the list under the root map's
    ``key`` one item at a time: each item is composed, shape-checked (against what the items before it
    used of the file's budget: expanded values, aliases) and built; then its nodes are dropped, but for
    anchored ones, which a later alias may name. The list's node stays empty; ``items`` holds what was
    built. Only a root map and a list with no anchor and no explicit tag are streamed (nothing can then
    refer to either, so the items stand alone); any other document is read whole.

    One difference with reading whole: an alias in an item to a node anchored before the list is walked
    there first, two levels deeper than the anchor, for the depth limit.
    """

    get_single_node = Composer.get_single_node
    compose_document = Composer.compose_document
    compose_scalar_node = Composer.compose_scalar_node
    compose_sequence_node = Composer.compose_sequence_node
    compose_mapping_node = Composer.compose_mapping_node

    def __init__(self, text: str, key: str, max_nodes: int, shape: _Shape) -> None:
        super().__init__(text)
        self.anchors: dict[str, yaml.Node] = {}
        self.key, self.max_nodes, self.shape = key, max_nodes, shape
        self.items: list[Any] | None = None

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        event = self.peek_event()
        if parent is not None or not isinstance(event, yaml.MappingStartEvent) or not _plain(event):
            return Composer.compose_node(self, parent, index)
        # Composer.compose_node and compose_mapping_node for the root map, but for the list under `key`
        self.descend_resolver(None, None)
        start = self.get_event()
        tag = self.resolve(yaml.MappingNode, None, start.implicit)
        root = yaml.MappingNode(tag, [], start.start_mark, None, flow_style=start.flow_style)
        while not self.check_event(yaml.MappingEndEvent):
            key = Composer.compose_node(self, root, None)
            after = self.peek_event()
            streams = isinstance(after, yaml.SequenceStartEvent) and _plain(after) and self.items is None
            if streams and isinstance(key, yaml.ScalarNode) and key.tag == _STR and key.value == self.key:
                value = self._streamed(root, key)
            else:
                value = Composer.compose_node(self, root, key)
            root.value.append((key, value))
        root.end_mark = self.get_event().end_mark
        self.ascend_resolver()
        return root

    def _streamed(self, root: yaml.MappingNode, key: yaml.Node) -> yaml.Node:
        self.descend_resolver(root, key)
        start = self.get_event()
        tag = self.resolve(yaml.SequenceNode, None, start.implicit)
        node = yaml.SequenceNode(tag, [], start.start_mark, None, flow_style=start.flow_style)
        items: list[Any] = []
        while not self.check_event(yaml.SequenceEndEvent):
            item = Composer.compose_node(self, node, len(items))
            limit = self.max_nodes - self.shape.total
            for problem in _shape_problems(item, limit, depth=3, shape=self.shape, line=line_of(root)):
                raise _RefusedError(problem.line, problem.message)  # the check stops at its first problem
            self.shape.total += self.shape.size[id(item)]
            items.append(self.construct_object(item, deep=True))
            anchored = {id(anchored) for anchored in self.anchors.values()}
            self.shape.size = {at: size for at, size in self.shape.size.items() if at in anchored}
            self.constructed_objects = {n: v for n, v in self.constructed_objects.items() if id(n) in anchored}
        node.end_mark = self.get_event().end_mark
        self.ascend_resolver()
        self.items = items
        return node


def _plain(event: yaml.Event) -> bool:
    """A collection with no anchor and no explicit tag."""
    return getattr(event, "anchor", None) is None and getattr(event, "tag", None) in (None, "!")


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


@dataclass
class _Shape:
    """What the shape check has seen: each node's expanded size (by id, while the node is alive), the
    aliases met, and the expanded values of the pieces already checked (a streamed list's items)."""

    size: dict[int, int] = field(default_factory=dict)
    aliases: int = 0
    total: int = 0


def _shape_problems(
    root: yaml.Node,
    max_nodes: int = MAX_NODES,
    *,
    depth: int = 1,
    shape: _Shape | None = None,
    line: int | None = None,
) -> Iterator[YamlProblem]:
    """Depth, expanded size, aliases and tags, iteratively (no recursion to exhaust). ``root`` may be a
    piece of the file at ``depth``, checked with what ``shape`` saw before it; ``line`` is where a file
    that expands too far is reported (its root's)."""
    shape = shape if shape is not None else _Shape()
    size = shape.size
    where = line_of(root) if line is None else line
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, int, bool]] = [(root, depth, False)]
    while stack:
        node, level, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            size[key] = 1 + sum(size.get(id(child), 0) for child in _children(node))
            if size[key] > max_nodes:
                yield YamlProblem(where, f"expands to more than {max_nodes + shape.total} values (aliases?); refused")
                return
            continue
        if key in on_path:
            yield YamlProblem(line_of(node), "an alias refers to a node that contains it; refused")
            return
        if key in size:
            shape.aliases += 1
            if shape.aliases > MAX_ALIASES:
                yield YamlProblem(line_of(node), f"uses more than {MAX_ALIASES} aliases; refused")
                return
            continue
        if level > MAX_DEPTH:
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
        stack.append((node, level, True))
        for child in reversed(list(_children(node))):
            stack.append((child, level + 1, False))


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
