"""The plan: what ``pulumi up`` would register, in a stable order, with secrets redacted.

Every view of the preview (table, JSON, manifests, graph) is made from this one structure, so
redaction happens in exactly one place and no view can leak what another hides.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from components.names import SECURE_PLACEHOLDER
from offline.engine import PLACEHOLDERS, SECRET_SIG, Evaluation, Registration

REDACTED = "[secret]"


@dataclass(frozen=True)
class Plan:
    project: str
    stack: str
    resources: list[Registration]
    """As registered, with inputs cleaned: secrets resolved or hidden, keys sorted."""
    outputs: dict[str, Any]
    warnings: list[str]

    def as_json(self) -> dict[str, Any]:
        return {
            "project": self.project,
            "stack": self.stack,
            "resources": [resource_json(r) for r in self.resources],
            "outputs": self.outputs,
        }

    def by_urn(self) -> dict[str, Registration]:
        return {r.urn: r for r in self.resources}


def resource_json(resource: Registration) -> dict[str, Any]:
    imported = {"importId": resource.import_id} if resource.import_id else {}
    return imported | {
        "urn": resource.urn,
        "type": resource.type,
        "name": resource.name,
        "parent": resource.parent,
        "inputs": resource.inputs,
        "dependsOn": resource.depends_on,
        "protect": resource.protect,
        "retainOnDelete": resource.retain_on_delete,
    }


def is_secret(value: Any) -> bool:
    return isinstance(value, Mapping) and value.get(SECRET_SIG) is not None and "value" in value


def clean(value: Any, *, show_secrets: bool) -> Any:
    """Secret marks resolved (to ``[secret]`` or the value), keys sorted, integral floats as ints.

    A secret object keeps its keys and hides each leaf, so a reviewer still sees which keys a
    Secret holds. The engine passes every number as a float; ``2.0`` replicas reads as ``2``.
    """
    if is_secret(value):
        inner = clean(value["value"], show_secrets=show_secrets)
        return _marked(inner) if show_secrets else _hide_leaves(inner)
    if isinstance(value, Mapping):
        return {k: clean(value[k], show_secrets=show_secrets) for k in sorted(value)}
    if isinstance(value, list):
        return [clean(v, show_secrets=show_secrets) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _marked(value: Any) -> Any:
    """Revealed secrets with every value the offline preview made up marked as such: the ciphertext it
    cannot decrypt, and the keys the mock providers stand in with."""
    if isinstance(value, Mapping):
        return {k: _marked(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_marked(v) for v in value]
    if isinstance(value, str):
        if value in PLACEHOLDERS:
            return f"[placeholder: {PLACEHOLDERS[value]}]"
        return value.replace(SECURE_PLACEHOLDER, "[placeholder: an encrypted value, not decrypted offline]")
    return value


def _hide_leaves(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _hide_leaves(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_hide_leaves(v) for v in value]
    return REDACTED


def plan_of(evaluation: Evaluation, *, show_secrets: bool = False) -> Plan:
    resources = [_planned(r, show_secrets) for r in _tree_order(evaluation.registrations)]
    outputs = {key: _output(evaluation, key, show_secrets) for key in sorted(evaluation.outputs)}
    warnings = [message for level, message in evaluation.logs if level == "warning"]
    return Plan(evaluation.project, evaluation.stack, resources, outputs, warnings)


def _output(evaluation: Evaluation, key: str, show_secrets: bool) -> Any:
    value = clean(evaluation.outputs[key], show_secrets=show_secrets)
    return _hide_leaves(value) if key in evaluation.secret_outputs and not show_secrets else value


def _planned(registration: Registration, show_secrets: bool) -> Registration:
    cleaned = clean(registration.inputs, show_secrets=show_secrets)
    return replace(registration, inputs=cleaned, depends_on=sorted(registration.depends_on))


def _tree_order(registrations: list[Registration]) -> list[Registration]:
    """Each component followed by its children, siblings by URN: stable whatever order the engine saw."""
    children: dict[str, list[Registration]] = {}
    urns = {r.urn for r in registrations}
    for registration in registrations:
        parent = registration.parent if registration.parent in urns else ""
        children.setdefault(parent, []).append(registration)
    ordered: list[Registration] = []

    def visit(parent: str) -> None:
        for child in sorted(children.get(parent, []), key=lambda r: r.urn):
            ordered.append(child)
            visit(child.urn)

    visit("")
    return ordered
