"""Turn the config the Pulumi engine hands the program into validated ``StackSettings``.

Everything is checked before a single resource is registered, and every problem is reported
at once, each naming its key: a half-made stack is worse than no stack.
"""

from __future__ import annotations

import copy
import difflib
import json
import types
import typing
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ValidationError

from components.errors import Finding, SettingsError
from components.formats import STACK_NAME, is_kubeconfig_content
from components.names import NAMESPACE, SECURE_PLACEHOLDER
from components.provider_keys import CREDENTIALS, PACKAGES, provider_keys
from components.settings import pruner as pruner_fields
from components.settings import registry as registry_fields
from components.settings.crd_fields import crd_findings
from components.settings.secrets import OBJECT_SECRET_KEYS, SECRET_KEYS
from components.settings.stack import RESERVED, StackSettings
from components.storage.kinds import KINDS, PLATFORMS
from components.yaml_reader import describe

# Other namespaces whose values rules must compare against.
PROVIDER_KEYS = ("aws:region", "azure-native:environment", "azure-native:location", "gcp:project", "gcp:region")


@dataclass(frozen=True)
class LoadedSettings:
    settings: StackSettings
    warnings: tuple[Finding, ...]


def load_settings(
    config: Mapping[str, Any], secret_keys: Collection[str], *, project: str, stack: str
) -> LoadedSettings:
    """Validate ``config`` (``namespace:key`` -> value as the engine passes it; objects as JSON).

    The same config gives the same settings: a command checks them before it runs the program under the
    mocks, which reads them again, so the second read is the first one's result (a fifth of a preview)."""
    try:
        key = (tuple(sorted(config.items())), tuple(sorted(secret_keys)), project, stack)
        hash(key)
    except TypeError:  # a value the engine would never pass (a list): read it without the cache
        return _load_settings(config, secret_keys, project=project, stack=stack)
    return _cached_settings(key)


@lru_cache(maxsize=16)
def _cached_settings(key: tuple[Any, ...]) -> LoadedSettings:
    items, secret_keys, project, stack = key
    return _load_settings(dict(items), secret_keys, project=project, stack=stack)


def _load_settings(
    config: Mapping[str, Any], secret_keys: Collection[str], *, project: str, stack: str
) -> LoadedSettings:
    problems: list[Finding] = list(_stack_name_findings(stack))
    data: dict[str, Any] = {}
    secrets: dict[str, Any] = {}
    for full_key, raw in sorted(config.items()):
        namespace, _, key = full_key.partition(":")
        if namespace != NAMESPACE:
            problems.extend(_namespace_findings(full_key, namespace))
            problems.extend(_provider_key_findings(full_key, namespace, key, full_key in secret_keys, raw))
            continue
        if key in RESERVED:
            problems.append(Finding(key, f"unknown key; known keys: {', '.join(_known_top_level())}"))
            continue
        # Secret values stay the text they are (a GCS key file is JSON, and the operator wants it as
        # text), except the secret objects set with `--path`.
        value = _decode(raw) if key not in SECRET_KEYS or key in OBJECT_SECRET_KEYS else raw
        if key in OBJECT_SECRET_KEYS and value == SECURE_PLACEHOLDER:
            problems.append(
                Finding(key, "is encrypted as one value; set each field with `pulumi config set --secret --path`")
            )
            continue
        if key not in SECRET_KEYS and full_key in secret_keys:
            problems.append(
                Finding(
                    key,
                    "is marked secret (set with --secret), but it is not a secret key: its value would be shown "
                    "in the plan, the manifests and the stack outputs. Set it without --secret; credentials do "
                    "not belong in it",
                )
            )
            continue
        plain_text_secret = key in SECRET_KEYS and key not in (*OBJECT_SECRET_KEYS, *JSON_TEXT_SECRET_KEYS)
        if plain_text_secret and isinstance(_decode(value), (dict, list)):
            problems.append(
                Finding(key, f"is one secret string, not an object: `pulumi config set --secret {key} <value>`")
            )
            continue
        if key in SECRET_KEYS:
            if full_key not in secret_keys:
                problems.append(
                    Finding(
                        key,
                        f"holds a secret but is stored in plain text; set it with `pulumi config set --secret {key}`",
                    )
                )
                continue
            secrets[key] = value
        else:
            data[key] = value
    data.update(project=project, stack=stack, secrets=secrets)
    data["providerConfig"] = {k: str(config[k]) for k in PROVIDER_KEYS if config.get(k) is not None}

    crd_problems = _crd_findings(data)
    problems.extend(crd_problems)
    try:
        settings = StackSettings.model_validate(data)
    except ValidationError as exc:
        covered = {p.key for p in crd_problems}
        problems.extend(f for f in _pydantic_findings(exc) if not _covered(f.key, covered))
        raise SettingsError(problems + _rules_of_healthy_sections(data, problems)) from None
    if problems:
        raise SettingsError(problems + _rules_of_healthy_sections(data, problems))
    settings = with_provider_defaults(settings)
    findings = list(settings.findings(settings))
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        raise SettingsError(errors)
    return LoadedSettings(settings, tuple(sorted(f for f in findings if f.severity == "warning")))


