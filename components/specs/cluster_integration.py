"""The cluster-wide objects around the registry, whole: trusted CAs, metrics access, registry roles, the pruner.

Each only when the stack configures it; none of it touches the registry's storage. The Image
config and the ImagePruner are cluster singletons the operators own: patched, never created.
"""

from __future__ import annotations

from components.settings.stack import StackSettings
from components.specs import access, pruner, trusted_cas
from components.specs.kube import cluster_patch, kube_object
from components.specs.objects import Object, Plan


def plan(stack: StackSettings) -> Plan:
    steps: list[Object] = []
    if stack.trusted_cas:
        # The Image patch is retained and names this ConfigMap: it must outlive `pulumi destroy` too.
        steps.append(kube_object("trusted-cas", trusted_cas.configmap(stack), always_retained=True))
        steps.append(
            cluster_patch(
                "image-config",
                api_version=trusted_cas.IMAGE_API_VERSION,
                kind=trusted_cas.IMAGE_KIND,
                spec=trusted_cas.image_spec(),
                depends_on=("trusted-cas",),
            )
        )
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
