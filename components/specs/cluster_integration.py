"""The cluster-wide objects around the registry, whole: trusted CAs, metrics access, registry roles, the pruner.

Each only when the stack configures it; none of it touches the registry's storage. The Image
config and the ImagePruner are cluster singletons the operators own: patched, never created.
"""

from __future__ import annotations

from components.cluster.state import ClusterState, trusted_ca_configmap
from components.names import CONFIG_NAMESPACE
from components.settings.stack import StackSettings
from components.specs import access, pruner, trusted_cas
from components.specs.kube import cluster_patch, configmap_patch, kube_object
from components.specs.objects import Object, Plan


def plan(stack: StackSettings, cluster: ClusterState | None = None) -> Plan:
    steps: list[Object] = list(_trusted_cas(stack, cluster or ClusterState()))
    if stack.metrics is not None:
        steps.append(kube_object("metrics-role", access.metrics_role(), needed_by_registry=False))
        steps.append(
            kube_object(
                "metrics-binding",
                access.metrics_binding(stack.metrics),
                needed_by_registry=False,
                depends_on=("metrics-role",),
            )
        )
    for binding in stack.roles:
        name = f"{binding.role.removeprefix('system:')}-{binding.namespace or 'cluster'}"
        steps.append(kube_object(name, access.role_binding(binding), needed_by_registry=False))
    spec = pruner.pruner_spec(stack)
    if spec is not None:
        steps.append(cluster_patch("image-pruner", api_version=pruner.API_VERSION, kind=pruner.KIND, spec=spec))
    return Plan(steps=tuple(steps))


def _trusted_cas(stack: StackSettings, cluster: ClusterState) -> list[Object]:
    """The cluster has one additional-trusted-CA ConfigMap for the whole cluster (mirrors, proxies):
    when the Image config already names one of someone else's, our hosts join it (the Image config
    is left as it is); otherwise ours is made and named. Never a silent replacement."""
    if not stack.trusted_cas:
        return []
    data = trusted_cas.configmap(stack)["data"]
    existing = trusted_ca_configmap(cluster)
    if existing is not None:
        name = existing[0]
        if cluster.named("v1", "ConfigMap", CONFIG_NAMESPACE, name) is None:
            body = {**trusted_cas.configmap(stack), "metadata": {"name": name, "namespace": CONFIG_NAMESPACE}}
            return [kube_object("trusted-cas", body, always_retained=True)]
        return [
            configmap_patch(
                "trusted-cas", namespace=CONFIG_NAMESPACE, object_name=name, data=data, always_retained=True
            )
        ]
    return [
        # The Image patch is retained and names this ConfigMap: it must outlive `pulumi destroy` too.
        kube_object("trusted-cas", trusted_cas.configmap(stack), always_retained=True),
        cluster_patch(
            "image-config",
            api_version=trusted_cas.IMAGE_API_VERSION,
            kind=trusted_cas.IMAGE_KIND,
            spec=trusted_cas.image_spec(),
            depends_on=("trusted-cas",),
        ),
    ]
