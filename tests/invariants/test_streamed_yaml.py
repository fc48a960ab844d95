"""A fleet file's cluster list is read one item at a time (components/yaml_reader.py, ``streamed``): the same
data as reading it whole, the same refusal for every file with one problem, and never more than an item's
nodes alive, however long the list."""

from __future__ import annotations

import re
import tempfile
import weakref
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from components import yaml_reader
from components.yaml_reader import Limits, YamlFileError, read_yaml

LIMITS = Limits("a fleet file", max_bytes=1_000_000, max_nodes=400)

READ = {
    "plain": "git: {url: x}\nclusters:\n  - name: a\n    settings: {x: 1}\n  - name: b\n",
    "empty list": "clusters: []\n",
    "flow list": "clusters: [{name: a}, {name: b, n: 2.5}]\nafter: 1\n",
    "null list": "clusters: null\n",
    "anchor in an item, alias in a later one": "clusters:\n  - &one {name: a, s: {k: v}}\n  - x\n  - *one\n",
    "defaults anchored before the list": "defaults: &d {platform: aws}\nclusters:\n  - {name: a, s: *d}\n"
    "  - {name: b, s: *d}\n",
    "merge keys in items": "defaults: &d {platform: aws, r: 1}\nclusters:\n  - {<<: *d, name: a}\n  - {<<: *d, n: 2}\n",
    "an item's anchor named after the list": "clusters:\n  - &a {name: a}\nlast: *a\n",
    "the list under another key": "git: [1, 2]\nclusters: {}\n",
    "a root list": "- a\n- b\n",
    "a root scalar": "just text\n",
    "an empty file": "",
    "an anchored root": "&r\nclusters: [1, 2]\n",
    "a tagged list": "clusters: !!seq [1, 2]\n",
    "an anchored list, aliased later": "clusters: &c [1, 2]\ncopy: *c\n",
    "keys of every scalar kind in items": "clusters:\n  - {a: 1, b: true, c: null, d: '2', e: 0x10, f: 1_000}\n",
}

REFUSED = {
    "duplicate key in an item": "clusters:\n  - name: a\n  - name: b\n    name: c\n",
    "non-string key in an item": "clusters:\n  - {1: a}\n",
    "the list twice": "clusters: [1]\nclusters: [2]\n",
    "a python tag in an item": "clusters:\n  - !!python/object:os.system {}\n",
    "a custom tag in an item": "clusters:\n  - !mine x\n",
    "an infinite number in an item": "clusters:\n  - {n: .inf}\n",
    "too deep in an item": "clusters:\n  - " + "[" * 70 + "]" * 70 + "\n",
    "an alias bomb in an item": "clusters:\n  - a: &a [x, x, x, x, x, x, x, x]\n"
    "    b: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n    c: [*b, *b, *b, *b, *b, *b, *b, *b]\n",
    "too many aliases across items": "defaults: &d x\nclusters:\n" + "  - *d\n" * 101,
    "too many values across items": "clusters:\n" + "  - {name: a, s: {k: v}}\n" * 60,
    "a recursive alias in an item": "clusters:\n  - &a [*a]\n",
    "a syntax error in the third item": "clusters:\n  - a\n  - b\n  - {c: [}\n",
    "an undefined alias": "clusters:\n  - *nothing\n",
    "two documents": "clusters: [1]\n---\nclusters: [2]\n",
    "a duplicate anchor": "clusters:\n  - &a x\n  - &a y\n",
}
# libyaml's composer (reading whole) leaves out the name of an undefined alias or a duplicate anchor, which
# PyYAML's own composer (streamed) gives: the only way their messages differ.
_NAMED = re.compile(r"(alias|anchor) '[^']*'")


def _outcome(path: Path, streamed: str | None) -> tuple[str, object]:
    try:
        document, _ = read_yaml(path, LIMITS, streamed=streamed)
    except YamlFileError as error:
        return "refused", [_NAMED.sub(r"\1", problem.located(path)) for problem in error.problems]
    return "read", document


