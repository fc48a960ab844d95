"""``openshift-registry:trustedCAs``: CA bundles for other registries, by host.

They become the ConfigMap that ``image.config.openshift.io/cluster`` names as its
``additionalTrustedCA``; image imports, pulls and pull-through from those hosts then trust them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from components.errors import Finding
from components.formats import REGISTRY_HOST
from components.settings.pem import holds_certificates, holds_private_key


def trusted_ca_findings(bundles: Mapping[str, str], key: str = "trustedCAs") -> Iterable[Finding]:
    for host, bundle in bundles.items():
        match = REGISTRY_HOST.match(host)
        if match is None or (match["port"] and not 0 < int(match["port"]) < 65536):
            yield Finding(
                f"{key}.{host}",
                "is not a registry host: a lowercase DNS name with an optional port, e.g. "
                "registry.example.com or registry.example.com:5000",
            )
        if holds_private_key(bundle):
            yield Finding(
                f"{key}.{host}",
                "holds a private key: it would be published in a ConfigMap readable across the cluster; "
                "give only the CA certificates (the key is not shown here)",
            )
        elif not holds_certificates(bundle):
            yield Finding(
                f"{key}.{host}",
                "holds no valid PEM certificate; give the CA bundle (-----BEGIN CERTIFICATE----- ...)",
            )
