"""The vendored OpenShift CRD schemas, made strict, and validation against them.

The API server prunes fields a structural schema does not know, silently: a misspelt setting
would be dropped and the registry would run without it. So every object schema here forbids
unknown properties unless the CRD says ``x-kubernetes-preserve-unknown-fields``.
"""

from __future__ import annotations

import copy
import hashlib
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from components.crd_quick import quickly_valid
from components.formats import INT32, INT64, go_duration_ns, go_pattern
from components.remembered import Checker, answered, canonical, remembering
from components.vendored import vendored_yaml
from components.yaml_reader import describe

if TYPE_CHECKING:
    from jsonschema import ValidationError

SCHEMA_DIR = Path(__file__).parent / "schemas" / "openshift"
OpenShiftVersion = Literal["latest", "4.6"]
CrdName = Literal["configs", "imagepruners", "images"]
VERSIONS: tuple[OpenShiftVersion, ...] = ("latest", "4.6")


@cache
def crd_schema(name: CrdName, version: OpenShiftVersion = "latest") -> dict[str, Any]:
    """The strict openAPIV3Schema of a vendored OpenShift CRD."""
    return strict_schema(SCHEMA_DIR / version / f"{name}.crd.yaml")


@cache
def strict_schema(path: Path) -> dict[str, Any]:
    """The strict openAPIV3Schema of a vendored CRD file (v1 ``versions[].schema`` of the storage
    version, or v1beta1 ``validation``), unknown fields closed."""
    crd = vendored_yaml(path)
    spec = crd["spec"]
    raw = (
        spec["validation"]["openAPIV3Schema"]
        if "validation" in spec
        else next(v["schema"]["openAPIV3Schema"] for v in spec["versions"] if v.get("storage", True))
    )
    return _strict(raw)


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


def _int32(value: object) -> bool:
    return not isinstance(value, (int, float)) or INT32[0] <= value <= INT32[1]


def _int64(value: object) -> bool:
    return not isinstance(value, (int, float)) or INT64[0] <= value <= INT64[1]


def _duration(value: object) -> bool:
    return not isinstance(value, str) or go_duration_ns(value) is not None


# The formats the CRDs declare and the API server enforces; jsonschema knows none of them.
FORMATS: dict[str, Callable[[object], bool]] = {"int32": _int32, "int64": _int64, "duration": _duration}


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(go_pattern(pattern))


