"""``openshift-registry:storage.gcs``: Google Cloud Storage."""

from __future__ import annotations

from pydantic import Field

from components.settings.model import Model

CR_FIELDS = ("bucket", "region", "projectID", "keyID")


class GcsSettings(Model):
    bucket: str | None = None
    region: str | None = None
    project_id: str | None = Field(default=None, alias="projectID")
    key_id: str | None = Field(default=None, alias="keyID")
