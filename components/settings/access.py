"""``openshift-registry:metrics`` and ``roles``: who may scrape, pull, push and build.

These are the documented ``oc adm policy`` steps (metrics: the ``prometheus-scraper`` cluster
role; pulling: ``registry-viewer``; pushing: ``registry-editor``; pushing builds into a
project: ``system:image-builder``), held in the stack so access is reviewed like code.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from components.errors import Finding
from components.formats import DNS1123_LABEL
from components.settings.model import Model

if TYPE_CHECKING:
    from components.settings.stack import StackSettings

ROLE_NAMES = ("registry-viewer", "registry-editor", "system:image-builder")


class Subjects(Model):
    users: list[str] = Field(default_factory=list)
    groups: list[str] = Field(default_factory=list)
    service_accounts: list[str] = Field(default_factory=list)
    """``namespace/name``."""

    @property
    def empty(self) -> bool:
        return not (self.users or self.groups or self.service_accounts)

    def subject_findings(self, key: str) -> Iterable[Finding]:
        if self.empty:
            yield Finding(key, "names nobody: list users, groups or serviceAccounts")
        for index, account in enumerate(self.service_accounts):
            namespace, _, name = account.partition("/")
            if not (DNS1123_LABEL.match(namespace) and name and DNS1123_LABEL.match(name)):
                yield Finding(
                    f"{key}.serviceAccounts[{index}]", f"{account!r}: write a service account as namespace/name"
                )
        for field, names in (("users", self.users), ("groups", self.groups)):
            for index, name in enumerate(names):
                if not name.strip():
                    yield Finding(f"{key}.{field}[{index}]", "is empty")


class MetricsSettings(Subjects):
    def findings(self, stack: StackSettings, key: str) -> Iterable[Finding]:
        yield from self.subject_findings(key)


class RoleBindingSettings(Subjects):
    role: Literal["registry-viewer", "registry-editor", "system:image-builder"]
    namespace: str | None = None
    """A project: the role applies there only. Unset: cluster-wide (not for system:image-builder)."""

    def findings(self, stack: StackSettings, key: str) -> Iterable[Finding]:
        yield from self.subject_findings(key)
        if self.namespace is not None and not DNS1123_LABEL.match(self.namespace):
            yield Finding(f"{key}.namespace", f"{self.namespace!r} is not a project name")
        if self.role == "system:image-builder" and self.namespace is None:
            yield Finding(
                f"{key}.namespace",
                "required for system:image-builder: it lets its subjects push images into that project "
                "only (cluster-wide it would allow pushing into every project)",
            )


def role_findings(bindings: list[RoleBindingSettings], stack: StackSettings, key: str = "roles") -> Iterable[Finding]:
    seen: dict[tuple[str, str | None], int] = {}
    for index, binding in enumerate(bindings):
        yield from binding.findings(stack, f"{key}[{index}]")
        where = (binding.role, binding.namespace)
        if where in seen:
            yield Finding(
                f"{key}[{index}]",
                f"{binding.role} in {binding.namespace or 'the whole cluster'} is bound already by "
                f"{key}[{seen[where]}]: merge their subjects into one entry",
            )
        seen.setdefault(where, index)
