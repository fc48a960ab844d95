"""No secret value in any output: every stack, plus stacks with planted values, through every view.

Views: the preview table, JSON, manifests, graph, stack outputs, the program's log and warning
messages, and stderr. Planted values come in both forms a stack can hold them: decrypted by the
Pulumi CLI (plain text marked secret) and ``secure:`` ciphertext in a stack file.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from components.names import SECURE_PLACEHOLDER
from components.stack_config import StackConfig, load_stack_file
from offline.__main__ import EXIT_OK, parser, preview
from offline.engine import _COMPUTED, _INVOKES, evaluate
from tests.certs import make
from tests.support import PROJECT, STACK_FILES, config_of, unmarked_strings

PLANTED = {
    "s3AccessKey": "PLANTEDACCESSKEY7F3A9C",
    "s3SecretKey": "planted/secret+key/91be27d4",
    "httpSecret": "planted-http-secret-5e0c11",
}
PLANTED_CIPHERTEXT = "v1:planted-ciphertext-0d9e7b41"
# Secret values the mock providers compute: they stand for real generated keys.
MOCK_SECRETS = ["mock-secret-access-key", "mock-account-key", _COMPUTED["gcp:serviceaccount/key:Key"]["privateKey"]]
VIEWS = {"table": [], "json": ["--json"], "graph": ["--graph"]}
RGW_S3 = {
    "bucket": "registry",
    "region": "us-east-1",
    "regionEndpoint": "https://rgw.example.com",
}


def everything_shown(stack_config: StackConfig, tmp_path: Path) -> str:
    """All text the project shows for a stack, in every view, plus what the program logs."""
    shown = []
    for name, flags in VIEWS.items():
        out, err = io.StringIO(), io.StringIO()
        assert preview(stack_config, parser().parse_args(["--stack", "x", *flags]), out, err) == EXIT_OK, name
        shown += [out.getvalue(), err.getvalue()]
    directory = tmp_path / "manifests"
    out, err = io.StringIO(), io.StringIO()
    assert preview(stack_config, parser().parse_args(["--stack", "x", "--out", str(directory)]), out, err) == EXIT_OK
    shown += [out.getvalue(), err.getvalue(), *(p.read_text(encoding="utf-8") for p in sorted(directory.iterdir()))]
    evaluation = evaluate(stack_config)
    shown.append(json.dumps(evaluation.outputs, default=str))
    shown += [message for _, message in evaluation.logs]
    return "\n".join(shown)


def assert_hidden(stack_config: StackConfig, secrets: list[str], tmp_path: Path) -> None:
    shown = everything_shown(stack_config, tmp_path)
    for secret in secrets:
        assert secret not in shown
    for registration in evaluate(stack_config).registrations:
        leaked = [s for s in unmarked_strings(registration.inputs) if any(secret in s for secret in secrets)]
        assert leaked == [], f"{registration.name} holds a secret value outside a secret mark"


@pytest.mark.parametrize("path", STACK_FILES, ids=lambda p: p.name)
def test_no_stack_file_shows_a_secret(path: Path, tmp_path: Path) -> None:
    stack_file = yaml.safe_load(path.read_text(encoding="utf-8"))
    ciphertexts = [
        value["secure"] for value in _leaves_with_secure(stack_file.get("config") or {}) if len(value["secure"]) > 3
    ]
    assert_hidden(load_stack_file(path), [*ciphertexts, SECURE_PLACEHOLDER, *MOCK_SECRETS], tmp_path)


def test_planted_plain_secrets_never_show(tmp_path: Path) -> None:
    """As the Pulumi CLI hands decrypted secrets to the program: plain text, marked secret."""
    config, secret_keys = config_of(platform="baremetal", storage={"s3": RGW_S3}, secrets=PLANTED, extra={})
    stack_config = StackConfig(project=PROJECT, stack="planted", config=config, secret_keys=secret_keys)
    assert_hidden(stack_config, [*PLANTED.values(), *MOCK_SECRETS], tmp_path)


def test_planted_key_file_and_route_key_never_show(tmp_path: Path) -> None:
    """GCS key file and a route's TLS key: the two secrets that are documents, not single values."""
    pair = make()
    key_file = json.dumps({"type": "service_account", "private_key": "planted-gcs-private-key-44c1"})
    routes = {"routes": [{"name": "external", "hostname": "registry.apps.example.com"}]}
    config, secret_keys = config_of(
        platform="gcp",
        storage={"gcs": {"region": "us-central1", "projectID": "example-project", "credentials": "secretConfig"}},
        registry=routes,
        secrets={"gcsKeyFile": key_file, "routeTls": json.dumps({"external": vars(pair)})},
    )
    stack_config = StackConfig(project=PROJECT, stack="planted-docs", config=config, secret_keys=secret_keys)
    assert_hidden(stack_config, ["planted-gcs-private-key-44c1", pair.key.splitlines()[1]], tmp_path)


def test_planted_secure_values_never_show(tmp_path: Path) -> None:
    path = tmp_path / "Pulumi.planted.yaml"
    config = {f"{PROJECT}:platform": "baremetal", f"{PROJECT}:storage": {"s3": RGW_S3}}
    config.update({f"{PROJECT}:{key}": {"secure": PLANTED_CIPHERTEXT} for key in PLANTED})
    path.write_text(yaml.safe_dump({"config": config}), encoding="utf-8")
    assert_hidden(load_stack_file(path), [PLANTED_CIPHERTEXT, SECURE_PLACEHOLDER], tmp_path)


def test_the_sweep_would_see_a_leak(tmp_path: Path) -> None:
    """The sweep is not blind: a non-secret value of the same stack does show up."""
    config, secret_keys = config_of(platform="baremetal", storage={"s3": RGW_S3}, secrets=PLANTED)
    shown = everything_shown(StackConfig(PROJECT, "planted", config, secret_keys), tmp_path)
    assert "https://rgw.example.com" in shown
    assert "[secret]" in shown
    assert "mock-account-key" in json.dumps(_INVOKES)  # the mock secrets listed above are real mock values


def _leaves_with_secure(value: Any) -> Iterator[dict[str, str]]:
    if isinstance(value, dict):
        if set(value) == {"secure"}:
            yield value
            return
        for child in value.values():
            yield from _leaves_with_secure(child)
    elif isinstance(value, list):
        for child in value:
            yield from _leaves_with_secure(child)
