"""Every policy of the pack: its name, what it guards, and whether it reads ``production``; its checks are
the ones in ``checks.py`` that name it (``@guards``).

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
    reads_production: bool = False
    """Its config is ``{"production": bool}`` (default true); false for a test stack."""

    @property
    def checks(self) -> tuple[Callable[..., None], ...]:
        """The checks that say they guard it (``@guards`` in checks.py)."""
        return tuple(checks.GUARDED.get(self.name, ()))


POLICIES = (
    Policy(
        "no-public-access",
        "Registry buckets, accounts and containers are never public.",
        "resource",
    ),
    Policy(
        "s3-public-access-blocked",
        "Every S3 bucket has a public access block with all four switches on.",
        "stack",
    ),
    Policy("s3-encrypted", "Every S3 bucket has default encryption.", "stack"),
    Policy("s3-tls-only", "Every S3 bucket denies requests without TLS.", "stack"),
    Policy(
        "azure-tls-and-encryption",
        "Storage accounts take HTTPS and TLS 1.2 only, with infrastructure encryption.",
        "resource",
    ),
    Policy(
        "s3-multipart-cleanup",
        "Every S3 bucket aborts incomplete multipart uploads (interrupted pushes).",
        "stack",
    ),
    Policy(
        "gcs-multipart-cleanup",
        "Every GCS bucket aborts incomplete multipart uploads.",
        "resource",
    ),
    Policy(
        "registry-storage-protected",
        "Image storage is never force-destroyed and is protected in production stacks.",
        "resource",
        reads_production=True,
    ),
    Policy(
        "no-long-lived-registry-keys",
        "A cluster that issues service account tokens gets no long-lived registry keys.",
        "stack",
    ),
    Policy(
        "no-empty-dir-in-production",
        "The registry never runs on emptyDir in a production stack.",
        "resource",
        reads_production=True,
    ),
)
