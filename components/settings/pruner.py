"""``openshift-registry:pruner``: the spec of ``imagepruners.imageregistry.operator.openshift.io/cluster``.

Field names, enums and types are the CRD's own (checked against the vendored CRD); the rules
here are what the CRD cannot say: a schedule the CronJob controller accepts, a Go duration.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from pydantic import Field

from components.errors import Finding
from components.settings.model import Model

if TYPE_CHECKING:
    from components.settings.stack import StackSettings

CR_FIELDS = (
    "schedule",
    "suspend",
    "keepTagRevisions",
    "keepYoungerThanDuration",
    "successfulJobsHistoryLimit",
    "failedJobsHistoryLimit",
    "ignoreInvalidImageReferences",
    "logLevel",
    "resources",
    "affinity",
    "nodeSelector",
    "tolerations",
)
_CRON_FIELD = r"(\*|\?|[0-9A-Za-z]+(-[0-9A-Za-z]+)?)(/\d+)?(,(\*|[0-9A-Za-z]+(-[0-9A-Za-z]+)?)(/\d+)?)*"
_CRON = re.compile(rf"^(@(yearly|annually|monthly|weekly|daily|midnight|hourly)|{_CRON_FIELD}(\s+{_CRON_FIELD}){{4}})$")
_DURATION = re.compile(r"^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$")


class PrunerSettings(Model):
    schedule: str | None = None
    suspend: bool | None = None
    keep_tag_revisions: int | None = Field(default=None, ge=0)
    keep_younger_than_duration: str | None = None
    successful_jobs_history_limit: int | None = Field(default=None, ge=0)
    failed_jobs_history_limit: int | None = Field(default=None, ge=0)
    ignore_invalid_image_references: bool | None = None
    log_level: str | None = None
    resources: dict[str, Any] | None = None
    affinity: dict[str, Any] | None = None
    node_selector: dict[str, str] | None = None
    tolerations: list[dict[str, Any]] | None = None

    def findings(self, stack: StackSettings, key: str) -> Iterable[Finding]:
        if self.schedule is not None and not _CRON.match(self.schedule.strip()):
            yield Finding(
                f"{key}.schedule",
                f"{self.schedule!r} is not a cron schedule: five fields (minute hour day month weekday), "
                "e.g. '0 2 * * *', or @daily",
            )
        if self.keep_younger_than_duration is not None and not _DURATION.match(self.keep_younger_than_duration):
            yield Finding(
                f"{key}.keepYoungerThanDuration",
                f"{self.keep_younger_than_duration!r} is not a duration: e.g. 60m, 24h, 168h (no days unit)",
            )
