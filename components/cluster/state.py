"""What the program knows of the cluster before it changes anything: a few objects, read-only.

Read from the live cluster (``readers.LiveReader``), from ``oc get -o yaml`` dumps
(``readers.DumpReader``), or nothing at all for a new cluster. Secrets are known by their key
names only: their values are dropped by every reader before anything else sees them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

# This program's server-side-apply field manager (``pulumi.com/patchFieldManager`` on its patches):
# what it owns in a live object is what managedFields list under this name.
FIELD_MANAGER = "openshift-registry"

# (apiVersion, kind, namespace, name) of every object the program reads.
CONFIG = ("imageregistry.operator.openshift.io/v1", "Config", "", "cluster")
IMAGE = ("config.openshift.io/v1", "Image", "", "cluster")
CLOUD_CREDENTIAL = ("operator.openshift.io/v1", "CloudCredential", "", "cluster")
AUTHENTICATION = ("config.openshift.io/v1", "Authentication", "", "cluster")
CLUSTER_VERSION = ("config.openshift.io/v1", "ClusterVersion", "", "version")
INFRASTRUCTURE = ("config.openshift.io/v1", "Infrastructure", "", "cluster")
SINGLETONS = (CONFIG, IMAGE, CLOUD_CREDENTIAL, AUTHENTICATION, CLUSTER_VERSION, INFRASTRUCTURE)

ObjectKey = tuple[str, str, str, str]


def key_of(body: Mapping[str, Any]) -> ObjectKey:
    metadata = body.get("metadata") or {}
    return (
        str(body.get("apiVersion", "")),
        str(body.get("kind", "")),
        str(metadata.get("namespace", "") or ""),
        str(metadata.get("name", "")),
    )


def without_secret_values(body: dict[str, Any]) -> dict[str, Any]:
    """A Secret with its values gone and its key names kept (as empty strings)."""
    if body.get("kind") != "Secret":
        return body
    keys = sorted({*(body.get("data") or {}), *(body.get("stringData") or {})})
    return {**{k: v for k, v in body.items() if k not in ("data", "stringData")}, "data": dict.fromkeys(keys, "")}


@dataclass(frozen=True)
class ClusterState:
    objects: Mapping[ObjectKey, dict[str, Any]] = field(default_factory=dict)
    source: str = "a new cluster (assumed: nothing was read)"
    """Where it came from, for messages: ``the live cluster``, ``the dump in DIR``."""
    read: bool = False
    """False: nothing was read; every object counts as missing."""

    def get(self, key: ObjectKey) -> dict[str, Any] | None:
        return self.objects.get(key)

    def named(self, api_version: str, kind: str, namespace: str, name: str) -> dict[str, Any] | None:
        return self.objects.get((api_version, kind, namespace, name))

    @property
    def config(self) -> dict[str, Any] | None:
        return self.get(CONFIG)

    @property
    def image(self) -> dict[str, Any] | None:
        return self.get(IMAGE)

    @property
    def infrastructure(self) -> dict[str, Any] | None:
        return self.get(INFRASTRUCTURE)

    def config_storage(self) -> dict[str, Any]:
        return dict(((self.config or {}).get("spec") or {}).get("storage") or {})

    @property
    def openshift_version(self) -> str | None:
        """``4.16`` from the ClusterVersion's desired (or latest completed) release."""
        version = self.get(CLUSTER_VERSION) or {}
        release = ((version.get("status") or {}).get("desired") or {}).get("version")
        if not release:
            history = (version.get("status") or {}).get("history") or []
            release = next((h.get("version") for h in history if h.get("state") == "Completed"), None)
        return ".".join(str(release).split(".")[:2]) if release else None

    @property
    def credentials_mode(self) -> str | None:
        return ((self.get(CLOUD_CREDENTIAL) or {}).get("spec") or {}).get("credentialsMode")

    @property
    def service_account_issuer(self) -> str | None:
        return ((self.get(AUTHENTICATION) or {}).get("spec") or {}).get("serviceAccountIssuer") or None

    @property
    def short_lived_credentials(self) -> bool:
        """Installed with short-lived credentials: Manual credentials mode and a service account issuer
        of its own (what ccoctl sets up), detected without reading any secret."""
        return self.credentials_mode == "Manual" and bool(self.service_account_issuer)

    @property
    def platform(self) -> str | None:
        status = (self.infrastructure or {}).get("status") or {}
        platform = (status.get("platformStatus") or {}).get("type") or status.get("platform")
        return str(platform).lower() if platform else None

    def owned_paths(self, body: Mapping[str, Any] | None) -> set[tuple[str, ...]]:
        """The field paths this program's field manager owns in ``body`` (from its managedFields)."""
        owned: set[tuple[str, ...]] = set()
        for entry in ((body or {}).get("metadata") or {}).get("managedFields") or []:
            if entry.get("manager") == FIELD_MANAGER:
                owned.update(_paths(entry.get("fieldsV1") or {}, ()))
        return owned

    def has_managed_fields(self, body: Mapping[str, Any] | None) -> bool:
        return bool(((body or {}).get("metadata") or {}).get("managedFields"))


def _paths(fields: Mapping[str, Any], prefix: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
    for name, child in fields.items():
        if not name.startswith("f:"):
            continue
        path = (*prefix, name[2:])
        yield path
        if isinstance(child, Mapping):
            yield from _paths(child, path)
