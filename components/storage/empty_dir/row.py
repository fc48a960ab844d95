"""The emptyDir row of the storage-kind table."""

from __future__ import annotations

from components.storage.empty_dir.settings import EmptyDirSettings
from components.storage.kind import NO_OBJECT_STORAGE, NO_SECRET, VOLUME, StorageKind

ROW = StorageKind(
    field="emptyDir",
    package=__package__,
    model=EmptyDirSettings,
    cr_fields=(),
    platforms=(
        "aws",
        "gcp",
        "azure",
        "baremetal",
        "vsphere",
        "openstack",
        "ibmcloud",
        "powervs",
        *NO_OBJECT_STORAGE,
    ),
    credential_modes=NO_SECRET,
    unprobed=VOLUME,
    component_type=None,
    # The operator has nothing to manage for it (pkg/storage/emptydir/emptydir.go).
    unmanaged=False,
)
