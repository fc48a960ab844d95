"""The list of storage kinds: adding a kind is its folder and one line here.

Everything outside a kind's folder reads its row through this list (``kind_of``, ``KINDS``).
"""

from __future__ import annotations

from typing import Any

from components import crd
from components.storage.azure.row import ROW as AZURE
from components.storage.empty_dir.row import ROW as EMPTY_DIR
from components.storage.gcs.row import ROW as GCS
from components.storage.ibmcos.row import ROW as IBMCOS
from components.storage.kind import StorageKind
from components.storage.pvc.row import ROW as PVC
from components.storage.s3.row import ROW as S3
from components.storage.swift.row import ROW as SWIFT

# In the Config CR's order of its storage fields, which is also the order messages list them in.
KINDS: tuple[StorageKind, ...] = (S3, GCS, AZURE, SWIFT, IBMCOS, PVC, EMPTY_DIR)
BY_FIELD = {kind.field: kind for kind in KINDS}
PLATFORMS: tuple[str, ...] = tuple(dict.fromkeys(p for kind in KINDS for p in kind.platforms))


def kinds_on(platform: str) -> tuple[str, ...]:
    return tuple(kind.field for kind in KINDS if platform in kind.platforms)


def kind_of(field: str) -> StorageKind:
    return BY_FIELD[field]


# When each kind's field, and each field of its block, first appeared in the Config CRD.
FIELDS_SINCE = tuple(
    [(("spec", "storage", kind.field), kind.since) for kind in KINDS if kind.since]
    + [(("spec", "storage", kind.field, name), since) for kind in KINDS for name, since in kind.fields_since.items()]
)


def config_schema(version: str | None = None) -> dict[str, Any]:
    """The Config CRD as the API server of OpenShift ``version`` serves it, the kinds' fields included."""
    return crd.config_schema(version, FIELDS_SINCE)
