"""The Kubernetes objects a plan creates or patches, as ``oc apply -f`` would take them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from offline.engine import Registration
from offline.plan import Plan

# Annotations that instruct the Pulumi Kubernetes provider; the cluster never sees them as data.
_PROVIDER_ANNOTATION_PREFIX = "pulumi.com/"
PATCH_HEADER = "# A partial object: `oc apply` merges it into the existing object, which the operator owns.\n"


@dataclass(frozen=True)
class Manifest:
    resource: Registration
    body: dict[str, Any]
    patch: bool

    @property
    def kind(self) -> str:
        return str(self.body.get("kind", ""))

    @property
    def name(self) -> str:
        return str(self.body.get("metadata", {}).get("name", self.resource.name))

    @property
    def namespace(self) -> str:
        return str(self.body.get("metadata", {}).get("namespace", ""))

    @property
    def label(self) -> str:
        """How a message names the object: ``Secret openshift-image-registry/name``."""
        where = f"{self.namespace}/" if self.namespace else ""
        return f"{self.kind} {where}{self.name}"


def manifests(plan: Plan) -> list[Manifest]:
    return [
        Manifest(resource, _body(resource.inputs), resource.type.endswith("Patch"))
        for resource in plan.resources
        if resource.custom and resource.type.startswith("kubernetes:") and "kind" in resource.inputs
    ]


def _body(inputs: dict[str, Any]) -> dict[str, Any]:
    body = dict(inputs)
    metadata = dict(body.get("metadata", {}))
    annotations = {
        k: v for k, v in metadata.get("annotations", {}).items() if not k.startswith(_PROVIDER_ANNOTATION_PREFIX)
    }
    metadata.pop("annotations", None)
    if annotations:
        metadata["annotations"] = annotations
    body["metadata"] = metadata
    ordered = {k: body[k] for k in ("apiVersion", "kind", "metadata") if k in body}
    ordered.update({k: v for k, v in body.items() if k not in ordered})
    return ordered


def file_names(items: list[Manifest]) -> list[str]:
    """``<kind>-<name>.yaml`` in lower case; the namespace joins in only when two objects would collide."""
    plain = [f"{m.kind}-{m.name}".lower() for m in items]
    return [
        (f"{m.kind}-{m.namespace}-{m.name}" if plain.count(base) > 1 and m.namespace else base).lower() + ".yaml"
        for m, base in zip(items, plain, strict=True)
    ]


def to_yaml(manifest: Manifest) -> str:
    body = yaml.safe_dump(manifest.body, sort_keys=False, default_flow_style=False)
    return (PATCH_HEADER if manifest.patch else "") + body


def write(items: list[Manifest], directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for manifest, name in zip(items, file_names(items), strict=True):
        path = directory / name
        path.write_text(to_yaml(manifest), encoding="utf-8")
        written.append(path)
    return written
