"""``openshift-registry:cluster``: how the program meets the cluster it changes."""

from __future__ import annotations

from pydantic import Field

from components.settings.model import Model


class ClusterSettings(Model):
    read: bool = True
    """Read the registry's Config and the cluster's configuration before changing anything
    (read-only, no secret values). False: act as on a new cluster, and say so."""
    allow_long_lived_keys: bool = Field(default=False)
    """True: create the static-key credential secret even on a cluster installed with short-lived
    credentials (the operator then uses only those keys)."""
