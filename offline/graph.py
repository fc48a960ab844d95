"""A Mermaid flowchart of the plan: components as subgraphs, an arrow from what is waited on.

An arrow ``a --> b`` means ``b`` is registered only after ``a`` is complete (``dependsOn``, or an
input read from ``a``). The longest such chain bounds how long ``pulumi up`` waits on the cloud.
"""

from __future__ import annotations

from offline.engine import Registration
from offline.plan import Plan


def mermaid(plan: Plan) -> str:
    ids = {resource.urn: f"n{index}" for index, resource in enumerate(plan.resources)}
    children: dict[str, list[Registration]] = {}
    for resource in plan.resources:
        children.setdefault(resource.parent if resource.parent in ids else "", []).append(resource)
    lines = ["flowchart LR"]

    def emit(parent: str, depth: int) -> None:
        indent = "  " * depth
        for resource in children.get(parent, []):
            label = _label(f"{resource.name}<br/><small>{resource.type}</small>")
            if resource.custom:
                shape = f"[({label})]" if resource.protect else f"[{label}]"
                lines.append(f"{indent}{ids[resource.urn]}{shape}")
            else:
                lines.append(f"{indent}subgraph {ids[resource.urn]}[{label}]")
                emit(resource.urn, depth + 1)
                lines.append(f"{indent}end")

    emit("", 1)
    for resource in plan.resources:
        for dependency in resource.depends_on:
            if dependency in ids:
                lines.append(f"  {ids[dependency]} --> {ids[resource.urn]}")
    return "\n".join(lines) + "\n"


def _label(text: str) -> str:
    """Mermaid labels in quotes; a quote inside one is written as its entity."""
    return '"' + text.replace('"', "#quot;") + '"'
