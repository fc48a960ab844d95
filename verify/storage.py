"""The registry's access to its storage and the storage as intended, for each storage kind.

The registry's credentials come from its credential secret in the cluster (base64 values, decoded
here and never shown); the caller's come from the cloud's usual chain (profile, environment, CLI
login). A kind with nothing to probe says which view covers it.
"""

from __future__ import annotations

from typing import Any

from components.checks import ACCESS, SECRET, Check, TokenSource, failed, not_applicable, not_run, secret_values
from components.cluster.state import ClusterState, ObjectKey
from components.settings.stack import StackSettings
from components.storage.kind import StorageKind


def checks(
    settings: StackSettings, state: ClusterState, config: dict[str, Any], token: TokenSource | None = None
) -> list[Check]:
    """``config``: the stack file's own config, for provider keys the settings do not carry. ``token``: asks
    the cluster for the registry's service account token (live clusters only)."""
    kind = settings.storage.storage_kind
    values = secret_values(state.get(SECRET))
    if values and not any(values.values()):
        # A dump made as docs/cluster.md says holds the key names only: no access probe can run with them.
        probes = [c for c in _probes(kind, settings, {}, state, config, token) if c.area != ACCESS]
        why = (
            "the dump holds the credential secret's key names only (its values are blanked): run "
            "`python -m verify` against the live cluster (no --cluster) to probe the registry's own access"
        )
        return [not_applicable(ACCESS, "the registry's own access", why), *probes]
    return [*_stray_white_space(values), *_probes(kind, settings, values, state, config, token)]


def _stray_white_space(values: dict[str, str]) -> list[Check]:
    """A key the registry reads with a newline or a space around it (``echo KEY | base64`` adds one) is
    refused by every cloud, and the error is hard to read: said plainly, without the value."""
    return [
        failed(
            ACCESS,
            f"{key} as stored",
            "begins or ends with white space (a newline from `echo KEY | base64`?): the cloud refuses it",
            "write the secret again without it (`pulumi up --refresh` writes the stack's value; by hand: "
            "`printf '%s' KEY | base64`)",
        )
        for key, value in sorted(values.items())
        if value != value.strip()
    ]


def _probes(
    kind: StorageKind,
    settings: StackSettings,
    values: dict[str, str],
    state: ClusterState,
    config: dict[str, Any],
    token: TokenSource | None = None,
) -> list[Check]:
    if kind.unprobed:
        return [not_applicable(ACCESS, kind.field, kind.unprobed)]
    probe = kind.part("probe")  # imported only now: a probe imports its cloud's client, no other kind needs it
    if probe is None:
        why = f"verify does not probe {kind.field} storage yet: only the operator's view is checked"
        return [not_run(ACCESS, kind.field, why)]
    return list(probe.checks(settings, values, state, config, token))


def wanted(settings: StackSettings) -> tuple[ObjectKey, ...]:
    """Objects beyond the usual ones that the kind's probe reads from a live cluster."""
    probe = settings.storage.storage_kind.part("probe")
    extra = getattr(probe, "wanted", None)
    key = extra(settings) if extra else None
    return (key,) if key else ()
