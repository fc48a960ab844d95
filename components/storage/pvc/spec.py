"""The registry's PersistentVolumeClaim and what the Config says about it.

The CR always names the claim: with ``claim`` empty the operator creates one of its own and
deletes it again when the registry is set to Removed.
"""

from __future__ import annotations

from typing import Any

from components.identity import StackIdentity
from components.names import DEFAULT_CLAIM, LABELS, REGISTRY_NAMESPACE
from components.settings.registry import RegistrySettings
from components.settings.secrets import SecretSettings
from components.specs.objects import Object, Plan
from components.specs.storage import HA_REPLICAS, StorageSpec
from components.storage.pvc.settings import PvcSettings

# The provider would otherwise wait for the claim to be Bound. With a WaitForFirstConsumer
# storage class (vSphere thin-csi, most CSI drivers) it binds only when the registry pod mounts
# it, and that pod appears only after the Config patch, which waits for this claim: a deadlock
# until the timeout.
SKIP_AWAIT = {"pulumi.com/skipAwait": "true"}


def claim_name(pvc: PvcSettings) -> str:
    return pvc.claim or DEFAULT_CLAIM


def cr_storage(pvc: PvcSettings, identity: StackIdentity) -> dict[str, Any]:
    return {"claim": claim_name(pvc)}


def default_replicas(pvc: PvcSettings, registry: RegistrySettings) -> int:
    """One pod for a ReadWriteOnce volume, two (high availability) for ReadWriteMany."""
    return 1 if pvc.effective_access_mode(registry.replicas) == "ReadWriteOnce" else HA_REPLICAS


def rollout_strategy(pvc: PvcSettings, registry: RegistrySettings) -> str | None:
    """The operator accepts only Recreate with a ReadWriteOnce volume (an empty value fails too)."""
    return "Recreate" if pvc.effective_access_mode(registry.replicas) == "ReadWriteOnce" else None


def claim(pvc: PvcSettings, replicas: int | None) -> dict[str, Any]:
    """The whole claim: protected in production and retained on delete, never awaited."""
    spec: dict[str, Any] = {
        "accessModes": [pvc.effective_access_mode(replicas)],
        "resources": {"requests": {"storage": pvc.size}},
        "volumeMode": "Filesystem",
    }
    if pvc.storage_class:
        spec["storageClassName"] = pvc.storage_class
    metadata = {"name": claim_name(pvc), "namespace": REGISTRY_NAMESPACE, "labels": dict(LABELS)}
    return {
        "apiVersion": "v1",
        "kind": "PersistentVolumeClaim",
        "metadata": {**metadata, "annotations": SKIP_AWAIT},
        "spec": spec,
    }


def plan(pvc: PvcSettings, identity: StackIdentity, secrets: SecretSettings, registry: RegistrySettings) -> Plan:
    steps = ()
    if not pvc.adopt:
        steps = (
            Object(
                "claim",
                "kubernetes:core/v1:PersistentVolumeClaim",
                claim(pvc, registry.replicas),
                holds_images=True,
                always_retained=True,
                ready=True,
                import_ignore=("metadata.labels", "metadata.annotations"),
            ),
        )
    return Plan(steps=steps, exports={"claimName": claim_name(pvc)})


SPEC = StorageSpec(
    cr_storage=cr_storage, plan=plan, default_replicas=default_replicas, rollout_strategy=rollout_strategy
)
