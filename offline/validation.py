"""Every rendered object checked against the schema the cluster would apply, strictly.

OpenShift's own resources go against the CRDs vendored in ``components/schemas``; core objects
against the Kubernetes OpenAPI schemas that ``kubernetes-validate`` ships. Both are strict: a
field the schema does not know is pruned silently by the API server, so here it is a violation.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from components.crd import CrdName, OpenShiftVersion, crd_schema, violations
from components.storage.kinds import config_schema
from components.vendored import kept
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
    """kubernetes-validate's strict schema for one kind, compiled once per run, against the same files
    ``kubernetes_validate.validate`` reads (which re-reads them on every call)."""
    # lazy: jsonschema and the Kubernetes schemas only when objects are validated
    import jsonschema
    from referencing import Registry, Resource

    schema, definitions = kind_schema(version, f"{kind.lower()}-{group_version(api_version)}.json")
    registry = Resource.from_contents(definitions) @ (Resource.from_contents(schema) @ Registry())
    return jsonschema.validators.Draft202012Validator(schema, registry=registry)


def group_version(api_version: str) -> str:
    """``rbac.authorization.k8s.io/v1`` as kubernetes-validate names its files: ``rbac-v1``; ``v1`` stays."""
    return re.sub(r"^([^./]*)(?:\.[^/]*)?/", r"\1-", api_version)


def kind_schema(version: str, name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """One kind's schema and the definitions document it refers to, cut to the definitions it reaches.

    Every kind refers into one ``_definitions.json`` of 1.5 MB, whose parse was most of a preview's
    validation time; what a kind reaches (a Secret: 5 definitions of 862) is kept per machine
    (``components/vendored.py``), made again whenever either file's bytes change. The cut document keeps
    its ``$id`` and paths, so every reference resolves, and every error reads, as against the whole."""
    kind_bytes = (_schema_folder(version) / name).read_bytes()

    def cut() -> tuple[dict[str, Any], dict[str, Any]]:
        schema, definitions = json.loads(kind_bytes), _definitions(version)
        reached: set[str] = set()
        todo = _refs(schema)
        while todo:
            definition = todo.pop().rpartition("#/$defs/")[2]
            if definition not in reached:
                reached.add(definition)
                todo += _refs(definitions["$defs"][definition])
        return schema, {**definitions, "$defs": {key: definitions["$defs"][key] for key in sorted(reached)}}

    return kept(f"kubernetes-{version}-{name}", kind_bytes + b"\0" + _definitions_digest(version), cut)


def _schema_folder(version: str) -> Any:
    # lazy: as above
    from importlib.resources import files

    return files("kubernetes_validate") / "kubernetes-json-schema" / f"v{version}-local-strict"


@cache
def _definitions_bytes(version: str) -> bytes:
    return (_schema_folder(version) / "_definitions.json").read_bytes()


@cache
def _definitions_digest(version: str) -> bytes:
    """Read and hashed once per run, not once per kind."""
    return hashlib.sha256(_definitions_bytes(version)).digest()


@cache
def _definitions(version: str) -> dict[str, Any]:
    """Parsed once per run, and only when a kind's cut is not kept yet."""
    return json.loads(_definitions_bytes(version))


def _refs(schema: Any) -> list[str]:
    """Every ``$ref`` in a schema (a property may itself be named ``$ref``: JSONSchemaProps has one)."""
    found, todo = [], [schema]
    while todo:
        node = todo.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "$ref" and isinstance(value, str):
                    found.append(value)
                else:
                    todo.append(value)
        elif isinstance(node, list):
            todo.extend(node)
    return found


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
