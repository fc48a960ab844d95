"""What the pinned provider SDKs accept, read from their typed classes (``<Resource>Args`` and the nested
``...Args`` input types), never from this program's constants: a registration's inputs are held against the
class the SDK itself would use for that type token.

The program registers resources by type token with wire-named inputs (``resources/provider_object.py``),
so it imports no SDK; this is the check that those tokens and inputs are ones the provider has.
"""

from __future__ import annotations

import collections.abc
import enum
import importlib
import inspect
import re
import typing
from functools import cache
from pathlib import Path
from typing import Any

import pulumi

from components import pulumi_internals as internals
from tests.support import SDK_PACKAGES


@cache
def sdk_resource(token: str) -> type | None:
    """The SDK class that registers ``token`` (it passes that very string to ``super().__init__``)."""
    package, module, name = token.split(":")
    spec = importlib.util.find_spec(SDK_PACKAGES[package])
    assert spec is not None and spec.submodule_search_locations
    root = Path(next(iter(spec.submodule_search_locations)))
    parts = module.split("/")
    folder = root.joinpath(*([parts[0].split(".")[0], *parts[1:]] if package == "kubernetes" else parts[:1]))
    quoted = (f"'{token}'", f'"{token}"')
    for path in sorted(folder.glob("*.py")) if folder.is_dir() else ():
        if path.name.startswith("_") or not any(
            q in path.read_text(encoding="utf-8", errors="replace") for q in quoted
        ):
            continue
        dotted = ".".join(path.relative_to(root.parent).with_suffix("").parts)
        loaded = importlib.import_module(dotted)
        for _, cls in inspect.getmembers(loaded, inspect.isclass):
            if issubclass(cls, pulumi.CustomResource) and cls.__module__ == dotted and cls.__name__ == name:
                return cls
    return None


def args_class(resource: type) -> type:
    """``<Resource>Args``, or ``<Resource>InitArgs`` where the name is taken by a nested type (Kubernetes)."""
    module = importlib.import_module(resource.__module__)
    found = getattr(module, f"{resource.__name__}InitArgs", None) or getattr(module, f"{resource.__name__}Args")
    assert isinstance(found, type)
    return found


def _members(hint: Any) -> list[Any]:
    """The shapes a hint allows, without Pulumi's plumbing (Input, Awaitable, Output, None)."""
    if typing.get_origin(hint) is typing.Union:
        found = []
        for arg in typing.get_args(hint):
            origin = typing.get_origin(arg) or arg
            if arg is type(None) or origin in (collections.abc.Awaitable, pulumi.Output):
                continue
            found += _members(arg)
        return found
    return [hint]


def _matches(value: Any, hint: Any, path: str, problems: list[str]) -> bool:
    """Whether ``value`` has the hint's shape; nested input types are checked key by key into ``problems``."""
    origin = typing.get_origin(hint)
    if hint is Any or hint is object:
        return True
    if origin in (collections.abc.Sequence, list):
        (item,) = typing.get_args(hint) or (Any,)
        return isinstance(value, list) and all(_fits(v, item, f"{path}[{i}]", problems) for i, v in enumerate(value))
    if origin in (collections.abc.Mapping, dict):
        _, item = typing.get_args(hint) or (str, Any)
        return isinstance(value, dict) and all(_fits(v, item, f"{path}.{k}", problems) for k, v in value.items())
    if inspect.isclass(hint) and internals.is_input_type(hint):
        if not isinstance(value, dict):
            return False
        problems += input_problems(hint, value, path)
        return True
    if inspect.isclass(hint) and issubclass(hint, enum.Enum):
        return value in {member.value for member in hint}
    if hint is bool:
        return isinstance(value, bool)
    if hint in (int, float):
        return isinstance(value, int | float) and not isinstance(value, bool)
    if hint is str:
        return isinstance(value, str)
    return True  # a shape this check does not know (a JSON type, a raw object): not judged


# A secret value as the engine records it: the wire format's signature key and the value.
SECRET_SIG = "4dabf18193072939515e22adb298388d"


def _fits(value: Any, hint: Any, path: str, problems: list[str]) -> bool:
    if isinstance(value, dict) and SECRET_SIG in value:
        value = value.get("value")
    members = _members(hint)
    if not members:
        return True
    nested: list[str] = []
    for member in members:
        nested.clear()
        if _matches(value, member, path, nested):
            problems += nested
            return True
    allowed = ", ".join(getattr(m, "__name__", str(m)) for m in members)
    problems.append(f"{path}: {str(value)[:60]!r} is none of the SDK's shapes ({allowed})")
    return False


def input_problems(args: type, inputs: dict[str, Any], path: str = "") -> list[str]:
    """Every input that the SDK's input type ``args`` does not have, has in another shape, or requires and lacks."""
    names = set(internals.input_wire_names(args).values())
    hints = internals.input_wire_types(args)
    py_to_wire = internals.input_wire_names(args)
    problems = []
    for key, value in inputs.items():
        where = f"{path}.{key}" if path else key
        if key not in names:
            problems.append(f"{where}: not an input of {args.__name__}")
        elif value is not None:
            _fits(value, hints[key], where, problems)
    for required in internals.required_inputs(args):
        wire = py_to_wire.get(required, required)
        if wire not in inputs:
            problems.append(f"{path + '.' if path else ''}{wire}: required by {args.__name__}, not given")
    return problems


def output_names(resource: type) -> set[str]:
    return internals.resource_output_names(resource) | {"id", "urn"}


@cache
def sdk_function(token: str) -> tuple[frozenset[str], frozenset[str]] | None:
    """An invoke's argument names and result names, from the SDK function that calls ``token``."""
    package, module, name = token.split(":")
    spec = importlib.util.find_spec(SDK_PACKAGES[package])
    assert spec is not None and spec.submodule_search_locations
    root = Path(next(iter(spec.submodule_search_locations)))
    folder = root if module.startswith("index") else root / module.split("/")[0]
    snake = "".join(f"_{c.lower()}" if c.isupper() else c for c in name)
    path = folder / f"{snake}.py"
    if not path.is_file() or token not in path.read_text(encoding="utf-8"):
        return None
    loaded = importlib.import_module(".".join(path.relative_to(root.parent).with_suffix("").parts))
    function = getattr(loaded, snake)
    arguments = frozenset(re.findall(r"__args__\['(\w+)'\]", inspect.getsource(function)))
    result = getattr(loaded, f"{name[0].upper()}{name[1:]}Result")
    return arguments, internals.result_names(result)
