"""The registry's access to its storage and the storage as intended, for each storage kind.

The registry's credentials come from its credential secret in the cluster (base64 values, decoded
here and never shown); the caller's come from the cloud's usual chain (profile, environment, CLI
login). A kind with nothing to probe says which view covers it.
"""

from __future__ import annotations

import base64
import binascii
import configparser
import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from components.cluster.state import ClusterState
from components.names import CONFIG_NAMESPACE, CREDENTIAL_SECRET, INSTALLER_SECRET, REGISTRY_NAMESPACE
from components.settings.stack import StackSettings
from components.storage.azure.row import KEYS as AZURE_KEYS
from components.storage.gcs.row import KEYS as GCS_KEYS
from components.storage.s3.row import KEYS as S3_KEYS
from verify.results import Check, failed, not_applicable, not_run

ACCESS = "registry access"
SECRET = ("v1", "Secret", REGISTRY_NAMESPACE, CREDENTIAL_SECRET)
INTENDED_AREA = "storage as intended"
"""The registry's credential secret, whose values are read (and never shown)."""


def secret_values(secret: dict[str, Any] | None) -> dict[str, str]:
    """The credential secret's values; one that is not valid base64 UTF-8 is left out (and so reported missing)."""
    values = {}
    for key, value in ((secret or {}).get("data") or {}).items():
        try:
            values[key] = base64.b64decode(str(value), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            continue
    return values


def checks(
    settings: StackSettings, state: ClusterState, config: dict[str, Any], token: TokenSource | None = None
) -> list[Check]:
    """``config``: the stack file's own config, for provider keys the settings do not carry. ``token``: asks
    the cluster for the registry's service account token (live clusters only)."""
    kind = settings.storage.kind
    values = secret_values(state.get(SECRET))
    if values and not any(values.values()):
        # A dump made as the README says holds the key names only: no access probe can run with them.
        probes = [c for c in _probes(kind, settings, {}, state, config, token) if c.area != ACCESS]
        why = (
            "the dump holds the credential secret's key names only (its values are blanked): run "
            "`python -m verify` against the live cluster (no --cluster) to probe the registry's own access"
        )
        return [not_applicable(ACCESS, "the registry's own access", why), *probes]
    return [*_stray_white_space(values), *_probes(kind, settings, values, state, config, token)]


def _stray_white_space(values: dict[str, str]) -> list[Check]:
    """A key the registry reads with a newline or a space around it (``echo KEY | base64`` adds one) is
    refused by every cloud, and the error is hard to read: said plainly, without the value."""
    return [
        failed(
            ACCESS,
            f"{key} as stored",
            "begins or ends with white space (a newline from `echo KEY | base64`?): the cloud refuses it",
            "write the secret again without it (`pulumi up --refresh` writes the stack's value; by hand: "
            "`printf '%s' KEY | base64`)",
        )
        for key, value in sorted(values.items())
        if value != value.strip()
    ]


def _probes(
    kind: str,
    settings: StackSettings,
    values: dict[str, str],
    state: ClusterState,
    config: dict[str, Any],
    token: TokenSource | None = None,
) -> list[Check]:
    if kind in ("pvc", "emptyDir"):
        return [not_applicable(ACCESS, kind, "a volume: only the operator's view is checked (no pod is started)")]
    if kind == "s3":
        return _s3(settings, values, state, token)
    if kind == "azure":
        return _azure(settings, values, config)
    if kind == "gcs":
        return _gcs(settings, values)
    if kind == "ibmcos":
        return _ibmcos(settings, state)
    return [not_run(ACCESS, kind, f"verify does not probe {kind} storage yet: only the operator's view is checked")]


def trusted_ca_key(settings: StackSettings) -> tuple[str, str, str, str] | None:
    """The ConfigMap the Config's ``s3.trustedCA`` names (in openshift-config, key ``ca-bundle.crt``)."""
    model = settings.storage.s3
    name = ((model.trusted_ca if model else None) or {}).get("name")
    return ("v1", "ConfigMap", CONFIG_NAMESPACE, name) if name else None


def _s3(settings: StackSettings, values: dict[str, str], state: ClusterState, token: TokenSource | None) -> list[Check]:
    from components.storage.s3 import probe as s3
    from components.storage.s3 import spec

    model = settings.storage.s3
    assert model is not None
    credentials: dict[str, str] | None = values if set(S3_KEYS) <= set(values) else None
    if model.credential_mode == "sts":
        exchanged = _sts_credentials(state, token, model.region)
        if isinstance(exchanged, Check):
            return [exchanged, *s3.intended_checks(model, spec.bucket_name(model, settings.identity), None)]
        credentials = exchanged
    bucket = spec.bucket_name(model, settings.identity)
    endpoint = model.region_endpoint or os.environ.get("AWS_ENDPOINT_URL")
    config_map = state.get(key) if (key := trusted_ca_key(settings)) else None
    ca = model.ca_bundle or ((config_map or {}).get("data") or {}).get(spec.STORAGE_CA_KEY)
    with tempfile.TemporaryDirectory() as folder:
        ca_file = None
        if ca and endpoint:
            ca_file = str(Path(folder) / spec.STORAGE_CA_KEY)
            Path(ca_file).write_text(ca, encoding="utf-8")
        return [
            *s3.access_checks(model, bucket, credentials, endpoint, ca_file),
            *s3.intended_checks(model, bucket, endpoint, ca_file),
        ]


def _azure(settings: StackSettings, values: dict[str, str], config: dict[str, Any]) -> list[Check]:
    from components.storage.azure import probe as azure
    from components.storage.azure import spec

    model = settings.storage.azure
    assert model is not None
    account, container = spec.account_name(model, settings.identity), spec.container_name(model)
    group = spec.resource_group_name(model, settings.identity)
    named = config.get("azure-native:subscriptionId")
    subscription = named if isinstance(named, str) else os.environ.get("AZURE_SUBSCRIPTION_ID")
    get = azure.arm_getter(model, azure.caller_token(model))
    return [
        *azure.access_checks(model, account, container, values.get(AZURE_KEYS[0])),
        *azure.intended_checks(model, account, container, group, subscription, get),
    ]


def _gcs(settings: StackSettings, values: dict[str, str]) -> list[Check]:
    from components.storage.gcs import probe as gcs
    from components.storage.gcs import spec

    model = settings.storage.gcs
    assert model is not None
    bucket = spec.bucket_name(model, settings.identity)
    return [
        *gcs.access_checks(model, bucket, values.get(GCS_KEYS[0])),
        *gcs.intended_checks(model, bucket, gcs.caller_session),
    ]


# The registry's IBM COS credentials: the HMAC keys of the operator's resource key, which the operator
# writes into its own Secret as a shared credentials file (VolumeSecrets, pkg/storage/ibmcos/ibmcos.go).
OPERATOR_SECRET = ("v1", "Secret", REGISTRY_NAMESPACE, "image-registry-private-configuration")
IBMCOS_ENDPOINT = "https://s3.{location}.cloud-object-storage.appdomain.cloud"


def _credentials_file(text: str) -> dict[str, str]:
    """The ``[default]`` section of an AWS shared credentials/config file (what the operator writes for
    IBM COS's HMAC keys and ccoctl for a role); raises configparser.Error on a damaged one."""
    parser = configparser.ConfigParser()
    parser.read_string(text)
    return dict(parser["default"]) if parser.has_section("default") else {}


def _ibmcos(settings: StackSettings, state: ClusterState) -> list[Check]:
    """The registry talks S3 to IBM COS (ConfigEnv: the location's endpoint, path style, no encryption)
    with the HMAC keys the operator holds: probed the same way, with those keys."""
    from components.storage.s3 import probe as s3
    from components.storage.s3.settings import S3Settings

    model = settings.storage.ibmcos
    assert model is not None
    values = secret_values(state.get(OPERATOR_SECRET))
    text = values.get("credentials")
    intended = not_applicable(INTENDED_AREA, "bucket settings", "an IBM COS bucket is brought: the stack sets nothing")
    if text is None:
        why = f"no {OPERATOR_SECRET[3]} with its credentials file: the operator has not minted the HMAC keys yet"
        return [not_run(ACCESS, "the registry's keys", why), intended]
    if not text.strip():
        why = "the dump holds the operator's secret's key names only: run against the live cluster to probe"
        return [not_applicable(ACCESS, "the registry's own access", why), intended]
    section = _credentials_file(text)
    keys = {S3_KEYS[0]: section.get("aws_access_key_id", ""), S3_KEYS[1]: section.get("aws_secret_access_key", "")}
    location = str(state.config_storage().get("ibmcos", {}).get("location") or "")
    endpoint = os.environ.get("AWS_ENDPOINT_URL") or IBMCOS_ENDPOINT.format(location=location)
    probe = S3Settings(bucket=model.bucket, region=location or "us-south", regionEndpoint=endpoint)
    return [*s3.access_checks(probe, str(model.bucket), keys, endpoint, encryption=False), intended]


TokenSource = Callable[[], str]
INSTALLER = ("v1", "Secret", REGISTRY_NAMESPACE, INSTALLER_SECRET)


def _sts_credentials(state: ClusterState, token: TokenSource | None, region: str | None) -> dict[str, str] | Check:
    """The registry's own way in with ``sts``: its service account token (audience openshift), exchanged for
    the role that installer-cloud-credentials names (``role_arn``)."""
    from components.storage.s3 import probe as s3

    if token is None:
        why = "a dump cannot ask for the registry's token: run against the live cluster to probe the role"
        return not_applicable(ACCESS, "the registry's own access", why)
    text = secret_values(state.get(INSTALLER)).get("credentials", "")
    section: dict[str, str] = {}
    with contextlib.suppress(configparser.Error):  # a damaged file names no role: said below
        section = _credentials_file(text)
    role = section.get("role_arn", "")
    if not role:
        return failed(
            ACCESS,
            "the registry's role",
            f"{INSTALLER_SECRET} names no role_arn",
            "`pulumi up` writes it (the stack's role); ccoctl's manifest otherwise",
        )
    try:
        issued = token()
    except Exception as error:  # the API server's refusal, in the client's words
        return not_run(ACCESS, "the registry's token", f"TokenRequest failed: {' '.join(str(error).split())[:160]}")
    return s3.assume_registry_role(role, issued, region)
