"""Which objects of a stack may be imported (``openshift-registry:import``), checked before any is registered.

A registry configured by hand already has its bucket, claim, credential secret, route TLS secrets:
the stack takes them over with Pulumi's ``import`` option instead of failing on "already exists".
The keys are the objects' names in the plan (``bucket``, ``claim``, ``credentials``,
``route-<name>-tls``), the values their provider ids.
"""

from __future__ import annotations

from components.cluster.state import ClusterState
from components.errors import Finding
from components.settings.stack import StackSettings
from components.specs import cluster_integration, route_tls
from components.specs.credential_secret import credential_secret, secret_keys
from components.specs.objects import Object
from components.specs.storage import spec_of
from components.storage.kinds import kind_of


def importable(stack: StackSettings, cluster: ClusterState | None = None) -> dict[str, str]:
    """Plan name -> type of every object the stack would create (patches are never imported)."""
    kind = kind_of(stack.storage.kind)
    plan = spec_of(kind).plan(stack.storage.selected, stack.identity, stack.secrets, stack.registry)
    objects = [step for step in plan.steps if isinstance(step, Object)]
    if secret_keys(stack):
        objects.append(credential_secret(dict.fromkeys(secret_keys(stack), "")))
    objects += [
        route_tls.tls_secret(r, stack.secrets.route_tls[r.name]) for r in route_tls.routes_with_certificates(stack)
    ]
    objects += [s for s in cluster_integration.plan(stack, cluster).steps if isinstance(s, Object)]
    return {obj.name: obj.type for obj in objects if not obj.type.endswith("Patch")}


def import_findings(stack: StackSettings, cluster: ClusterState | None = None) -> list[Finding]:
    if not stack.imports:
        return []
    known = importable(stack, cluster)
    found = []
    for name, object_id in sorted(stack.imports.items()):
        if name not in known:
            listed = ", ".join(sorted(known)) or "none"
            found.append(Finding(f"import.{name}", f"names no object this stack creates; it creates {listed}"))
        elif not object_id.strip():
            found.append(Finding(f"import.{name}", f"is empty: give the existing {known[name]}'s id"))
    return found
