"""The configuration keys each provider really has, read from its pinned SDK, and which are credentials.

A misspelt provider key (``aws:regoin``) is otherwise ignored by the provider and silently falls back
to a default; a credential under a provider's key belongs in a secret, or in a fleet's Secret
references. The keys come from the SDK's own source (``config/vars.py``, or the Kubernetes provider's
arguments), read as text without importing the SDK: the preview stays as fast as it was.
"""

from __future__ import annotations

import importlib.util
import re
from functools import cache
from pathlib import Path

PACKAGES = {
    "aws": "pulumi_aws",
    "gcp": "pulumi_gcp",
    "azure-native": "pulumi_azure_native",
    "openstack": "pulumi_openstack",
    "kubernetes": "pulumi_kubernetes",
}
# Provider keys that hold a credential, and the environment variable that gives it by reference instead
# (each provider reads it: the AWS SDK, google-auth, the Azure SDK, gophercloud).
CREDENTIALS = {
    "aws:accessKey": "AWS_ACCESS_KEY_ID",
    "aws:secretKey": "AWS_SECRET_ACCESS_KEY",
    "aws:token": "AWS_SESSION_TOKEN",
    "gcp:credentials": "GOOGLE_CREDENTIALS",
    "gcp:accessToken": "GOOGLE_OAUTH_ACCESS_TOKEN",
    "azure-native:clientSecret": "ARM_CLIENT_SECRET",
    "azure-native:clientCertificatePassword": "ARM_CLIENT_CERTIFICATE_PASSWORD",
    "azure-native:oidcToken": "ARM_OIDC_TOKEN",
    "azure-native:oidcRequestToken": "ARM_OIDC_REQUEST_TOKEN",
    "openstack:password": "OS_PASSWORD",
    "openstack:token": "OS_TOKEN",
    "openstack:applicationCredentialSecret": "OS_APPLICATION_CREDENTIAL_SECRET",
    "kubernetes:kubeconfig": "KUBECONFIG",
}
_CONFIG_GET = re.compile(r"__config__\.get[a-z_]*\('([A-Za-z0-9]+)'\)")
_PROVIDER_ARG = re.compile(r"^\s+([a-z][a-z0-9_]*): pulumi\.Input", re.MULTILINE)


@cache
def provider_keys(namespace: str) -> frozenset[str]:
    """Every key of ``namespace`` the provider reads; empty where its SDK is not installed."""
    spec = importlib.util.find_spec(PACKAGES[namespace])
    if spec is None or not spec.submodule_search_locations:
        return frozenset()
    root = Path(next(iter(spec.submodule_search_locations)))
    if namespace == "kubernetes":
        text = (root / "provider.py").read_text(encoding="utf-8")
        init = text[text.index("def __init__", text.index("class ProviderArgs")) :].split('"""', 1)[0]
        return frozenset(_camel(name) for name in _PROVIDER_ARG.findall(init))
    return frozenset(_CONFIG_GET.findall((root / "config" / "vars.py").read_text(encoding="utf-8")))


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)
