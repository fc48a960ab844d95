"""A real Keystone and Swift on 127.0.0.1 for verify's Swift tests, started and stopped by the tests and
bounded in time, as moto and Azurite serve S3 and Azure (tests/servers.py).

Keystone on SQLite (WAL) with an in-memory cache, served by wsgiref; Swift as one account, one container
and one object server on a one-replica ring, and the proxy with keystonemiddleware's ``authtoken``
(``service_type = object-store``, ``interface = public``) and Swift's ``keystoneauth``. All from PyPI
(keystone, swift, keystonemiddleware in requirements-dev.txt); nothing leaves the machine.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.servers import free_port, serving, started, wait_for

BIN = Path(sys.executable).parent
ADMIN_PASSWORD = "admin-secret"
SERVICE_PASSWORD = "swift-service-secret"
TIMEOUT = 30


@dataclass
class OpenStack:
    keystone: str
    """``http://127.0.0.1:PORT/v3``"""
    swift: str
    """``http://127.0.0.1:PORT/v1``"""
    admin_token: str

    def api(self, method: str, path: str, token: str | None = None, **kwargs: Any) -> requests.Response:
        headers = {"X-Auth-Token": token or self.admin_token, **kwargs.pop("headers", {})}
        answer = requests.request(method, f"{self.keystone}{path}", headers=headers, timeout=TIMEOUT, **kwargs)
        if answer.status_code >= 400:
            raise AssertionError(f"{method} {path}: {answer.status_code} {answer.text[:300]}")
        return answer

    def make(self, kind: str, body: dict[str, Any]) -> str:
        """Create a Keystone object (``projects``, ``users``, ...) and return its id."""
        singular = kind.rstrip("s")
        return str(self.api("POST", f"/{kind}", json={singular: body}).json()[singular]["id"])

    def role(self, name: str) -> str:
        return str(self.api("GET", f"/roles?name={name}").json()["roles"][0]["id"])

    def grant(self, project: str, user: str, role: str) -> None:
        self.api("PUT", f"/projects/{project}/users/{user}/roles/{self.role(role)}")

    def token(self, user: str, password: str, project: str) -> tuple[str, str]:
        """A token of ``user`` scoped to ``project`` (ids), and the project's Swift account URL."""
        auth = {"identity": {"methods": ["password"], "password": {"user": {"id": user, "password": password}}},
                "scope": {"project": {"id": project}}}  # fmt: skip
        answer = requests.post(f"{self.keystone}/auth/tokens", json={"auth": auth}, timeout=TIMEOUT)
        assert answer.status_code == 201, answer.text[:300]
        return answer.headers["X-Subject-Token"], f"{self.swift}/AUTH_{project}"


def _keystone_setup(folder: Path, url: str) -> Path:
    conf = folder / "keystone.conf"
    database = folder / "keystone.db"
    with sqlite3.connect(database) as connection:  # WAL: the server and keystone-manage share the file
        connection.execute("PRAGMA journal_mode=WAL")
    conf.write_text(
        textwrap.dedent(f"""\
        [DEFAULT]
        log_file = {folder}/keystone.log
        [database]
        connection = sqlite:///{database}
        [token]
        provider = fernet
        [fernet_tokens]
        key_repository = {folder}/fernet
        [fernet_receipts]
        key_repository = {folder}/fernet-receipts
        [credential]
        key_repository = {folder}/credential
        [cache]
        enabled = true
        backend = dogpile.cache.memory
        """)
    )
    owner = ["--keystone-user", str(os.getuid()), "--keystone-group", str(os.getgid())]
    manage = [str(BIN / "keystone-manage"), "--config-file", str(conf)]
    endpoints = [f"--bootstrap-{kind}-url={url}" for kind in ("admin", "internal", "public")]
    # keystone-manage takes seconds to start: the three steps that share nothing run side by side.
    first = [["db_sync"], ["fernet_setup", *owner], ["credential_setup", *owner]]
    bootstrap = ["bootstrap", "--bootstrap-password", ADMIN_PASSWORD, *endpoints, "--bootstrap-region-id", "RegionOne"]
    for batch in (first, [bootstrap]):
        running = [
            (
                arguments[0],
                subprocess.Popen([*manage, *arguments], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True),
            )
            for arguments in batch
        ]
        for step, process in running:
            _, errors = process.communicate(timeout=120)
            if process.returncode:
                pytest.fail(f"keystone-manage {step} failed: {errors[-500:]}")
    serve = folder / "serve_keystone.py"
    serve.write_text(
        textwrap.dedent(f"""\
        import os
        os.environ["OS_KEYSTONE_CONFIG_FILES"] = {str(conf)!r}
        from socketserver import ThreadingMixIn
        from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server
        from keystone.server import wsgi
        application = wsgi.initialize_public_application()
        class Quiet(WSGIRequestHandler):
            def log_message(self, *args):
                pass
        class Threading(ThreadingMixIn, WSGIServer):
            daemon_threads = True
        make_server("127.0.0.1", {int(url.rsplit(":", 1)[1].split("/")[0])}, application,
                    server_class=Threading, handler_class=Quiet).serve_forever()
        """)
    )
    return serve


