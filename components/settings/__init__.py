"""Settings: read and validate stack config (pure Python, no Pulumi resources).

Names are resolved on first use, so that importing one settings model (as the storage-kind
table does) does not import the whole loader, which itself reads that table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from components.settings.loader import LoadedSettings, load_settings
    from components.settings.stack import StackSettings

__all__ = ["LoadedSettings", "StackSettings", "load_settings"]


def __getattr__(name: str) -> Any:
    if name in ("LoadedSettings", "load_settings"):
        from components.settings import loader

        return getattr(loader, name)
    if name == "StackSettings":
        from components.settings.stack import StackSettings

        return StackSettings
    raise AttributeError(name)
