"""The compiled CRD schemas (components/crd_quick.py) never find valid what jsonschema refuses: their verdict
replaces jsonschema's only when it is "valid", so a looser one would let a broken Config through unseen.

Checked over every stack's rendered OpenShift objects and the fields of their specs, over objects mutated
at random (hypothesis: wrong types, integral floats, out-of-range integers, Go-pattern corner cases,
tuples, unknown and missing fields), and by the rewriting rules one by one.
"""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from components import crd
from components.crd_quick import quick_schema, quickly_valid
from components.storage.kinds import config_schema
from tests.generated import _paths

ROOT = Path(__file__).resolve().parents[2]
STACKS = sorted(p.name[len("Pulumi.") : -len(".yaml")] for p in (ROOT / "stacks").glob("Pulumi.*.yaml"))
SCHEMAS = {
    "Config": lambda: config_schema(None),
    "ImagePruner": lambda: crd.crd_schema("imagepruners"),
    "Image": lambda: crd.crd_schema("images"),
}


def _jsonschema_valid(instance: Any, schema: dict[str, Any]) -> bool:
    return crd._violations(instance, schema) == []


@pytest.fixture(scope="module")
def rendered() -> list[tuple[str, dict[str, Any]]]:
    """Every OpenShift object the stacks render, as offline --json prints it."""
    # lazy: the in-process command imports the SDK
    from offline.__main__ import main

    found = []
    for stack in STACKS:
        out = io.StringIO()
        assert main(["--stack", stack, "--json"], stdout=out, stderr=io.StringIO()) == 0
        for resource in json.loads(out.getvalue())["resources"]:
            body = resource.get("inputs", {})
            if isinstance(body, dict) and body.get("kind") in SCHEMAS and "spec" in body:
                found.append((body["kind"], body))
    assert {kind for kind, _ in found} >= {"Config", "ImagePruner"}
    return found


def test_every_rendered_object_is_found_valid_by_its_compiled_schema(rendered) -> None:
    """Valid by jsonschema, and by the compiled code too (else every preview would import jsonschema)."""
    for kind, body in rendered:
        schema = SCHEMAS[kind]()
        assert _jsonschema_valid(body, schema), (kind, body)
        assert quickly_valid(body, schema, crd.FORMATS), (kind, body)


def test_every_field_of_their_specs_against_its_own_schema(rendered) -> None:
    """What the settings check (components/settings/crd_fields.py): each field by its subschema."""
    for kind, body in rendered:
        properties = SCHEMAS[kind]()["properties"]["spec"]["properties"]
        for field, value in body["spec"].items():
            if field in properties:
                assert quickly_valid(value, properties[field], crd.FORMATS) == _jsonschema_valid(
                    value, properties[field]
                )


ODD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(
        [
            2.0,
            2**31,
            2**31 - 1,
            -(2**31) - 1,
            2**63,
            2**63 - 1,
            "Managed\n",
            "Removed",
            "Force",
            "١٢",
            "10d",
            "1h",
            "30s",
            "-1h",
            "",
            "Debug",
            "Normal",
            "KMS",
            "AES256",
            "kms",
            (),
            (1,),
            ("a",),
            1.5,
        ]
    ),
    st.text(max_size=8),
    st.lists(st.one_of(st.integers(), st.text(max_size=3), st.none()), max_size=3),
    st.dictionaries(st.text(max_size=6), st.one_of(st.integers(), st.text(max_size=3)), max_size=2),
)


def _mutated(body: dict[str, Any], data: st.DataObject) -> dict[str, Any]:
    out = copy.deepcopy(body)
    for _ in range(data.draw(st.integers(min_value=1, max_value=3))):
        path = data.draw(st.sampled_from(_paths(out)))
        parent = out
        for part in path[:-1]:
            parent = parent[part]
        action = data.draw(st.sampled_from(["replace", "add", "delete"]))
        if action == "replace":
            parent[path[-1]] = data.draw(ODD_VALUES)
        elif action == "add" and isinstance(parent, dict):
            parent[data.draw(st.sampled_from(["bogus", "replicas", "logLevel", "storage", "kms", "method"]))] = (
                data.draw(ODD_VALUES)
            )
        elif action == "delete" and isinstance(parent, dict):
            parent.pop(path[-1], None)
    return out


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_mutated_object_the_compiled_schema_finds_valid_is_valid(rendered, data: st.DataObject) -> None:
    kind, body = data.draw(st.sampled_from(rendered))
    schema = SCHEMAS[kind]()
    mutated = _mutated(body, data)
    before = copy.deepcopy(mutated)
    if quickly_valid(mutated, schema, crd.FORMATS):
        assert _jsonschema_valid(mutated, schema), mutated
    assert mutated == before  # never changed by the check (no defaults filled in)
    field = data.draw(st.sampled_from(sorted(schema["properties"]["spec"]["properties"])))
    spec = mutated.get("spec") if isinstance(mutated.get("spec"), dict) else {}
    value = data.draw(st.one_of(ODD_VALUES, st.just(spec.get(field))))
    subschema = schema["properties"]["spec"]["properties"][field]
    if quickly_valid(value, subschema, crd.FORMATS):
        assert _jsonschema_valid(value, subschema), (field, value)


