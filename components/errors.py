"""Errors and findings that name the stack config key they are about.

A platform engineer fixes a stack file, not a Python module: every message starts with the
fully qualified config key (``openshift-registry:storage.s3.region``) so it can be found at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from components.formats import redact_url
from components.names import NAMESPACE


@dataclass(frozen=True, order=True)
class Finding:
    """One problem (``error``) or piece of advice (``warning``) about one config key."""

    key: str
    message: str
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        # Messages quote values read from a cluster too, where no stack-file rule refused credentials in a
        # URL: whatever a message quotes, those never show.
        return f"{qualified(self.key)}: {redact_url(self.message)}"


def qualified(key: str) -> str:
    """``storage.s3.bucket`` -> ``openshift-registry:storage.s3.bucket``; keys with a namespace of their
    own (``aws:region``, a misspelt ``openshfit-registry:registry``) and ``(stack name)`` stay as they are."""
    head = key.split(".", 1)[0].split("[", 1)[0]
    return key if ":" in head or key.startswith("(") else f"{NAMESPACE}:{key}"


class SettingsError(Exception):
    """The stack config is invalid; carries every problem found, not just the first."""

    def __init__(self, problems: list[Finding]) -> None:
        # Sorted by key, but a misspelt key first: what follows from it is read in its light.
        self.problems = sorted(set(problems), key=lambda p: (not p.message.startswith("unknown key"), p))
        count = len(self.problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"the stack config has {count} problem{'s' if count != 1 else ''}:\n{lines}")
