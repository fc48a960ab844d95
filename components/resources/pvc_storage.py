"""The registry's volume claim on bare metal and vSphere."""

from __future__ import annotations

from typing import Any

import pulumi

from components.resources.kube import kube_object
from components.settings.stack import StackSettings
from components.specs import pvc as spec

# The provider would otherwise wait for the claim to be Bound. With a WaitForFirstConsumer
# storage class (vSphere thin-csi, most CSI drivers) it binds only when the registry pod mounts
# it, and that pod appears only after the Config patch, which waits for this claim: a deadlock
# until the timeout.
SKIP_AWAIT = {"pulumi.com/skipAwait": "true"}


class PvcStorage(pulumi.ComponentResource):
    """``image-registry-storage`` (or the configured claim) in ``openshift-image-registry``.

    Protected in production and retained on delete: the claim holds every image, and deleting
    the Pulumi resource must never delete the volume. Adopted claims are only named in the CR.
    """

    def __init__(self, name: str, *, stack: StackSettings, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("openshift-registry:storage:PvcStorage", name, None, opts)
        pvc = stack.storage.pvc
        assert pvc is not None
        self.claim = None
        if not pvc.adopt:
            self.claim = kube_object(
                f"{name}-claim",
                api_version="v1",
                kind="PersistentVolumeClaim",
                fields={
                    "metadata": {**spec.claim_metadata(stack), "annotations": SKIP_AWAIT},
                    "spec": spec.claim_spec(stack),
                },
                opts=pulumi.ResourceOptions(parent=self, protect=stack.production, retain_on_delete=True),
            )
        self.credentials: dict[str, pulumi.Output[str]] = {}
        self.ready: list[pulumi.Resource] = [self.claim] if self.claim else []
        self.exports: dict[str, Any] = {"claimName": spec.claim_name(stack)}
        self.register_outputs({"claimName": spec.claim_name(stack)})
