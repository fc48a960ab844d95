"""Real implementations of cloud APIs for the tests, on 127.0.0.1 only, started and stopped by the
tests and bounded in time: moto in server mode (S3, IAM) and Azurite (Azure Blob, from npm:
``npm ci --prefix tests/azurite --ignore-scripts``, which the README's test command runs)."""

from __future__ import annotations

import os
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

STARTUP_SECONDS = 30
AZURITE = Path(__file__).parent / "azurite" / "node_modules" / ".bin" / "azurite-blob"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def started(
    command: Sequence[str], env: dict[str, str] | None = None, cwd: Path | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """A server process, stopped on exit (terminated, then killed after 10 s); ``wait_for`` says when it serves."""
    server = subprocess.Popen(
        list(command), env={**os.environ, **(env or {})}, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        yield server
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


def wait_for(server: subprocess.Popen[bytes], port: int, name: str) -> None:
    """Until ``server`` accepts connections on 127.0.0.1:``port``; a test failure if it dies or takes too long."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                pytest.fail(f"{name} did not start on 127.0.0.1:{port}")
            time.sleep(0.1)


@contextmanager
def serving(
    command: Sequence[str], port: int, env: dict[str, str] | None = None, cwd: Path | None = None
) -> Iterator[str]:
    """Run ``command`` until it accepts connections on 127.0.0.1:``port``; yield its URL; stop it."""
    with started(command, env, cwd) as server:
        wait_for(server, port, Path(command[0]).name)
        yield f"http://127.0.0.1:{port}"


@contextmanager
def azurite(accounts: dict[str, str], tls: tuple[Path, Path] | None = None) -> Iterator[str]:
    """Azurite's Blob service with these accounts (name -> base64 key), in memory. It needs
    ``--skipApiVersionCheck``: current SDKs send API versions newer than Azurite knows. ``tls``: its
    certificate and key, served as https://localhost with OAuth (bearer tokens checked for their audience,
    issuer and expiry, not their signature: ``--oauth basic``)."""
    if not AZURITE.exists():
        pytest.fail(
            "Azurite is not installed: run `npm ci --prefix tests/azurite --ignore-scripts` (the README's test "
            "command does)"
        )
    port = free_port()
    command = [str(AZURITE), "--blobHost", "127.0.0.1", "--blobPort", str(port), "--skipApiVersionCheck",
               "--inMemoryPersistence", "--silent", "--disableTelemetry"]  # fmt: skip
    if tls:
        command += ["--cert", str(tls[0]), "--key", str(tls[1]), "--oauth", "basic"]
    env = {"AZURITE_ACCOUNTS": ";".join(f"{name}:{key}" for name, key in accounts.items())}
    with tempfile.TemporaryDirectory() as workspace, serving(command, port, env, Path(workspace)) as url:
        yield url.replace("http://127.0.0.1", "https://localhost") if tls else url


@contextmanager
def moto_server(region: str, tls: tuple[Path, Path, Path] | None = None) -> Iterator[dict[str, Any]]:
    """moto's S3 and IAM API with IAM enforcement: the first three requests (an admin user, its
    policy, its key) go unauthenticated, and from then on IAM decides every request. ``tls``: the
    server's certificate, its key and the CA that issued it (served as https://localhost).
    Yields ``options`` for boto3 clients (endpoint, region, CA) and ``admin``, the admin's keys."""
    import json
    import sys

    import boto3

    port = free_port()
    command = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)]
    if tls:
        command += ["-c", str(tls[0]), "-k", str(tls[1])]
    with serving(command, port, {"INITIAL_NO_AUTH_ACTION_COUNT": "3", "AWS_DEFAULT_REGION": region}) as url:
        endpoint = f"https://localhost:{port}" if tls else url
        options = {"endpoint_url": endpoint, "region_name": region, **({"verify": str(tls[2])} if tls else {})}
        iam = boto3.client("iam", aws_access_key_id="x", aws_secret_access_key="x", **options)
        iam.create_user(UserName="admin")
        everything = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
        iam.put_user_policy(UserName="admin", PolicyName="all", PolicyDocument=json.dumps(everything))
        key = iam.create_access_key(UserName="admin")["AccessKey"]
        admin = {"aws_access_key_id": key["AccessKeyId"], "aws_secret_access_key": key["SecretAccessKey"]}
        yield {"endpoint": endpoint, "options": options, "admin": admin}
