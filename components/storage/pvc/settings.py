"""``openshift-registry:storage.pvc`` and ``storage.emptyDir``: volumes on bare metal and vSphere.

The rules here are the ones the documentation states and the operator does not all enforce: a
ReadWriteOnce volume serves exactly one pod (and only with the Recreate rollout, which the
operator insists on), emptyDir loses every image when the pod restarts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, ClassVar, Literal

from components.errors import Finding
from components.formats import SUBDOMAIN_RULE, is_subdomain
from components.settings.model import Model

if TYPE_CHECKING:
    from components.settings.stack import StackSettings


MIN_PRODUCTION_SIZE = "100Gi"
_QUANTITY = re.compile(r"^(?P<number>[0-9]+(\.[0-9]+)?)(?P<suffix>Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?\Z")
_FACTORS = {
    None: 1,
    "k": 10**3, "M": 10**6, "G": 10**9, "T": 10**12, "P": 10**15, "E": 10**18,
    "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60,
}  # fmt: skip
_NFS = re.compile(r"nfs", re.IGNORECASE)


def quantity_bytes(text: str) -> int | None:
    """A Kubernetes storage quantity (``100Gi``, ``0.5Ti``, ``200G``) in bytes; None if it is not one."""
    match = _QUANTITY.match(text)
    if match is None:
        return None
    try:
        return int(Decimal(match["number"]) * _FACTORS[match["suffix"]])
    except InvalidOperation:
        return None


class PvcSettings(Model):
    CR_FIELDS: ClassVar[tuple[str, ...]] = ("claim",)

    claim: str | None = None
    """The CR's field: the claim's name in openshift-image-registry (default image-registry-storage)."""
    size: str = MIN_PRODUCTION_SIZE
    access_mode: Literal["ReadWriteMany", "ReadWriteOnce"] | None = None
    """Default: ReadWriteOnce for one replica, ReadWriteMany otherwise."""
    storage_class: str | None = None
    volume_mode: str | None = None
    """Only Filesystem: the registry writes files; Block (a raw device) is rejected."""
    adopt: bool = False
    """True: the claim exists already; nothing is created, the CR only names it."""

    @property
    def credential_mode(self) -> str:
        return "none"

    def effective_access_mode(self, replicas: int | None) -> str:
        """As set, else ReadWriteOnce for ``registry.replicas: 1`` and ReadWriteMany otherwise."""
        if self.access_mode:
            return self.access_mode
        return "ReadWriteOnce" if replicas == 1 else "ReadWriteMany"

    def findings(self, stack: StackSettings, key: str) -> Iterable[Finding]:
        if self.storage_class is not None and not is_subdomain(self.storage_class):
            yield Finding(
                f"{key}.storageClass", f"{self.storage_class[:70]!r} is not a storage class name: {SUBDOMAIN_RULE}"
            )
        if self.claim is not None and not is_subdomain(self.claim):
            yield Finding(
                f"{key}.claim",
                f"{self.claim!r} is not a valid claim name: lowercase letters, digits, '-' and '.', "
                "starting and ending with a letter or digit, at most 253 characters",
            )
        yield from self._size_findings(stack, key)
        yield from self._access_findings(stack, key)
        if self.volume_mode is not None and self.volume_mode != "Filesystem":
            yield Finding(
                f"{key}.volumeMode",
                f"{self.volume_mode!r} cannot hold the registry: it stores images as files and needs a "
                "filesystem. The documentation's 'block storage' means a ReadWriteOnce Filesystem volume "
                "on a block device (e.g. vSphere thin-csi, Ceph RBD): set accessMode: ReadWriteOnce and "
                "leave volumeMode unset (Filesystem)",
            )
        if self.adopt:
            for field, value in (("size", self.size != MIN_PRODUCTION_SIZE), ("storageClass", self.storage_class)):
                if value:
                    yield Finding(
                        f"{key}.{field}",
                        "has no effect with adopt: true (the claim exists and is not changed); remove it",
                    )
        if self.storage_class and _NFS.search(self.storage_class):
            yield Finding(
                f"{key}.storageClass",
                f"{self.storage_class!r} looks like NFS: the OpenShift documentation advises against RHEL NFS "
                "for the registry (image layer corruption and failed pushes); prefer ODF CephFS or a block volume",
                "warning",
            )

    def _size_findings(self, stack: StackSettings, key: str) -> Iterable[Finding]:
        size = quantity_bytes(self.size)
        if size is None or size == 0:
            yield Finding(
                f"{key}.size",
                f"{self.size!r} is not a storage quantity; write a number with a unit, e.g. 100Gi, 500Gi, 1Ti",
            )
        elif stack.production and size < quantity_bytes(MIN_PRODUCTION_SIZE):  # type: ignore[operator]
            yield Finding(
                f"{key}.size",
                f"{self.size} is below {MIN_PRODUCTION_SIZE}: the documentation requires a claim of at least "
                f"{MIN_PRODUCTION_SIZE} for the registry in production",
            )

    def _access_findings(self, stack: StackSettings, key: str) -> Iterable[Finding]:
        mode = self.effective_access_mode(stack.registry.replicas)
        replicas = stack.registry.replicas
        if mode != "ReadWriteOnce":
            return
        if replicas is not None and replicas > 1:
            yield Finding(
                f"{key}.accessMode",
                f"ReadWriteOnce with registry.replicas: {replicas}: a ReadWriteOnce volume is mounted by one "
                "node, so the replicas cannot share it; use accessMode: ReadWriteMany or registry.replicas: 1",
            )
        if stack.registry.rollout_strategy == "RollingUpdate":
            yield Finding(
                "registry.rolloutStrategy",
                "RollingUpdate with a ReadWriteOnce claim (storage.pvc.accessMode): the operator accepts only "
                "Recreate there, since the new pod cannot mount the volume while the old one holds it; "
                "set Recreate or leave it unset (Recreate is then set for you)",
            )
