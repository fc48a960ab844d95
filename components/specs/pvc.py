"""The registry's PersistentVolumeClaim and what the Config says about it.

The CR always names the claim: with ``claim`` empty the operator creates one of its own and
deletes it again when the registry is set to Removed.
"""

from __future__ import annotations

from typing import Any

from components.settings.stack import StackSettings
from components.settings.storage_pvc import PvcSettings
from components.specs.naming import DEFAULT_CLAIM, REGISTRY_NAMESPACE

LABELS = {"app.kubernetes.io/part-of": "openshift-image-registry", "app.kubernetes.io/managed-by": "pulumi"}


def _pvc(stack: StackSettings) -> PvcSettings:
    pvc = stack.storage.pvc
    assert pvc is not None
    return pvc


def claim_name(stack: StackSettings) -> str:
    return _pvc(stack).claim or DEFAULT_CLAIM


def cr_storage(stack: StackSettings) -> dict[str, Any]:
    return {"claim": claim_name(stack)}


def default_replicas(stack: StackSettings) -> int:
    """One pod for a ReadWriteOnce volume, two (high availability) for ReadWriteMany."""
    return 1 if _pvc(stack).effective_access_mode(stack) == "ReadWriteOnce" else 2


def rollout_strategy(stack: StackSettings) -> str | None:
    """The operator accepts only Recreate with a ReadWriteOnce volume (an empty value fails too)."""
    return "Recreate" if _pvc(stack).effective_access_mode(stack) == "ReadWriteOnce" else None


def claim_metadata(stack: StackSettings) -> dict[str, Any]:
    return {"name": claim_name(stack), "namespace": REGISTRY_NAMESPACE, "labels": dict(LABELS)}


def claim_spec(stack: StackSettings) -> dict[str, Any]:
    pvc = _pvc(stack)
    spec: dict[str, Any] = {
        "accessModes": [pvc.effective_access_mode(stack)],
        "resources": {"requests": {"storage": pvc.size}},
        "volumeMode": "Filesystem",
    }
    if pvc.storage_class:
        spec["storageClassName"] = pvc.storage_class
    return spec
