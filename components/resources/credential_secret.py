"""The credential secret the operator reads storage keys from."""

from __future__ import annotations

from collections.abc import Mapping

import pulumi

from components.resources.kube import kube_object
from components.specs.naming import CREDENTIAL_SECRET, REGISTRY_NAMESPACE


def credential_secret(
    name: str, data: Mapping[str, pulumi.Output[str]], opts: pulumi.ResourceOptions
) -> pulumi.CustomResource:
    """``image-registry-private-configuration-user``: Opaque, exactly ``data``'s keys, every value secret."""
    return kube_object(
        name,
        api_version="v1",
        kind="Secret",
        fields={
            "metadata": {
                "name": CREDENTIAL_SECRET,
                "namespace": REGISTRY_NAMESPACE,
                "labels": {
                    "app.kubernetes.io/managed-by": "pulumi",
                    "app.kubernetes.io/part-of": "openshift-image-registry",
                },
            },
            "type": "Opaque",
            "stringData": {key: pulumi.Output.secret(value) for key, value in sorted(data.items())},
        },
        opts=opts,
        secret_outputs=["data", "stringData"],
    )
