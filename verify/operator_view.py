"""The operator's view: its conditions, and whether the live Config is what the stack sets."""

from __future__ import annotations

from typing import Any

from components.checks import Check, failed, not_run, passed
from components.cluster.state import USER_SECRET, ClusterState
from components.names import CREDENTIAL_SECRET, INSTALLER_SECRET, REGISTRY_NAMESPACE
from components.settings.stack import StackSettings
from components.specs.registry_config import registry_config_spec
from components.storage.kinds import kind_of

AREA = "operator"
CLUSTER_OPERATOR = ("config.openshift.io/v1", "ClusterOperator", "", "image-registry")
# Condition -> the status that is healthy (the Config's, and the ClusterOperator's).
HEALTHY = {"Available": "True", "Progressing": "False", "Degraded": "False", "StorageExists": "True"}
# Set by the operator's drivers while it manages the storage (pkg/defaults/defaults.go; s3.go and
# gcs.go CreateStorage); healthy when True. With storage.managementState Unmanaged it stops
# updating them, so what is left is stale and the "storage as intended" view reads the storage itself.
STORAGE_CONDITIONS = (
    "StorageTagged",
    "StorageLabeled",
    "StorageEncrypted",
    "StoragePublicAccessBlocked",
    "StorageIncompleteUploadCleanupEnabled",
)


def _conditions(body: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    return {c.get("type"): c for c in ((body or {}).get("status") or {}).get("conditions") or [] if isinstance(c, dict)}


def checks(stack: StackSettings, state: ClusterState) -> list[Check]:
    config = state.config
    if config is None:
        return [
            not_run(
                AREA, "registry Config", f"{state.source} has no configs.imageregistry.operator.openshift.io cluster"
            )
        ]
    found = []
    for source, body, names in (
        ("Config", config, HEALTHY),
        ("ClusterOperator", state.get(CLUSTER_OPERATOR), {k: v for k, v in HEALTHY.items() if k != "StorageExists"}),
    ):
        conditions = _conditions(body)
        for name, healthy in names.items():
            if (condition := conditions.get(name)) is None:
                found.append(not_run(AREA, f"{source} {name}", f"no {name} condition on {state.source}"))
            else:
                found.append(_condition(f"{source} {name}", condition, healthy, LOGS))
    found += _storage_conditions(config)
    found += _matches(stack, config)
    found += _unmanaged(config)
    found += _shadowed(stack, state)
    return found


def _unmanaged(config: dict[str, Any]) -> list[Check]:
    """A registry set to Unmanaged reports Available/Progressing/Degraded healthy, with reason Unmanaged,
    although the operator reconciles nothing: the conditions above then say nothing about the registry."""
    if (config.get("spec") or {}).get("managementState") != "Unmanaged":
        return []
    return [
        failed(
            AREA,
            "registry managed",
            "spec.managementState is Unmanaged: the operator reconciles nothing, and its healthy conditions "
            "(reason Unmanaged) say nothing about the registry",
            "set registry.managementState: Managed in the stack and `pulumi up` (or find who set Unmanaged)",
        )
    ]


def _shadowed(stack: StackSettings, state: ClusterState) -> list[Check]:
    """While image-registry-private-configuration-user exists, every driver reads only its keys and ignores
    installer-cloud-credentials (GetConfig, pkg/storage/<kind>): a keyless mode is silently off."""
    kind = kind_of(stack.storage.kind)
    mode = kind.mode(stack.storage.selected.credential_mode)
    if mode.secret != INSTALLER_SECRET or state.get(USER_SECRET) is None:
        return []
    return [
        failed(
            AREA,
            "keyless credentials in use",
            f"{CREDENTIAL_SECRET} exists: the operator reads only its keys and ignores the {mode.name} credentials "
            f"in {INSTALLER_SECRET}",
            f"oc delete secret {CREDENTIAL_SECRET} -n {REGISTRY_NAMESPACE} (the operator then uses {INSTALLER_SECRET})",
        )
    ]


LOGS = "read the operator's logs: oc logs -n openshift-image-registry deployment/cluster-image-registry-operator"


def _condition(label: str, condition: dict[str, Any], healthy: str, fix: str) -> Check:
    name, status = condition.get("type"), condition.get("status")
    if status == healthy:
        return passed(AREA, label, f"{name}={healthy}")
    why = condition.get("message") or condition.get("reason") or ""
    return failed(AREA, label, f"{name}={status}: {why}"[:300], fix)


def _storage_conditions(config: dict[str, Any]) -> list[Check]:
    storage = (config.get("spec") or {}).get("storage") or {}
    if storage.get("managementState") == "Unmanaged":
        return []
    conditions = _conditions(config)
    fix = f"the operator could not set this on the storage it manages (its message names why); {LOGS}"
    return [
        _condition(f"Config {name}", conditions[name], "True", fix) for name in STORAGE_CONDITIONS if name in conditions
    ]


def _matches(stack: StackSettings, config: dict[str, Any]) -> list[Check]:
    """The live spec holds what the stack sets: exactly one storage type, its block, replicas, routes."""
    live = config.get("spec") or {}
    wanted = registry_config_spec(stack)
    found = []
    kinds = [k for k in (live.get("storage") or {}) if k != "managementState"]
    if kinds == [stack.storage.kind]:
        found.append(passed(AREA, "one storage type", stack.storage.kind))
    else:
        fix = "run `python -m offline --stack NAME --cluster DUMP`: it names the field and the fix"
        found.append(failed(AREA, "one storage type", f"the Config holds {', '.join(kinds) or 'none'}", fix))
    block = (live.get("storage") or {}).get(stack.storage.kind) or {}
    drift = {k: (v, block.get(k)) for k, v in wanted["storage"][stack.storage.kind].items() if block.get(k) != v}
    for field in ("replicas", "managementState"):
        if live.get(field) != wanted.get(field):
            drift[field] = (wanted.get(field), live.get(field))
    live_routes = {r.get("name"): r for r in live.get("routes") or []}
    for route in wanted.get("routes", []):
        if live_routes.get(route["name"], {}).get("hostname") != route.get("hostname"):
            drift[f"routes[{route['name']}]"] = (
                route.get("hostname"),
                live_routes.get(route["name"], {}).get("hostname"),
            )
    if drift:
        listed = "; ".join(f"{k}: stack {a!r}, cluster {b!r}" for k, (a, b) in sorted(drift.items()))
        found.append(
            failed(
                AREA, "Config as the stack sets it", listed[:400], "run `pulumi up --refresh` (and find who changed it)"
            )
        )
    else:
        found.append(passed(AREA, "Config as the stack sets it", "storage, replicas, routes"))
    return found
