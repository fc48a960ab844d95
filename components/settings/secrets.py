"""Secret stack config keys: values that must never appear in plain text anywhere.

They are top-level keys because Pulumi marks secrecy per key; the loader refuses any of them
that was not set with ``pulumi config set --secret``.
"""

from __future__ import annotations

from pydantic import Field, SecretStr

from components.settings.model import Model

SECRET_DESCRIPTIONS = {
    "s3AccessKey": "access key id for S3 / S3-compatible storage (storage.s3.credentials: secretConfig)",
    "s3SecretKey": "secret access key for S3 / S3-compatible storage (storage.s3.credentials: secretConfig)",
    "gcsKeyFile": "a GCP service-account key file (JSON) for GCS storage",
    "httpSecret": "the registry's httpSecret: secures uploads across replicas (the operator generates one if unset)",
    "routeTls": "per custom route: {<route name>: {certificate, key}} in PEM, for the route's TLS secret",
    "swiftUsername": "an OpenStack user for Swift (storage.swift.credentials: password)",
    "swiftPassword": "that user's password",
    "swiftApplicationCredentialId": "an OpenStack application credential's id (storage.swift)",
    "swiftApplicationCredentialName": "its name",
    "swiftApplicationCredentialSecret": "its secret",
    "ibmcosApiKey": "an IBM Cloud IAM API key for storage.ibmcos",
    "s3CloudFrontPrivateKey": "the CloudFront key pair's private key (PEM) for storage.s3.cloudFront",
}
# Secret keys whose value is an object (set with `pulumi config set --secret --path`), not text.
OBJECT_SECRET_KEYS = ("routeTls",)
SECRET_KEYS = tuple(SECRET_DESCRIPTIONS)


class RouteTlsSettings(Model):
    """A custom route's serving certificate (with its chain) and private key, PEM."""

    certificate: SecretStr
    key: SecretStr


class SecretSettings(Model):
    s3_access_key: SecretStr | None = None
    s3_secret_key: SecretStr | None = None
    gcs_key_file: SecretStr | None = None
    http_secret: SecretStr | None = None
    route_tls: dict[str, RouteTlsSettings] = Field(default_factory=dict)
    swift_username: SecretStr | None = None
    swift_password: SecretStr | None = None
    swift_application_credential_id: SecretStr | None = None
    swift_application_credential_name: SecretStr | None = None
    swift_application_credential_secret: SecretStr | None = None
    ibmcos_api_key: SecretStr | None = None
    s3_cloud_front_private_key: SecretStr | None = None

    def __getattr__(self, name: str) -> object:
        # Rules name secrets by their config key (``s3AccessKey``); map to the field.
        for field, info in type(self).model_fields.items():
            if info.alias == name:
                return getattr(self, field)
        raise AttributeError(name)
