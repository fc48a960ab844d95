"""Every rendered object checked against the schema the cluster would apply, strictly.

OpenShift's own resources go against the CRDs vendored in ``components/schemas``; core objects
against the Kubernetes OpenAPI schemas that ``kubernetes-validate`` ships. Both are strict: a
field the schema does not know is pruned silently by the API server, so here it is a violation.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from components.crd import CrdName, OpenShiftVersion, crd_schema, violations
from offline.manifests import Manifest

# OpenShift's CRDs, by (apiVersion, kind).
CRDS: dict[tuple[str, str], CrdName] = {
    ("imageregistry.operator.openshift.io/v1", "Config"): "configs",
    ("imageregistry.operator.openshift.io/v1", "ImagePruner"): "imagepruners",
    ("config.openshift.io/v1", "Image"): "images",
}

# The Kubernetes release under each OpenShift choice. kubernetes-validate ships schemas from 1.25
# on; OpenShift 4.6 runs 1.19, whose core objects used here (Secret, ConfigMap, PVC, RBAC v1) have
# the same schema, so the oldest shipped release stands in for it.
KUBERNETES_FOR: dict[OpenShiftVersion, str] = {"latest": "latest", "4.6": "oldest"}


@dataclass(frozen=True)
class Violation:
    manifest: str
    field: str
    rule: str
    schema: str

    def __str__(self) -> str:
        return f"{self.manifest}: {self.field or '(object)'}: {self.rule} [{self.schema}]"


def validate(items: list[Manifest], openshift: OpenShiftVersion) -> list[Violation]:
    found: list[Violation] = []
    for manifest in items:
        crd = CRDS.get((str(manifest.body.get("apiVersion")), manifest.kind))
        if crd is not None:
            schema = f"OpenShift {openshift} CRD {crd}"
            problems = violations(manifest.body, crd_schema(crd, openshift))
            found += [Violation(manifest.label, path, rule, schema) for path, rule in problems]
        else:
            found += _kubernetes(manifest, openshift)
    return found


@cache
def _schemas_cached() -> None:
    """kubernetes-validate re-reads and re-parses its large definitions file on every call; the files
    never change while we run, so each is read once (a third of a preview's validation time)."""
    from kubernetes_validate import utils

    utils.schema_contents = cache(utils.schema_contents)


def _kubernetes(manifest: Manifest, openshift: OpenShiftVersion) -> list[Violation]:
    import kubernetes_validate
    from kubernetes_validate import utils

    _schemas_cached()

    version = kubernetes_version(openshift)
    schema = f"Kubernetes {version}"
    try:
        kubernetes_validate.validate(manifest.body, version, strict=True)
    except kubernetes_validate.ValidationError as error:
        path = ".".join(str(p) for p in error.path)
        return [Violation(manifest.label, path, error.message, schema)]
    except (utils.SchemaNotFoundError, utils.InvalidSchemaError) as error:
        return [Violation(manifest.label, "", f"no schema to check it against ({error})", schema)]
    return []


def kubernetes_version(openshift: OpenShiftVersion) -> str:
    from kubernetes_validate import utils

    versions = sorted(set(utils.all_versions()), key=lambda v: tuple(int(p) for p in v.split(".")))
    return versions[-1] if KUBERNETES_FOR[openshift] == "latest" else versions[0]
