"""``openshift-registry:registry``: the Config CR spec fields a stack may set, under the CR's names."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from pydantic import Field

from components.errors import Finding
from components.settings.model import Model

if TYPE_CHECKING:
    from components.settings.stack import StackSettings

# Spec fields a stack may set. ``httpSecret`` is not here: it is a secret and comes from the
# secret config key ``httpSecret``. ``storage`` has its own top-level key.
CR_FIELDS = (
    "managementState",
    "replicas",
    "logLevel",
    "operatorLogLevel",
    "rolloutStrategy",
    "readOnly",
    "defaultRoute",
    "disableRedirect",
    "proxy",
    "requests",
    "nodeSelector",
    "tolerations",
    "affinity",
    "resources",
    "routes",
)


class RouteSettings(Model):
    """One custom route; a TLS certificate for it comes from the secret config key ``routeTls``."""

    name: str
    hostname: str | None = None
    secret_name: str | None = None


class RegistrySettings(Model):
    management_state: str = "Managed"
    replicas: int | None = Field(default=None, ge=0)
    log_level: str | None = None
    operator_log_level: str | None = None
    rollout_strategy: str | None = None
    read_only: bool | None = None
    default_route: bool | None = None
    disable_redirect: bool | None = None
    proxy: dict[str, Any] | None = None
    requests: dict[str, Any] | None = None
    node_selector: dict[str, str] | None = None
    tolerations: list[dict[str, Any]] | None = None
    affinity: dict[str, Any] | None = None
    resources: dict[str, Any] | None = None
    routes: list[RouteSettings] = Field(default_factory=list)

    def findings(self, stack: StackSettings, key: str) -> Iterable[Finding]:
        if self.management_state == "Force":
            yield Finding(
                f"{key}.managementState",
                "'Force' passes the CRD pattern but the image-registry operator treats it as unknown; "
                "use Managed, Unmanaged or Removed",
            )
        names = [route.name for route in self.routes]
        for index, route in enumerate(self.routes):
            if route.name == "default-route":
                yield Finding(
                    f"{key}.routes[{index}].name",
                    "'default-route' is reserved by the operator for registry.defaultRoute: true; pick another name",
                )
            elif names.count(route.name) > 1:
                yield Finding(
                    f"{key}.routes[{index}].name",
                    f"route name {route.name!r} is used more than once; the operator rejects duplicate route names",
                )
