"""Every command's exit codes, in one place (the ground floor: a command reads them before anything else)."""

from __future__ import annotations

EXIT_OK = 0
EXIT_FAILED = 1
"""What the command checks does not hold (verify: a check failed or could not run)."""
EXIT_INVALID = 2
"""Bad input of any kind (a stack file, settings, a dump, a fleet file), named before anything is done."""
EXIT_SCHEMA_VIOLATION = 3
"""A rendered object violates its schema (offline)."""
EXIT_POLICY_VIOLATION = 4
"""A policy of the pack is violated (offline --policy, python -m policy)."""
