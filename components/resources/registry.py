"""The registry as a whole: storage, its credentials, and the operator's Config."""

from __future__ import annotations

from typing import Any

import pulumi

from components.resources.cluster_patch import cluster_patch
from components.resources.credential_secret import credential_secret
from components.resources.lifecycle import needed
from components.resources.route_tls import route_tls_secrets
from components.resources.storage import build_storage
from components.settings.stack import StackSettings
from components.specs import registry_config
from components.specs.credential_secret import secret_keys
from components.specs.naming import CREDENTIAL_SECRET


class Registry(pulumi.ComponentResource):
    """Everything the integrated registry needs from this stack.

    Creates the storage component for the stack's platform, the credential secret (only when the
    storage reads one), and the server-side-apply patch of the operator's Config ``cluster``,
    which waits until storage and secret are complete so the operator never sees a half-made one.
    """

    def __init__(self, name: str, *, stack: StackSettings, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("openshift-registry:index:Registry", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.storage = build_storage(stack, child)
        waits_for: list[pulumi.Resource] = list(self.storage.ready) if self.storage else []

        self.secret = None
        keys = secret_keys(stack)
        if keys:
            assert self.storage is not None and sorted(self.storage.credentials) == sorted(keys)
            # The operator reads it by its fixed name whatever the Config says: kept while the registry runs.
            self.secret = credential_secret(f"{name}-credentials", self.storage.credentials, needed(stack, self))
            waits_for.append(self.secret)

        self.route_secrets = route_tls_secrets(stack, needed(stack, self))
        waits_for += self.route_secrets

        self.spec = registry_config.registry_config_spec(stack)
        patched: dict[str, Any] = dict(self.spec)
        if stack.secrets.http_secret is not None:
            patched["httpSecret"] = pulumi.Output.secret(stack.secrets.http_secret.get_secret_value())
        self.config = cluster_patch(
            f"{name}-config",
            api_version=registry_config.API_VERSION,
            kind=registry_config.KIND,
            spec=patched,
            opts=pulumi.ResourceOptions(parent=self, depends_on=waits_for),
        )
        self.exports: dict[str, Any] = {
            **(self.storage.exports if self.storage else {}),
            "credentialSecret": CREDENTIAL_SECRET if self.secret else None,
            "registryConfigSpec": registry_config.redacted(
                {**self.spec, **({"httpSecret": "set"} if "httpSecret" in patched else {})}
            ),
        }
        self.register_outputs({"registryConfigSpec": self.exports["registryConfigSpec"]})
