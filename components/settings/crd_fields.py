"""Check stack config fields that mirror the Config CR against the CRD itself.

The CRD is the authority on enums, patterns and ranges, so those rules are not copied into
Python: a field is checked against its own subschema of the vendored CRD.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from components.crd import CrdName, subschema, violations
from components.errors import Finding


def crd_findings(
    values: Any, crd_path: Sequence[str], fields: Iterable[str], key: str, crd: CrdName = "configs"
) -> list[Finding]:
    """Findings for the CR fields among ``values`` (other keys are left to the settings model)."""
    if not isinstance(values, Mapping):
        return []
    properties = subschema(crd, crd_path).get("properties", {})
    found: list[Finding] = []
    for field in fields:
        if field not in values or field not in properties:
            continue
        for path, message in violations(values[field], properties[field]):
            found.append(Finding(f"{key}.{field}{'.' + path if path and not path.startswith('[') else path}", message))
    return found
