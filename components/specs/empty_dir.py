"""``storage.emptyDir``: nothing to create; the pod's own directory, for nonproduction stacks."""

from __future__ import annotations

from typing import Any

from components.settings.stack import StackSettings


def cr_storage(stack: StackSettings) -> dict[str, Any]:
    return {}


def default_replicas(stack: StackSettings) -> int:
    """Each pod would hold its own images: one replica only."""
    return 1
