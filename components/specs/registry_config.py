"""The spec patched into ``configs.imageregistry.operator.openshift.io/cluster``.

Only fields the stack owns are set, so the server-side-apply patch never fights the operator
over what it writes back (httpSecret, the effective storage block, status).
"""

from __future__ import annotations

from typing import Any

from components.settings.registry import CR_FIELDS, RouteSettings
from components.settings.stack import StackSettings
from components.specs.kube import cluster_patch
from components.specs.objects import Object, Secret
from components.specs.storage import spec_of
from components.storage.kinds import kind_of

API_VERSION = "imageregistry.operator.openshift.io/v1"
KIND = "Config"
NAME = "cluster"
# CR fields the spec derives rather than copies: defaults from the storage, routes with their Secrets.
_DERIVED = ("managementState", "replicas", "rolloutStrategy", "routes")


def replicas(stack: StackSettings) -> int:
    """As set, else what the storage allows (two, for high availability, where it allows more)."""
    if stack.registry.replicas is not None:
        return stack.registry.replicas
    if stack.cluster.infrastructure_topology == "SingleReplica":
        return 1  # as the operator's Bootstrap does on single-node OpenShift (pkg/operator/bootstrap.go)
    return spec_of(kind_of(stack.storage.kind)).default_replicas(stack.storage.selected, stack.registry)


def rollout_strategy(stack: StackSettings) -> str | None:
    if stack.registry.rollout_strategy:
        return stack.registry.rollout_strategy
    return spec_of(kind_of(stack.storage.kind)).rollout_strategy(stack.storage.selected, stack.registry)


def registry_config_spec(stack: StackSettings) -> dict[str, Any]:
    """The Config spec, without ``httpSecret`` (a secret: ``config_patch`` adds it)."""
    registry = stack.registry
    spec: dict[str, Any] = {"managementState": registry.management_state, "replicas": replicas(stack)}
    strategy = rollout_strategy(stack)
    if strategy:
        spec["rolloutStrategy"] = strategy
    dumped = registry.model_dump(by_alias=True, exclude_none=True)
    for field in CR_FIELDS:
        if field in dumped and field not in _DERIVED:
            spec[field] = dumped[field]
    if registry.routes:
        spec["routes"] = [_route(route, stack) for route in registry.routes]
    spec["storage"] = storage_block(stack)
    if stack.storage.storage_kind.unmanaged:
        # Storage this program provides is Unmanaged: with Managed the operator would rewrite its settings
        # and delete it when the registry is set to Removed (the row says where there is nothing to manage).
        spec["storage"] = {"managementState": "Unmanaged", **spec["storage"]}
    return spec


def config_patch(stack: StackSettings) -> Object:
    """The whole patch, ``httpSecret`` a secret; the Config waits for storage and secrets (resources)."""
    spec: dict[str, Any] = registry_config_spec(stack)
    if stack.secrets.http_secret is not None:
        spec["httpSecret"] = Secret(stack.secrets.http_secret.get_secret_value())
    return cluster_patch("config", api_version=API_VERSION, kind=KIND, spec=spec)


def _route(route: RouteSettings, stack: StackSettings) -> dict[str, Any]:
    """As configured; ``secretName`` named (and the Secret made) only when a certificate is given."""
    dumped = route.model_dump(by_alias=True, exclude_none=True)
    if route.name in stack.secrets.route_tls:
        dumped["secretName"] = route.tls_secret
    return dumped


def storage_block(stack: StackSettings) -> dict[str, Any]:
    kind = kind_of(stack.storage.kind)
    return {kind.field: dict(spec_of(kind).cr_storage(stack.storage.selected, stack.identity))}


def redacted(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec as it may be shown anywhere: secret fields replaced."""
    out = dict(spec)
    if "httpSecret" in out:
        out["httpSecret"] = "[secret]"
    return out
