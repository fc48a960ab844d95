"""The spec patched into ``configs.imageregistry.operator.openshift.io/cluster``.

Only fields the stack owns are set, so the server-side-apply patch never fights the operator
over what it writes back (httpSecret, the effective storage block, status).
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

from components.settings.registry import RouteSettings
from components.settings.stack import StackSettings
from components.specs import route_tls

API_VERSION = "imageregistry.operator.openshift.io/v1"
KIND = "Config"
NAME = "cluster"

# Each storage type's spec module: ``cr_storage(stack) -> dict`` (spec.storage.<kind>), and
# optionally ``default_replicas(stack) -> int`` and ``rollout_strategy(stack) -> str | None``
# where the storage constrains them (a ReadWriteOnce volume: one replica, Recreate).
STORAGE_SPECS = {
    "s3": "components.specs.s3",
    "gcs": "components.specs.gcs",
    "azure": "components.specs.azure",
    "pvc": "components.specs.pvc",
    "emptyDir": "components.specs.empty_dir",
}
HA_REPLICAS = 2

_PASS_THROUGH = (
    "logLevel",
    "operatorLogLevel",
    "readOnly",
    "defaultRoute",
    "disableRedirect",
    "proxy",
    "requests",
    "nodeSelector",
    "tolerations",
    "affinity",
    "resources",
)


def storage_spec_module(stack: StackSettings) -> ModuleType:
    return importlib.import_module(STORAGE_SPECS[stack.storage.kind])


def replicas(stack: StackSettings) -> int:
    """As set, else two (high availability) unless the storage allows only one."""
    if stack.registry.replicas is not None:
        return stack.registry.replicas
    default = getattr(storage_spec_module(stack), "default_replicas", None)
    return default(stack) if default else HA_REPLICAS


def rollout_strategy(stack: StackSettings) -> str | None:
    if stack.registry.rollout_strategy:
        return stack.registry.rollout_strategy
    required = getattr(storage_spec_module(stack), "rollout_strategy", None)
    return required(stack) if required else None


def registry_config_spec(stack: StackSettings) -> dict[str, Any]:
    """The Config spec, without ``httpSecret`` (a secret, added by the resource layer)."""
    registry = stack.registry
    spec: dict[str, Any] = {
        "managementState": registry.management_state,
        "replicas": replicas(stack),
    }
    strategy = rollout_strategy(stack)
    if strategy:
        spec["rolloutStrategy"] = strategy
    dumped = registry.model_dump(by_alias=True, exclude_none=True)
    for field in _PASS_THROUGH:
        if field in dumped:
            spec[field] = dumped[field]
    if registry.routes:
        spec["routes"] = [_route(route, stack) for route in registry.routes]
    spec["storage"] = storage_block(stack)
    if stack.storage.kind != "emptyDir":
        # Storage this program provides is Unmanaged: with Managed the operator would rewrite its settings
        # and delete it when the registry is set to Removed. emptyDir has nothing to manage (emptydir.go).
        spec["storage"] = {"managementState": "Unmanaged", **spec["storage"]}
    return spec


def _route(route: RouteSettings, stack: StackSettings) -> dict[str, Any]:
    """As configured; ``secretName`` named (and the Secret made) only when a certificate is given."""
    dumped = route.model_dump(by_alias=True, exclude_none=True)
    if route.name in stack.secrets.route_tls:
        dumped["secretName"] = route_tls.secret_name(route)
    return dumped


def storage_block(stack: StackSettings) -> dict[str, Any]:
    return {stack.storage.kind: storage_spec_module(stack).cr_storage(stack)}


def redacted(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec as it may be shown anywhere: secret fields replaced."""
    out = dict(spec)
    if "httpSecret" in out:
        out["httpSecret"] = "[secret]"
    return out
