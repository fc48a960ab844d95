"""The program: settings in, resources out. ``__main__.py`` only calls ``main``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pulumi

from components.errors import SettingsError
from components.settings import LoadedSettings, load_settings


def read_settings() -> LoadedSettings:
    """The stack's settings from the config the engine passed (or the mocks set)."""
    from components.pulumi_internals import all_config

    config, secret_keys = all_config()
    return load_settings(config, secret_keys, project=pulumi.get_project(), stack=pulumi.get_stack())


def build(loaded: LoadedSettings) -> Mapping[str, Any]:
    """Register every resource for valid settings and return the stack outputs."""
    from components.resources import cluster_integration
    from components.resources.registry import Registry

    for warning in loaded.warnings:
        pulumi.log.warn(str(warning))
    registry = Registry("registry", stack=loaded.settings)
    if cluster_integration.needed(loaded.settings):
        cluster_integration.ClusterIntegration("cluster", stack=loaded.settings)
    return {key: value for key, value in registry.exports.items() if value is not None}


def main() -> None:
    try:
        loaded = read_settings()
    except SettingsError as exc:
        for problem in exc.problems:
            pulumi.log.error(str(problem))
        raise pulumi.RunError(str(exc)) from None
    for key, value in build(loaded).items():
        pulumi.export(key, value)
