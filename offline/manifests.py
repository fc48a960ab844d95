"""The Kubernetes objects a plan creates or patches, as ``oc apply -f`` would take them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from offline.engine import Registration
from offline.plan import REDACTED, Plan

# Annotations that instruct the Pulumi Kubernetes provider; the cluster never sees them as data.
_PROVIDER_ANNOTATION_PREFIX = "pulumi.com/"
PATCH_HEADER = "# A partial object: `oc apply` merges it into the existing object, which the operator owns.\n"
PLACEHOLDER_HEADER = (
    "# Holds placeholders ([secret]) where secret values go: fill them in or seal them (e.g. sealed-secrets)\n"
    "# before applying; `python -m offline --show-secrets --out DIR` writes the values themselves.\n"
)
# Written beside the manifests: the files a later run may replace, and nothing else.
MARKER = ".openshift-registry-offline"
# `oc apply -f DIR` applies files in name order: what is named comes before what names it.
APPLY_ORDER = (
    "Namespace",
    "ConfigMap",
    "Secret",
    "PersistentVolumeClaim",
    "ClusterRole",
    "Role",
    "ClusterRoleBinding",
    "RoleBinding",
    "Image",
    "ImagePruner",
    "Config",
)


class OutputDirectoryError(Exception):
    """``--out`` cannot be written as asked; the message says why and what to do."""


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
    """In apply order: ConfigMaps and Secrets before the patches that name them, the Config last."""
    found = [
        Manifest(resource, _body(resource.inputs), resource.type.endswith("Patch"))
        for resource in plan.resources
        if resource.custom and resource.type.startswith("kubernetes:") and "kind" in resource.inputs
    ]
    rank = {kind: index for index, kind in enumerate(APPLY_ORDER)}
    return sorted(found, key=lambda m: (m.patch, rank.get(m.kind, len(APPLY_ORDER))))


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


def numbered(items: list[Manifest]) -> list[str]:
    """``01-configmap-x.yaml``: the number keeps apply order for ``oc apply -f DIR``."""
    return [f"{index:02d}-{name}" for index, name in enumerate(file_names(items), start=1)]


def to_yaml(manifest: Manifest) -> str:
    body = yaml.safe_dump(manifest.body, sort_keys=False, default_flow_style=False)
    header = PLACEHOLDER_HEADER if REDACTED in body else ""
    return header + (PATCH_HEADER if manifest.patch else "") + body


def write(items: list[Manifest], directory: Path) -> tuple[list[Path], int]:
    """Write every manifest; returns the paths and how many files of an earlier run were replaced.

    A directory this tool did not write is never touched: it may hold someone's own manifests.
    """
    earlier = _earlier_run(directory)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        for name in earlier:
            (directory / name).unlink(missing_ok=True)
        written = []
        for manifest, name in zip(items, numbered(items), strict=True):
            path = directory / name
            path.write_text(to_yaml(manifest), encoding="utf-8")
            written.append(path)
        (directory / MARKER).write_text("".join(f"{p.name}\n" for p in written), encoding="utf-8")
    except OSError as exc:
        raise OutputDirectoryError(f"{directory}: cannot write there ({exc.strerror or exc})") from None
    return written, len(earlier)


def _earlier_run(directory: Path) -> list[str]:
    if directory.exists() and not directory.is_dir():
        raise OutputDirectoryError(f"{directory} is a file: --out takes a directory (a new or empty one)")
    if not directory.is_dir():
        return []
    try:
        present = {p.name for p in directory.iterdir()}
        if not present:
            return []
        if MARKER not in present:
            raise OutputDirectoryError(
                f"{directory} is not empty and was not written by python -m offline: choose a new or empty "
                "directory (nothing was written)"
            )
        listed = (directory / MARKER).read_text(encoding="utf-8").split()
    except OSError as exc:
        raise OutputDirectoryError(f"{directory}: cannot read it ({exc.strerror or exc})") from None
    foreign = sorted(present - set(listed) - {MARKER})
    if foreign:
        raise OutputDirectoryError(
            f"{directory} holds files an earlier run did not write ({', '.join(foreign[:3])}): choose a new or "
            "empty directory (nothing was written)"
        )
    return [name for name in listed if "/" not in name]
