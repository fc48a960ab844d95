"""What the program knows of the cluster before it changes anything: a few objects, read-only.

Read from the live cluster (``readers.LiveReader``), from ``oc get -o yaml`` dumps
(``readers.DumpReader``), or nothing at all for a new cluster. Secrets are known by their key
names only: their values are dropped by every reader before anything else sees them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from components.names import (
    CONFIG_NAMESPACE,
    CREDENTIAL_SECRET,
    FIELD_MANAGER,
    REGISTRY_NAMESPACE,
    TRUSTED_CA_CONFIGMAP,
)
from components.names import INSTALLER_SECRET as INSTALLER_SECRET_NAME

# (apiVersion, kind, namespace, name) of every object the program reads.
CONFIG = ("imageregistry.operator.openshift.io/v1", "Config", "", "cluster")
IMAGE = ("config.openshift.io/v1", "Image", "", "cluster")
CLOUD_CREDENTIAL = ("operator.openshift.io/v1", "CloudCredential", "", "cluster")
AUTHENTICATION = ("config.openshift.io/v1", "Authentication", "", "cluster")
CLUSTER_VERSION = ("config.openshift.io/v1", "ClusterVersion", "", "version")
INFRASTRUCTURE = ("config.openshift.io/v1", "Infrastructure", "", "cluster")
SINGLETONS = (CONFIG, IMAGE, CLOUD_CREDENTIAL, AUTHENTICATION, CLUSTER_VERSION, INFRASTRUCTURE)
# The two Secrets the operator reads credentials from (pkg/storage/<kind> ``GetConfig``): the program
# learns whether each exists and who made it, by a metadata-only read, never their values.
USER_SECRET = ("v1", "Secret", REGISTRY_NAMESPACE, CREDENTIAL_SECRET)
INSTALLER_SECRET = ("v1", "Secret", REGISTRY_NAMESPACE, INSTALLER_SECRET_NAME)
SECRETS = (USER_SECRET, INSTALLER_SECRET)

ObjectKey = tuple[str, str, str, str]


def program_keys(objects: Mapping[ObjectKey, Mapping[str, Any]]) -> tuple[ObjectKey, ...]:
    """Every object the program reads, given what it read so far: the singletons, the two credential
    Secrets (metadata), and the ConfigMap the Image config names. The live reader asks for exactly
    these, and the dump reader's facts are these: both learn the same (tests/cluster_model)."""
    keys = [*SINGLETONS, *SECRETS]
    image = objects.get(IMAGE) or {}
    trusted = ((image.get("spec") or {}).get("additionalTrustedCA") or {}) if isinstance(image, Mapping) else {}
    name = trusted.get("name") if isinstance(trusted, Mapping) else None
    if name:
        keys.append(("v1", "ConfigMap", CONFIG_NAMESPACE, str(name)))
    return tuple(keys)


def metadata_only(key: ObjectKey, body: Mapping[str, Any]) -> dict[str, Any]:
    """What a metadata-only read (``PartialObjectMetadata``) tells of the object ``key``: its metadata, no data."""
    metadata = body.get("metadata") or {}
    kept = ("name", "namespace", "labels", "annotations", "managedFields", "ownerReferences", "deletionTimestamp")
    return {"apiVersion": key[0], "kind": key[1], "metadata": {k: metadata[k] for k in kept if k in metadata}}


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
    notes: tuple[str, ...] = ()
    """What the reader passed over and the user should know (an empty dump file)."""
    unknown: frozenset[ObjectKey] = frozenset()
    """Objects whose existence could not be told (a metadata read was forbidden): they count as existing."""

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

    def exists(self, key: ObjectKey) -> bool:
        """Whether ``key`` exists; not read, or not told, counts as existing (creating an object that
        exists fails the whole update, patching one that does not merely creates it)."""
        return not self.read or key in self.unknown or key in self.objects

    def facts(self) -> dict[ObjectKey, dict[str, Any]]:
        """What the program learns: the objects it reads (``program_keys``), Secrets by metadata only."""
        out: dict[ObjectKey, dict[str, Any]] = {}
        for key in program_keys(self.objects):
            body = self.objects.get(key)
            if body is not None:
                out[key] = metadata_only(key, body) if key[1] == "Secret" else body
        return out

    @property
    def infrastructure_topology(self) -> str | None:
        """``SingleReplica`` on single-node OpenShift, ``HighlyAvailable`` otherwise (Infrastructure status)."""
        topology = ((self.infrastructure or {}).get("status") or {}).get("infrastructureTopology")
        return str(topology) if topology else None

    def capability_disabled(self, name: str) -> bool:
        """Whether the cluster knows the optional capability ``name`` and has it disabled (ClusterVersion
        ``status.capabilities``, 4.11+). ImageRegistry is optional from 4.14, CloudCredential from 4.14;
        a release that does not list a capability as known has it always."""
        status = (self.get(CLUSTER_VERSION) or {}).get("status") or {}
        capabilities = status.get("capabilities")
        if not isinstance(capabilities, Mapping):
            return False
        known = capabilities.get("knownCapabilities") or []
        enabled = capabilities.get("enabledCapabilities") or []
        return name in known and name not in enabled

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
        """The cloud-credential operator's mode; a cluster installed without the CloudCredential capability
        has no such operator and runs in Manual mode by construction (the installer requires it)."""
        if self.get(CLOUD_CREDENTIAL) is None and self.capability_disabled("CloudCredential"):
            return "Manual"
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


def trusted_ca_configmap(state: ClusterState) -> tuple[str, dict[str, Any]] | None:
    """The ConfigMap another manager made the Image config name, and its data; None when there is none
    (or it is this program's own)."""
    name = (((state.image or {}).get("spec") or {}).get("additionalTrustedCA") or {}).get("name")
    if not name or name == TRUSTED_CA_CONFIGMAP:
        return None
    configmap = state.named("v1", "ConfigMap", CONFIG_NAMESPACE, str(name)) or {}
    return str(name), dict(configmap.get("data") or {})
