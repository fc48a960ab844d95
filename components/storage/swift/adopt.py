"""Adopting Swift storage: the container is imported or referenced, and which of two modes the secret holds."""

from __future__ import annotations

from typing import Any

from components.adoption import Context, referenced_or_imported
from components.storage.swift.row import ROW


def storage(block: dict[str, Any], context: Context) -> dict[str, Any]:
    # A container's import id is its name (the pinned pulumi-openstack's objectstorage/container.py).
    return referenced_or_imported(block, context, "container", block["container"])


def credential_keys(keys: list[str], block: dict[str, Any], context: Context) -> list[str]:
    """Which of Swift's two modes the secret holds, and the keys of that mode. 4.10-4.14 need all five keys
    present (the unused ones empty), and a dump shows names only: a tenant in the Config means the password
    (Keystone refuses a project scope with an application credential)."""
    application, password = ROW.mode("applicationCredential"), ROW.mode("password")
    has_application = set(application.keys) <= set(keys)
    has_password = set(password.keys) <= set(keys)
    chosen = (
        application
        if has_application and not (has_password and (block.get("tenant") or block.get("tenantID")))
        else password
    )
    if not (has_application or has_password):
        return keys
    block["credentials"] = chosen.name
    result = context.result
    if has_application and has_password:
        result.remarks.append(
            f"storage.swift.credentials: {chosen.name}: the secret holds both modes' keys (as 4.10-4.14 require) "
            "and a dump shows their names only; change it if the registry uses the other"
        )
    if chosen is application:
        for name in ("tenant", "tenantID"):
            if block.pop(name, None) is not None:
                result.notes.append(
                    f"storage.swift.{name} not carried over: Keystone refuses a project scope with an application "
                    "credential (remove it from the Config too: the preview prints how)"
                )
    return [key for key in keys if key in chosen.keys]
