"""Storage types other than S3, as far as the Config CR describes them.

Each platform's issue extends its model here with provisioning fields and rules.
"""

from __future__ import annotations

from pydantic import Field

from components.settings.model import Model


class GcsSettings(Model):
    bucket: str | None = None
    region: str | None = None
    project_id: str | None = Field(default=None, alias="projectID")
    key_id: str | None = Field(default=None, alias="keyID")


class AzureSettings(Model):
    account_name: str | None = None
    container: str | None = None
    cloud_name: str | None = None


class PvcSettings(Model):
    claim: str | None = None


class EmptyDirSettings(Model):
    pass
