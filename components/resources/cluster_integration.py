"""The cluster-wide objects around the registry: trusted CAs, metrics access, registry roles, the pruner."""

from __future__ import annotations

import pulumi

from components.resources.cluster_patch import cluster_patch
from components.resources.kube import kube_object
from components.settings.stack import StackSettings
from components.specs import access, pruner, trusted_cas


class ClusterIntegration(pulumi.ComponentResource):
    """Each part only when the stack configures it; none of it touches the registry's storage.

    The Image config and the ImagePruner are cluster singletons the operators own: they are
    patched (server-side apply) and retained on delete, never created or replaced.
    """

    def __init__(self, name: str, *, stack: StackSettings, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("openshift-registry:index:ClusterIntegration", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.trusted_cas = self.image_config = None
        if stack.trusted_cas:
            # The Image patch is retained and names this ConfigMap: it must outlive `pulumi destroy` too.
            self.trusted_cas = kube_object(
                f"{name}-trusted-cas",
                api_version="v1",
                kind="ConfigMap",
                fields=trusted_cas.configmap(stack),
                opts=pulumi.ResourceOptions(parent=self, retain_on_delete=True),
            )
            self.image_config = cluster_patch(
                f"{name}-image-config",
                api_version=trusted_cas.IMAGE_API_VERSION,
                kind=trusted_cas.IMAGE_KIND,
                spec=trusted_cas.image_spec(),
                opts=pulumi.ResourceOptions(parent=self, depends_on=[self.trusted_cas]),
            )
        self.metrics_role = self.metrics_binding = None
        if stack.metrics is not None:
            self.metrics_role = kube_object(
                f"{name}-metrics-role",
                api_version=access.RBAC_API_VERSION,
                kind="ClusterRole",
                fields={"metadata": {"name": access.METRICS_ROLE}, "rules": access.METRICS_RULES},
                opts=child,
            )
            self.metrics_binding = kube_object(
                f"{name}-metrics-binding",
                api_version=access.RBAC_API_VERSION,
                kind="ClusterRoleBinding",
                fields=access.metrics_binding(stack.metrics),
                opts=pulumi.ResourceOptions(parent=self, depends_on=[self.metrics_role]),
            )
        self.role_bindings: list[pulumi.Resource] = []
        for binding in stack.roles:
            kind = "RoleBinding" if binding.namespace else "ClusterRoleBinding"
            resource_name = f"{name}-{binding.role.removeprefix('system:')}-{binding.namespace or 'cluster'}"
            fields = access.role_binding(binding)
            self.role_bindings.append(
                kube_object(resource_name, api_version=access.RBAC_API_VERSION, kind=kind, fields=fields, opts=child)
            )
        self.pruner = None
        spec = pruner.pruner_spec(stack)
        if spec is not None:
            self.pruner = cluster_patch(
                f"{name}-image-pruner", api_version=pruner.API_VERSION, kind=pruner.KIND, spec=spec, opts=child
            )
        self.register_outputs({})


def needed(stack: StackSettings) -> bool:
    return bool(stack.trusted_cas or stack.metrics or stack.roles or stack.pruner)