def _pattern(validator: Any, pattern: str, instance: Any, schema: Mapping[str, Any]) -> Iterator[ValidationError]:
    # lazy: as in _validator_class
    from jsonschema import ValidationError

    if validator.is_type(instance, "string") and not _compiled(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


@cache
def _validator_class() -> tuple[Any, Any]:
    """Draft 7 with the API server's reading of patterns, and the CRDs' formats. jsonschema is imported
    here, when neither a kept answer (``components/remembered.py``) nor the schema's compiled code
    (``components/crd_quick.py``) finds the object valid: its import alone takes longer than a preview's
    every other check."""
    # lazy: see the docstring
    from jsonschema import Draft7Validator, FormatChecker, validators

    formats = FormatChecker(formats=())
    for name, check in FORMATS.items():
        formats.checks(name)(check)
    return validators.extend(Draft7Validator, {"pattern": _pattern}), formats


# Who answers ``violations``: the tracer test in tests/invariants/test_remembered_checkers.py keeps this complete.
VIOLATIONS = Checker(
    "crd-violations",
    modules=(
        "components.crd",
        "components.crd_quick",
        "components.formats",
        "components.yaml_reader",
        "components.remembered",
        "components.vendored",
    ),
    packages=("fastjsonschema", "jsonschema", "referencing", "rpds", "jsonschema_specifications", "attr", "attrs"),
)


def violations(instance: Any, schema: dict[str, Any]) -> list[tuple[str, str]]:
    """``(dotted path, message)`` for every way ``instance`` breaks ``schema``, in path order.

    Draft 7 accepts integral floats as integers: the Pulumi engine hands numbers back as floats.
    """
    written = canonical(schema) if remembering() else None
    if written is None:  # not remembering, or a schema marshal cannot write (its digest would stand for nothing)
        return _checked(instance, schema)
    digest = hashlib.sha256(written).digest()  # each time: a preview's 17 schemas take a quarter millisecond
    return answered(VIOLATIONS, (instance, digest), lambda: _checked(instance, schema))


def _checked(instance: Any, schema: dict[str, Any]) -> list[tuple[str, str]]:
    """Valid by the schema's compiled code (components/crd_quick.py), else jsonschema's every violation."""
    if quickly_valid(instance, schema, FORMATS):
        return []
    return _violations(instance, schema)


def _violations(instance: Any, schema: dict[str, Any]) -> list[tuple[str, str]]:
    validator_class, formats = _validator_class()
    validator = validator_class(schema, format_checker=formats)
    errors = sorted(validator.iter_errors(instance), key=lambda e: list(map(str, e.path)))
    return [(_dotted(error.absolute_path), _message(error)) for error in errors]


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
        choices = _ALTERNATIVES.match(error.validator_value)
        if choices:
            refused = REFUSED_VALUES.get(error.validator_value, ())
            allowed = [c for c in choices[1].split("|") if c not in refused]
            return f"{_short(error.instance)} is not allowed; use one of {', '.join(allowed)}"
        return f"{_short(error.instance)} does not match the pattern {error.validator_value}"
    if error.validator == "format":
        return {
            "int32": f"{_short(error.instance)} is out of range: a 32-bit integer, at most {INT32[1]}",
            "int64": f"{_short(error.instance)} is out of range: a 64-bit integer",
            "duration": f"{_short(error.instance)} is not a duration (Go's, at most about 292 years): e.g. 30s, 90m, "
            "24h (no days unit)",
        }.get(error.validator_value, error.message)
    if error.validator == "type":
        return f"{_short(error.instance)} is not {_a(error.validator_value)}"
    return error.message if len(error.message) < 300 else error.message[:297] + "..."


# Values a CRD pattern allows that a later rule refuses, by pattern: never offered as a choice.
# (managementState: the operator treats Force as unknown.)
REFUSED_VALUES = {"^(Managed|Unmanaged|Force|Removed)$": ("Force",)}
_ALTERNATIVES = re.compile(r"^\^\(([A-Za-z|]+)\)\$$")


def _a(types: Any) -> str:
    names = {"object": "a map", "array": "a list", "string": "a string", "integer": "an integer", "number": "a number"}
    names["boolean"] = "a boolean (true or false)"
    listed = types if isinstance(types, list) else [types]
    return " or ".join(names.get(t, t) for t in listed)


def _short(value: Any) -> str:
    if value is None or isinstance(value, (bool, dict, list)):
        return describe(value)
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


# When each field of the latest Config CRD first appeared, read by comparing openshift/api's
# imageregistry/v1 CRD on every release branch from 4.6 to 4.17: a release's schema is the latest
# one without the fields added after it (4.6 has its own vendored file). The storage kinds' fields are
# in their rows (``fields_since``); ``components/storage/kinds.config_schema`` adds them.
FieldPath = tuple[str, ...]
CONFIG_FIELDS_SINCE: dict[FieldPath, str] = {
    ("spec", "storage", "oss"): "4.10",
    ("spec", "topologySpreadConstraints"): "4.11",
    ("spec", "resources", "claims"): "4.13",
}


def _minor(version: str | None) -> tuple[int, int]:
    if version is None or not re.fullmatch(r"4\.[0-9]{1,2}", version):
        return (4, 99)
    return (4, int(version.split(".")[1]))


@cache
def config_schema(
    version: str | None = None, more_since: tuple[tuple[tuple[str, ...], str], ...] = ()
) -> dict[str, Any]:
    """The Config CRD's strict schema as the API server of OpenShift ``version`` serves it (None: latest);
    ``more_since``: when other fields appeared (the storage kinds')."""
    if version == "4.6":
        return crd_schema("configs", "4.6")
    schema = copy.deepcopy(crd_schema("configs", "latest"))
    for path, since in (*CONFIG_FIELDS_SINCE.items(), *more_since):
        if _minor(version) < _minor(since):
            parent = schema
            for part in path[:-1]:
                parent = parent.get("properties", {}).get(part, {})
            parent.get("properties", {}).pop(path[-1], None)
    return schema


def with_defaults(instance: Any, schema: Mapping[str, Any]) -> Any:
    """``instance`` as the API server stores it: the schema's ``default`` values filled in where a field
    is absent, top-down, inside defaulted values too (structural defaulting, as kube-apiserver does on
    every write and read of a custom resource). Nothing else changes; ``instance`` is not modified."""
    if isinstance(instance, Mapping):
        out = dict(instance)
        properties = schema.get("properties") or {}
        for name, child in properties.items():
            if name not in out and "default" in child:
                out[name] = copy.deepcopy(child["default"])
            if name in out:
                out[name] = with_defaults(out[name], child)
        extra = schema.get("additionalProperties")
        if isinstance(extra, Mapping):
            for name in out:
                if name not in properties:
                    out[name] = with_defaults(out[name], extra)
        return out
    if isinstance(instance, list) and isinstance(schema.get("items"), Mapping):
        return [with_defaults(item, schema["items"]) for item in instance]
    return instance
