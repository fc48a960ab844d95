"""RBAC for the registry: the metrics scraper role and the documented registry roles."""

from __future__ import annotations

from typing import Any

from components.settings.access import RoleBindingSettings, Subjects

METRICS_ROLE = "prometheus-scraper"
METRICS_RULES = [{"apiGroups": ["image.openshift.io"], "resources": ["registry/metrics"], "verbs": ["get"]}]
RBAC_GROUP = "rbac.authorization.k8s.io"
RBAC_API_VERSION = f"{RBAC_GROUP}/v1"


def subjects(who: Subjects) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = [{"kind": "User", "apiGroup": RBAC_GROUP, "name": user} for user in who.users]
    found += [{"kind": "Group", "apiGroup": RBAC_GROUP, "name": group} for group in who.groups]
    for account in who.service_accounts:
        namespace, _, name = account.partition("/")
        found.append({"kind": "ServiceAccount", "name": name, "namespace": namespace})
    return found


def cluster_role_ref(name: str) -> dict[str, str]:
    return {"apiGroup": RBAC_GROUP, "kind": "ClusterRole", "name": name}


def binding_name(role: str) -> str:
    """``openshift-registry-registry-viewer``; ``system:image-builder`` -> ``...-image-builder``."""
    return f"openshift-registry-{role.removeprefix('system:')}"


def role_binding(binding: RoleBindingSettings) -> dict[str, Any]:
    """A RoleBinding in the project, or a ClusterRoleBinding without one; both refer to the ClusterRole."""
    metadata: dict[str, Any] = {"name": binding_name(binding.role)}
    if binding.namespace:
        metadata["namespace"] = binding.namespace
    return {
        "apiVersion": RBAC_API_VERSION,
        "kind": "RoleBinding" if binding.namespace else "ClusterRoleBinding",
        "metadata": metadata,
        "roleRef": cluster_role_ref(binding.role),
        "subjects": subjects(binding),
    }


def metrics_role() -> dict[str, Any]:
    """The documented ``prometheus-scraper`` role: ``get`` on ``registry/metrics``."""
    return {
        "apiVersion": RBAC_API_VERSION,
        "kind": "ClusterRole",
        "metadata": {"name": METRICS_ROLE},
        "rules": METRICS_RULES,
    }


def metrics_binding(who: Subjects) -> dict[str, Any]:
    return {
        "apiVersion": RBAC_API_VERSION,
        "kind": "ClusterRoleBinding",
        "metadata": {"name": binding_name(METRICS_ROLE)},
        "roleRef": cluster_role_ref(METRICS_ROLE),
        "subjects": subjects(who),
    }
