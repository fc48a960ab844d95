"""The policy pack: ``pulumi preview --policy-pack policy`` against this program or any other.

Constructing ``PolicyPack`` starts the analyzer server the Pulumi CLI talks to, so this file
only wires the checks of ``checks.py`` (which the tests call directly) into policies.
"""

from __future__ import annotations

from checks import (
    PRODUCTION_SCHEMA,
    azure_private,
    azure_tls_and_encryption,
    gcs_multipart_cleanup,
    gcs_private,
    no_empty_dir_in_production,
    s3_bucket_encrypted,
    s3_bucket_multipart_cleanup,
    s3_bucket_public_access_blocked,
    s3_bucket_tls_only,
    s3_public_access_block,
    storage_protected,
)
from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    PolicyPack,
    ResourceValidationPolicy,
    StackValidationPolicy,
)

MANDATORY = EnforcementLevel.MANDATORY
PRODUCTION = PolicyConfigSchema(properties=PRODUCTION_SCHEMA)

PolicyPack(
    name="openshift-registry-storage",
    enforcement_level=MANDATORY,
    policies=[
        ResourceValidationPolicy(
            name="no-public-access",
            description="Registry buckets, accounts and containers are never public.",
            validate=[s3_public_access_block, gcs_private, azure_private],
        ),
        StackValidationPolicy(
            name="s3-public-access-blocked",
            description="Every S3 bucket has a public access block with all four switches on.",
            validate=s3_bucket_public_access_blocked,
        ),
        StackValidationPolicy(
            name="s3-encrypted",
            description="Every S3 bucket has default encryption.",
            validate=s3_bucket_encrypted,
        ),
        StackValidationPolicy(
            name="s3-tls-only",
            description="Every S3 bucket denies requests without TLS.",
            validate=s3_bucket_tls_only,
        ),
        ResourceValidationPolicy(
            name="azure-tls-and-encryption",
            description="Storage accounts take HTTPS and TLS 1.2 only, with infrastructure encryption.",
            validate=azure_tls_and_encryption,
        ),
        StackValidationPolicy(
            name="s3-multipart-cleanup",
            description="Every S3 bucket aborts incomplete multipart uploads (interrupted pushes).",
            validate=s3_bucket_multipart_cleanup,
        ),
        ResourceValidationPolicy(
            name="gcs-multipart-cleanup",
            description="Every GCS bucket aborts incomplete multipart uploads.",
            validate=gcs_multipart_cleanup,
        ),
        ResourceValidationPolicy(
            name="registry-storage-protected",
            description="Image storage is never force-destroyed and is protected in production stacks.",
            validate=storage_protected,
            config_schema=PRODUCTION,
        ),
        ResourceValidationPolicy(
            name="no-empty-dir-in-production",
            description="The registry never runs on emptyDir in a production stack.",
            validate=no_empty_dir_in_production,
            config_schema=PRODUCTION,
        ),
    ],
)
