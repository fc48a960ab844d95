"""``openshift-registry:storage.gcs``: Google Cloud Storage."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar, Literal

from pydantic import Field

from components.errors import Finding
from components.names import SECURE_PLACEHOLDER, derived_bucket_name
from components.settings.model import Model
from components.settings.names import derived_name_findings, own_tag_findings

if TYPE_CHECKING:
    from components.settings.stack import StackSettings

OWN_LABELS = ("app-kubernetes-io-part-of", "pulumi-project", "pulumi-stack")


_BUCKET = re.compile(r"^[a-z0-9][a-z0-9_-]{1,61}[a-z0-9]\Z")
_KEY = re.compile(r"^projects/[^/]+/locations/(?P<location>[^/]+)/keyRings/[^/]+/cryptoKeys/[^/]+\Z")
_SERVICE_ACCOUNT = re.compile(r"^[a-z][-a-z0-9]{4,28}[a-z0-9]\Z")
_PROJECT = re.compile(r"^[a-z][-a-z0-9]{4,28}[a-z0-9]\Z")
_POOL_ID = re.compile(r"^[a-z0-9-]{4,32}\Z")
_LABEL_KEY = re.compile(r"^[a-z][a-z0-9_-]{0,62}\Z")
_LABEL_VALUE = re.compile(r"^[a-z0-9_-]{0,63}\Z")


class GcsSettings(Model):
    CR_FIELDS: ClassVar[tuple[str, ...]] = ("bucket", "region", "projectID", "keyID")

    # Fields of the Config CR's spec.storage.gcs, under its own names.
    bucket: str | None = None
    region: str | None = None
    project_id: str | None = Field(default=None, alias="projectID")
    key_id: str | None = Field(default=None, alias="keyID")
    # Provisioning fields the CR does not have.
    adopt: bool = False
    """True: the bucket exists and is not managed here (no hardening, no KMS grant)."""
    credentials: Literal["serviceAccount", "secretConfig", "workloadIdentity"] = "serviceAccount"
    """serviceAccount: a dedicated service account and key. secretConfig: the secret key ``gcsKeyFile``.
    workloadIdentity: the service account, impersonated with the cluster's tokens through a workload
    identity pool (no key)."""
    workload_identity_pool: str | None = None
    """With workloadIdentity: the pool's id (default derived; a deleted id stays reserved ~30 days)."""
    workload_identity_provider: str | None = None
    """With workloadIdentity: the pool provider's id (default ``openshift``)."""
    service_account_id: str | None = None
    labels: dict[str, str] = Field(default_factory=dict)

    @property
    def creates_bucket(self) -> bool:
        return not self.adopt

    @property
    def credential_mode(self) -> str:
        return self.credentials

    def with_provider_defaults(self, provider_config: dict[str, str]) -> GcsSettings:
        """``region`` from ``gcp:region`` where the stack sets it."""
        if self.region is None and "gcp:region" in provider_config:
            return self.model_copy(update={"region": provider_config["gcp:region"]})
        return self

    def versioned(self, stack: StackSettings, key: str) -> Iterable[tuple[str, str, str]]:
        if self.credentials == "workloadIdentity":
            yield f"{key}.credentials", "4.11", "credentials: workloadIdentity"

    def findings(self, stack: StackSettings, key: str) -> Iterable[Finding]:
        if self.bucket is not None:
            yield from _bucket_findings(self.bucket, f"{key}.bucket")
        if self.project_id is not None and self.region is None:
            yield Finding(
                f"{key}.region",
                "required with projectID: when region is empty the operator overwrites projectID (and region) "
                "with the cluster's own",
            )
        elif self.creates_bucket and self.region is None:
            yield Finding(
                f"{key}.region",
                "required (or set gcp:region): the bucket is created in this location, e.g. us-central1 or US",
            )
        creates = self.creates_bucket or self.credentials in ("serviceAccount", "workloadIdentity")
        if creates and self.project_id is None and "gcp:project" not in stack.provider_config:
            yield Finding(
                f"{key}.projectID",
                "required (or set gcp:project): the bucket and service account are created in this project",
            )
        if self.key_id is not None:
            yield from self._key_findings(f"{key}.keyID")
        yield from self._credential_findings(stack, key)
        yield from self._pool_findings(key)
        for label, value in self.labels.items():
            if not _LABEL_KEY.match(label) or not _LABEL_VALUE.match(value):
                yield Finding(
                    f"{key}.labels.{label}",
                    "GCP labels are lowercase letters, digits, '_' and '-', at most 63 characters, "
                    "and a key starts with a letter",
                )

        yield from own_tag_findings(self.labels, OWN_LABELS, f"{key}.labels")
        if self.project_id is not None and not _PROJECT.match(self.project_id):
            yield Finding(
                f"{key}.projectID",
                f"{self.project_id[:70]!r} is not a GCP project id: 6-30 lowercase letters, digits and '-', "
                "starting with a letter and not ending with '-'",
            )
        if self.bucket is None:
            derived = derived_bucket_name(stack.project, stack.stack)
            yield from derived_name_findings(_bucket_findings(derived, f"{key}.bucket"))
        if self.labels and self.adopt:
            yield Finding(f"{key}.labels", "has no effect with adopt: true (the bucket is not managed here); remove it")

    def _pool_findings(self, key: str) -> Iterable[Finding]:
        for field, value in (("workloadIdentityPool", self.workload_identity_pool),
                             ("workloadIdentityProvider", self.workload_identity_provider)):  # fmt: skip
            if value is None:
                continue
            if self.credentials != "workloadIdentity":
                yield Finding(f"{key}.{field}", "only used with credentials: workloadIdentity")
            elif not _POOL_ID.match(value) or value.startswith("gcp-"):
                yield Finding(
                    f"{key}.{field}", f"{value[:40]!r}: 4-32 lowercase letters, digits and '-', not 'gcp-...'"
                )

    def _key_findings(self, key: str) -> Iterable[Finding]:
        match = _KEY.match(self.key_id or "")
        if match is None:
            yield Finding(key, "write the key's full name: projects/P/locations/L/keyRings/R/cryptoKeys/K")
        elif self.region and self.creates_bucket and match["location"].lower() != self.region.lower():
            yield Finding(
                key,
                f"the key is in location {match['location']!r} but the bucket in {self.region!r}: "
                "Cloud Storage uses only a key from the bucket's own location",
            )

    def _credential_findings(self, stack: StackSettings, key: str) -> Iterable[Finding]:
        key_file = stack.secrets.gcs_key_file
        if self.credentials == "secretConfig":
            if key_file is None:
                yield Finding(
                    "gcsKeyFile",
                    f"required with {key}.credentials: secretConfig; "
                    "`pulumi config set --secret gcsKeyFile < key.json`",
                )
            elif not _is_key_file(key_file.get_secret_value()):
                yield Finding(
                    "gcsKeyFile",
                    "is not a service-account key file: expected the JSON object GCP gives, with "
                    '"type": "service_account" (its content is not shown here)',
                )
            if self.service_account_id is not None:
                yield Finding(f"{key}.serviceAccountId", "only with credentials: serviceAccount")
        elif self.credentials == "workloadIdentity" and key_file is not None:
            yield Finding(
                "gcsKeyFile", f"is set but {key}.credentials is workloadIdentity, which needs no key; remove it"
            )
        else:
            if key_file is not None:
                yield Finding(
                    "gcsKeyFile",
                    f"is set but {key}.credentials is serviceAccount (the default), which makes its own key; "
                    "set credentials: secretConfig to use this key file, or remove it",
                )
            if self.service_account_id is not None and not _SERVICE_ACCOUNT.match(self.service_account_id):
                yield Finding(
                    f"{key}.serviceAccountId",
                    f"{self.service_account_id!r} is not a service account id: 6-30 lowercase letters, digits "
                    "and '-', starting with a letter",
                )


def _bucket_findings(bucket: str, key: str) -> Iterable[Finding]:
    if not _BUCKET.match(bucket):
        yield Finding(
            key,
            f"{bucket!r} is not a valid GCS bucket name here: 3-63 lowercase letters, digits, '-' and '_', "
            "beginning and ending with a letter or digit (names with dots need domain verification)",
        )
    elif bucket.startswith("goog") or "google" in _lookalike(bucket):
        yield Finding(
            key,
            f"{bucket!r}: GCS refuses names starting with 'goog' or containing 'google' or a close misspelling "
            "of it (such as 'g00gle')",
        )


def _lookalike(name: str) -> str:
    """``name`` with the digits that pass for letters read as those letters (``g00g1e`` -> ``google``),
    and separators dropped (``goo-gle``): GCS refuses such misspellings of "google" too."""
    return name.translate(str.maketrans({"0": "o", "1": "l", "3": "e", "6": "g", "9": "g", "-": None, "_": None}))


def _is_key_file(text: str) -> bool:
    if text == SECURE_PLACEHOLDER:  # ciphertext previewed offline: nothing to check
        return True
    try:
        parsed = json.loads(text)
    except ValueError:
        return False
    return isinstance(parsed, dict) and parsed.get("type") == "service_account"
