"""The credential secret the operator reads storage keys from."""

from __future__ import annotations

from collections.abc import Mapping

import pulumi
import pulumi_kubernetes as k8s

from components.specs.naming import CREDENTIAL_SECRET, REGISTRY_NAMESPACE


def credential_secret(
    name: str, data: Mapping[str, pulumi.Output[str]], opts: pulumi.ResourceOptions
) -> k8s.core.v1.Secret:
    """``image-registry-private-configuration-user``: Opaque, exactly ``data``'s keys, every value secret."""
    return k8s.core.v1.Secret(
        name,
        metadata={
            "name": CREDENTIAL_SECRET,
            "namespace": REGISTRY_NAMESPACE,
            "labels": {
                "app.kubernetes.io/managed-by": "pulumi",
                "app.kubernetes.io/part-of": "openshift-image-registry",
            },
        },
        type="Opaque",
        string_data={key: pulumi.Output.secret(value) for key, value in sorted(data.items())},
        opts=opts,
    )
