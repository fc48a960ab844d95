"""Property-based: every generated stack either evaluates into schema-valid objects, or fails
with the settings error naming a key. Never any other exception, never a traceback.

CI runs the ``ci`` profile (a few hundred examples); ``HYPOTHESIS_PROFILE=deep`` runs thousands.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import given, settings

from components.errors import SettingsError
from components.names import NAMESPACE
from components.settings.loader import load_settings
from components.stack_config import StackConfig, StackFileError, load_stack_file
from offline.engine import evaluate
from offline.manifests import manifests
from offline.plan import plan_of
from offline.validation import validate
from tests.destroy import destroy_violations
from tests.generated import broken_stack_files, broken_stacks, valid_stacks
from tests.support import PROJECT, assert_storage_unmanaged

TRIED = {
    "valid stacks evaluated": 0,
    "broken stacks rejected": 0,
    # Damage that left a stack valid (a boolean flipped to the other): evaluated and checked like a valid one.
    "damaged stacks that stayed valid and passed": 0,
    "stack files refused by the reader": 0,
    "stack files read": 0,
}
TOP_LEVEL = (
    *("platform", "environment", "registry", "storage", "trustedCAs", "metrics", "roles", "pruner"),
    *("s3AccessKey", "s3SecretKey", "gcsKeyFile", "httpSecret", "routeTls"),
)


def as_config(stack: dict[str, Any]) -> tuple[dict[str, str], list[str]]:
    secrets = stack.get("secrets", {})
    config = {
        f"{NAMESPACE}:{key}": value if isinstance(value, str) else json.dumps(value)
        for key, value in stack.items()
        if key not in ("secrets", "providerConfig")
    }
    config.update(stack.get("providerConfig", {}))
    config.update({f"{NAMESPACE}:{key}": value for key, value in secrets.items()})
    return config, [f"{NAMESPACE}:{key}" for key in secrets]


def evaluate_and_validate(config: dict[str, str], secret_keys: list[str]) -> None:
    """Evaluate, then check every rendered object strictly, as ``python -m offline`` does."""
    evaluation = evaluate(StackConfig(project=PROJECT, stack="generated", config=config, secret_keys=secret_keys))
    objects = manifests(plan_of(evaluation))
    configs = [m for m in objects if m.kind == "Config"]
    assert len(configs) == 1
    assert_storage_unmanaged(configs[0].body["spec"]["storage"])
    assert [str(v) for v in validate(objects, "latest")] == []
    assert destroy_violations(evaluation) == []


@given(stack=valid_stacks())
def test_valid_generated_stacks_evaluate_to_schema_valid_objects(stack: dict[str, Any]) -> None:
    config, secret_keys = as_config(stack)
    load_settings(config, secret_keys, project=PROJECT, stack="generated")
    evaluate_and_validate(config, secret_keys)
    TRIED["valid stacks evaluated"] += 1


@given(stack=broken_stacks())
def test_broken_generated_stacks_fail_with_a_named_key_or_stay_valid(stack: dict[str, Any]) -> None:
    config, secret_keys = as_config(stack)
    try:
        load_settings(config, secret_keys, project=PROJECT, stack="generated")
    except SettingsError as exc:
        assert exc.problems
        for problem in exc.problems:
            text = str(problem)
            assert text.startswith(f"{NAMESPACE}:") and ": " in text[len(NAMESPACE) + 1 :]
            names = {*TOP_LEVEL, *(k.split(":", 1)[1] for k in config)}
            assert any(problem.key == n or problem.key.startswith((f"{n}.", f"{n}[")) for n in names), problem.key
            assert "Traceback" not in text
            assert "generated-secret-key" not in text
        TRIED["broken stacks rejected"] += 1
        return
    # Damage that happens to leave a valid stack (e.g. a boolean flipped to another boolean).
    evaluate_and_validate(config, secret_keys)
    TRIED["damaged stacks that stayed valid and passed"] += 1


@settings(max_examples=100)
@given(text=broken_stack_files())
def test_generated_stack_files_are_read_or_refused_with_a_line(text: str) -> None:
    """What only a reader of the file sees: every outcome is a StackFileError naming the file, a
    SettingsError naming a key, or a stack that evaluates; never another exception."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "Pulumi.generated.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            loaded = load_stack_file(path)
        except StackFileError as exc:
            assert exc.problems and all(str(path) in p.located(path) for p in exc.problems)
            TRIED["stack files refused by the reader"] += 1
            return
    TRIED["stack files read"] += 1
    try:
        load_settings(loaded.config, loaded.secret_keys, project=PROJECT, stack="generated")
    except SettingsError as exc:
        assert exc.problems
        return
    evaluate_and_validate(loaded.config, loaded.secret_keys)
