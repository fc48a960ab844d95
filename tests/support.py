"""Helpers the tests share: build settings from plain dicts, evaluate stacks, read recorded inputs."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from components.crd import crd_schema, violations
from components.errors import SettingsError
from components.settings.loader import LoadedSettings, load_settings
from components.settings.stack import StackSettings
from components.stack_config import PROJECT_ROOT, StackConfig, load_stack_file
from offline.engine import SECRET_SIG, Evaluation, Registration, evaluate

PROJECT = "openshift-registry"
STACK_FILES = sorted((PROJECT_ROOT / "stacks").glob("Pulumi.*.yaml"))


def config_of(
    *, secrets: Mapping[str, str] | None = None, extra: Mapping[str, str] | None = None, **keys: Any
) -> tuple[dict[str, str], list[str]]:
    """Stack config as the engine passes it, from Python values (objects become JSON)."""
    config = {f"{PROJECT}:{k}": v if isinstance(v, str) else json.dumps(v) for k, v in keys.items()}
    config.update({f"{PROJECT}:{k}": v for k, v in (secrets or {}).items()})
    config.update(extra or {})
    return config, [f"{PROJECT}:{k}" for k in (secrets or {})]


def load(
    *,
    secrets: Mapping[str, str] | None = None,
    extra: Mapping[str, str] | None = None,
    stack: str = "test",
    **keys: Any,
) -> LoadedSettings:
    config, secret_keys = config_of(secrets=secrets, extra=extra, **keys)
    return load_settings(config, secret_keys, project=PROJECT, stack=stack)


def settings(**kwargs: Any) -> StackSettings:
    return load(**kwargs).settings


def evaluate_config(
    *,
    secrets: Mapping[str, str] | None = None,
    extra: Mapping[str, str] | None = None,
    stack: str = "test",
    **keys: Any,
) -> Evaluation:
    config, secret_keys = config_of(secrets=secrets, extra=extra, **keys)
    return evaluate(StackConfig(project=PROJECT, stack=stack, config=config, secret_keys=secret_keys))


def evaluate_file(path: Path) -> Evaluation:
    return evaluate(load_stack_file(path))


def by_type(evaluation: Evaluation, type_: str) -> list[Registration]:
    return [r for r in evaluation.registrations if r.type == type_]


def one(evaluation: Evaluation, type_: str) -> Registration:
    found = by_type(evaluation, type_)
    assert len(found) == 1, f"expected one {type_}, found {[r.name for r in found]}"
    return found[0]


def is_secret(value: Any) -> bool:
    return isinstance(value, dict) and value.get(SECRET_SIG) is not None


def reveal(value: Any) -> Any:
    """Recorded inputs with secret wrappers replaced by their values (for asserting contents)."""
    if is_secret(value):
        return reveal(value["value"])
    if isinstance(value, dict):
        return {k: reveal(v) for k, v in value.items()}
    if isinstance(value, list):
        return [reveal(v) for v in value]
    return value


def problems_of(**kwargs: Any) -> list[str]:
    """The settings errors ``load(**kwargs)`` must raise, as ``openshift-registry:<key>: <message>``."""
    with pytest.raises(SettingsError) as caught:
        load(**kwargs)
    return [str(p) for p in caught.value.problems]


def the_problem(found: list[str], key: str, fragment: str) -> str:
    """The one problem in ``found``: it names ``key`` and says ``fragment``."""
    assert len(found) == 1, found
    assert found[0].startswith(f"openshift-registry:{key}: "), found
    assert fragment in found[0], found
    return found[0]


def unmarked_strings(value: Any) -> Iterator[str]:
    """Strings in recorded inputs that are not inside a secret mark."""
    if isinstance(value, dict):
        if value.get(SECRET_SIG) is not None:
            return
        for child in value.values():
            yield from unmarked_strings(child)
    elif isinstance(value, list):
        for child in value:
            yield from unmarked_strings(child)
    elif isinstance(value, str):
        yield value


def crd_violations(name: str, obj: Mapping[str, Any], version: str = "latest") -> list[str]:
    """Violations of a whole object (apiVersion, kind, metadata, spec) against a vendored CRD."""
    return [f"{path}: {message}" for path, message in violations(dict(obj), crd_schema(name, version))]  # type: ignore[arg-type]


def assert_storage_unmanaged(storage: Mapping[str, Any]) -> None:
    """Storage this program owns is ``Unmanaged``; emptyDir has nothing to manage and says nothing."""
    if "emptyDir" in storage:
        assert "managementState" not in storage, storage
    else:
        assert storage["managementState"] == "Unmanaged", storage


def messages(problems: Iterable[Any]) -> list[str]:
    return [str(p) for p in problems]


CLOUD_SDKS = ("pulumi_aws", "pulumi_gcp", "pulumi_azure_native", "pulumi_kubernetes", "pulumi_openstack")


def cloud_sdks_imported(stack: str) -> list[str]:
    """The cloud SDKs a fresh interpreter imports to evaluate ``stacks/Pulumi.<stack>.yaml``."""
    script = (
        "import sys\n"
        "from offline.engine import evaluate\n"
        "from components.stack_config import load_stack_file, stack_path\n"
        f"evaluate(load_stack_file(stack_path({stack!r})))\n"
        f"print(' '.join(sorted({{m.split('.')[0] for m in sys.modules}} & set({CLOUD_SDKS!r}))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    )
    return result.stdout.split()


SDK_PACKAGES = {"aws": "pulumi_aws", "gcp": "pulumi_gcp", "azure-native": "pulumi_azure_native"}
SDK_PACKAGES |= {"kubernetes": "pulumi_kubernetes", "openstack": "pulumi_openstack"}


def sdk_declares(token: str) -> bool:
    """Whether the pinned provider SDK registers resources of type ``token`` (its class passes that very
    string to ``super().__init__``): read from the SDK's source, never from this program's constants."""
    import importlib.util

    package, module, _ = token.split(":")
    spec = importlib.util.find_spec(SDK_PACKAGES[package])
    assert spec is not None and spec.submodule_search_locations, package
    root = Path(next(iter(spec.submodule_search_locations)))
    # aws:s3/bucket:Bucket lives in pulumi_aws/s3/; kubernetes:core/v1:Secret in pulumi_kubernetes/core/v1/,
    # kubernetes:rbac.authorization.k8s.io/v1:Role in pulumi_kubernetes/rbac/v1/.
    parts = module.split("/")
    kube = [parts[0].split(".")[0], *parts[1:]]
    folder = root.joinpath(*(kube if package == "kubernetes" else parts[:1]))
    quoted = (f"'{token}'", f'"{token}"')
    return folder.is_dir() and any(
        any(q in path.read_text(encoding="utf-8", errors="replace") for q in quoted) for path in folder.glob("*.py")
    )