def _swift_setup(folder: Path, ports: dict[str, int], keystone: str) -> dict[str, Path]:
    swift_dir, devices = folder / "swift", folder / "srv"
    (devices / "d1").mkdir(parents=True)
    swift_dir.mkdir()
    (swift_dir / "swift.conf").write_text(
        "[swift-hash]\nswift_hash_path_suffix = tests\nswift_hash_path_prefix = tests\n"
        "[storage-policy:0]\nname = only\ndefault = yes\n"
    )
    # The three one-replica rings, built in one process (swift-ring-builder would take nine).
    rings = textwrap.dedent(f"""\
        from swift.common.ring import RingBuilder
        for ring, port in {[(ring, ports[ring]) for ring in ("account", "container", "object")]!r}:
            builder = RingBuilder(0, 1, 1)
            builder.add_dev({{"id": 0, "region": 1, "zone": 1, "ip": "127.0.0.1", "port": port, "device": "d1",
                              "weight": 1}})
            builder.rebalance()
            builder.get_ring().save(f"{swift_dir}/{{ring}}.ring.gz")
        """)
    done = subprocess.run([sys.executable, "-c", rings], capture_output=True, text=True, timeout=60)
    if done.returncode:
        pytest.fail(f"the Swift rings could not be built: {done.stderr[-500:]}")
    common = (f"[DEFAULT]\nbind_ip = 127.0.0.1\nswift_dir = {swift_dir}\ndevices = {devices}\nmount_check = false\n"
              "workers = 0\ndisable_fallocate = true\nlog_level = WARNING\n")  # fmt: skip
    confs = {}
    for ring in ("account", "container", "object"):
        confs[ring] = swift_dir / f"{ring}-server.conf"
        confs[ring].write_text(
            f"{common}bind_port = {ports[ring]}\n[pipeline:main]\npipeline = {ring}-server\n"
            f"[app:{ring}-server]\nuse = egg:swift#{ring}\n"
        )
    confs["proxy"] = swift_dir / "proxy-server.conf"
    confs["proxy"].write_text(
        f"{common}bind_port = {ports['proxy']}\n"
        "[pipeline:main]\npipeline = catch_errors authtoken keystoneauth proxy-server\n"
        "[app:proxy-server]\nuse = egg:swift#proxy\naccount_autocreate = true\n"
        "[filter:catch_errors]\nuse = egg:swift#catch_errors\n"
        "[filter:keystoneauth]\nuse = egg:swift#keystoneauth\noperator_roles = admin, member\n"
        "[filter:authtoken]\npaste.filter_factory = keystonemiddleware.auth_token:filter_factory\n"
        f"www_authenticate_uri = {keystone}\nauth_url = {keystone}\nauth_type = password\n"
        "project_domain_id = default\nuser_domain_id = default\nproject_name = service\nusername = swift\n"
        f"password = {SERVICE_PASSWORD}\nservice_type = object-store\ninterface = public\n"
        "delay_auth_decision = true\n"
    )
    return confs


@contextmanager
def openstack() -> Iterator[OpenStack]:
    """Keystone and Swift, with the object-store service in the catalog and Swift's service user."""
    ports = {name: free_port() for name in ("keystone", "account", "container", "object", "proxy")}
    keystone = f"http://127.0.0.1:{ports['keystone']}/v3"
    swift = f"http://127.0.0.1:{ports['proxy']}/v1"
    with tempfile.TemporaryDirectory() as workspace, ExitStack() as servers:
        folder = Path(workspace)
        # Swift's four servers take seconds each to import: started first, side by side, while Keystone is set up.
        confs = _swift_setup(folder, ports, keystone)
        rings = ("account", "container", "object", "proxy")
        swift_servers = [
            servers.enter_context(started([str(BIN / f"swift-{ring}-server"), str(confs[ring])])) for ring in rings
        ]
        serve = _keystone_setup(folder, keystone)
        servers.enter_context(serving([sys.executable, str(serve)], ports["keystone"]))
        admin = {"name": "admin", "domain": {"id": "default"}, "password": ADMIN_PASSWORD}
        auth = {
            "identity": {"methods": ["password"], "password": {"user": admin}},
            "scope": {"project": {"name": "admin", "domain": {"id": "default"}}},
        }
        answer = requests.post(f"{keystone}/auth/tokens", json={"auth": auth}, timeout=TIMEOUT)
        cloud = OpenStack(keystone, swift, answer.headers["X-Subject-Token"])
        service_project = cloud.make("projects", {"name": "service", "domain_id": "default"})
        swift_user = cloud.make("users", {"name": "swift", "domain_id": "default", "password": SERVICE_PASSWORD})
        cloud.grant(service_project, swift_user, "admin")
        service = cloud.make("services", {"type": "object-store", "name": "swift"})
        cloud.make("endpoints", {"service_id": service, "interface": "public", "region_id": "RegionOne",
                                 "url": f"{swift}/AUTH_%(project_id)s"})  # fmt: skip
        for ring, server in zip(rings, swift_servers, strict=True):
            wait_for(server, ports[ring], f"swift-{ring}-server")
        yield cloud
