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
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from components.crd import CrdName, OpenShiftVersion, crd_schema, violations
from components.remembered import Checker, answered, file_signature
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


@cache
def _schemas() -> Path:
    """kubernetes-validate's schema folder, found without importing the package (which imports
    jsonschema, needed only for a question not answered already: ``components/remembered.py``)."""
    spec = find_spec("kubernetes_validate")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("kubernetes-validate is not installed")
    return Path(spec.submodule_search_locations[0]) / "kubernetes-json-schema"


@cache
def _schema_folder(version: str) -> Path:
    return _schemas() / f"v{version}-local-strict"


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


# Who answers for core objects (``_kubernetes``) and which releases there are (``kubernetes_version``).
KUBERNETES_VIOLATIONS = Checker(
    "kubernetes-violations",
    modules=("offline.validation", "components.vendored"),
    packages=("jsonschema", "referencing", "rpds", "jsonschema_specifications", "attr", "attrs"),
)
KUBERNETES_RELEASES = Checker(
    "kubernetes-releases", ("offline.validation",), ("kubernetes_validate", "importlib_resources", "packaging")
)


def _kubernetes(manifest: Manifest, openshift: OpenShiftVersion) -> list[Violation]:
    version = kubernetes_version(openshift)
    schema = f"Kubernetes {version}"
    name = f"{manifest.kind.lower()}-{group_version(str(manifest.body.get('apiVersion')))}.json"
    try:
        kind_file = (_schema_folder(version) / name).read_bytes()
        definitions = file_signature(_schema_folder(version) / "_definitions.json")
        found = answered(
            KUBERNETES_VIOLATIONS,
            (manifest.body, version, name, kind_file, definitions),
            lambda: _kubernetes_problems(manifest.body, version, manifest.kind, str(manifest.body.get("apiVersion"))),
        )
    except (FileNotFoundError, ValueError) as error:
        return [Violation(manifest.label, "", f"no schema to check it against ({error})", schema)]
    return [Violation(manifest.label, field, rule, schema) for field, rule in found]


def _kubernetes_problems(body: Any, version: str, kind: str, api_version: str) -> list[tuple[str, str]]:
    """The best-matching error of the kind's schema, as (dotted field, message); none when it is valid."""
    # lazy: as in _kubernetes_validator
    import jsonschema

    error = jsonschema.exceptions.best_match(_kubernetes_validator(version, kind, api_version).iter_errors(body))
    return [] if error is None else [(".".join(str(p) for p in error.path), error.message)]


@cache
def kubernetes_version(openshift: OpenShiftVersion) -> str:
    listed = sorted(entry.name for entry in _schemas().iterdir())
    versions = answered(KUBERNETES_RELEASES, listed, _kubernetes_releases)
    return versions[-1] if KUBERNETES_FOR[openshift] == "latest" else versions[0]


def _kubernetes_releases() -> list[str]:
    """The releases kubernetes-validate has schemas for, oldest first."""
    # lazy: the package imports jsonschema (see _schemas)
    from kubernetes_validate import utils

    return sorted(set(utils.all_versions()), key=lambda v: tuple(int(p) for p in v.split(".")))
