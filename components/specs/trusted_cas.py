"""Additional trusted CAs: the ConfigMap in ``openshift-config`` and the Image config patch."""

from __future__ import annotations

from typing import Any

from components.names import CONFIG_NAMESPACE, TRUSTED_CA_CONFIGMAP
from components.settings.stack import StackSettings

IMAGE_API_VERSION = "config.openshift.io/v1"
IMAGE_KIND = "Image"


def data_key(host: str) -> str:
    """``registry.example.com:5000`` -> ``registry.example.com..5000``: a ConfigMap key allows no ``:``."""
    return host.replace(":", "..")


def configmap(stack: StackSettings) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": TRUSTED_CA_CONFIGMAP, "namespace": CONFIG_NAMESPACE},
        "data": {data_key(host): bundle for host, bundle in sorted(stack.trusted_cas.items())},
    }


def image_spec() -> dict[str, Any]:
    return {"additionalTrustedCA": {"name": TRUSTED_CA_CONFIGMAP}}
