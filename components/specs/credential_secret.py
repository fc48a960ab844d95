"""The secret the operator reads storage credentials from, and which keys it holds.

Exactly the keys of the storage's credential mode (``components/storage/kinds.py``) and no others. For
static keys that is ``image-registry-private-configuration-user``: while it exists the operator
stops falling back to the cluster's own credentials, and another platform's keys break the
storage driver. Keyless modes write ``installer-cloud-credentials`` instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from components.names import (
    CREATED_ANNOTATION,
    CREDENTIAL_SECRET,
    INSTALLER_SECRET,
    ISSUER_ANNOTATION,
    LABELS,
    REGISTRY_NAMESPACE,
)
from components.settings.stack import StackSettings
from components.specs.kube import PATCH_ANNOTATIONS, kube_object, type_token
from components.specs.objects import Object, Secret
from components.storage.kinds import kind_of


def secret_keys(stack: StackSettings) -> tuple[str, ...]:
    """The keys the secret must hold; empty means the stack must not create a secret at all."""
    kind = kind_of(stack.storage.kind)
    return kind.secret_keys(kind.mode(stack.storage.selected.credential_mode), stack.cluster.openshift_version)


def secret_name(stack: StackSettings) -> str | None:
    """Which Secret the operator reads the storage's credentials from (None: it reads none)."""
    return kind_of(stack.storage.kind).mode(stack.storage.selected.credential_mode).secret


def created_by_this_program(body: Mapping[str, Any]) -> bool:
    annotations = (body.get("metadata") or {}).get("annotations") or {}
    return isinstance(annotations, Mapping) and annotations.get(CREATED_ANNOTATION) == "true"


def credential_secret(
    data: Mapping[str, Any], name: str = CREDENTIAL_SECRET, *, exists: bool = False, issuer: str | None = None
) -> Object:
    """Opaque, exactly ``data``'s keys, every value secret; the operator reads it by its fixed name.

    ``installer-cloud-credentials`` (keyless modes) usually exists already, applied from ccoctl's
    output at install time: then its data is written by a server-side-apply patch under this
    program's field manager (``exists``); it is created only where the cluster has none.
    """
    string_data = {key: value if isinstance(value, Secret) else Secret(value) for key, value in sorted(data.items())}
    metadata: dict[str, Any] = {"name": name, "namespace": REGISTRY_NAMESPACE, "labels": dict(LABELS)}
    if exists:
        body = {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {**metadata, "annotations": dict(PATCH_ANNOTATIONS)},
            "stringData": string_data,
        }
        patch = type_token("v1", "SecretPatch")
        # Kept whatever the registry's state: deleting a force-applied patch would strip ccoctl's data, and
        # re-enabling the registry later would fail (ccoctl's secret is the cluster's, not this stack's).
        return Object(
            "credentials", patch, body, secret_outputs=("data", "stringData"), ready=True, always_retained=True
        )
    if issuer:
        metadata["annotations"] = {ISSUER_ANNOTATION: issuer}
    if name == INSTALLER_SECRET:
        metadata["annotations"] = {CREATED_ANNOTATION: "true"}
    body = {"apiVersion": "v1", "kind": "Secret", "metadata": metadata, "type": "Opaque", "stringData": string_data}
    # Imported: its values are the ones the user copied into secret config, set once the entry is removed.
    ignore = ("metadata.labels", "stringData")
    return kube_object("credentials", body, secret_outputs=("data", "stringData"), ready=True, import_ignore=ignore)
