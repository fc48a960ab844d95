"""``openshift-registry:storage.s3``: Amazon S3, or an S3-compatible endpoint (Ceph RGW, ODF, MinIO)."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Literal
from urllib.parse import urlsplit

from pydantic import Field

from components.errors import Finding
from components.formats import url_problem
from components.names import aws_partition, derived_bucket_name
from components.settings.model import Model
from components.settings.names import derived_name_findings, own_tag_findings
from components.settings.pem import holds_certificates, holds_private_key, is_offline_placeholder

if TYPE_CHECKING:
    from components.settings.stack import StackSettings

OWN_TAGS = ("app.kubernetes.io/part-of", "pulumi:project", "pulumi:stack")
CLOUD_FRONT_SECRET = "image-registry-cloudfront-private-key"
CLOUD_FRONT_KEY = "private.pem"


_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\Z")
_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-[0-9]+\Z")
_RESERVED_PREFIXES = ("xn--", "sthree-", "amzn-s3-demo-")
# The forms of a KMS key S3 accepts as ``kmsMasterKeyId`` and the registry as ``keyID``.
_KEY_ID = r"(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"
_ALIAS = r"alias/[A-Za-z0-9/_-]{1,250}"
_KMS_ARN = re.compile(
    rf"^arn:(?P<partition>aws|aws-us-gov|aws-cn):kms:(?P<region>[a-z0-9-]+):[0-9]{{12}}:(?P<kind>key/{_KEY_ID}|{_ALIAS})\Z"
)
_KMS_ALIAS = re.compile(rf"^{_ALIAS}\Z")
_KMS_KEY_ID = re.compile(rf"^{_KEY_ID}\Z")
_OIDC_ARN = re.compile(r"^arn:(aws|aws-us-gov|aws-cn):iam::[0-9]{12}:oidc-provider/(?P<issuer>[^\s]+)\Z")
# Tags a stack may not set on its own: AWS reserves the ``aws:`` prefix.
_TAG_KEY = re.compile(r"^[\w.:/=+\-@ ]{1,128}\Z")
_TAG_VALUE = re.compile(r"^[\w.:/=+\-@ ]{0,256}\Z")
_RESERVED_SUFFIXES = ("-s3alias", "--ol-s3", "--x-s3", "--table-s3")


class S3Settings(Model):
    CR_FIELDS: ClassVar[tuple[str, ...]] = (
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
    credentials: Literal["iamUser", "secretConfig", "sts"] | None = None
    """iamUser: a dedicated IAM user and key (AWS only). secretConfig: s3AccessKey/s3SecretKey.
    sts: an IAM role the registry assumes with the cluster's service account tokens (no key)."""
    iam_user_name: str | None = None
    role_name: str | None = None
    """With sts: the registry's IAM role (default ``<bucket>-registry``)."""
    oidc_provider_arn: str | None = Field(default=None, alias="oidcProviderArn")
    """With sts: the cluster's existing IAM OIDC provider (ccoctl usually made it); unset: one is created."""
    tags: dict[str, str] = Field(default_factory=dict)
    cluster_resource_tags: dict[str, str] = Field(default_factory=dict)
    """The cluster's Infrastructure ``status.platformStatus.aws.resourceTags``: the operator's tag
    controller writes them onto the bucket, so the bucket carries them too and the registry may tag it."""
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
        if holds_private_key(self.ca_bundle):
            yield Finding(
                f"{key}.caBundle",
                "holds a private key: it would be published in a ConfigMap; give only the CA certificates "
                "(the key is not shown here)",
            )
        elif not holds_certificates(self.ca_bundle):
            yield Finding(f"{key}.caBundle", "holds no valid PEM certificate; give the endpoint's CA bundle")

    def with_provider_defaults(self, provider_config: dict[str, str]) -> S3Settings:
        """``region`` from ``aws:region`` on AWS; an S3-compatible gateway's region is its own, never AWS's."""
        if self.region is None and not self.compatible_endpoint and "aws:region" in provider_config:
            return self.model_copy(update={"region": provider_config["aws:region"]})
        return self

    @property
    def kms_key_is_arn(self) -> bool:
        """A key ARN is what an IAM policy's ``Resource`` needs; every other form is looked up first."""
        match = _KMS_ARN.match(self.key_id or "")
        return match is not None and match["kind"].startswith("key/")

    @property
    def compatible_endpoint(self) -> bool:
        """An S3-compatible service outside AWS: nothing is created in AWS."""
        return self.region_endpoint is not None

    @property
    def creates_bucket(self) -> bool:
        return not self.compatible_endpoint and not self.adopt

    @property
    def credential_mode(self) -> str:
        if self.credentials:
            return self.credentials
        return "secretConfig" if self.compatible_endpoint else "iamUser"

    def versioned(self, stack: StackSettings, key: str) -> Iterable[tuple[str, str, str]]:
        if self.trusted_ca is not None or self.ca_bundle is not None:
            which = "trustedCA" if self.trusted_ca is not None else "caBundle"
            yield f"{key}.{which}", "4.11", "storage.s3.trustedCA"
        if self.chunk_size_mib is not None:
            yield f"{key}.chunkSizeMiB", "4.17", "storage.s3.chunkSizeMiB"
        if self.credentials == "sts":
            yield f"{key}.credentials", "4.7", "credentials: sts (the registry's projected token)"

    def findings(self, stack: StackSettings, key: str) -> Iterable[Finding]:
        yield from self._ca_findings(key)
        if self.bucket is not None:
            yield from bucket_name_findings(self.bucket, f"{key}.bucket")
        else:
            derived = derived_bucket_name(stack.project, stack.stack)
            yield from derived_name_findings(bucket_name_findings(derived, f"{key}.bucket"))
        if self.region is None:
            why = (
                "an S3-compatible endpoint without a region makes the operator fail with MissingRegion"
                if self.compatible_endpoint
                else "the bucket is created in this region and the registry must be told where it is"
            )
            hint = "" if self.compatible_endpoint else " (or set aws:region)"
            yield Finding(f"{key}.region", f"required{hint}: {why}; e.g. us-east-1")
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
            # virtualHostedStyle is valid on AWS too: the operator passes it to the registry as
            # REGISTRY_STORAGE_S3_FORCEPATHSTYLE = !virtualHostedStyle (s3.go, ConfigEnv).
            if self.key_id is not None:
                yield from self._kms_key_findings(f"{key}.keyID")
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
        if self.compatible_endpoint and self.credentials in ("iamUser", "sts"):
            yield Finding(
                f"{key}.credentials",
                f"{self.credentials} uses AWS IAM; an S3-compatible endpoint needs secretConfig",
            )
        yield from self._sts_findings(key)
        yield from self._cloud_front_findings(stack, key)
        if self.iam_user_name is not None and self.credential_mode != "iamUser":
            yield Finding(f"{key}.iamUserName", "only used with credentials: iamUser")
        if self.iam_user_name is not None and not re.fullmatch(r"[\w+=,.@-]{1,64}", self.iam_user_name):
            yield Finding(f"{key}.iamUserName", "must be 1-64 letters, digits or +=,.@_-")
        if not self.creates_bucket and self.tags:
            yield Finding(f"{key}.tags", "tags are only applied to a bucket this program creates")
        yield from self._tag_findings(key)
        if self.credential_mode in ("iamUser", "sts") and not self.compatible_endpoint:
            makes = "makes its own key" if self.credential_mode == "iamUser" else "needs no key"
            for secret_key in ("s3AccessKey", "s3SecretKey"):
                if getattr(stack.secrets, secret_key) is not None:
                    yield Finding(
                        secret_key,
                        f"is set but never used: {key}.credentials is {self.credential_mode}, which {makes}; "
                        f"remove it (`pulumi config rm {secret_key}`), or set credentials: secretConfig to use it",
                    )
        if self.credential_mode == "secretConfig":
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
        if parts.username is not None or parts.password is not None or "@" in parts.netloc:
            yield Finding(
                field,
                "holds credentials (user:password@), which the Config would publish in plain text; give the "
                "key pair as s3AccessKey / s3SecretKey with `pulumi config set --secret` (the URL is not shown here)",
            )
            return
        if parts.scheme not in ("https", "http") or not parts.hostname:
            yield Finding(field, "needs a scheme and a host, e.g. https://s3.example.com or http://rgw.example.svc")
            return
        problem = url_problem(endpoint, ("https", "http"))
        if problem is not None:
            yield Finding(field, f"{problem}; e.g. https://s3.example.com")
            return
        host = parts.hostname
        if port is not None and (host.endswith(".svc") or host.endswith(".svc.cluster.local")):
            # Only the documentation says so; the operator's S3 driver takes any URL (s3.go, ConfigEnv).
            yield Finding(
                field,
                f"carries an explicit port (:{port}): the OpenShift 4.6 registry documentation (section 3.1.3, "
                "Configuring registry storage for bare metal) says an in-cluster Rados Gateway URL should not, "
                "e.g. http://rook-ceph-rgw-ocs-storagecluster-cephobjectstore.openshift-storage.svc.cluster.local; "
                "the operator accepts it",
                "warning",
            )
        if parts.path not in ("", "/") or parts.query or parts.fragment:
            yield Finding(field, "must be scheme://host[:port] with no path, query or fragment")

    def _cloud_front_findings(self, stack: StackSettings, key: str) -> Iterable[Finding]:
        """The registry signs CloudFront URLs with the key pair's private key, which it mounts from a Secret
        in openshift-image-registry: made from ``s3CloudFrontPrivateKey``, or one of the user's named in
        ``cloudFront.privateKey``."""
        given = stack.secrets.s3_cloud_front_private_key
        named = (self.cloud_front or {}).get("privateKey")
        if self.cloud_front is None:
            if given is not None:
                yield Finding(
                    "s3CloudFrontPrivateKey", f"is set but never used: {key}.cloudFront is not set; remove it"
                )
            return
        if given is None and named is None:
            yield Finding(
                f"{key}.cloudFront.privateKey",
                "required: the key pair's private key; `pulumi config set --secret s3CloudFrontPrivateKey < pk.pem` "
                "(a Secret is made from it), or name a Secret of yours here",
            )
        elif given is not None and named is not None:
            yield Finding(
                f"{key}.cloudFront.privateKey",
                "give either s3CloudFrontPrivateKey (a Secret is made from it) or privateKey (a Secret of yours)",
            )
        elif given is not None and not _placeholder_or_key(given.get_secret_value()):
            yield Finding("s3CloudFrontPrivateKey", "is not a PEM private key (its content is not shown here)")

    def _sts_findings(self, key: str) -> Iterable[Finding]:
        sts = self.credential_mode == "sts"
        for field, value in (("roleName", self.role_name), ("oidcProviderArn", self.oidc_provider_arn)):
            if value is not None and not sts:
                yield Finding(f"{key}.{field}", "only used with credentials: sts")
        if self.role_name is not None and not re.fullmatch(r"[\w+=,.@-]{1,64}", self.role_name):
            yield Finding(f"{key}.roleName", "must be 1-64 letters, digits or +=,.@_-")
        if self.oidc_provider_arn is not None and not _OIDC_ARN.match(self.oidc_provider_arn):
            yield Finding(
                f"{key}.oidcProviderArn",
                "is not an IAM OIDC provider ARN: arn:aws:iam::ACCOUNT:oidc-provider/ISSUER-HOST[/PATH]",
            )

    def _kms_key_findings(self, key: str) -> Iterable[Finding]:
        """On AWS ``keyID`` is a key ARN, an alias ARN, ``alias/<name>`` or a key id, in the bucket's region."""
        key_id = self.key_id or ""
        match = _KMS_ARN.match(key_id)
        if match is None:
            if not (_KMS_ALIAS.match(key_id) or _KMS_KEY_ID.match(key_id)):
                yield Finding(
                    key,
                    "is not a KMS key: give a key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID), an alias ARN "
                    "(arn:aws:kms:REGION:ACCOUNT:alias/NAME), alias/NAME or a key id",
                )
            return
        region = self.region or ""
        if region and match["partition"] != aws_partition(region):
            yield Finding(
                key,
                f"is in partition {match['partition']!r} but the bucket's region {region} is in "
                f"{aws_partition(region)!r}: a key is usable only in its own partition",
            )
        elif region and match["region"] != region:
            yield Finding(
                key,
                f"is in region {match['region']} but the bucket in {region}: S3 uses only a KMS key of the "
                "bucket's own region",
            )

    def _tag_findings(self, key: str) -> Iterable[Finding]:

        yield from own_tag_findings(self.tags, OWN_TAGS, f"{key}.tags")
        yield from own_tag_findings(self.cluster_resource_tags, OWN_TAGS, f"{key}.clusterResourceTags")
        for field, tags in (("tags", self.tags), ("clusterResourceTags", self.cluster_resource_tags)):
            for name, value in tags.items():
                if name.lower().startswith("aws:"):
                    yield Finding(f"{key}.{field}.{name}", "tag keys starting with 'aws:' are reserved by AWS")
                elif not (_TAG_KEY.match(name) and _TAG_VALUE.match(value)):
                    yield Finding(
                        f"{key}.{field}.{name}",
                        "AWS tags are letters, digits, spaces and _.:/=+-@; keys 1-128 and values 0-256 characters",
                    )
        for name, value in self.cluster_resource_tags.items():
            if name in self.tags and self.tags[name] != value:
                yield Finding(
                    f"{key}.tags.{name}",
                    f"differs from clusterResourceTags.{name}: the operator's tag controller would overwrite it "
                    "with the cluster's value on every change; remove it from tags",
                )
        if self.cluster_resource_tags and not self.creates_bucket:
            yield Finding(
                f"{key}.clusterResourceTags",
                "only for a bucket this program creates on AWS (the tags are carried in its own tags)",
            )


def _placeholder_or_key(text: str) -> bool:
    return is_offline_placeholder(text) or holds_private_key(text)


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


def as_rendered(values: Any) -> Any:
    """The block as the Config will carry it, for the CRD's checks: CloudFront's ``privateKey`` (required
    there) is filled in by the program when the stack gives ``s3CloudFrontPrivateKey``; whether it was given
    is the S3 rules' to say."""
    if not isinstance(values, Mapping) or not isinstance(values.get("cloudFront"), Mapping):
        return values
    cloud_front = {"privateKey": {"name": CLOUD_FRONT_SECRET, "key": CLOUD_FRONT_KEY}, **values["cloudFront"]}
    return {**values, "cloudFront": cloud_front}
