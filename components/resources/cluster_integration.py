"""The cluster-wide objects around the registry: trusted CAs, metrics access, registry roles, the pruner."""

from __future__ import annotations

import pulumi

from components.cluster.state import ClusterState
from components.resources.provider_object import register_plan
from components.settings.stack import StackSettings
from components.specs import cluster_integration


class ClusterIntegration(pulumi.ComponentResource):
    """Registers what ``specs/cluster_integration.py`` plans; see there for what and why."""

    def __init__(
        self,
        name: str,
        *,
        stack: StackSettings,
        cluster: ClusterState | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("openshift-registry:index:ClusterIntegration", name, None, opts)
        plan = cluster_integration.plan(stack, cluster)
        registered = register_plan(plan, prefix=name, parent=self, identity=stack.identity)
        self.resources = registered.objects
        self.register_outputs({})


def needed(stack: StackSettings) -> bool:
    return bool(stack.trusted_cas or stack.metrics or stack.roles or stack.pruner)
