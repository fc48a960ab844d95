"""Adopting emptyDir: nothing to take over, and a registry on it is nonproduction."""

from __future__ import annotations

from typing import Any

from components.adoption import Context

ENVIRONMENT = "nonproduction"
ENVIRONMENT_NOTE = "environment: nonproduction, since the registry runs on emptyDir (images are lost on restart)"
CHOSE = "emptyDir has no storage to take over"


def storage(block: dict[str, Any], context: Context) -> dict[str, Any]:
    return {}
