"""S3: the registry's own access with its own keys, and the bucket as the stack meant it.

The probe does what the registry's S3 driver does, under a prefix of its own that no image uses,
and removes what it wrote: write, read, list, delete, a multipart upload completed and one aborted,
and the encryption S3 applied. The second part reads the bucket's configuration with the caller's
credentials. Endpoints: the Config's ``regionEndpoint``; otherwise boto3's own ``AWS_ENDPOINT_URL``.
"""

from __future__ import annotations

import configparser
import contextlib
import json
import os
import tempfile
import uuid
from functools import partial
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from components.checks import (
    ACCESS,
    INSTALLER,
    INTENDED,
    KEYLESS,
    PREFIX,
    Check,
    TokenSource,
    cleaned_up,
    credentials_file,
    failed,
    guarded,
    needs_live_token,
    not_applicable,
    not_run,
    passed,
    probe_all,
    secret_values,
)
from components.cluster.state import ClusterState
from components.names import CONFIG_NAMESPACE, INSTALLER_SECRET
from components.settings.stack import StackSettings
from components.storage.s3 import spec
from components.storage.s3.row import KEYS as S3_KEYS
from components.storage.s3.settings import S3Settings

MISSING = "`pulumi refresh` shows whether the stack's bucket is gone; check the endpoint and region the Config names"
PART = 5 * 1024 * 1024  # S3's smallest part that is not the last
SESSION_TOKEN = "session token"
"""Beside the two S3 keys in a probe's credentials: the STS session token of a keyless mode."""


def client(
    credentials: dict[str, str] | None, region: str | None, endpoint: str | None, ca_file: str | None = None
) -> Any:
    """``ca_file``: the CA the registry trusts for the endpoint (the Config's ``trustedCA``), else the system's."""

    keys = {}
    if credentials is not None:
        access, secret = (credentials[key] for key in S3_KEYS)
        keys = {"aws_access_key_id": access, "aws_secret_access_key": secret}
        if credentials.get(SESSION_TOKEN):  # a keyless mode's temporary credentials
            keys["aws_session_token"] = credentials[SESSION_TOKEN]
    # Bounded: botocore's defaults wait 60 s to connect, five times, on an endpoint that drops packets.
    bounded = Config(connect_timeout=10, read_timeout=60, retries={"mode": "standard", "max_attempts": 2})
    # A session of its own each time: boto3's default session resolves the caller's credentials once per
    # process and keeps them, so a later run in the same process (fleet, tests) would use stale ones.
    session = boto3.session.Session()
    return session.client("s3", region_name=region, endpoint_url=endpoint, config=bounded, verify=ca_file, **keys)


def access_checks(
    s3: S3Settings,
    bucket: str,
    credentials: dict[str, str] | None,
    endpoint: str | None,
    ca_file: str | None = None,
    encryption: bool = True,
) -> list[Check]:
    """``encryption``: whether the registry asks for server-side encryption (IBM COS: never, ConfigEnv)."""
    if credentials is None:
        if s3.credential_mode == "sts":
            return [not_applicable(ACCESS, "the registry's access", KEYLESS)]
        return [not_run(ACCESS, "the registry's keys", "no REGISTRY_STORAGE_S3_* keys in the credential secret")]
    api = client(credentials, s3.region, endpoint, ca_file)
    key = f"{PREFIX}/{uuid.uuid4().hex}"
    probes = (
        ("write, read, list, delete", lambda: _round_trip(api, bucket, key)),
        ("multipart upload, completed", lambda: _multipart(api, bucket, f"{key}-mp", True)),
        ("multipart upload, aborted", lambda: _multipart(api, bucket, f"{key}-abort", False)),
        ("encryption", lambda: _encryption(api, bucket, f"{key}-enc", s3)),
    )[: 4 if encryption else 3]
    return probe_all(ACCESS, [(label, partial(_denied_fails, label, probe)) for label, probe in probes])


