"""Every rendered object checked against the schema the cluster would apply, strictly.

OpenShift's own resources go against the CRDs vendored in ``components/schemas``; core objects
against the Kubernetes OpenAPI schemas that ``kubernetes-validate`` ships. Both are strict: a
field the schema does not know is pruned silently by the API server, so here it is a violation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from components.crd import CrdName, OpenShiftVersion, crd_schema, violations
from components.storage.kinds import config_schema
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


def validate(items: list[Manifest], openshift: OpenShiftVersion, release: str | None = None) -> list[Violation]:
    """``release``: the stack's OpenShift release (``4.10``), when known: the Config is checked against
    that release's CRD (``config_schema``: the fields it has, so a field the version gates allow, such
    as ``storage.ibmcos`` on 4.9, is never refused because an older vendored file lacks it)."""
    found: list[Violation] = []
    for manifest in items:
        crd = CRDS.get((str(manifest.body.get("apiVersion")), manifest.kind))
        if crd is not None:
            if crd == "configs" and release is not None:
                schema, definition = f"OpenShift {release} CRD {crd}", config_schema(release)
            else:
                schema, definition = f"OpenShift {openshift} CRD {crd}", crd_schema(crd, openshift)
            problems = violations(manifest.body, definition)
            found += [Violation(manifest.label, path, rule, schema) for path, rule in problems]
        else:
            found += _kubernetes(manifest, openshift)
    return found


@cache
def _kubernetes_validator(version: str, kind: str, api_version: str) -> Any:
    """kubernetes-validate's strict schema for one kind, read and compiled once per run.

    ``kubernetes_validate.validate`` re-reads and re-parses its large definitions file on every
    call (a third of a preview's validation time); this does what it does, with the same files,
    once per kind, instead of patching the library for the whole process.
    """
    # lazy: jsonschema and the Kubernetes schemas only when objects are validated
    import jsonschema
    from kubernetes_validate import utils
    from referencing import Registry, Resource

    group_version = re.sub(r"^([^./]*)(?:\.[^/]*)?/", r"\1-", api_version)
    path = f"kubernetes-json-schema/v{version}-local-strict/{kind.lower()}-{group_version}.json"
    schema = utils.schema_contents(path, version)
    registry = _definitions(version) @ (Resource.from_contents(schema) @ Registry())
    return jsonschema.validators.Draft202012Validator(schema, registry=registry)


@cache
def _definitions(version: str) -> Any:
    """The definitions every kind's schema refers to (1.5 MB of JSON): read once per run, not once per kind."""
    # lazy: as above
    from kubernetes_validate import utils
    from referencing import Resource

    return Resource.from_contents(
        utils.schema_contents(f"kubernetes-json-schema/v{version}-local-strict/_definitions.json", version)
    )


def _kubernetes(manifest: Manifest, openshift: OpenShiftVersion) -> list[Violation]:
    # lazy: as above
    import jsonschema

    version = kubernetes_version(openshift)
    schema = f"Kubernetes {version}"
    try:
        validator = _kubernetes_validator(version, manifest.kind, str(manifest.body.get("apiVersion")))
    except (FileNotFoundError, ValueError) as error:
        return [Violation(manifest.label, "", f"no schema to check it against ({error})", schema)]
    error = jsonschema.exceptions.best_match(validator.iter_errors(manifest.body))
    if error is None:
        return []
    return [Violation(manifest.label, ".".join(str(p) for p in error.path), error.message, schema)]


def kubernetes_version(openshift: OpenShiftVersion) -> str:
    # lazy: as above
    from kubernetes_validate import utils

    versions = sorted(set(utils.all_versions()), key=lambda v: tuple(int(p) for p in v.split(".")))
    return versions[-1] if KUBERNETES_FOR[openshift] == "latest" else versions[0]
