"""``openshift-registry:pruner``: the spec of ``imagepruners.imageregistry.operator.openshift.io/cluster``.

Field names, enums and types are the CRD's own (checked against the vendored CRD); the rules
here are what the CRD cannot say: a schedule the CronJob controller accepts, a Go duration.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from pydantic import Field

from components.errors import Finding
from components.formats import INT32, cron_problem, go_duration_ns
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


class PrunerSettings(Model):
    schedule: str | None = None
    suspend: bool | None = None
    keep_tag_revisions: int | None = Field(default=None, ge=0, le=INT32[1])
    keep_younger_than_duration: str | None = None
    successful_jobs_history_limit: int | None = Field(default=None, ge=0, le=INT32[1])
    failed_jobs_history_limit: int | None = Field(default=None, ge=0, le=INT32[1])
    ignore_invalid_image_references: bool | None = None
    log_level: str | None = None
    resources: dict[str, Any] | None = None
    affinity: dict[str, Any] | None = None
    node_selector: dict[str, str] | None = None
    tolerations: list[dict[str, Any]] | None = None

    def findings(self, stack: StackSettings, key: str) -> Iterable[Finding]:
        problem = cron_problem(self.schedule) if self.schedule is not None else None
        if problem:
            yield Finding(f"{key}.schedule", f"{self.schedule[:60]!r}: {problem}, or @daily")  # type: ignore[index]
        duration = self.keep_younger_than_duration
        if duration is not None and (go_duration_ns(duration) is None or duration.startswith("-")):
            yield Finding(
                f"{key}.keepYoungerThanDuration",
                f"{duration[:60]!r} is not a duration up to about 292 years: e.g. 60m, 24h, 168h (no days unit)",
            )
