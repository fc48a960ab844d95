"""The program: settings in, resources out. ``__main__.py`` only calls ``main``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pulumi

from components.cluster import observe
from components.cluster.readers import ClusterReadError
from components.cluster.rules import with_cluster_facts
from components.cluster.state import ClusterState
from components.command_kit import cluster_problems
from components.errors import Finding, SettingsError
from components.pulumi_internals import all_config
from components.resources import cluster_integration
from components.resources.registry import Registry
from components.settings.loader import LoadedSettings, load_settings


def read_settings() -> LoadedSettings:
    """The stack's settings from the config the engine passed (or the mocks set)."""

    config, secret_keys = all_config()
    return load_settings(config, secret_keys, project=pulumi.get_project(), stack=pulumi.get_stack())


def read_cluster(loaded: LoadedSettings) -> ClusterState:
    """The cluster as it is, read once before anything is registered, and checked against the stack.

    Raises SettingsError for what the cluster forbids (components/cluster/rules.py), and for a
    cluster that cannot be read as asked.
    """

    # The provider's own kubeconfig and context, as the engine passed them (a kubeconfig is often a
    # secret: read here, never exported, never logged).
    config, _ = all_config()
    kubeconfig, context = config.get("kubernetes:kubeconfig"), config.get("kubernetes:context")
    try:
        state = observe(loaded.settings.cluster.read, kubeconfig, context)
    except ClusterReadError as exc:
        raise SettingsError([Finding("cluster.read", str(exc))]) from None

    problems = cluster_problems(loaded.settings, state)
    if problems:
        raise SettingsError(problems)
    return state


def with_cluster(loaded: LoadedSettings, state: ClusterState) -> LoadedSettings:
    """The settings with the cluster's issuer and version where the stack gives none."""

    return LoadedSettings(with_cluster_facts(loaded.settings, state), loaded.warnings)


def build(loaded: LoadedSettings, cluster: ClusterState | None = None) -> Mapping[str, Any]:
    """Register every resource for valid settings and return the stack outputs."""

    for warning in loaded.warnings:
        pulumi.log.warn(str(warning))
    if cluster is not None and not cluster.read:
        pulumi.log.info(f"the cluster was not read: this preview assumes {cluster.source}")
    if (
        cluster is not None
        and not cluster.read
        and loaded.settings.storage.storage_kind.mode(loaded.settings.storage.selected.credential_mode).secret
        == "installer-cloud-credentials"
    ):
        pulumi.log.warn(
            "keyless credentials: the cluster was not read, so this assumes its cloud-credential operator is in "
            "Manual mode and installer-cloud-credentials exists (it is patched)"
        )
    registry = Registry("registry", stack=loaded.settings, cluster=cluster)
    if cluster_integration.needed(loaded.settings):
        cluster_integration.ClusterIntegration("cluster", stack=loaded.settings, cluster=cluster)
    return {key: value for key, value in registry.exports.items() if value is not None}


def main() -> None:
    try:
        loaded = read_settings()
        cluster = read_cluster(loaded)
    except SettingsError as exc:
        for problem in exc.problems:
            pulumi.log.error(str(problem))
        raise pulumi.RunError(str(exc)) from None
    for key, value in build(with_cluster(loaded, cluster), cluster).items():
        pulumi.export(key, value)
