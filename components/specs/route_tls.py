"""Custom route certificates: one ``kubernetes.io/tls`` Secret per route that has one."""

from __future__ import annotations

from components.settings.registry import RouteSettings
from components.settings.stack import StackSettings


def secret_name(route: RouteSettings) -> str:
    return route.secret_name or f"{route.name}-tls"


def routes_with_certificates(stack: StackSettings) -> list[RouteSettings]:
    return [route for route in stack.registry.routes if route.name in stack.secrets.route_tls]
