"""``openshift-registry:storage.s3``: Amazon S3, or an S3-compatible endpoint (Ceph RGW, ODF, MinIO)."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

from pydantic import Field

from components.errors import Finding
from components.settings.model import Model
from components.settings.pem import certificates

if TYPE_CHECKING:
    from components.settings.stack import StackSettings

CR_FIELDS = (
    "bucket",
    "region",
    "regionEndpoint",
    "virtualHostedStyle",
    "encrypt",
    "keyID",
    "trustedCA",
    "chunkSizeMiB",
    "cloudFront",
)
_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d+$")
_RESERVED_PREFIXES = ("xn--", "sthree-", "amzn-s3-demo-")
_RESERVED_SUFFIXES = ("-s3alias", "--ol-s3", "--x-s3", "--table-s3")


class S3Settings(Model):
    # Fields of the Config CR's spec.storage.s3, under its own names.
    bucket: str | None = None
    region: str | None = None
    region_endpoint: str | None = None
    virtual_hosted_style: bool | None = None
    encrypt: bool | None = None
    key_id: str | None = Field(default=None, alias="keyID")
    trusted_ca: dict[str, str] | None = Field(default=None, alias="trustedCA")
    chunk_size_mib: int | None = Field(default=None, alias="chunkSizeMiB")
    cloud_front: dict[str, Any] | None = None
    # Provisioning fields the CR does not have.
    adopt: bool | None = None
    """True: the bucket exists and is not managed here. Always true with regionEndpoint."""
    credentials: Literal["iamUser", "secretConfig"] | None = None
    """iamUser: a dedicated IAM user and key (AWS only). secretConfig: s3AccessKey/s3SecretKey."""
    iam_user_name: str | None = None
    tags: dict[str, str] = Field(default_factory=dict)
    ca_bundle: str | None = None
    """PEM CA bundle of a self-signed S3-compatible endpoint: becomes the ConfigMap trustedCA names."""

    def _ca_findings(self, key: str) -> Iterable[Finding]:
        if self.ca_bundle is None:
            return
        if not self.compatible_endpoint:
            yield Finding(f"{key}.caBundle", "only with regionEndpoint: AWS's own endpoints need no extra CA")
        if self.trusted_ca is not None:
            yield Finding(
                f"{key}.caBundle",
                "give either caBundle (a ConfigMap is made from it) or trustedCA (a ConfigMap of your own), not both",
            )
        if not certificates(self.ca_bundle):
            yield Finding(f"{key}.caBundle", "holds no valid PEM certificate; give the endpoint's CA bundle")

    @property
    def compatible_endpoint(self) -> bool:
        """An S3-compatible service outside AWS: nothing is created in AWS."""
        return self.region_endpoint is not None

    @property
    def creates_bucket(self) -> bool:
        return not self.compatible_endpoint and not self.adopt

    @property
    def credential_source(self) -> str:
        if self.credentials:
            return self.credentials
        return "secretConfig" if self.compatible_endpoint else "iamUser"

    def findings(self, stack: StackSettings, key: str) -> Iterable[Finding]:
        yield from self._ca_findings(key)
        if self.bucket is not None:
            yield from bucket_name_findings(self.bucket, f"{key}.bucket")
        if self.region is None:
            why = (
                "an S3-compatible endpoint without a region makes the operator fail with MissingRegion"
                if self.compatible_endpoint
                else "the bucket is created in this region and the registry must be told where it is"
            )
            yield Finding(f"{key}.region", f"required: {why}; e.g. us-east-1")
        elif not self.compatible_endpoint and not _REGION.match(self.region):
            yield Finding(f"{key}.region", f"{self.region!r} is not an AWS region name such as us-east-1 or eu-west-2")
        if self.compatible_endpoint:
            yield from self._endpoint_findings(key)
        else:
            if stack.platform != "aws":
                yield Finding(
                    f"{key}.regionEndpoint",
                    f"required on platform {stack.platform}: Amazon S3 is for platform aws; elsewhere set the "
                    "URL of an S3-compatible endpoint (Ceph RGW, OpenShift Data Foundation, MinIO)",
                )
            if self.virtual_hosted_style is not None:
                yield Finding(f"{key}.virtualHostedStyle", "only applies with regionEndpoint (a custom endpoint)")
        if self.key_id and self.encrypt is False:
            yield Finding(
                f"{key}.keyID", "set, but encrypt is false: the registry ignores keyID unless encrypt is true"
            )
        if self.creates_bucket and self.encrypt is False:
            yield Finding(f"{key}.encrypt", "buckets this program creates are always encrypted; remove encrypt: false")
        if self.compatible_endpoint and self.adopt is False:
            yield Finding(
                f"{key}.adopt",
                "false, but regionEndpoint is set: nothing is created on an S3-compatible endpoint; "
                "create the bucket there (e.g. an ObjectBucketClaim) and remove adopt",
            )
        if self.compatible_endpoint and self.credentials == "iamUser":
            yield Finding(
                f"{key}.credentials", "iamUser creates an AWS IAM user; an S3-compatible endpoint needs secretConfig"
            )
        if self.iam_user_name is not None and self.credential_source != "iamUser":
            yield Finding(f"{key}.iamUserName", "only used with credentials: iamUser")
        if self.iam_user_name is not None and not re.fullmatch(r"[\w+=,.@-]{1,64}", self.iam_user_name):
            yield Finding(f"{key}.iamUserName", "must be 1-64 letters, digits or +=,.@_-")
        if not self.creates_bucket and self.tags:
            yield Finding(f"{key}.tags", "tags are only applied to a bucket this program creates")
        if self.credential_source == "secretConfig":
            for secret_key in ("s3AccessKey", "s3SecretKey"):
                if getattr(stack.secrets, secret_key) is None:
                    yield Finding(
                        secret_key,
                        f"required with {key}.credentials: secretConfig; "
                        f"set it with `pulumi config set --secret {secret_key} <value>`",
                    )

    def _endpoint_findings(self, key: str) -> Iterable[Finding]:
        endpoint = self.region_endpoint or ""
        field = f"{key}.regionEndpoint"
        try:
            parts = urlsplit(endpoint)
            port = parts.port
        except ValueError as exc:
            yield Finding(field, f"is not a valid URL ({exc}); e.g. https://s3.example.com")
            return
        if parts.scheme not in ("https", "http") or not parts.hostname:
            yield Finding(field, "needs a scheme and a host, e.g. https://s3.example.com or http://rgw.example.svc")
            return
        host = parts.hostname
        if port is not None and (host.endswith(".svc") or host.endswith(".svc.cluster.local")):
            yield Finding(
                field,
                f"an in-cluster Rados Gateway URL must not carry an explicit port (:{port}); the OpenShift "
                "registry documentation (3.1.3) requires e.g. "
                "http://rook-ceph-rgw-ocs-storagecluster-cephobjectstore.openshift-storage.svc.cluster.local",
            )
        if parts.path not in ("", "/") or parts.query or parts.fragment:
            yield Finding(field, "must be scheme://host[:port] with no path, query or fragment")


def bucket_name_findings(name: str, key: str) -> Iterable[Finding]:
    """S3's bucket naming rules (general purpose buckets)."""
    rule = "3-63 lowercase letters, digits, dots and hyphens, beginning and ending with a letter or digit"
    if not _BUCKET.match(name):
        yield Finding(key, f"{name[:70]!r} is not a valid S3 bucket name: {rule}")
        return
    if ".." in name or ".-" in name or "-." in name:
        yield Finding(key, f"{name!r} is not a valid S3 bucket name: no adjacent dots, nor a dot beside a hyphen")
    try:
        ipaddress.IPv4Address(name)
        yield Finding(key, f"{name!r} is not a valid S3 bucket name: it must not look like an IP address")
    except ValueError:
        pass
    if name.startswith(_RESERVED_PREFIXES) or name.endswith(_RESERVED_SUFFIXES):
        yield Finding(key, f"{name!r} uses a prefix or suffix that S3 reserves")
