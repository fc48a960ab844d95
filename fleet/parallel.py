"""Every cluster's preview summary, on every core where a fleet is large.

In a module of its own, not ``fleet/__main__.py``: spawned workers import the functions they run by
module name, and ``__main__`` is not importable under that name.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import IO, TYPE_CHECKING, Any

from components.lean_start import lean_start
from fleet.model import Fleet
from offline.progress import tracked

if TYPE_CHECKING:
    from fleet.stacks import Summary

# A fleet this large is previewed on every core: below, starting the workers costs more than it saves.
PARALLEL_FROM = 64
_FLEET: Fleet | None = None
_preview: Callable[[Fleet, Any], Summary] | None = None


def summaries(fleet: Fleet, stderr: IO[str], label: str) -> Iterator[Summary]:
    """In the fleet's order; each worker evaluates one cluster after another, so memory stays flat."""
    clusters = fleet.clusters
    workers = min(os.cpu_count() or 1, 4)
    if len(clusters) < PARALLEL_FROM or workers < 2:
        # lazy: the SDK, in this process, only for a fleet previewed here
        from fleet.stacks import preview as preview_cluster

        yield from tracked((preview_cluster(fleet, c) for c in clusters), len(clusters), label, stderr)
        return
    # Spawned, not forked: a process that evaluated a stack before holds the mock engine's threads, and a
    # fork copies their locks as held (the workers would hang); each worker starts clean instead.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_worker, initargs=(fleet,)) as pool:
        chunk = max(1, min(64, len(clusters) // (workers * 8)))
        yield from tracked(pool.map(_summary, range(len(clusters)), chunksize=chunk), len(clusters), label, stderr)


def _worker(fleet: Fleet) -> None:
    global _FLEET, _preview
    _FLEET = fleet
    # A spawned worker starts lean as the command did (components/lean_start.py), then imports the SDK.
    lean_start()
    # lazy: after lean_start, which must come before the SDK
    from fleet.stacks import preview

    _preview = preview
    # What the worker imported and was handed lives as long as it does: kept out of the collector's
    # full passes, which then walk only what a cluster's evaluation leaves (about 5% of a cluster's time).
    gc.freeze()


def _summary(index: int) -> Summary:
    assert _FLEET is not None and _preview is not None
    return _preview(_FLEET, _FLEET.clusters[index])
