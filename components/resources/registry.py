"""The registry as a whole: storage, its credentials, and the operator's Config."""

from __future__ import annotations

from typing import Any

import pulumi

from components.cluster.state import ClusterState
from components.names import INSTALLER_SECRET, REGISTRY_NAMESPACE
from components.resources.provider_object import Registered, register_object
from components.resources.storage import build_storage
from components.settings.stack import StackSettings
from components.specs import registry_config, route_tls
from components.specs.credential_secret import created_by_this_program, credential_secret, secret_keys, secret_name


def installer_secret_exists(cluster: ClusterState | None) -> bool:
    """Patch ``installer-cloud-credentials`` unless the cluster was read and has none, or has the one an
    earlier run of this program created (then it stays a created object: the second run changes nothing).
    Unknown counts as existing: ccoctl's output is applied at install time, and creating an object that
    exists fails the whole update."""
    if cluster is None:
        return True
    key = ("v1", "Secret", REGISTRY_NAMESPACE, INSTALLER_SECRET)
    body = cluster.get(key)
    if body is not None and created_by_this_program(body):
        return False
    return cluster.exists(key)


class Registry(pulumi.ComponentResource):
    """Everything the integrated registry needs from this stack.

    The storage component for the stack's platform, the credential secret (only when the storage
    reads one), route TLS secrets, and the server-side-apply patch of the operator's Config
    ``cluster``, which waits until all of them are complete so the operator never sees a half-made one.
    """

    def __init__(
        self,
        name: str,
        *,
        stack: StackSettings,
        cluster: ClusterState | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("openshift-registry:index:Registry", name, None, opts)
        identity = stack.identity
        self.storage = build_storage(stack, pulumi.ResourceOptions(parent=self))
        registered = Registered()
        waits_for: list[pulumi.Resource] = list(self.storage.ready) if self.storage else []

        def register(spec: Any, depends_on: list[pulumi.Resource] | None = None) -> pulumi.CustomResource:
            return register_object(
                spec,
                name=f"{name}-{spec.name}",
                parent=self,
                identity=identity,
                registered=registered,
                depends_on=depends_on or (),
            )

        self.secret = None
        secret = secret_name(stack)
        if secret is not None:
            assert self.storage is not None and sorted(self.storage.credentials) == sorted(secret_keys(stack))
            exists = secret == INSTALLER_SECRET and installer_secret_exists(cluster)
            issuer = stack.cluster.service_account_issuer if secret != INSTALLER_SECRET else None
            self.secret = register(credential_secret(self.storage.credentials, secret, exists=exists, issuer=issuer))
        self.route_secrets = [
            register(route_tls.tls_secret(route, stack.secrets.route_tls[route.name]))
            for route in route_tls.routes_with_certificates(stack)
        ]
        self.config = register(registry_config.config_patch(stack), depends_on=waits_for + registered.ready)
        spec = registry_config.registry_config_spec(stack)
        self.exports: dict[str, Any] = {
            **(self.storage.exports if self.storage else {}),
            "credentialSecret": secret if self.secret else None,
            "registryConfigSpec": registry_config.redacted(
                {**spec, **({"httpSecret": "set"} if stack.secrets.http_secret is not None else {})}
            ),
        }
        self.register_outputs({"registryConfigSpec": self.exports["registryConfigSpec"]})
