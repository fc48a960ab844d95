"""``openshift-registry:cluster``: how the program meets the cluster it changes."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlsplit

from pydantic import Field

from components.errors import Finding
from components.formats import url_problem
from components.settings.model import Model

if TYPE_CHECKING:
    from components.settings.stack import StackSettings

_VERSION = re.compile(r"^4\.[0-9]{1,2}\Z")


class ClusterSettings(Model):
    read: bool = True
    """Read the registry's Config and the cluster's configuration before changing anything
    (read-only, no secret values). False: act as on a new cluster, and say so."""
    allow_long_lived_keys: bool = Field(default=False)
    """True: create the static-key credential secret even on a cluster installed with short-lived
    credentials (the operator then uses only those keys)."""
    service_account_issuer: str | None = None
    """The cluster's service account issuer (``authentications.config.openshift.io/cluster``
    ``spec.serviceAccountIssuer``): what keyless credentials trust. Read from the cluster when unset."""
    openshift_version: str | None = None
    """``4.16``: gates version-dependent fields and modes. Unset: the latest (or the cluster's, read)."""
    infrastructure_topology: Literal["HighlyAvailable", "SingleReplica", "External"] | None = None
    """The Infrastructure's ``status.infrastructureTopology``: ``SingleReplica`` on single-node OpenShift,
    where the registry runs one replica. Read from the cluster when unset; unset and unread: HighlyAvailable."""

    def findings(self, stack: StackSettings, key: str) -> Iterable[Finding]:
        if self.openshift_version is not None and not _VERSION.match(self.openshift_version):
            yield Finding(f"{key}.openshiftVersion", f'{self.openshift_version!r} is not a version such as "4.16"')
        issuer = self.service_account_issuer
        if issuer is not None:
            problem = issuer_problem(issuer)
            if problem is not None:
                yield Finding(f"{key}.serviceAccountIssuer", problem)


def issuer_problem(issuer: str) -> str | None:
    """Why ``issuer`` cannot be a service account issuer that clouds trust (None: it can): it ends up in
    OIDC provider URLs and trust conditions (``<host/path>:sub``), where any stray character breaks them."""
    problem = url_problem(issuer, ("https",))
    parts = urlsplit(issuer) if problem is None else None
    if problem is None and parts is not None and (parts.query or parts.fragment or issuer.endswith("/")):
        problem = "has a query, a fragment or a trailing slash"
    if problem is None:
        return None
    return (
        f"{problem}: it must be the issuer's https URL, without a trailing slash, e.g. "
        "https://my-cluster-oidc.s3.us-east-1.amazonaws.com (clouds fetch its discovery documents there)"
    )


def version_tuple(version: str | None) -> tuple[int, int]:
    """``4.16`` -> ``(4, 16)``; unset is the newest."""
    if version is None or not _VERSION.match(version):
        return (4, 99)
    major, minor = version.split(".")
    return int(major), int(minor)
