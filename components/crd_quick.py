"""The CRD schemas compiled to Python (fastjsonschema), so that a valid object is found valid without
importing jsonschema.

jsonschema's import alone takes about 30 ms, a fifth of what a preview is held to, and every preview
validates: the stack's Config fields, and the Config, ImagePruner and Image objects it renders. fastjsonschema
writes a schema out as a Python function; the function's code is kept per machine (``vendored.kept``), keyed
by the schema, the code here and fastjsonschema's own files, and loads in a fraction of a millisecond. Only
its verdict is used: when it says valid, the object has no violations; when it refuses (or cannot run),
``crd.violations`` asks jsonschema, whose messages the program has always printed.

So the compiled function may be stricter than jsonschema, never looser. It is compiled from the schema as
``crd.violations`` reads it (``quick_schema``):
- patterns as the API server reads them (``formats.go_pattern``: ``$`` is the end of the text, ``\\d`` an
  ASCII digit); a pattern that still holds a ``$`` (inside a class) keeps the whole schema on jsonschema, as
  fastjsonschema would rewrite it;
- ``int32`` and ``int64`` as the bounds they mean for numbers (fastjsonschema checks a format on strings
  only); ``duration`` is the program's own check (``crd.FORMATS``); every other format is dropped, as
  jsonschema here checks none;
- an array is a list (fastjsonschema also takes a tuple; jsonschema does not);
- a field of the spec with a very large schema (``LARGEST_FIELD``: the pod affinity) is refused when
  present, so an object that sets it is checked by jsonschema.
The code raises the module's own refusal in place of fastjsonschema's, so running it does not import
fastjsonschema (only making it does).
The code is executed from the cache folder as the interpreter executes its own ``__pycache__``: the folder is
the user's (its files are written with the user's permissions only). ``tests/invariants/test_crd_quick.py``
holds the rule (never valid where jsonschema finds a violation) over every stack's objects and objects
generated from them; the bad-stack corpus (``tests/settings``) keeps every message it had.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable, Mapping
from typing import Any

from components.formats import INT32, INT64, go_pattern
from components.remembered import Checker, canonical, fingerprint
from components.vendored import cache_dir, kept

# What the compiled code is made by (its key in the cache).
QUICK = Checker("crd-quick", ("components.crd_quick", "components.formats"), ("fastjsonschema",))
_BOUNDS = {"int32": INT32, "int64": INT64}
# A field of an object's spec whose schema is larger than this (JSON characters) is left to jsonschema: the
# pod affinity of the Config and the ImagePruner (36,000 characters each, the ImagePruner's four fifths)
# would more than double the time a machine's first preview spends compiling, for a field few stacks set.
LARGEST_FIELD = 20_000
_COMPILED: dict[bytes, Callable[[Any], bool] | None] = {}


def quickly_valid(instance: Any, schema: Mapping[str, Any], formats: Mapping[str, Callable[[object], bool]]) -> bool:
    """True: ``instance`` is valid against ``schema`` (as ``crd.violations`` reads it). False: not known
    (it may be valid): ask jsonschema. Where nothing may be kept (``OPENSHIFT_REGISTRY_NO_CACHE``), the code
    would be made again by every command, at more than jsonschema's import costs: not known."""
    written = canonical(schema) if cache_dir() is not None else None
    if written is None:
        return False
    digest = hashlib.sha256(written).digest()
    if digest not in _COMPILED:
        _COMPILED[digest] = _load(schema, written, digest, formats)
    check = _COMPILED[digest]
    return check is not None and check(instance)


def quick_schema(schema: Mapping[str, Any]) -> dict[str, Any] | None:
    """``schema`` rewritten as ``crd.violations`` reads it (the module's docstring); None when a pattern
    cannot be."""
    out = copy.deepcopy(dict(schema))
    todo: list[Any] = [out]
    while todo:
        node = todo.pop()
        if not isinstance(node, dict):
            continue
        if isinstance(node.get("pattern"), str):
            translated = go_pattern(node["pattern"])
            if "$" in translated.replace("\\$", ""):
                return None
            node["pattern"] = translated
        if isinstance(node.get("format"), str):
            name = node.pop("format")
            if name in _BOUNDS:
                low, high = _BOUNDS[name]
                node["minimum"] = max(node.get("minimum", low), low)
                node["maximum"] = min(node.get("maximum", high), high)
            elif name == "duration":
                node["format"] = name
        todo += _subschemas(node)
    fields = ((out.get("properties") or {}).get("spec") or {}).get("properties")
    for name, child in list((fields or {}).items()):
        if isinstance(child, dict) and len(json.dumps(child)) > LARGEST_FIELD:
            fields[name] = False  # present: not known here, jsonschema checks it
    return out


def _subschemas(node: dict[str, Any]) -> list[Any]:
    """The schemas a schema holds, by the keywords that hold schemas (a property may be named like a keyword:
    ``properties`` is a map of names to schemas)."""
    found: list[Any] = [node.get("not"), node.get("additionalProperties")]
    for key in ("properties", "patternProperties", "definitions"):
        found += list((node.get(key) or {}).values())
    for key in ("anyOf", "allOf", "oneOf"):
        found += list(node.get(key) or [])
    items = node.get("items")
    found += items if isinstance(items, list) else [items]
    return found


def _load(
    schema: Mapping[str, Any], written: bytes, digest: bytes, formats: Mapping[str, Callable[[object], bool]]
) -> Callable[[Any], bool] | None:
    code = kept(f"crd-quick-{digest.hex()[:16]}", fingerprint(QUICK) + written, lambda: _code(schema))
    if code is None:
        return None
    namespace: dict[str, Any] = {"JsonSchemaValueException": _RefusedError, "JsonSchemaValuesException": _RefusedError}
    exec(code, namespace)  # fastjsonschema's code for this schema, made by _code
    validate, custom = namespace["validate"], dict(formats)

    def check(instance: Any) -> bool:
        try:
            validate(instance, custom)
        except Exception:  # its refusal (JsonSchemaValueException), or any surprise: ask jsonschema
            return False
        return True

    return check


def _code(schema: Mapping[str, Any]) -> Any:
    """The code of fastjsonschema's function for the rewritten schema; None when there is none."""
    # lazy: fastjsonschema's generator only when this schema's code is not kept yet
    import fastjsonschema

    rewritten = quick_schema(schema)
    if rewritten is None:
        return None
    try:
        source = fastjsonschema.compile_to_code(
            rewritten,
            formats={"duration": lambda value: True},  # named here, given at each call (crd.FORMATS)
            use_default=False,  # never fill defaults into the object checked
            detailed_exceptions=False,
        )
    except Exception:  # a schema the generator cannot write (or a generator bug): jsonschema checks it
        return None
    source = source.replace("(list, tuple)", "(list)")
    # its refusals are raised as _RefusedError (the namespace _load gives): running the code needs no fastjsonschema
    source = source.replace(_EXCEPTIONS_IMPORT, "", 1)
    return compile(source, "<fastjsonschema>", "exec")


_EXCEPTIONS_IMPORT = "from fastjsonschema import JsonSchemaValueException, JsonSchemaValuesException\n"


class _RefusedError(ValueError):
    """What the compiled code raises where fastjsonschema's would raise JsonSchemaValueException."""
