"""What ``python -m adopt`` builds and what each kind's ``adopt.py`` adds to it: the floor they share.

A kind's ``adopt.py`` (in its folder) turns its storage block, as the cluster shows it, into the
stack's; ``adopt/translate.py`` does what every kind shares and calls it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from components.cluster.state import ClusterState

Mode = Literal["reference", "import"]


class AdoptionError(Exception):
    """The dump cannot be adopted as asked; the message says why and what to do."""


@dataclass
class Adoption:
    config: dict[str, Any] = field(default_factory=dict)
    """``namespace:key`` -> value, as a stack file's ``config:`` holds them."""
    notes: list[str] = field(default_factory=list)
    """What was not carried over, and why: written as comments."""
    remarks: list[str] = field(default_factory=list)
    """What was carried over, with what to know about it: written as comments too."""
    asks: list[str] = field(default_factory=list)
    """Commands that set what a dump cannot show (printed among the next steps, before the review)."""
    commands: list[str] = field(default_factory=list)
    """``pulumi config set --secret`` commands that copy secret values from the cluster."""
    secrets: list[str] = field(default_factory=list)
    """The secret config keys the commands set (for checking the stack before they run)."""
    chose: str = ""


@dataclass
class Context:
    """What a kind's adopt hooks read and add to: the cluster, the mode asked for, what the user gave."""

    state: ClusterState
    mode: Mode
    imports: dict[str, str]
    result: Adoption
    resource_group: str | None = None
    subscription: str | None = None
    location: str | None = None


def referenced_or_imported(block: dict[str, Any], context: Context, name: str, import_id: str) -> dict[str, Any]:
    """``reference``: the storage is named and left as it is (``adopt: true``); ``import``: imported as ``name``."""
    if context.mode == "reference":
        block["adopt"] = True
    else:
        context.imports[name] = import_id
    return block
