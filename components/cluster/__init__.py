"""The cluster as the program finds it: read once, before anything is registered.

Under ``pulumi preview``/``up`` the live cluster is read (``readers.kubernetes_getter``) unless
the stack says ``cluster.read: false``; the offline preview and the tests hand the program a
state of their own (a dump, or a new cluster) with ``given``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from components.cluster.readers import kubernetes_getter, read_live
from components.cluster.state import ClusterState

_given: ClusterState | None = None


@contextmanager
def given(state: ClusterState) -> Iterator[ClusterState]:
    """Evaluate the program against ``state`` instead of reading a cluster (offline, tests)."""
    global _given
    previous, _given = _given, state
    try:
        yield state
    finally:
        _given = previous


def observe(read: bool, kubeconfig: str | None = None, context: str | None = None) -> ClusterState:
    """The state handed in with ``given``, else the live cluster, else (``read`` false) a new one."""
    if _given is not None:
        return _given
    if not read:
        return ClusterState(source="a new cluster (cluster.read is false: nothing was read)")

    return read_live(kubernetes_getter(kubeconfig, context))
