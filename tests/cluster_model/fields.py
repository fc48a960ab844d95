"""managedFields as the API server keeps them: which manager owns which field of an object."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

Path = tuple[str, ...]


def leaf_paths(value: Any, prefix: Path = ()) -> Iterator[Path]:
    """Every leaf of ``value``: a map is followed into, anything else (lists are atomic here) is a leaf."""
    if isinstance(value, Mapping) and value:
        for key, child in value.items():
            yield from leaf_paths(child, (*prefix, str(key)))
    elif prefix:
        yield prefix


def fields_v1(paths: set[Path]) -> dict[str, Any]:
    tree: dict[str, Any] = {}
    for path in sorted(paths):
        node = tree
        for part in path:
            node = node.setdefault(f"f:{part}", {})
    return tree


def owned(body: Mapping[str, Any], manager: str) -> set[Path]:
    paths: set[Path] = set()
    for entry in (body.get("metadata") or {}).get("managedFields") or []:
        if entry.get("manager") == manager:
            paths |= set(leaves(entry.get("fieldsV1") or {}, ()))
    return paths


def leaves(tree: Mapping[str, Any], prefix: Path) -> Iterator[Path]:
    for name, child in tree.items():
        if not name.startswith("f:"):
            continue
        path = (*prefix, name[2:])
        if child:
            yield from leaves(child, path)
        else:
            yield path


def set_owned(body: dict[str, Any], manager: str, paths: set[Path], operation: str) -> None:
    """``manager`` owns exactly ``paths``; the others keep theirs but for those (ownership moves)."""
    entries = []
    for entry in (body.get("metadata") or {}).get("managedFields") or []:
        if entry.get("manager") == manager:
            continue
        rest = set(leaves(entry.get("fieldsV1") or {}, ())) - paths
        rest = {p for p in rest if not any(p[: len(q)] == q for q in paths)}
        if rest:
            entries.append({**entry, "fieldsV1": fields_v1(rest)})
    if paths:
        entries.append({"manager": manager, "operation": operation, "apiVersion": body.get("apiVersion", ""),
                        "fieldsType": "FieldsV1", "fieldsV1": fields_v1(paths)})  # fmt: skip
    body.setdefault("metadata", {})["managedFields"] = entries


def own(body: dict[str, Any], manager: str, partial: Mapping[str, Any] | None) -> None:
    """An Update by ``manager`` that wrote ``partial`` (whole-object shaped): it now owns those fields too."""
    if not partial:
        return
    paths = set(leaf_paths(partial))
    set_owned(body, manager, owned(body, manager) | paths, "Update")


def other_owners(body: Mapping[str, Any], manager: str, path: Path) -> bool:
    for entry in (body.get("metadata") or {}).get("managedFields") or []:
        if entry.get("manager") == manager:
            continue
        for leaf in leaves(entry.get("fieldsV1") or {}, ()):
            if leaf[: len(path)] == path or path[: len(leaf)] == leaf:
                return True
    return False
