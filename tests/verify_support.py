"""What the ``python -m verify`` tests share: a cluster dump with the registry's Config, the
ClusterOperator and the credential secret, a stack file, and one run of the command."""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from verify.__main__ import main

Results = dict[str, dict[str, str]]


def healthy_conditions() -> list[dict[str, str]]:
    return [
        {"type": "Available", "status": "True"},
        {"type": "Progressing", "status": "False"},
        {"type": "Degraded", "status": "False"},
        {"type": "StorageExists", "status": "True"},
    ]


def cluster_dump(
    tmp_path: Path,
    storage: dict[str, Any],
    secret: dict[str, str],
    *,
    conditions: list[dict[str, str]] | None = None,
    extra: Sequence[dict[str, Any]] = (),
) -> Path:
    """``storage``: the Config's spec.storage; ``secret``: the credential secret's values, in plain text."""
    directory = tmp_path / "dump"
    directory.mkdir(exist_ok=True)
    objects = [
        {
            "apiVersion": "imageregistry.operator.openshift.io/v1",
            "kind": "Config",
            "metadata": {"name": "cluster"},
            "spec": {"managementState": "Managed", "replicas": 2, "storage": storage},
            "status": {"conditions": conditions or healthy_conditions()},
        },
        {
            "apiVersion": "config.openshift.io/v1",
            "kind": "ClusterOperator",
            "metadata": {"name": "image-registry"},
            "status": {"conditions": healthy_conditions()[:3]},
        },
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "type": "Opaque",
            "metadata": {"name": "image-registry-private-configuration-user", "namespace": "openshift-image-registry"},
            "data": {key: base64.b64encode(value.encode()).decode() for key, value in secret.items()},
        },
        *extra,
    ]
    (directory / "objects.yaml").write_text(yaml.safe_dump({"apiVersion": "v1", "kind": "List", "items": objects}))
    return directory


def stack_file(tmp_path: Path, config: dict[str, Any]) -> Path:
    path = tmp_path / "Pulumi.verified.yaml"
    path.write_text(yaml.safe_dump({"config": config}))
    return path


def run(stack: Path, cluster: Path) -> tuple[int, Results, str]:
    """One ``python -m verify --json`` run: its exit code, the checks by name, and all it printed."""
    out, err = io.StringIO(), io.StringIO()
    code = main(["--config-file", str(stack), "--cluster", str(cluster), "--json"], out, err)
    assert not err.getvalue(), err.getvalue()
    return code, {c["name"]: c for c in json.loads(out.getvalue())["checks"]}, out.getvalue()