def _denied_fails(name: str, probe: Any) -> Check:
    """With the registry's own keys, "access denied" is the finding itself: a push would fail the same way."""

    try:
        return probe()
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "")
        if code == "NoSuchBucket":
            return failed(ACCESS, name, f"the bucket does not exist at {error.operation_name}", MISSING)
        # A HEAD request has no body: S3 answers a denied one with the bare status, "403".
        if code not in ("AccessDenied", "AccessDeniedException", "InvalidAccessKeyId", "SignatureDoesNotMatch", "403"):
            raise
        operation = getattr(error, "operation_name", "")
        return failed(
            ACCESS,
            name,
            f"{code} on {operation} with the registry's own keys",
            "the registry's IAM policy or keys are wrong: `pulumi up --refresh` restores the policy; check the "
            "credential secret's keys",
        )


def _round_trip(api: Any, bucket: str, key: str) -> Check:
    api.put_object(Bucket=bucket, Key=key, Body=b"openshift-registry verify")
    with cleaned_up(lambda: api.delete_object(Bucket=bucket, Key=key)):
        body = api.get_object(Bucket=bucket, Key=key)["Body"].read()
        listed = [o["Key"] for o in api.list_objects_v2(Bucket=bucket, Prefix=key).get("Contents", [])]
    api.delete_object(Bucket=bucket, Key=key)
    if body != b"openshift-registry verify" or key not in listed:
        return failed(
            ACCESS,
            "write, read, list, delete",
            "the object did not come back as written",
            "check the bucket's versioning or replication rules",
        )
    return passed(ACCESS, "write, read, list, delete", f"s3://{bucket}/{PREFIX}/...")


def _multipart(api: Any, bucket: str, key: str, complete: bool) -> Check:
    name = f"multipart upload, {'completed' if complete else 'aborted'}"
    upload = api.create_multipart_upload(Bucket=bucket, Key=key)["UploadId"]
    with cleaned_up(lambda: api.abort_multipart_upload(Bucket=bucket, Key=key, UploadId=upload)):
        part = api.upload_part(Bucket=bucket, Key=key, UploadId=upload, PartNumber=1, Body=b"x" * PART)
        if complete:
            parts = {"Parts": [{"ETag": part["ETag"], "PartNumber": 1}]}
            api.complete_multipart_upload(Bucket=bucket, Key=key, UploadId=upload, MultipartUpload=parts)
        else:
            api.list_parts(Bucket=bucket, Key=key, UploadId=upload)
    if complete:
        api.delete_object(Bucket=bucket, Key=key)
    else:
        api.abort_multipart_upload(Bucket=bucket, Key=key, UploadId=upload)
    return passed(ACCESS, name)


def _encryption(api: Any, bucket: str, key: str, s3: S3Settings) -> Check:
    api.put_object(Bucket=bucket, Key=key, Body=b"openshift-registry verify")
    with cleaned_up(lambda: api.delete_object(Bucket=bucket, Key=key)):
        head = api.head_object(Bucket=bucket, Key=key)
    api.delete_object(Bucket=bucket, Key=key)
    algorithm, key_id = head.get("ServerSideEncryption"), head.get("SSEKMSKeyId") or ""
    if s3.key_id:
        wanted = s3.key_id.rsplit("/", 1)[-1]
        if algorithm != "aws:kms" or (s3.kms_key_is_arn and wanted not in key_id):
            return failed(
                ACCESS,
                "encryption",
                f"object stored with {algorithm} {key_id}".strip(),
                f"set the bucket's default encryption to aws:kms with {s3.key_id} (`pulumi up --refresh`)",
            )
        return passed(ACCESS, "encryption", f"aws:kms {key_id}")
    if not algorithm:
        return failed(
            ACCESS, "encryption", "object stored unencrypted", "set default encryption (`pulumi up --refresh`)"
        )
    return passed(ACCESS, "encryption", algorithm)


