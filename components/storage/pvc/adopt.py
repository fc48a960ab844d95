"""Adopting a claim: its name, access mode, and in import mode its size and class."""

from __future__ import annotations

from typing import Any

from components.adoption import Context
from components.names import DEFAULT_CLAIM, REGISTRY_NAMESPACE


def storage(block: dict[str, Any], context: Context) -> dict[str, Any]:
    name = block.get("claim") or DEFAULT_CLAIM
    claim = context.state.named("v1", "PersistentVolumeClaim", REGISTRY_NAMESPACE, name)
    block = {"claim": name}
    if claim is None:
        context.result.notes.append(
            f"the claim {name} is not in the dump: referenced (adopt: true) without its size and class"
        )
        return {**block, "adopt": True}
    spec = claim.get("spec") or {}
    modes = spec.get("accessModes") or []
    if modes:
        block["accessMode"] = modes[0]
    if context.mode == "reference":
        return {**block, "adopt": True}
    size = ((spec.get("resources") or {}).get("requests") or {}).get("storage")
    if size:
        block["size"] = size
    if spec.get("storageClassName"):
        block["storageClass"] = spec["storageClassName"]
    context.imports["claim"] = f"{REGISTRY_NAMESPACE}/{name}"
    return block
