"""The longest chain of calls that wait on each other: what bounds ``pulumi up``'s wall time.

Only custom resources and provider lookups (invokes) cost cloud time; a component is a name for
its children. A resource that depends on a component waits for every resource inside it. A
lookup is a node like a resource (``type`` ``invoke:<token>``): it waits for the resources its
arguments name, and the resources that read its result wait for it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

INVOKE = "invoke:"


def critical_path(resources: Sequence[Mapping[str, Any]], project: str = "openshift-registry") -> list[str]:
    """Names along the longest dependency chain, first to last; ties go to the first chain by name.

    ``resources`` as in ``python -m offline --json``: ``urn``, ``type``, ``name``, ``parent``,
    ``dependsOn``. Components are the resources others name as parent, and those of the
    project's own types (``openshift-registry:...``), which may be empty.
    """
    by_urn = {r["urn"]: r for r in resources}
    children: dict[str, list[str]] = {}
    for resource in resources:
        children.setdefault(resource["parent"], []).append(resource["urn"])
    components = {
        urn
        for urn, r in by_urn.items()
        if not r["type"].startswith(INVOKE) and (urn in children or r["type"].split(":")[0] == project)
    }

    def custom_inside(urn: str) -> list[str]:
        if urn not in components:
            return [urn]
        return [leaf for child in children.get(urn, []) for leaf in custom_inside(child)]

    waits_on: dict[str, set[str]] = {}
    for urn, resource in by_urn.items():
        if urn in components:
            continue
        waits_on[urn] = {leaf for dep in resource["dependsOn"] if dep in by_urn for leaf in custom_inside(dep)}

    def names(chain: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(by_urn[urn]["name"] for urn in chain)

    def rank(chain: tuple[str, ...]) -> tuple[int, tuple[str, ...]]:
        """Longest first; among equally long chains, the first by their names."""
        return -len(chain), names(chain)

    @cache
    def longest(urn: str) -> tuple[str, ...]:
        before = min((longest(dep) for dep in waits_on[urn]), key=rank, default=())
        return (*before, urn)

    best = min((longest(urn) for urn in waits_on), key=rank, default=())
    return list(names(best))


def changes(path: Sequence[str], resources: Sequence[Mapping[str, Any]]) -> int:
    """How many calls along ``path`` change something (lookups only read)."""
    lookups = {r["name"] for r in resources if r["type"].startswith(INVOKE)}
    return sum(1 for name in path if name not in lookups)
