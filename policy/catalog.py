"""Every policy of the pack: its name, what it guards, its checks, and whether it reads ``production``.

One table for both ways the checks run: ``__main__.py`` builds the ``PolicyPack`` the Pulumi CLI
talks to from it, and ``offline.py`` runs the same checks over an offline plan.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

try:  # as the Pulumi CLI runs the pack, policy/ is the top of the path
    import checks
except ModuleNotFoundError:  # imported from the project (python -m offline --policy, the tests)
    from policy import checks


@dataclass(frozen=True)
class Policy:
    name: str
    description: str
    kind: Literal["resource", "stack"]
    checks: tuple[Callable[..., None], ...]
    reads_production: bool = False
    """Its config is ``{"production": bool}`` (default true); false for a test stack."""


POLICIES = (
    Policy(
        "no-public-access",
        "Registry buckets, accounts and containers are never public.",
        "resource",
        (checks.s3_public_access_block, checks.gcs_private, checks.azure_private, checks.swift_private),
    ),
    Policy(
        "s3-public-access-blocked",
        "Every S3 bucket has a public access block with all four switches on.",
        "stack",
        (checks.s3_bucket_public_access_blocked,),
    ),
    Policy("s3-encrypted", "Every S3 bucket has default encryption.", "stack", (checks.s3_bucket_encrypted,)),
    Policy("s3-tls-only", "Every S3 bucket denies requests without TLS.", "stack", (checks.s3_bucket_tls_only,)),
    Policy(
        "azure-tls-and-encryption",
        "Storage accounts take HTTPS and TLS 1.2 only, with infrastructure encryption.",
        "resource",
        (checks.azure_tls_and_encryption,),
    ),
    Policy(
        "s3-multipart-cleanup",
        "Every S3 bucket aborts incomplete multipart uploads (interrupted pushes).",
        "stack",
        (checks.s3_bucket_multipart_cleanup,),
    ),
    Policy(
        "gcs-multipart-cleanup",
        "Every GCS bucket aborts incomplete multipart uploads.",
        "resource",
        (checks.gcs_multipart_cleanup,),
    ),
    Policy(
        "registry-storage-protected",
        "Image storage is never force-destroyed and is protected in production stacks.",
        "resource",
        (checks.storage_protected,),
        reads_production=True,
    ),
    Policy(
        "no-long-lived-registry-keys",
        "A cluster that issues service account tokens gets no long-lived registry keys.",
        "stack",
        (checks.no_long_lived_registry_keys,),
    ),
    Policy(
        "no-empty-dir-in-production",
        "The registry never runs on emptyDir in a production stack.",
        "resource",
        (checks.no_empty_dir_in_production,),
        reads_production=True,
    ),
)
