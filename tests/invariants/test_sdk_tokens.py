"""Every type the program registers exists in the pinned provider SDK (or, for custom resources, in a
vendored CRD): read from the SDK's own source, never from this program's constants. A test that
compared the Swift container's token with the constant the code used passed for a type
(``openstack:objectstorage/containerV1:ContainerV1``) that no provider has."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.invariants.test_destroy import VARIANTS, _evaluate
from tests.support import STACK_FILES, evaluate_file, sdk_declares

SCHEMAS = Path(__file__).resolve().parents[2] / "components" / "schemas"


@cache
def crd_kinds() -> frozenset[str]:
    """``group/version:Kind`` of every vendored CRD (the Kubernetes provider registers any of them)."""
    kinds = set()
    for path in SCHEMAS.rglob("*.yaml"):
        crd = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(crd, dict) or crd.get("kind") != "CustomResourceDefinition":
            continue
        spec = crd["spec"]
        versions = [v["name"] for v in spec.get("versions") or []] or [spec.get("version")]
        kinds |= {f"{spec['group']}/{version}:{spec['names']['kind']}" for version in versions}
    return frozenset(kinds)


def unknown_types(evaluation: Any) -> list[str]:
    missing = []
    for registration in evaluation.registrations:
        token = registration.type
        if not registration.custom or token.startswith("pulumi:providers:"):
            continue
        if sdk_declares(token):
            continue
        if token.startswith("kubernetes:") and token.split(":", 1)[1].removesuffix("Patch") in crd_kinds():
            continue  # a custom resource (or its patch) of a vendored CRD
        missing.append(token)
    return sorted(set(missing))


@pytest.mark.parametrize("path", STACK_FILES, ids=lambda p: p.name)
def test_every_registered_type_exists_in_its_pinned_sdk(path: Path) -> None:
    assert unknown_types(evaluate_file(path)) == []


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_every_variant_registers_types_its_sdk_has(name: str) -> None:
    assert unknown_types(_evaluate(VARIANTS[name], "production", "Managed")) == []


def test_a_type_no_sdk_has_is_caught() -> None:
    """The check itself can fail: the token the Swift container once had is in no SDK."""
    assert not sdk_declares("openstack:objectstorage/containerV1:ContainerV1")
    assert sdk_declares("openstack:objectstorage/container:Container")
