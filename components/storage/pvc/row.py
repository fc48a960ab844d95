"""The persistent volume claim row of the storage-kind table."""

from __future__ import annotations

from components.names import DEFAULT_CLAIM
from components.storage.kind import NO_OBJECT_STORAGE, NO_SECRET, VOLUME, StorageKind
from components.storage.pvc.settings import PvcSettings

ROW = StorageKind(
    field="pvc",
    package=__package__,
    model=PvcSettings,
    cr_fields=PvcSettings.CR_FIELDS,
    platforms=("baremetal", "vsphere", "openstack", *NO_OBJECT_STORAGE),
    credential_modes=NO_SECRET,
    unprobed=VOLUME,
    location_fields=("claim",),
    copy_hint="e.g. a pod in openshift-image-registry that mounts both claims and copies /registry",
    component_type="openshift-registry:storage:PvcStorage",
    # An empty claim: the operator makes image-registry-storage and writes its name (pkg/storage/pvc).
    implied={"claim": DEFAULT_CLAIM},
)
