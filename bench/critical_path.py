"""The longest chain of resources that wait on each other: what bounds ``pulumi up``'s wall time.

Only custom resources cost cloud time; a component is a name for its children. A resource that
depends on a component waits for every resource inside it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any


def critical_path(resources: Sequence[Mapping[str, Any]], project: str = "openshift-registry") -> list[str]:
    """Names along the longest dependency chain of custom resources, first to last.

    ``resources`` as in ``python -m offline --json``: ``urn``, ``type``, ``name``, ``parent``,
    ``dependsOn``. Components are the resources others name as parent, and those of the
    project's own types (``openshift-registry:...``), which may be empty.
    """
    by_urn = {r["urn"]: r for r in resources}
    children: dict[str, list[str]] = {}
    for resource in resources:
        children.setdefault(resource["parent"], []).append(resource["urn"])
    components = {urn for urn, r in by_urn.items() if urn in children or r["type"].split(":")[0] == project}

    def custom_inside(urn: str) -> list[str]:
        if urn not in components:
            return [urn]
        return [leaf for child in children.get(urn, []) for leaf in custom_inside(child)]

    waits_on: dict[str, set[str]] = {}
    for urn, resource in by_urn.items():
        if urn in components:
            continue
        waits_on[urn] = {leaf for dep in resource["dependsOn"] if dep in by_urn for leaf in custom_inside(dep)}

    @cache
    def longest(urn: str) -> tuple[str, ...]:
        before = max((longest(dep) for dep in waits_on[urn]), key=len, default=())
        return (*before, urn)

    best = max((longest(urn) for urn in waits_on), key=len, default=())
    return [by_urn[urn]["name"] for urn in best]