# Namespaces a stack file may use: this project's and its providers'. Pulumi's own (pulumi:tags,
# pulumi:template) are the CLI's.
PROVIDER_NAMESPACES = ("aws", "gcp", "azure-native", "kubernetes", "openstack")
# Secret strings whose text is JSON by nature (a GCP key file), from the kinds' rows.
JSON_TEXT_SECRET_KEYS = tuple(key for kind in KINDS for key in kind.json_secrets)


def _namespace_findings(full_key: str, namespace: str) -> list[Finding]:
    if namespace in (*PROVIDER_NAMESPACES, "pulumi"):
        return []
    known = [NAMESPACE, *PROVIDER_NAMESPACES]
    nearest = difflib.get_close_matches(namespace, known, n=1, cutoff=0.6)
    hint = f"did you mean {nearest[0]}:?" if nearest else f"this program reads {', '.join(known)}"
    return [Finding(full_key, f"unknown namespace {namespace!r}: the key would be ignored; {hint}")]


def _provider_key_findings(full_key: str, namespace: str, key: str, secret: bool, value: Any) -> list[Finding]:
    """A provider key the provider does not have (it would be ignored: a silent default), or a
    credential stored in plain text; the provider's keys come from its pinned SDK."""

    if namespace not in PACKAGES:
        return []
    known = provider_keys(namespace)
    if known and key not in known:
        nearest = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.6)
        hint = f"did you mean {namespace}:{nearest[0]}?" if nearest else f"see the {namespace} provider's configuration"
        return [Finding(full_key, f"the {namespace} provider has no such key (it would be ignored); {hint}")]
    # A kubeconfig given as a path is not a credential (the file is); its content is.
    path_only = full_key == "kubernetes:kubeconfig" and isinstance(value, str) and not is_kubeconfig_content(value)
    if full_key in CREDENTIALS and not secret and not path_only:
        return [
            Finding(
                full_key,
                f"holds a credential but is stored in plain text; set it with `pulumi config set --secret {full_key}`, "
                f"or leave it out and set {CREDENTIALS[full_key]} in the environment",
            )
        ]
    return []


def _stack_name_findings(stack: str) -> list[Finding]:
    if STACK_NAME.match(stack):
        return []
    return [
        Finding(
            "(stack name)",
            f"{stack[:60]!r} is not a stack name Pulumi accepts: 1-100 letters, digits, '-', '_' and '.'",
        )
    ]


def with_provider_defaults(settings: StackSettings) -> StackSettings:
    """A stack that states the provider's region or location need not repeat it for its storage."""
    return settings.model_copy(update={"storage": settings.storage.with_provider_defaults(settings.provider_config)})


def _section(key: str) -> str:
    return key.split(".", 1)[0].split("[", 1)[0]