def intended_checks(s3: S3Settings, bucket: str, endpoint: str | None, ca_file: str | None = None) -> list[Check]:
    """What the stack set on a bucket it created, read back with the caller's own credentials."""
    if not s3.creates_bucket:
        return [
            not_applicable(
                INTENDED, "bucket settings", "the bucket is adopted or on a gateway: the stack sets nothing on it"
            )
        ]
    api = client(None, s3.region, endpoint, ca_file)
    return [
        guarded(INTENDED, "public access blocked", lambda: _public_access(api, bucket)),
        guarded(INTENDED, "default encryption", lambda: _default_encryption(api, bucket, s3)),
        guarded(INTENDED, "multipart cleanup rule", lambda: _lifecycle(api, bucket)),
        guarded(INTENDED, "TLS-only policy", lambda: tls_only_check(_answer(api.get_bucket_policy, bucket, "Policy"))),
    ]


# What S3 answers when a setting was deleted: drift to report (a failed check), not a check that could not run.
_DELETED = (
    "NoSuchPublicAccessBlockConfiguration",
    "NoSuchBucketPolicy",
    "ServerSideEncryptionConfigurationNotFoundError",
    "NoSuchLifecycleConfiguration",
)


def _answer(call: Any, bucket: str, key: str) -> Any:
    """``call(Bucket=bucket)[key]``, or None where the setting was deleted (S3's NoSuch... answers)."""
    try:
        return call(Bucket=bucket)[key]
    except Exception as error:  # botocore's ClientError, whose code names the answer
        code = str(getattr(error, "response", {}).get("Error", {}).get("Code", ""))
        if code in _DELETED or any(name in str(error) for name in _DELETED):
            return None
        raise


def _public_access(api: Any, bucket: str) -> Check:
    config = _answer(api.get_public_access_block, bucket, "PublicAccessBlockConfiguration")
    if config is None:
        return failed(
            INTENDED, "public access blocked", "the bucket has no public access block (deleted)",
            "`pulumi up --refresh` puts it back, all four switches on",
        )  # fmt: skip
    off = [name for name, on in config.items() if not on]
    if off:
        return failed(
            INTENDED, "public access blocked", f"off: {', '.join(off)}", "`pulumi up --refresh` turns all four back on"
        )
    return passed(INTENDED, "public access blocked", "all four switches on")


def _default_encryption(api: Any, bucket: str, s3: S3Settings) -> Check:
    configuration = _answer(api.get_bucket_encryption, bucket, "ServerSideEncryptionConfiguration") or {}
    rules = configuration.get("Rules") or []
    default = rules[0]["ApplyServerSideEncryptionByDefault"] if rules else {}
    wanted = spec.encryption_rules(s3)[0]["applyServerSideEncryptionByDefault"]
    if default.get("SSEAlgorithm") != wanted["sseAlgorithm"] or default.get("KMSMasterKeyID") != wanted.get(
        "kmsMasterKeyId"
    ):
        return failed(INTENDED, "default encryption", f"is {default}", "`pulumi up --refresh` sets it back")
    return passed(INTENDED, "default encryption", wanted["sseAlgorithm"])


def _lifecycle(api: Any, bucket: str) -> Check:
    rules = _answer(api.get_bucket_lifecycle_configuration, bucket, "Rules") or []
    ours = [r for r in rules if r.get("ID") == spec.LIFECYCLE_RULE_ID and r.get("Status") == "Enabled"]
    if not ours or ours[0].get("AbortIncompleteMultipartUpload", {}).get("DaysAfterInitiation") != 1:
        return failed(
            INTENDED,
            "multipart cleanup rule",
            f"no enabled rule {spec.LIFECYCLE_RULE_ID}",
            "`pulumi up --refresh` puts it back (interrupted pushes otherwise pile up)",
        )
    return passed(INTENDED, "multipart cleanup rule", spec.LIFECYCLE_RULE_ID)


