"""No planted secret shows in any output or written file of any command that reads a cluster or a fleet.

Recognisable values are planted in every secret input a command reads besides the stack file (whose
views ``test_secret_sweep.py`` covers): the Secrets of a cluster dump (the registry's keys, ccoctl's
secret, a route's private key), credentials written into a URL in the live Config, and secrets a
fleet file gives inline. Each command runs on them; stdout, stderr and every file it writes are
searched for each value and its base64 form.
"""

from __future__ import annotations

import base64
import contextlib
import io
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

HERE = Path(__file__).resolve().parents[1]
PLANTED = {
    "REGISTRY_STORAGE_S3_ACCESSKEY": "AKIAPLANTEDLEAK0001",
    "REGISTRY_STORAGE_S3_SECRETKEY": "planted/leak+secret/0002",
    "credentials": "[default]\nrole_arn = arn:aws:iam::1:role/planted-leak-0003\n",
    "tls.key": "-----BEGIN PRIVATE KEY-----\nPLANTEDLEAK0004\n-----END PRIVATE KEY-----\n",
}
URL_USER, URL_PASSWORD = "AKIAPLANTEDURL0005", "planted-url-password-0006"


def searched(value: str) -> list[str]:
    """The value as it may show: itself, its lines, and base64 (a Secret's data)."""
    lines = [line for line in value.splitlines() if len(line) > 8 and "BEGIN" not in line and "END" not in line]
    return [value.strip(), *lines, base64.b64encode(value.encode()).decode()]


NEEDLES = [needle for value in (*PLANTED.values(), URL_USER, URL_PASSWORD) for needle in searched(value)]


def planted_dump(tmp_path: Path) -> Path:
    directory = tmp_path / "dump"
    shutil.copytree(HERE / "clusters" / "adopt-s3", directory)
    encoded = {k: base64.b64encode(v.encode()).decode() for k, v in PLANTED.items()}
    user = yaml.safe_load((directory / "credentials.yaml").read_text(encoding="utf-8"))
    user["data"] = {k: encoded[k] for k in ("REGISTRY_STORAGE_S3_ACCESSKEY", "REGISTRY_STORAGE_S3_SECRETKEY")}
    (directory / "credentials.yaml").write_text(yaml.safe_dump(user), encoding="utf-8")
    route = yaml.safe_load((directory / "route-secret.yaml").read_text(encoding="utf-8"))
    route["data"] = {**(route.get("data") or {}), "tls.key": encoded["tls.key"]}
    (directory / "route-secret.yaml").write_text(yaml.safe_dump(route), encoding="utf-8")
    installer = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "installer-cloud-credentials", "namespace": "openshift-image-registry"},
        "data": {"credentials": encoded["credentials"]},
    }
    (directory / "installer.yaml").write_text(yaml.safe_dump(installer), encoding="utf-8")
    config = yaml.safe_load((directory / "config.yaml").read_text(encoding="utf-8"))
    config["spec"]["storage"]["s3"]["regionEndpoint"] = f"https://{URL_USER}:{URL_PASSWORD}@s3.example.com"
    (directory / "config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return directory


def shown(run: Callable[[io.StringIO, io.StringIO], Any], written: Path | None = None) -> str:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        run(out, err)
    files = (
        [p.read_text(encoding="utf-8", errors="replace") for p in written.rglob("*") if p.is_file()] if written else []
    )
    return "\n".join([out.getvalue(), err.getvalue(), *files])


def assert_nothing_planted(text: str) -> None:
    leaked = [needle for needle in NEEDLES if needle in text]
    assert not leaked, f"planted secrets shown: {leaked}"


@pytest.mark.parametrize("view", [[], ["--json"], ["--graph"], ["--quiet", "--policy"]])
def test_offline_against_a_dump_shows_no_planted_secret(view: list[str], tmp_path: Path) -> None:
    from offline.__main__ import main

    directory = planted_dump(tmp_path)
    for stack in ("aws-prod", "aws-sts"):
        argv = ["--stack", stack, "--cluster", str(directory), *view]
        assert_nothing_planted(shown(lambda out, err, argv=argv: main(argv, out, err)))


def test_offline_manifests_written_from_a_dump_hold_no_planted_secret(tmp_path: Path) -> None:
    from offline.__main__ import main

    directory, out_dir = planted_dump(tmp_path), tmp_path / "manifests"
    argv = ["--stack", "lab", "--cluster", str(directory), "--out", str(out_dir)]
    text = shown(lambda out, err: main(argv, out, err), out_dir)
    assert_nothing_planted(text)


@pytest.mark.parametrize("mode", ["reference", "import"])
def test_adopt_writes_and_prints_no_planted_secret(mode: str, tmp_path: Path) -> None:
    from adopt.__main__ import main

    directory, written = planted_dump(tmp_path), tmp_path / "written"
    written.mkdir()
    argv = ["--cluster", str(directory), "--stack", "leak", "--out", str(written / "Pulumi.leak.yaml"), "--mode", mode]
    assert_nothing_planted(shown(lambda out, err: main(argv, out, err), written))


@pytest.mark.parametrize("view", [["--json"], []])
def test_verify_shows_no_planted_secret(view: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The probes fail at once (a closed port on the loopback): whatever they report is searched too."""
    from verify.__main__ import main

    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "caller")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "caller-secret")
    directory = planted_dump(tmp_path)
    config = {
        "openshift-registry:platform": "aws",
        "openshift-registry:storage": {"s3": {"bucket": "example-corp-registry", "region": "us-east-1"}},
    }
    stack = tmp_path / "Pulumi.leak.yaml"
    stack.write_text(yaml.safe_dump({"config": config}), encoding="utf-8")
    text = shown(lambda out, err: main(["--config-file", str(stack), "--cluster", str(directory), *view], out, err))
    assert_nothing_planted(text)


@pytest.mark.parametrize("command", ["preview", "render"])
def test_fleet_commands_show_and_write_no_inline_secret(command: str, tmp_path: Path) -> None:
    from fleet.__main__ import main

    fleet = yaml.safe_load((HERE.parent / "fleet.yaml").read_text(encoding="utf-8"))
    fleet["defaults"]["httpSecret"] = PLANTED["REGISTRY_STORAGE_S3_SECRETKEY"]
    fleet["clusters"][0]["providerConfig"]["aws:secretKey"] = PLANTED["REGISTRY_STORAGE_S3_ACCESSKEY"]
    path = tmp_path / "fleet.yaml"
    path.write_text(yaml.safe_dump(fleet), encoding="utf-8")
    written = tmp_path / "rendered"
    outputs = ["--out", str(written / "out"), "--stacks", str(written / "stacks")]
    argv = [command, str(path), *(outputs if command == "render" else [])]
    text = shown(lambda out, err: main(argv, out, err), written if written.exists() else None)
    assert_nothing_planted(text)
    assert not written.exists()


def test_the_registrys_token_verify_asks_for_is_redacted_like_every_secret() -> None:
    """A keyless probe's client may quote the token it was given in an error: verify keeps every token it
    asks the cluster for and redacts it from the results."""
    from components.checks import not_run, redacted
    from verify.run import recording

    issued: list[str] = []
    token = recording(lambda: "eyJhbGciOi.registry-token.sig", issued)
    quoted = not_run("registry access", "exchange", f"the server said: bad subject_token {token()}")
    (check,) = redacted([quoted], issued)
    assert issued == ["eyJhbGciOi.registry-token.sig"] and "registry-token" not in check.detail
