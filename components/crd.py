"""The vendored OpenShift CRD schemas, made strict, and validation against them.

The API server prunes fields a structural schema does not know, silently: a misspelt setting
would be dropped and the registry would run without it. So every object schema here forbids
unknown properties unless the CRD says ``x-kubernetes-preserve-unknown-fields``.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml
from jsonschema import Draft7Validator

SCHEMA_DIR = Path(__file__).parent / "schemas" / "openshift"
OpenShiftVersion = Literal["latest", "4.6"]
CrdName = Literal["configs", "imagepruners", "images"]
VERSIONS: tuple[OpenShiftVersion, ...] = ("latest", "4.6")


@cache
def crd_schema(name: CrdName, version: OpenShiftVersion = "latest") -> dict[str, Any]:
    """The strict openAPIV3Schema of a vendored CRD (v1 ``versions[].schema`` or v1beta1 ``validation``)."""
    path = SCHEMA_DIR / version / f"{name}.crd.yaml"
    with path.open(encoding="utf-8") as handle:
        crd = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    spec = crd["spec"]
    raw = (
        spec["validation"]["openAPIV3Schema"]
        if "validation" in spec
        else next(v["schema"]["openAPIV3Schema"] for v in spec["versions"] if v.get("storage", True))
    )
    return _strict(copy.deepcopy(raw))


def _strict(schema: dict[str, Any]) -> dict[str, Any]:
    known_object = schema.get("type") == "object" and "properties" in schema
    if known_object and not schema.get("x-kubernetes-preserve-unknown-fields"):
        schema.setdefault("additionalProperties", False)
    for child in schema.get("properties", {}).values():
        _strict(child)
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            _strict(schema[key])
    for key in ("anyOf", "allOf", "oneOf"):
        for child in schema.get(key, []):
            _strict(child)
    return schema


def subschema(name: CrdName, path: Sequence[str], version: OpenShiftVersion = "latest") -> dict[str, Any]:
    """The schema of one field, e.g. ``("spec", "storage", "s3")``."""
    schema = crd_schema(name, version)
    for part in path:
        schema = schema["properties"][part]
    return schema


def violations(instance: Any, schema: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """``(dotted path, message)`` for every way ``instance`` breaks ``schema``.

    Draft 7 accepts integral floats as integers: the Pulumi engine hands numbers back as floats.
    """
    for error in sorted(Draft7Validator(schema).iter_errors(instance), key=lambda e: list(map(str, e.path))):
        yield _dotted(error.absolute_path), _message(error)


def _dotted(path: Sequence[Any]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _message(error: Any) -> str:
    if error.validator == "additionalProperties":
        known = sorted(error.schema.get("properties", {}))
        extra = sorted(set(error.instance) - set(known)) if isinstance(error.instance, dict) else []
        return f"unknown field(s) {', '.join(map(repr, extra))}; the schema knows {', '.join(known)}"
    if error.validator == "enum":
        allowed = [v for v in error.validator_value if v != ""]
        return f"{_short(error.instance)} is not allowed; use one of {', '.join(map(str, allowed))}"
    if error.validator == "pattern":
        return f"{_short(error.instance)} does not match the pattern {error.validator_value}"
    return error.message if len(error.message) < 300 else error.message[:297] + "..."


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
