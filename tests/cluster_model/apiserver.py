"""A stand-in Kubernetes API server on 127.0.0.1: serves objects at their REST paths, for the live reader.

Only reads (GET), only what the program's reader asks for: cluster-scoped custom resources under
``/apis/<group>/<version>/<plural>/<name>`` and namespaced core objects under
``/api/v1/namespaces/<ns>/<plural>/<name>``. A request that asks for ``PartialObjectMetadata`` gets
the object's metadata only, as the real API server answers it. Missing objects get a 404 Status,
forbidden ones a 403: the same answers the Kubernetes client turns into ``ApiException``.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from components.cluster.state import ObjectKey, key_of


@dataclass
class Served:
    objects: dict[str, dict[str, Any]]
    """REST path -> object."""
    forbidden: set[str] = field(default_factory=set)
    requests: list[tuple[str, str]] = field(default_factory=list)
    """(path, Accept header) of every request, in order."""
    tokens: list[tuple[str, str, tuple[str, ...]]] = field(default_factory=list)
    """(namespace, service account, audiences) of every token requested."""
    port: int = 0

    @property
    def kubeconfig(self) -> dict[str, Any]:
        return {
            "apiVersion": "v1",
            "kind": "Config",
            "clusters": [{"name": "model", "cluster": {"server": f"http://127.0.0.1:{self.port}"}}],
            "users": [{"name": "reader", "user": {"token": "model-token"}}],
            "contexts": [{"name": "model", "context": {"cluster": "model", "user": "reader"}}],
            "current-context": "model",
        }


def rest_path(key: ObjectKey) -> str:
    api_version, kind, namespace, name = key
    plural = f"{kind.lower()}s"
    if "/" not in api_version:
        return f"/api/{api_version}/namespaces/{namespace}/{plural}/{name}"
    return f"/apis/{api_version}/{plural}/{name}"


@contextmanager
def serving(objects: Mapping[ObjectKey, dict[str, Any]], forbidden: set[ObjectKey] = frozenset()) -> Iterator[Served]:  # type: ignore[assignment]
    """Serve ``objects`` until the block ends; the server runs in a thread and is always shut down."""
    served = Served(objects={rest_path(key_of(body)): body for body in objects.values()},
                    forbidden={rest_path(k) for k in forbidden})  # fmt: skip

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            accept = self.headers.get("Accept", "")
            path = self.path.split("?", 1)[0]
            served.requests.append((path, accept))
            if path in served.forbidden:
                return self._answer(403, _status(403, "Forbidden", path))
            body = served.objects.get(path)
            if body is None:
                return self._answer(404, _status(404, "NotFound", path))
            if "as=PartialObjectMetadata" in accept:
                body = {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": body["metadata"]}
            return self._answer(200, body)

        def do_POST(self) -> None:
            """The TokenRequest subresource: a token for the service account, recorded with its audiences."""
            path = self.path.split("?", 1)[0]
            length = int(self.headers.get("Content-Length", "0") or 0)
            request = json.loads(self.rfile.read(length) or b"{}")
            served.requests.append((path, "POST"))
            parts = path.strip("/").split("/")
            if len(parts) == 7 and parts[4] == "serviceaccounts" and parts[6] == "token":
                served.tokens.append((parts[3], parts[5], tuple((request.get("spec") or {}).get("audiences") or ())))
                audiences = list((request.get("spec") or {}).get("audiences") or [])
                token = _jwt({"iss": "https://oidc.example.com", "aud": audiences,
                              "sub": f"system:serviceaccount:{parts[3]}:{parts[5]}", "exp": 1893456000})  # fmt: skip
                status = {"token": token, "expirationTimestamp": "2030-01-01T00:00:00Z"}
                return self._answer(201, {**request, "status": status})
            return self._answer(404, _status(404, "NotFound", path))

        def _answer(self, code: int, body: Mapping[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    served.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield served
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _status(code: int, reason: str, path: str) -> dict[str, Any]:
    return {"kind": "Status", "apiVersion": "v1", "status": "Failure", "reason": reason, "code": code,
            "message": f"{path}: {reason}"}  # fmt: skip


def _jwt(claims: Mapping[str, Any]) -> str:
    """A token shaped as the API server issues them (a JWT; its signature means nothing here)."""
    import base64

    def part(value: Mapping[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    return f"{part({'alg': 'RS256', 'kid': 'stand-in'})}.{part(claims)}.c2lnbmF0dXJl"