def _rules_of_healthy_sections(data: dict[str, Any], problems: list[Finding]) -> list[Finding]:
    """The rules that can still be checked, so a user fixes everything in one round.

    First with only the offending fields taken out (a bad ``registry.logLevel`` does not hide the
    route rules beside it); where that leaves the stack invalid, with whole broken sections left
    out (their defaults stand in). A broken ``platform`` or ``storage`` leaves nothing sound to
    check the rules against. Findings about a key already reported are not repeated.
    """
    reported = {p.key for p in problems}
    # A misspelt key makes the stack mean something else (a misspelt regionEndpoint makes S3 Amazon's and
    # its keys unused): the rules of its section, and the secrets, would report consequences, not causes.
    typos = {_section(p.key) for p in problems if p.message.startswith("unknown key")}
    pruned = copy.deepcopy(data)
    for key in sorted(reported, reverse=True):  # later list items first: earlier indexes stay right
        _remove(pruned, _parts(key))
    settings = _validated(pruned)
    if settings is None:
        broken = {_section(key) for key in reported}
        if broken & {"platform", "storage"}:
            return []
        healthy = {k: v for k, v in data.items() if k not in broken}
        healthy["secrets"] = {k: v for k, v in data.get("secrets", {}).items() if k not in broken}
        settings = _validated(healthy)
        if settings is None:
            return []
        reported |= broken
    return [
        f
        for f in settings.findings(settings)
        if f.severity == "error"
        and not _covered(f.key, reported)
        and not (typos and (_section(f.key) in typos or f.key in SECRET_KEYS))
    ]


def _validated(data: dict[str, Any]) -> StackSettings | None:
    try:
        return with_provider_defaults(StackSettings.model_validate(data))
    except ValidationError:
        return None


def _parts(key: str) -> list[str | int]:
    """``registry.routes[0].name`` -> ``["registry", "routes", 0, "name"]``."""
    parts: list[str | int] = []
    for piece in key.split("."):
        name, *indexes = piece.split("[")
        if name:
            parts.append(name)
        parts.extend(int(i.rstrip("]")) for i in indexes if i.rstrip("]").isdigit())
    return parts


def _remove(data: dict[str, Any], parts: list[str | int]) -> None:
    """Take the value at ``parts`` out (secret keys live under ``secrets``); a path that does not
    resolve is left alone."""
    target: Any = data["secrets"] if parts and parts[0] in data.get("secrets", {}) else data
    for part in parts[:-1]:
        try:
            target = target[part]
        except (KeyError, IndexError, TypeError):
            return
    last = parts[-1] if parts else None
    present = last in target if isinstance(target, dict) else isinstance(last, int) and 0 <= last < len(target)
    if isinstance(target, (dict, list)) and present:
        del target[last]


def _decode(raw: Any) -> Any:
    """The engine passes objects and arrays as JSON text; anything else stays the string it was."""
    if isinstance(raw, str) and raw[:1] in ("{", "["):
        try:
            return json.loads(raw)
        except ValueError:
            return raw
    return raw


# Fields the CRD has and this program refuses, with why: never "unknown key" (a kind's own: its row's ``refused``).
REFUSED_FIELDS = {
    ("oss",): (
        "Alibaba Cloud OSS is not provided by this program: from OpenShift 4.17 the image-registry operator has "
        "no OSS driver (the CRD keeps the field; a Config holding it leaves the operator Degraded with "
        "StorageNotConfigured, pkg/storage/storage.go), and the Alibaba Cloud platform went with it; use "
        "storage.pvc or an S3-compatible endpoint"
    ),
}


def _refused_fields(storage: Any) -> list[Finding]:
    found = []
    if isinstance(storage, Mapping):
        refused = {**REFUSED_FIELDS, **{(k.field, name): why for k in KINDS for name, why in k.refused.items()}}
        for path, why in refused.items():
            value: Any = storage
            for part in path:
                value = value.get(part) if isinstance(value, Mapping) else None
            if value is not None:
                found.append(Finding("storage." + ".".join(path), why))
    return found


