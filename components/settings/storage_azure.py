"""``openshift-registry:storage.azure``: Azure Blob Storage."""

from __future__ import annotations

from components.settings.model import Model

CR_FIELDS = ("accountName", "container", "cloudName")


class AzureSettings(Model):
    account_name: str | None = None
    container: str | None = None
    cloud_name: str | None = None
