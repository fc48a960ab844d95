"""The secret the operator reads storage keys from, and which keys it holds.

Exactly the keys of the storage's credential mode (``components/kinds.py``) and no others: if
``image-registry-private-configuration-user`` exists, the operator stops falling back to the
cluster's own credentials, and another platform's keys break the storage driver.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from components.kinds import kind_of
from components.settings.stack import StackSettings
from components.specs.kube import kube_object
from components.specs.naming import CREDENTIAL_SECRET, REGISTRY_NAMESPACE
from components.specs.objects import Object, Secret

LABELS = {"app.kubernetes.io/managed-by": "pulumi", "app.kubernetes.io/part-of": "openshift-image-registry"}


def secret_keys(stack: StackSettings) -> tuple[str, ...]:
    """The keys the secret must hold; empty means the stack must not create the secret at all."""
    kind = kind_of(stack.storage.kind)
    return kind.mode(stack.storage.selected.credential_mode).keys


def credential_secret(data: Mapping[str, Any]) -> Object:
    """Opaque, exactly ``data``'s keys, every value secret; the operator reads it by its fixed name."""
    body = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": CREDENTIAL_SECRET, "namespace": REGISTRY_NAMESPACE, "labels": dict(LABELS)},
        "type": "Opaque",
        "stringData": {
            key: value if isinstance(value, Secret) else Secret(value) for key, value in sorted(data.items())
        },
    }
    # Imported: its values are the ones the user copied into secret config, set once the entry is removed.
    ignore = ("metadata.labels", "stringData")
    return kube_object("credentials", body, secret_outputs=("data", "stringData"), ready=True, import_ignore=ignore)