def test_integer_formats_become_the_bounds_they_mean() -> None:
    schema = {"type": "object", "properties": {"a": {"type": "integer", "format": "int32", "minimum": 2}}}
    assert quick_schema(schema)["properties"]["a"] == {"type": "integer", "minimum": 2, "maximum": 2**31 - 1}
    assert not quickly_valid({"a": 2**31}, schema, crd.FORMATS) and not quickly_valid({"a": 1}, schema, crd.FORMATS)
    assert quickly_valid({"a": 2**31 - 1}, schema, crd.FORMATS) and quickly_valid({"a": 3.0}, schema, crd.FORMATS)


def test_formats_jsonschema_does_not_check_here_are_not_checked_and_durations_are_go_durations() -> None:
    schema = {"type": "object", "properties": {"at": {"type": "string", "format": "date-time"},
                                               "wait": {"type": "string", "format": "duration"}}}  # fmt: skip
    assert "format" not in quick_schema(schema)["properties"]["at"]
    assert quickly_valid({"at": "not a date", "wait": "90m"}, schema, crd.FORMATS)
    assert not quickly_valid({"wait": "P1D"}, schema, crd.FORMATS)  # ISO 8601, not Go


def test_patterns_are_read_as_the_api_server_reads_them() -> None:
    schema = {"type": "string", "pattern": r"^\d+$"}
    assert quick_schema(schema)["pattern"] == r"^[0-9]+\Z"
    assert quickly_valid("12", schema, crd.FORMATS)
    assert not quickly_valid("12\n", schema, crd.FORMATS) and not quickly_valid("١٢", schema, crd.FORMATS)
    # a $ inside a class would be rewritten by fastjsonschema: such a schema stays with jsonschema
    assert quick_schema({"type": "string", "pattern": "^[a$]+$"}) is None
    assert not quickly_valid("a$", {"type": "string", "pattern": "^[a$]+$"}, crd.FORMATS)


def test_an_array_is_a_list_as_jsonschema_reads_it() -> None:
    schema = {"type": "object", "properties": {"names": {"type": "array", "items": {"type": "string"}}}}
    assert quickly_valid({"names": ["a"]}, schema, crd.FORMATS)
    assert not quickly_valid({"names": ("a",)}, schema, crd.FORMATS)
    assert not _jsonschema_valid({"names": ("a",)}, schema)


def test_where_nothing_may_be_kept_the_code_is_never_made(monkeypatch) -> None:
    """It would be made again by every command, at more than jsonschema's import costs."""
    from components import crd_quick

    made: list[object] = []
    monkeypatch.setattr(crd_quick, "_code", lambda schema: made.append(schema))
    monkeypatch.setattr(crd_quick, "_COMPILED", {})
    monkeypatch.setenv("OPENSHIFT_REGISTRY_NO_CACHE", "1")
    schema = {"type": "object", "properties": {"made": {"type": "boolean"}}}
    assert not quickly_valid({"made": True}, schema, crd.FORMATS) and made == []
    assert crd.violations({"made": True}, schema) == [] and made == []


def test_running_the_kept_code_needs_no_fastjsonschema(tmp_path) -> None:
    """Its refusals are the module's own: an edited stack's preview imports neither checker library."""
    import os
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from components import crd\n"
        "from components.storage.kinds import config_schema\n"
        "assert crd.violations(2, config_schema(None)['properties']['spec']['properties']['replicas']) == []\n"
        "print(sorted(m for m in ('fastjsonschema', 'jsonschema') if m in sys.modules))\n"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    env.pop("OPENSHIFT_REGISTRY_NO_CACHE", None)
    runs = [
        subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, env=env, timeout=120)
        for _ in range(2)
    ]
    assert [run.stdout.strip() for run in runs] == ["['fastjsonschema']", "[]"], [run.stderr for run in runs]


def test_a_field_with_a_very_large_schema_is_left_to_jsonschema(rendered) -> None:
    """The pod affinity (36,000 characters of schema) is not compiled: an object that sets it is not known
    here, and jsonschema checks it; every other field still is."""
    from components.crd_quick import LARGEST_FIELD

    kind, body = next((kind, body) for kind, body in rendered if kind == "Config")
    schema = SCHEMAS[kind]()
    spec = quick_schema(schema)["properties"]["spec"]["properties"]
    assert (
        spec["affinity"] is False
        and len(json.dumps(schema["properties"]["spec"]["properties"]["affinity"])) > LARGEST_FIELD
    )
    assert isinstance(spec["storage"], dict) and isinstance(spec["tolerations"], dict)
    affinity = {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
        {"matchExpressions": [{"key": "node-role.kubernetes.io/infra", "operator": "Exists"}]}]}}}  # fmt: skip
    placed = {**body, "spec": {**body["spec"], "affinity": affinity}}
    assert not quickly_valid(placed, schema, crd.FORMATS)
    assert crd.violations(placed, schema) == []
    assert crd.violations({**placed, "spec": {**placed["spec"], "affinity": {"bogus": 1}}}, schema) != []
