"""What a row of the storage-kind table holds: every fact about one kind that the rest of the program reads.

A kind lives in its folder, ``components/storage/<kind>/``: ``settings.py`` (its settings model and
rules), ``spec.py`` (what the providers receive), ``probe.py`` where verify probes it, and
``row.py``, the one ``StorageKind`` that names them. ``components/storage/kinds.py`` lists the rows.

A row sits on the settings floor (settings read it to know the kinds): it names its spec by package,
never imports it, so that settings stay pure.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec
from types import ModuleType
from typing import Any

from components.formats import redact_url
from components.names import INSTALLER_SECRET
from components.settings.model import Model


@dataclass(frozen=True)
class CredentialMode:
    name: str
    """As ``storage.<kind>.credentials`` names it (``iamUser``), or the kind's only mode."""
    secret: str | None
    """The Secret in openshift-image-registry the operator reads; None: it reads none."""
    keys: tuple[str, ...] = ()
    """Exactly the keys it reads there (pkg/storage/<kind>: ``GetConfig``)."""
    config_secrets: tuple[str, ...] = ()
    """The secret config keys (``pulumi config set --secret``) this mode reads."""


@dataclass(frozen=True)
class StorageKind:
    field: str
    package: str
    """The kind's folder as a package (``components.storage.s3``): its ``spec`` module is found there by the
    specs floor (``components/specs/storage.spec_of``), its ``probe`` module by verify."""
    model: type[Model]
    cr_fields: tuple[str, ...]
    platforms: tuple[str, ...]
    credential_modes: tuple[CredentialMode, ...]
    component_type: str | None
    """The Pulumi type of its component; None: nothing to create (emptyDir)."""
    stored_zero: Mapping[str, tuple[str, Any]] = field(default_factory=dict)
    """Fields every typed write of the operator stores although nobody set them (Go fields without
    ``omitempty`` in openshift/api imageregistry/v1 types.go), with the release that has them and the value."""
    implied: Mapping[str, Any] = field(default_factory=dict)
    """Values that mean what leaving the field unset means (the operator fills them in on its own)."""
    written_back: tuple[str, ...] = ()
    """Fields the operator writes into the spec itself and needs kept (``CreateStorage``): never stale,
    never to be removed."""

    location_fields: tuple[str, ...] = ()
    """The fields of its block that say where the images are: another value is other storage."""
    copy_hint: str = ""
    """How to copy the images to other storage of this kind before moving the registry."""

    secret_config: Mapping[str, str] = field(default_factory=dict)
    """Its secret stack config keys (``pulumi config set --secret``), each with what it holds."""
    json_secrets: tuple[str, ...] = ()
    """Those of its secret keys whose text is JSON by nature (a GCP key file): not objects to refuse."""
    unmanaged: bool = True
    """The Config says ``storage.managementState: Unmanaged``: with Managed the operator would rewrite the
    storage's settings and delete it when the registry is set to Removed. False: nothing to manage (emptyDir)."""
    refused: Mapping[str, str] = field(default_factory=dict)
    """Fields of its block the CRD has and this program refuses, each with why (never "unknown key")."""
    as_rendered: Callable[[Any], Any] | None = None
    """Its block as the Config will carry it, for the CRD's checks, where the program fills in a field the CRD
    requires (S3's CloudFront ``privateKey``); None: as the stack gives it."""
    since: str | None = None
    """The first release whose Config CRD has the kind's field (openshift/api); None: 4.6 or earlier."""
    fields_since: Mapping[str, str] = field(default_factory=dict)
    """Fields of its block the Config CRD gained later, each with the first release that has it."""
    unprobed: str = ""
    """Why verify has nothing of its own to probe for this kind (a volume); empty: its folder's ``probe.py``
    probes it, or, without one, verify says it does not probe the kind yet."""
    names_storage: str | None = None
    """The field of its block that names the storage the operator made or was given (adopt: none yet,
    nothing to take over); None: a kind whose storage is never named (emptyDir) or always is (pvc)."""

    def holds_images_at(self, block: Mapping[str, Any]) -> bool:
        return any(block.get(name) for name in self.location_fields)

    def describe(self, block: Mapping[str, Any]) -> str:
        """``s3 bucket images, regionEndpoint https://...``: where a block keeps images, for messages."""
        where = ", ".join(f"{name} {redact_url(str(block[name]))}" for name in self.location_fields if block.get(name))
        return f"{self.field} {where}".strip()

    release_keys: Callable[[CredentialMode, str | None], tuple[str, ...]] | None = None
    """The keys the operator of a given release requires in the mode's secret, where that differs from
    ``mode.keys`` (the keys not read get an empty value); None: ``mode.keys`` on every release."""

    def secret_keys(self, mode: CredentialMode, version: str | None) -> tuple[str, ...]:
        return mode.keys if self.release_keys is None else self.release_keys(mode, version)

    def part(self, name: str) -> ModuleType | None:
        """The kind's ``<name>.py`` from its folder (``spec``, ``probe``, ``adopt``, ``cluster``), or None where
        the folder has none. Imported when asked: the caller stands on a floor above that module (specs for
        ``spec``, the commands and the cluster rules for the rest), which the row itself does not."""
        module = f"{self.package}.{name}"
        return import_module(module) if find_spec(module) is not None else None

    def mode(self, name: str) -> CredentialMode:
        return next(mode for mode in self.credential_modes if mode.name == name)

    @property
    def keyless(self) -> tuple[str, ...]:
        """Its modes that hand the registry a token-based credential instead of a key."""
        return tuple(mode.name for mode in self.credential_modes if mode.secret == INSTALLER_SECRET)

    @property
    def python_name(self) -> str:
        """The attribute of ``StorageSettings`` that holds it (``emptyDir`` -> ``empty_dir``)."""
        return "".join(f"_{c.lower()}" if c.isupper() else c for c in self.field)


NO_SECRET = (CredentialMode("none", None),)
# Platforms the operator knows and bootstraps as Removed, like bare metal and vSphere (GetPlatformStorage,
# pkg/storage/storage.go): a claim or an S3-compatible endpoint serves there. AlibabaCloud is on that list
# too, but the platform is gone from OpenShift with its OSS driver (docs/settings.md: Platforms and their storage).
NO_OBJECT_STORAGE = ("nutanix", "external", "kubevirt", "equinixmetal")
# What verify says of a kind whose images are in a volume: it starts no pod to mount one.
VOLUME = "a volume: only the operator's view is checked (no pod is started)"
