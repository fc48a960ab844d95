"""IBM COS as the registry reaches it: S3 with the HMAC keys the operator minted (tested against moto)."""

from __future__ import annotations

import os
from typing import Any

from components.checks import (
    ACCESS,
    INTENDED,
    OPERATOR,
    Check,
    TokenSource,
    credentials_file,
    not_applicable,
    not_run,
    secret_values,
)
from components.cluster.state import ClusterState
from components.names import OPERATOR_SECRET
from components.settings.stack import StackSettings
from components.storage.s3.probe import access_checks
from components.storage.s3.row import KEYS as S3_KEYS
from components.storage.s3.settings import S3Settings

# The registry's IBM COS credentials: the HMAC keys of the operator's resource key, which the operator
# writes into its own Secret as a shared credentials file (VolumeSecrets, pkg/storage/ibmcos/ibmcos.go).
IBMCOS_ENDPOINT = "https://s3.{location}.cloud-object-storage.appdomain.cloud"


def checks(
    settings: StackSettings,
    values: dict[str, str],
    state: ClusterState,
    config: dict[str, Any],
    token: TokenSource | None,
) -> list[Check]:
    """The registry talks S3 to IBM COS (ConfigEnv: the location's endpoint, path style, no encryption)
    with the HMAC keys the operator holds: probed the same way, with those keys."""
    model = settings.storage.ibmcos
    assert model is not None
    values = secret_values(state.get(OPERATOR))
    text = values.get("credentials")
    intended = not_applicable(INTENDED, "bucket settings", "an IBM COS bucket is brought: the stack sets nothing")
    if text is None:
        why = f"no {OPERATOR_SECRET} with its credentials file: the operator has not minted the HMAC keys yet"
        return [not_run(ACCESS, "the registry's keys", why), intended]
    if not text.strip():
        why = "the dump holds the operator's secret's key names only: run against the live cluster to probe"
        return [not_applicable(ACCESS, "the registry's own access", why), intended]
    section = credentials_file(text)
    keys = {S3_KEYS[0]: section.get("aws_access_key_id", ""), S3_KEYS[1]: section.get("aws_secret_access_key", "")}
    location = str(state.config_storage().get("ibmcos", {}).get("location") or "")
    endpoint = os.environ.get("AWS_ENDPOINT_URL") or IBMCOS_ENDPOINT.format(location=location)
    probe = S3Settings(bucket=model.bucket, region=location or "us-south", regionEndpoint=endpoint)
    return [*access_checks(probe, str(model.bucket), keys, endpoint, encryption=False), intended]