def _crd_findings(data: Mapping[str, Any]) -> list[Finding]:
    found = crd_findings(data.get("registry"), ("spec",), registry_fields.CR_FIELDS, "registry")
    found += crd_findings(data.get("pruner"), ("spec",), pruner_fields.CR_FIELDS, "pruner", crd="imagepruners")
    storage = data.get("storage")
    found += _refused_fields(storage)
    if isinstance(storage, Mapping):
        for kind in KINDS:
            values = storage.get(kind.field)
            values = kind.as_rendered(values) if kind.as_rendered else values
            found += crd_findings(values, ("spec", "storage", kind.field), kind.cr_fields, f"storage.{kind.field}")
    return found


def _covered(key: str, covered: Collection[str]) -> bool:
    return any(key == c or key.startswith(c + ".") or key.startswith(c + "[") for c in covered)


_TYPE_NAMES = {
    "model_type": "a map",
    "dict_type": "a map",
    "model_attributes_type": "a map",
    "list_type": "a list",
    "string_type": "a string",
    "bool_type": "a boolean (true or false)",
    "int_type": "an integer",
    "int_from_float": "an integer",
    "int_parsing": "an integer",
}


def _pydantic_findings(exc: ValidationError) -> list[Finding]:
    """Pydantic's errors in a stack file's words: YAML values, no Python class names."""
    found = []
    for error in exc.errors(include_input=True, include_url=False):
        loc = list(error["loc"])
        secret = loc[:1] == ["secrets"]
        if secret:
            loc = loc[1:]
        key = _dotted(loc)
        kind = error["type"]
        shown = "the value" if secret else describe(error.get("input"))
        if kind == "extra_forbidden":
            known = _known_top_level() if len(loc) == 1 else _known_fields(loc[:-1])
            nearest = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6) if known else []
            hint = f"did you mean {nearest[0]}? " if nearest else ""
            message = f"unknown key (a typo?); {hint}known keys here: {', '.join(known)}" if known else "unknown key"
        elif kind == "missing" and loc == ["platform"]:
            message = f"required: one of {', '.join(PLATFORMS)} (docs/settings.md: Platforms and their storage)"
        elif kind == "missing":
            message = "required"
        elif kind in _TYPE_NAMES:
            message = f"{shown} is not {_TYPE_NAMES[kind]}"
        elif kind == "literal_error":
            expected = error.get("ctx", {}).get("expected", "")
            message = f"{shown} is not allowed; use one of {expected.replace(' or ', ', ').replace(chr(39), '')}"
        elif kind in ("less_than_equal", "greater_than_equal", "less_than", "greater_than"):
            bound = next(iter(error.get("ctx", {}).values()), "")
            word = {"less_than_equal": "at most", "greater_than_equal": "at least"}.get(kind, kind.replace("_", " "))
            message = f"{shown} is out of range: {word} {bound}"
        else:
            message = error["msg"].removeprefix("Value error, ")
        found.append(Finding(key, message))
    return found


def _dotted(loc: list[Any]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _known_top_level() -> list[str]:
    return sorted(set(_known_fields([])) | set(SECRET_KEYS))


def _known_fields(loc: list[Any]) -> list[str]:
    """The aliases a model accepts at ``loc``, for 'did you mean' messages."""
    model: Any = StackSettings
    for part in loc:
        if isinstance(part, int) or not (isinstance(model, type) and issubclass(model, BaseModel)):
            model = _inner_model(model) if isinstance(part, int) else None
            if isinstance(part, int):
                continue
        if model is None or not (isinstance(model, type) and issubclass(model, BaseModel)):
            return []
        field = next((f for n, f in model.model_fields.items() if (f.alias or n) == part), None)
        if field is None:
            return []
        model = _inner_model(field.annotation)
    if isinstance(model, type) and issubclass(model, BaseModel):
        names = [info.alias or name for name, info in model.model_fields.items()]
        return sorted(n for n in names if n not in RESERVED) if model is StackSettings else sorted(names)
    return []


def _inner_model(annotation: Any) -> Any:
    """``X | None`` / ``list[X]`` -> ``X`` when X is a model."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) in (typing.Union, list):
        for arg in typing.get_args(annotation):
            inner = _inner_model(arg)
            if inner is not None:
                return inner
    return None
