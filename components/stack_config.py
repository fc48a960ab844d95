"""Read a stack file the way the Pulumi CLI would hand it to the program.

Mocks read neither ``Pulumi.yaml`` nor ``stacks/``; tests and the offline preview use this one
reader so that what they evaluate is exactly what ``pulumi up`` would see: the stack file's
``config:`` map over the project's declared defaults, objects as JSON text, ``secure:`` values
marked secret. Ciphertext cannot be decrypted offline; it becomes a placeholder.
"""

from __future__ import annotations

import copy
import difflib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from components.names import NAMESPACE, SECURE_PLACEHOLDER
from components.settings.secrets import OBJECT_SECRET_KEYS, SECRET_KEYS
from components.yaml_reader import YamlFileError, YamlProblem, describe, line_of, read_yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class StackConfig:
    project: str
    stack: str
    config: dict[str, str]
    secret_keys: list[str] = field(default_factory=list)


def project_file(root: Path = PROJECT_ROOT) -> dict[str, Any]:
    """``Pulumi.yaml`` (a copy: callers may change it), read once per process: a fleet asks per cluster."""
    return copy.deepcopy(_project_file(root))


@cache
def _project_file(root: Path) -> dict[str, Any]:
    with (root / "Pulumi.yaml").open(encoding="utf-8") as handle:
        loaded: dict[str, Any] = yaml.safe_load(handle)
    return loaded


def missing_stack(path: Path) -> str:
    """The message for a stack file that does not exist, with the nearest stack of its folder."""

    folder = path.parent
    names = sorted(stack_name(p) for p in folder.glob("Pulumi.*.yaml")) if folder.is_dir() else []
    nearest = difflib.get_close_matches(stack_name(path), names, n=1, cutoff=0.6)
    hint = f"; did you mean {nearest[0]}?" if nearest else (f"; the stacks there: {', '.join(names)}" if names else "")
    return f"no stack file {path}{hint}"


def stack_path(stack: str, root: Path = PROJECT_ROOT) -> Path:
    return root / project_file(root).get("stackConfigDir", ".") / f"Pulumi.{stack}.yaml"


def stack_name(path: Path) -> str:
    """``Pulumi.aws-prod.yaml`` -> ``aws-prod``."""
    name = path.name
    if not (name.startswith("Pulumi.") and name.endswith((".yaml", ".yml"))):
        raise ValueError(f"{path}: a stack file is named Pulumi.<stack>.yaml")
    return name[len("Pulumi.") :].rsplit(".", 1)[0]


# Top-level keys of a Pulumi stack file (the CLI's own schema); anything else is a mistake.
STACK_FILE_KEYS = ("config", "environment", "secretsprovider", "encryptedkey", "encryptionsalt")


class StackFileError(ValueError):
    """The stack file itself is wrong (syntax, shape, secrets); every problem names file and line."""

    def __init__(self, path: Path, problems: list[YamlProblem]) -> None:
        self.path = path
        self.problems = problems
        super().__init__("\n".join(p.located(path) for p in problems))


def load_stack_file(path: Path, root: Path = PROJECT_ROOT) -> StackConfig:
    project = project_file(root)
    name = project["name"]
    stack = stack_name(path)
    try:
        stack_file, node = read_yaml(path)
    except YamlFileError as exc:
        raise StackFileError(path, exc.problems) from None
    problems = list(_file_problems(stack_file, node))
    if problems:
        raise StackFileError(path, problems)
    config: dict[str, str] = {}
    secret_keys: list[str] = []
    for key, declared in (project.get("config") or {}).items():
        if isinstance(declared, dict) and "default" in declared:
            config[_qualify(key, name)] = _wire(declared["default"])
    for key, value in ((stack_file or {}).get("config") or {}).items():
        full = _qualify(key, name)
        plain, secret = _reveal(value)
        config[full] = _wire(plain)
        if secret:
            secret_keys.append(full)
    return StackConfig(project=name, stack=stack, config=config, secret_keys=sorted(secret_keys))


