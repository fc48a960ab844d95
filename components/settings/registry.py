"""``openshift-registry:registry``: the Config CR spec fields a stack may set, under the CR's names."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from pydantic import Field

from components.errors import Finding
from components.formats import DNS_NAME, INT32, SUBDOMAIN_RULE, is_subdomain, url_credentials
from components.names import CREDENTIAL_SECRET
from components.settings.model import Model
from components.settings.pem import (
    certificate_problem,
    certificates,
    covers,
    days_left,
    is_offline_placeholder,
    key_problem,
)
from components.settings.secrets import RouteTlsSettings

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
    "topologySpreadConstraints",
)


EXPIRY_WARNING_DAYS = 30


class RouteSettings(Model):
    """One custom route; a TLS certificate for it comes from the secret config key ``routeTls``."""

    name: str
    hostname: str | None = None
    secret_name: str | None = None

    @property
    def tls_secret(self) -> str:
        """The TLS Secret the route reads: its ``secretName``, else ``<name>-tls``."""
        return self.secret_name or f"{self.name}-tls"


class RegistrySettings(Model):
    management_state: str = "Managed"
    replicas: int | None = Field(default=None, ge=0, le=INT32[1])
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
    topology_spread_constraints: list[dict[str, Any]] | None = None

    def findings(self, stack: StackSettings, key: str) -> Iterable[Finding]:
        yield from _proxy_findings(self.proxy, f"{key}.proxy")
        yield from _route_name_findings(self.routes, stack, key)
        if self.management_state == "Force":
            yield Finding(
                f"{key}.managementState",
                "'Force' passes the CRD pattern but the image-registry operator treats it as unknown; "
                "use Managed, Unmanaged or Removed",
            )
        yield from _route_tls_findings(self, stack, key)
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


# Objects the operator owns or reads by name in openshift-image-registry: a route's Secret must
# never be one of them (pkg/defaults/defaults.go, pkg/storage/*: GetConfig).
OPERATOR_OBJECTS = (
    "image-registry-private-configuration",
    "image-registry-private-configuration-user",
    "installer-cloud-credentials",
    "image-registry-tls",
    "image-registry-certificates",
    "image-registry-operator-tls",
    "trusted-ca",
    "serviceca",
)


def _proxy_findings(proxy: dict[str, Any] | None, key: str) -> Iterable[Finding]:
    """The Config's proxy is plain text in the cluster and in every view of the plan: no credentials."""
    for field in ("http", "https"):
        value = (proxy or {}).get(field)
        if isinstance(value, str) and url_credentials(value):
            yield Finding(
                f"{key}.{field}",
                "holds credentials (user:password@): the registry Config is readable in plain text, so they "
                "would be published; use a proxy that authorises the cluster by address, or the cluster-wide "
                "proxy (proxy.config.openshift.io) whose credentials OpenShift keeps in a Secret",
            )


def _route_name_findings(routes: list[RouteSettings], stack: StackSettings, key: str) -> Iterable[Finding]:
    owners: dict[str, int] = {}
    for index, route in enumerate(routes):
        where = f"{key}.routes[{index}]"
        if not is_subdomain(route.name):
            yield Finding(f"{where}.name", f"{route.name[:70]!r} is not a route name: {SUBDOMAIN_RULE}")
        if route.name not in stack.secrets.route_tls:
            continue
        name = route.tls_secret
        field = f"{where}.secretName" if route.secret_name else f"{where}.name"
        if not is_subdomain(name):
            yield Finding(field, f"the Secret name {name[:70]!r} is not a valid object name: {SUBDOMAIN_RULE}")
        elif name in (CREDENTIAL_SECRET, *OPERATOR_OBJECTS):
            yield Finding(
                field,
                f"the Secret {name!r} is one the operator owns or reads in openshift-image-registry; "
                "give the route's certificate a Secret of its own",
            )
        elif name in owners:
            yield Finding(field, f"the Secret {name!r} is the route {routes[owners[name]].name!r}'s too: one each")
        owners.setdefault(name, index)


def _route_tls_findings(registry: RegistrySettings, stack: StackSettings, key: str) -> Iterable[Finding]:
    """Hostnames, and each custom certificate: parses, matches its key, covers the host, is not expiring."""
    certificates = stack.secrets.route_tls
    routes = {route.name: route for route in registry.routes}
    for name in certificates:
        if name not in routes:
            yield Finding(f"routeTls.{name}", f"names no route in {key}.routes ({', '.join(routes) or 'none'})")
    for index, route in enumerate(registry.routes):
        where = f"{key}.routes[{index}]"
        if route.hostname is not None and not DNS_NAME.match(route.hostname):
            yield Finding(f"{where}.hostname", f"{route.hostname!r} is not a DNS name, e.g. registry.apps.example.com")
        if route.secret_name is not None and route.name not in certificates:
            yield Finding(
                f"{where}.secretName",
                f"set only with a custom certificate: give routeTls.{route.name}.certificate and .key "
                "(the Secret is created from them), or remove secretName to use the cluster's certificate",
            )
        if route.name in certificates:
            yield from _certificate_findings(route, certificates[route.name], f"routeTls.{route.name}")


def _certificate_findings(route: RouteSettings, tls: RouteTlsSettings, key: str) -> Iterable[Finding]:
    certificate_text, key_text = tls.certificate.get_secret_value(), tls.key.get_secret_value()
    if is_offline_placeholder(certificate_text) or is_offline_placeholder(key_text):
        return  # encrypted values previewed offline: their content is unknown here
    chain = certificates(certificate_text)
    if not chain:
        yield Finding(f"{key}.certificate", "holds no valid PEM certificate")
        return
    damaged = certificate_problem(chain[0])
    if damaged:
        yield Finding(f"{key}.certificate", damaged)
        return
    problem = key_problem(chain[0], key_text)
    if problem:
        yield Finding(f"{key}.key", problem)  # never the key itself
    if route.hostname is not None and not covers(chain[0], route.hostname):
        yield Finding(
            f"{key}.certificate",
            f"does not cover the route's hostname {route.hostname!r}: clients will refuse the connection",
            "warning",
        )
    left = days_left(chain[0])
    if left < EXPIRY_WARNING_DAYS:
        when = "has expired" if left < 0 else f"expires in {int(left)} day(s)"
        yield Finding(f"{key}.certificate", f"{when}: renew it before the route serves it", "warning")
