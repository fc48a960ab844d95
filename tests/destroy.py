"""The destroy invariant, read from the registrations alone (no stack-by-stack list).

Whatever survives ``pulumi destroy`` (protected or retained on delete) keeps naming what it
depends on; so every resource a survivor depends on, by reference or by a wait, must survive
too. The operator also reads ``image-registry-private-configuration-user`` by its fixed name
(``GetConfig`` in pkg/storage/s3, gcs, azure), so that Secret survives while the registry runs.
A registry set to ``Removed`` reads nothing (``RemoveResources``, pkg/operator/controller.go):
then the Config's own needs may go, never what protected storage needs.
"""

from __future__ import annotations

from collections.abc import Iterator

from components.names import CREDENTIAL_SECRET, REGISTRY_NAMESPACE
from offline.engine import Evaluation, Registration

CONFIG_PATCH = "kubernetes:imageregistry.operator.openshift.io/v1:ConfigPatch"


def survives(resource: Registration) -> bool:
    return resource.protect or resource.retain_on_delete


def registry_removed(evaluation: Evaluation) -> bool:
    (config,) = [r for r in evaluation.registrations if r.type == CONFIG_PATCH]
    return config.inputs["spec"]["managementState"] == "Removed"


def _custom_descendants(urn: str, by_urn: dict[str, Registration], children: dict[str, list[str]]) -> Iterator[str]:
    if by_urn[urn].custom:
        yield urn
        return
    for child in children.get(urn, []):
        yield from _custom_descendants(child, by_urn, children)


def needs(resource: Registration, by_urn: dict[str, Registration], children: dict[str, list[str]]) -> set[str]:
    """The custom resources ``resource`` waits for or takes a value from (components expanded)."""
    direct = set(resource.depends_on)
    for urns in resource.property_dependencies.values():
        direct.update(urns)
    found: set[str] = set()
    for urn in direct & set(by_urn):
        found.update(_custom_descendants(urn, by_urn, children))
    return found


def destroy_violations(evaluation: Evaluation) -> list[str]:
    by_urn = {r.urn: r for r in evaluation.registrations}
    children: dict[str, list[str]] = {}
    for r in evaluation.registrations:
        children.setdefault(r.parent, []).append(r.urn)
    removed = registry_removed(evaluation)
    found = []
    for resource in evaluation.registrations:
        if not (resource.custom and survives(resource)):
            continue
        if removed and resource.type == CONFIG_PATCH:
            continue
        for urn in sorted(needs(resource, by_urn, children)):
            if not survives(by_urn[urn]):
                found.append(f"{resource.name} survives destroy but {by_urn[urn].name} ({by_urn[urn].type}) does not")
    for resource in evaluation.registrations:
        metadata = resource.inputs.get("metadata") if resource.type == "kubernetes:core/v1:Secret" else None
        if not isinstance(metadata, dict):
            continue
        fixed = (metadata.get("name"), metadata.get("namespace")) == (CREDENTIAL_SECRET, REGISTRY_NAMESPACE)
        if fixed and not removed and not resource.retain_on_delete:
            found.append(f"{resource.name}: the operator reads {CREDENTIAL_SECRET} by name, yet destroy deletes it")
    return found
