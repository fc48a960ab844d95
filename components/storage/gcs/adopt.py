"""Adopting GCS storage: the bucket is imported or referenced."""

from __future__ import annotations

from typing import Any

from components.adoption import Context, referenced_or_imported


def storage(block: dict[str, Any], context: Context) -> dict[str, Any]:
    return referenced_or_imported(block, context, "bucket", block["bucket"])