def _file_problems(stack_file: Any, node: yaml.Node | None) -> Iterator[YamlProblem]:
    """What only a reader of the file can see: its shape, and which leaves of a value are encrypted."""
    if stack_file is None:
        return
    if not isinstance(stack_file, dict):
        yield YamlProblem(line_of(node), f"the top level is {describe(stack_file)}; a stack file is a map with config:")
        return
    for key in stack_file:
        if key not in STACK_FILE_KEYS:
            yield YamlProblem(
                _line_of_key(node, key), f"unknown top-level key {key!r}; a stack file has {', '.join(STACK_FILE_KEYS)}"
            )
    config = stack_file.get("config")
    if config is None:
        return
    config_node = _value_node(node, "config")
    if not isinstance(config, dict):
        yield YamlProblem(line_of(config_node), f"config: is {describe(config)}; it must be a map of key: value")
        return
    for key, value in config.items():
        yield from _secret_problems(key, value, _line_of_key(config_node, key))


def _secret_problems(key: str, value: Any, line: int | None) -> Iterator[YamlProblem]:
    """Every leaf of a secret key is encrypted, a secret key has its documented shape, and nothing
    that is not a secret is encrypted (its value would be shown in every view)."""

    namespace, _, short = key.rpartition(":")
    if namespace not in ("", NAMESPACE):
        return  # a provider's own secrets (kubernetes:kubeconfig, aws:secretKey) are the provider's business
    encrypted = list(_leaves(value, secure=True))
    plain = list(_leaves(value, secure=False))
    bad_secure = [path for path, leaf in encrypted if not isinstance(leaf, str)]
    for path in bad_secure:
        yield YamlProblem(line, f"{_joined(short, path)}: secure: holds {describe(value)}; it must be ciphertext text")
    if short in OBJECT_SECRET_KEYS:
        if not isinstance(value, dict):
            return  # the program explains the documented shape
        for path, _ in plain:
            yield YamlProblem(
                line,
                f"{_joined(short, path)} is plain text inside a secret object: set it with "
                f"`pulumi config set --secret --path '{_joined(short, path)}'`",
            )
    elif short in SECRET_KEYS:
        if isinstance(value, (dict, list)) and not _is_secure(value):
            yield YamlProblem(
                line,
                f"{short} is one secret string, not {describe(value)}: "
                f"set it with `pulumi config set --secret {short}`",
            )
    elif encrypted:
        where = ", ".join(_joined(short, path) for path, _ in encrypted)
        yield YamlProblem(
            line,
            f"{where} is encrypted, but {short} is not a secret key: its value would be shown in the plan, "
            "the manifests and the stack outputs. Set it in plain text (without --secret); credentials do not "
            "belong in it",
        )


def _is_secure(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"secure"}


def _leaves(value: Any, *, secure: bool, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """``(path, leaf)`` for every encrypted leaf (``secure``) or every plain scalar leaf."""
    if _is_secure(value):
        if secure:
            yield path, value["secure"]
        return
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _leaves(v, secure=secure, path=(*path, str(k)))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _leaves(v, secure=secure, path=(*path, f"[{i}]"))
    elif not secure:
        yield path, value


def _joined(key: str, path: tuple[str, ...]) -> str:
    out = key
    for part in path:
        out += part if part.startswith("[") else f".{part}"
    return out


def _value_node(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if key_node.value == key:
                return value_node
    return None


def _line_of_key(node: yaml.Node | None, key: str) -> int | None:
    if isinstance(node, yaml.MappingNode):
        for key_node, _ in node.value:
            if key_node.value == key:
                return line_of(key_node)
    return None


def _qualify(key: str, project: str) -> str:
    return key if ":" in key else f"{project}:{key}"


def _reveal(value: Any) -> tuple[Any, bool]:
    """Replace ``{secure: ciphertext}`` anywhere in a value; report whether any was found."""
    if _is_secure(value):
        return SECURE_PLACEHOLDER, True
    if isinstance(value, dict):
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