CASES = [(name, text, "read") for name, text in sorted(READ.items())]
CASES += [(name, text, "refused") for name, text in sorted(REFUSED.items())]


@pytest.mark.parametrize(("name", "text", "expected"), CASES, ids=[case[0] for case in CASES])
def test_a_file_is_read_or_refused_the_same_streamed(name: str, text: str, expected: str, tmp_path: Path) -> None:
    """Read: the same data. Refused (one problem each): the same message, at the same line."""
    path = tmp_path / "fleet.yaml"
    path.write_text(text, encoding="utf-8")
    whole = _outcome(path, None)
    assert whole[0] == expected, whole
    assert _outcome(path, "clusters") == whole


def test_the_fleet_example_reads_the_same_streamed() -> None:
    path = Path(__file__).resolve().parents[2] / "fleet.yaml"
    assert read_yaml(path, LIMITS, streamed="clusters")[0] == read_yaml(path, LIMITS)[0]


def test_an_items_nodes_are_gone_before_the_next_is_read(tmp_path: Path, monkeypatch) -> None:
    """Live nodes, counted as each item is built, stay what one item needs, for 20 items as for 300."""
    alive: weakref.WeakSet[yaml.Node] = weakref.WeakSet()
    composed = yaml.composer.Composer.compose_node

    def composing(self, parent, index):
        node = composed(self, parent, index)
        alive.add(node)
        return node

    monkeypatch.setattr(yaml.composer.Composer, "compose_node", composing)
    built = yaml_reader._StreamingLoader.construct_object

    def counting(items: int) -> list[int]:
        seen: list[int] = []

        def construct(self, node, deep=False):
            if deep:
                seen.append(len(alive))
            return built(self, node, deep)

        monkeypatch.setattr(yaml_reader._StreamingLoader, "construct_object", construct)
        path = tmp_path / f"fleet-{items}.yaml"
        path.write_text("clusters:\n" + "  - {name: a, settings: {x: [1, 2, 3]}}\n" * items, encoding="utf-8")
        document, _ = read_yaml(path, Limits("a fleet file", max_nodes=100_000), streamed="clusters")
        assert len(document["clusters"]) == items
        return seen

    few, many = counting(20), counting(300)
    assert max(few) > 5  # an item has its nodes alive while it is built
    assert max(many) == max(few), (max(few), max(many))


# Generated fleet-like files: plain values, maps and lists, and (through yaml.dump of an object used twice)
# anchors and aliases; then the same text with a stretch of it cut out, which makes most of them malformed.
_SCALARS = st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.text(max_size=8)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=12,
)


@st.composite
def _fleet_texts(draw: st.DrawFn) -> str:
    shared = draw(st.dictionaries(st.text(min_size=1, max_size=5), _VALUES, min_size=1, max_size=2))
    clusters = [
        shared if draw(st.booleans()) else draw(st.dictionaries(st.text(max_size=6), _VALUES, max_size=3))
        for _ in range(draw(st.integers(0, 5)))
    ]
    document = {
        "defaults": shared,
        "clusters": clusters,
        **draw(st.dictionaries(st.text(max_size=4), _VALUES, max_size=2)),
    }
    text = yaml.dump(document, default_flow_style=draw(st.sampled_from([False, None, True])), allow_unicode=True)
    if draw(st.booleans()):
        start = draw(st.integers(0, len(text)))
        text = text[:start] + text[start + draw(st.integers(1, 12)) :]
    return text


@given(text=_fleet_texts())
def test_a_generated_file_is_read_or_refused_the_same_streamed(text: str) -> None:
    """Data read either way is the same; a file refused one way is refused the other (which of several
    problems is named first may differ: the streamed reader meets them item by item)."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "fleet.yaml"
        path.write_text(text, encoding="utf-8")
        whole, streamed = _outcome(path, None), _outcome(path, "clusters")
    assert streamed[0] == whole[0], (text, whole, streamed)
    if whole[0] == "read":
        assert streamed == whole
