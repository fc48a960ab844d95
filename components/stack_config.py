"""Read a stack file the way the Pulumi CLI would hand it to the program.

Mocks read neither ``Pulumi.yaml`` nor ``stacks/``; tests and the offline preview use this one
reader so that what they evaluate is exactly what ``pulumi up`` would see: the stack file's
``config:`` map over the project's declared defaults, objects as JSON text, ``secure:`` values
marked secret. Ciphertext cannot be decrypted offline; it becomes a placeholder.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SECURE_PLACEHOLDER = "offline-placeholder-for-encrypted-value"


@dataclass(frozen=True)
class StackConfig:
    project: str
    stack: str
    config: dict[str, str]
    secret_keys: list[str] = field(default_factory=list)


def project_file(root: Path = PROJECT_ROOT) -> dict[str, Any]:
    with (root / "Pulumi.yaml").open(encoding="utf-8") as handle:
        loaded: dict[str, Any] = yaml.safe_load(handle)
    return loaded


def stack_path(stack: str, root: Path = PROJECT_ROOT) -> Path:
    return root / project_file(root).get("stackConfigDir", ".") / f"Pulumi.{stack}.yaml"


def stack_name(path: Path) -> str:
    """``Pulumi.aws-prod.yaml`` -> ``aws-prod``."""
    name = path.name
    if not (name.startswith("Pulumi.") and name.endswith((".yaml", ".yml"))):
        raise ValueError(f"{path}: a stack file is named Pulumi.<stack>.yaml")
    return name[len("Pulumi.") :].rsplit(".", 1)[0]


def load_stack_file(path: Path, root: Path = PROJECT_ROOT) -> StackConfig:
    project = project_file(root)
    name = project["name"]
    config: dict[str, str] = {}
    secret_keys: list[str] = []
    for key, declared in (project.get("config") or {}).items():
        if isinstance(declared, dict) and "default" in declared:
            config[_qualify(key, name)] = _wire(declared["default"])
    with path.open(encoding="utf-8") as handle:
        stack_file = yaml.safe_load(handle) or {}
    for key, value in (stack_file.get("config") or {}).items():
        full = _qualify(key, name)
        plain, secret = _reveal(value)
        config[full] = _wire(plain)
        if secret:
            secret_keys.append(full)
    return StackConfig(project=name, stack=stack_name(path), config=config, secret_keys=sorted(secret_keys))


def _qualify(key: str, project: str) -> str:
    return key if ":" in key else f"{project}:{key}"


def _reveal(value: Any) -> tuple[Any, bool]:
    """Replace ``{secure: ciphertext}`` anywhere in a value; report whether any was found."""
    if isinstance(value, dict):
        if set(value) == {"secure"}:
            return SECURE_PLACEHOLDER, True
        pairs = {k: _reveal(v) for k, v in value.items()}
        return {k: v for k, (v, _) in pairs.items()}, any(s for _, s in pairs.values())
    if isinstance(value, list):
        items = [_reveal(v) for v in value]
        return [v for v, _ in items], any(s for _, s in items)
    return value, False


def _wire(value: Any) -> str:
    """As the CLI passes config: strings as they are, everything else as JSON."""
    if isinstance(value, str):
        return value
    return json.dumps(value)
