"""``openshift-registry:storage.ibmcos``: IBM Cloud Object Storage, on ``platform: ibmcloud`` (and PowerVS).

No Pulumi provider for IBM Cloud reaches these machines, so the bucket and its Cloud Object Storage
instance are brought: created by hand, named here. What the operator does itself decides the rest
(pkg/storage/ibmcos/ibmcos.go, CreateStorage): it overwrites ``location`` and ``resourceGroupName``
from the cluster's Infrastructure, creates a service instance when ``serviceInstanceCRN`` is empty,
and mints an HMAC resource key when ``resourceKeyCRN`` is empty.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar

from pydantic import Field

from components.errors import Finding
from components.settings.model import Model

if TYPE_CHECKING:
    from components.settings.stack import StackSettings

_CRN = re.compile(r"^crn:v1:[a-z-]+:[a-z-]+:cloud-object-storage:[^:]*:[^:]+:[^:]+:[^:]*:[^:]*\Z")
_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\Z")


class IbmCosSettings(Model):
    CR_FIELDS: ClassVar[tuple[str, ...]] = (
        "bucket",
        "location",
        "resourceGroupName",
        "resourceKeyCRN",
        "serviceInstanceCRN",
    )

    bucket: str | None = None
    location: str | None = None
    resource_group_name: str | None = None
    resource_key_crn: str | None = Field(default=None, alias="resourceKeyCRN")
    service_instance_crn: str | None = Field(default=None, alias="serviceInstanceCRN")

    @property
    def credential_mode(self) -> str:
        return "apiKey"

    def versioned(self, stack: StackSettings, key: str) -> Iterable[tuple[str, str, str]]:
        # The operator serves IBM COS on PowerVS from 4.13 (GetPlatformStorage, release-4.13).
        since = "4.13" if stack.platform == "powervs" else "4.9"
        yield key, since, f"storage.ibmcos on platform {stack.platform}"

    def findings(self, stack: StackSettings, key: str) -> Iterable[Finding]:
        if self.bucket is None:
            yield Finding(f"{key}.bucket", "required: the existing bucket (no provider here creates one)")
        elif not _BUCKET.match(self.bucket):
            yield Finding(
                f"{key}.bucket", f"{self.bucket[:70]!r} is not a bucket name: 3-63 lowercase letters, digits, '.', '-'"
            )
        for field, value in (("location", self.location), ("resourceGroupName", self.resource_group_name)):
            if value is not None:
                yield Finding(
                    f"{key}.{field}",
                    "is overwritten by the operator from the cluster's Infrastructure (status.platformStatus.ibmcloud) "
                    "on every sync: leave it out; the bucket must be in the cluster's location",
                )
        if self.service_instance_crn is None:
            yield Finding(
                f"{key}.serviceInstanceCRN",
                "required: the Cloud Object Storage instance that holds the bucket (without it the operator "
                "creates an instance of its own)",
            )
        for field, value in (
            ("serviceInstanceCRN", self.service_instance_crn),
            ("resourceKeyCRN", self.resource_key_crn),
        ):
            if value is not None and not _CRN.match(value):
                yield Finding(
                    f"{key}.{field}",
                    "is not a Cloud Object Storage CRN: crn:v1:bluemix:public:cloud-object-storage:...",
                )
        if stack.secrets.ibmcos_api_key is None:
            yield Finding(
                "ibmcosApiKey",
                f"required with {key}: the IAM API key the operator uses for the bucket "
                "(`pulumi config set --secret ibmcosApiKey <key>`)",
            )
