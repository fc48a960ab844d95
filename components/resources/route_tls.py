"""The TLS Secrets of custom registry routes."""

from __future__ import annotations

import pulumi

from components.resources.kube import kube_object
from components.settings.stack import StackSettings
from components.specs import route_tls
from components.specs.naming import REGISTRY_NAMESPACE


def route_tls_secrets(stack: StackSettings, opts: pulumi.ResourceOptions) -> list[pulumi.Resource]:
    """One ``kubernetes.io/tls`` Secret per route with a custom certificate; certificate and key stay secret."""
    routes = route_tls.routes_with_certificates(stack)
    if not routes:
        return []
    secrets: list[pulumi.Resource] = []
    for route in routes:
        tls = stack.secrets.route_tls[route.name]
        secrets.append(
            kube_object(
                f"registry-route-{route.name}-tls",
                api_version="v1",
                kind="Secret",
                fields={
                    "metadata": {"name": route_tls.secret_name(route), "namespace": REGISTRY_NAMESPACE},
                    "type": "kubernetes.io/tls",
                    "stringData": pulumi.Output.secret(
                        {"tls.crt": tls.certificate.get_secret_value(), "tls.key": tls.key.get_secret_value()}
                    ),
                },
                opts=opts,
                secret_outputs=["data", "stringData"],
            )
        )
    return secrets
