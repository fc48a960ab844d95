"""Custom route certificates: one ``kubernetes.io/tls`` Secret per route that has one."""

from __future__ import annotations

from components.names import REGISTRY_NAMESPACE
from components.settings.registry import RouteSettings
from components.settings.secrets import RouteTlsSettings
from components.settings.stack import StackSettings
from components.specs.kube import kube_object
from components.specs.objects import Object, Secret


def routes_with_certificates(stack: StackSettings) -> list[RouteSettings]:
    return [route for route in stack.registry.routes if route.name in stack.secrets.route_tls]


def tls_secret(route: RouteSettings, tls: RouteTlsSettings) -> Object:
    """Certificate and key stay secret; the Config names the Secret and waits for it."""
    body = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": route.tls_secret, "namespace": REGISTRY_NAMESPACE},
        "type": "kubernetes.io/tls",
        "stringData": Secret({"tls.crt": tls.certificate.get_secret_value(), "tls.key": tls.key.get_secret_value()}),
    }
    return kube_object(
        f"route-{route.name}-tls",
        body,
        secret_outputs=("data", "stringData"),
        ready=True,
        import_ignore=("stringData",),
    )
