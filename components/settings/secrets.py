"""Secret stack config keys: values that must never appear in plain text anywhere.

They are top-level keys because Pulumi marks secrecy per key; the loader refuses any of them
that was not set with ``pulumi config set --secret``.
"""

from __future__ import annotations

from pydantic import Field, SecretStr, create_model

from components.settings.model import Model
from components.storage.kinds import KINDS

# The program's own secrets, then each storage kind's (its row's ``secret_config``).
SECRET_DESCRIPTIONS = {
    "httpSecret": "the registry's httpSecret: secures uploads across replicas (the operator generates one if unset)",
    "routeTls": "per custom route: {<route name>: {certificate, key}} in PEM, for the route's TLS secret",
    **{key: text for kind in KINDS for key, text in kind.secret_config.items()},
}
# Secret keys whose value is an object (set with `pulumi config set --secret --path`), not text.
OBJECT_SECRET_KEYS = ("routeTls",)
SECRET_KEYS = tuple(SECRET_DESCRIPTIONS)


class RouteTlsSettings(Model):
    """A custom route's serving certificate (with its chain) and private key, PEM."""

    certificate: SecretStr
    key: SecretStr


def _python_name(key: str) -> str:
    """``s3AccessKey`` -> ``s3_access_key`` (pydantic's ``to_snake`` would split the digit: ``s_3``)."""
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in key)


class _Secrets(Model):
    http_secret: SecretStr | None = None
    route_tls: dict[str, RouteTlsSettings] = Field(default_factory=dict)

    def __getattr__(self, name: str) -> object:
        # Rules name secrets by their config key (``s3AccessKey``); map to the field.
        for field, info in type(self).model_fields.items():
            if info.alias == name:
                return getattr(self, field)
        raise AttributeError(name)


SecretSettings = create_model(  # type: ignore[call-overload]
    "SecretSettings",
    __base__=_Secrets,
    __doc__="The secret config values (each kind's from its row), never shown.",
    **{
        _python_name(key): (SecretStr | None, Field(default=None, alias=key))
        for kind in KINDS
        for key in kind.secret_config
    },
)