def tls_only_check(policy: str | None) -> Check:
    """A statement denying every request without TLS (``aws:SecureTransport`` false); None: no policy at all."""
    statements = json.loads(policy).get("Statement", []) if policy is not None else []
    for statement in statements if isinstance(statements, list) else [statements]:
        condition = (statement.get("Condition") or {}).get("Bool") or {}
        if statement.get("Effect") == "Deny" and str(condition.get("aws:SecureTransport")).lower() == "false":
            return passed(INTENDED, "TLS-only policy", "requests without TLS are denied")
    return failed(
        INTENDED, "TLS-only policy", "no statement denies requests without TLS", "`pulumi up --refresh` puts it back"
    )


def assume_registry_role(role_arn: str, token: str, region: str | None) -> dict[str, str] | Check:
    """What the registry does with its projected token (``AssumeRoleWithWebIdentity``, as the AWS SDK does from
    ``installer-cloud-credentials``): temporary credentials, or a failed check when the role's trust refuses it."""

    sts = boto3.session.Session().client("sts", region_name=region, endpoint_url=os.environ.get("AWS_ENDPOINT_URL"))
    try:
        answer = sts.assume_role_with_web_identity(
            RoleArn=role_arn, RoleSessionName="openshift-registry-verify", WebIdentityToken=token
        )
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "")
        return failed(
            ACCESS,
            "the registry's token exchanged for the role",
            f"{code}: the role's trust refuses the registry's token",
            "`pulumi up --refresh` restores the role's trust (the cluster's issuer, audience openshift, the "
            "registry's service accounts)",
        )
    credentials = answer["Credentials"]
    return {
        S3_KEYS[0]: credentials["AccessKeyId"],
        S3_KEYS[1]: credentials["SecretAccessKey"],
        SESSION_TOKEN: credentials["SessionToken"],
    }


def wanted(settings: StackSettings) -> tuple[str, str, str, str] | None:
    """Another object verify reads from a live cluster: the ConfigMap the Config's ``s3.trustedCA`` names
    (in openshift-config, key ``ca-bundle.crt``)."""
    model = settings.storage.s3
    name = ((model.trusted_ca if model else None) or {}).get("name")
    return ("v1", "ConfigMap", CONFIG_NAMESPACE, name) if name else None


def checks(
    settings: StackSettings,
    values: dict[str, str],
    state: ClusterState,
    config: dict[str, Any],
    token: TokenSource | None,
) -> list[Check]:
    """The registry's own access with its keys (or, with ``sts``, the role it assumes) and the bucket as intended."""
    model = settings.storage.s3
    assert model is not None
    credentials: dict[str, str] | None = values if set(S3_KEYS) <= set(values) else None
    if model.credential_mode == "sts":
        exchanged = sts_credentials(state, token, model.region)
        if isinstance(exchanged, Check):
            return [exchanged, *intended_checks(model, spec.bucket_name(model, settings.identity), None)]
        credentials = exchanged
    bucket = spec.bucket_name(model, settings.identity)
    endpoint = model.region_endpoint or os.environ.get("AWS_ENDPOINT_URL")
    config_map = state.get(key) if (key := wanted(settings)) else None
    ca = model.ca_bundle or ((config_map or {}).get("data") or {}).get(spec.STORAGE_CA_KEY)
    with tempfile.TemporaryDirectory() as folder:
        ca_file = None
        if ca and endpoint:
            ca_file = str(Path(folder) / spec.STORAGE_CA_KEY)
            Path(ca_file).write_text(ca, encoding="utf-8")
        return [
            *access_checks(model, bucket, credentials, endpoint, ca_file),
            *intended_checks(model, bucket, endpoint, ca_file),
        ]


def sts_credentials(state: ClusterState, token: TokenSource | None, region: str | None) -> dict[str, str] | Check:
    """The registry's own way in with ``sts``: its service account token (audience openshift), exchanged for
    the role that installer-cloud-credentials names (``role_arn``)."""
    if token is None:
        return needs_live_token("role")
    text = secret_values(state.get(INSTALLER)).get("credentials", "")
    section: dict[str, str] = {}
    with contextlib.suppress(configparser.Error):  # a damaged file names no role: said below
        section = credentials_file(text)
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
    return assume_registry_role(role, issued, region)
