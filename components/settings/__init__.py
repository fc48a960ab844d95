"""Settings: read and validate stack config (pure Python, no Pulumi resources)."""

from components.settings.loader import LoadedSettings, load_settings
from components.settings.stack import StackSettings

__all__ = ["LoadedSettings", "StackSettings", "load_settings"]
