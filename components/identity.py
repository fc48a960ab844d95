"""The little a spec or component needs to know about the stack besides its own settings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class StackIdentity:
    project: str
    stack: str
    platform: str
    production: bool
    """Image storage is protected."""
    registry_uses_storage: bool
    """Not ``Removed``: what the Config names is kept by ``pulumi destroy`` (resources/lifecycle.py)."""
    service_account_issuer: str | None = None
    """The cluster's service account issuer: what keyless credentials trust."""
    openshift_version: str | None = None
    """The cluster's OpenShift release (``4.14``); None: the latest. What the operator reads differs by release."""
    imports: Mapping[str, str] = field(default_factory=dict)
    """Objects that exist already, by their name in a plan: taken over with Pulumi's ``import``."""
