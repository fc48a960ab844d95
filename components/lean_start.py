"""A command that runs the program offline starts without what a program run never uses.

``import pulumi`` imports the whole SDK: ``pulumi/__init__.py`` ends with ``from . import runtime,
dynamic, policy, automation``. The Automation API drives the Pulumi CLI (these machines have none)
and ``pulumi.dynamic`` serves dynamic providers (the program has none; it brings ``dill``). The
OpenTelemetry SDK the runtime imports for tracing tries ``import psutil`` for a resource detector
that only a traced run (``TRACEPARENT``) calls. And ``pulumi.runtime._instrumentation``, which
``pulumi/__init__.py`` imports only to run it (it sets up OpenTelemetry tracing when ``TRACEPARENT`` is set,
else does nothing), imports the OpenTelemetry SDK's tracer, metrics and propagators on the way, about
10 ms: it is deferred unless ``TRACEPARENT`` is set. So are gRPC's asyncio API and ``packaging.version``,
which only the SDK's callback server reads. Together they cost about 45 ms, a fifth of a preview.
They are loaded lazily (the standard library's ``importlib.util.LazyLoader``): the name is bound at
once and the module runs in full the first time anything reads from it, so code that does use one
gets it whole, as before.

Pydantic looks up every installed distribution's entry points for plugins when it builds a model's
validator; the settings use none, so ``PYDANTIC_DISABLE_PLUGINS`` is set unless the user set it.

Only the offline commands do this (``offline.__main__.run``, and each of the fleet's spawned workers:
``fleet/parallel.py``), before anything imports Pulumi; ``__main__.py`` under the Pulumi CLI imports the
SDK as usual.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from importlib.machinery import ModuleSpec

# Whole modules a program run under the mock engine never reads from (``tests/invariants`` checks that
# a preview leaves each unloaded, and that each still works when read).
# grpc.aio and packaging.version: imported by name by the SDK's callback server (``pulumi.runtime._callbacks``,
# and grpc's own __init__), read only when a program registers callbacks (transforms, hooks), which this one
# does not; about 4 ms.
LAZY_MODULES = frozenset({"pulumi.automation", "pulumi.dynamic", "psutil", "grpc.aio", "packaging.version"})
# Deferred only in a run nobody traces (it runs for its side effect, which needs TRACEPARENT).
UNTRACED_LAZY_MODULES = frozenset({"pulumi.runtime._instrumentation"})


def lazy_modules() -> frozenset[str]:
    return LAZY_MODULES if os.environ.get("TRACEPARENT") else LAZY_MODULES | UNTRACED_LAZY_MODULES


class _LazyFinder:
    """Finds ``lazy_modules()`` as the other finders do, then defers running them. (A meta path finder by
    protocol: subclassing ``importlib.abc.MetaPathFinder`` would import ``importlib.abc`` before anything.)"""

    def __init__(self) -> None:
        self.modules = lazy_modules()

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if fullname not in self.modules:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                if spec.loader is not None and hasattr(spec.loader, "exec_module"):
                    spec.loader = importlib.util.LazyLoader(spec.loader)
                return spec
        return None


def lean_start() -> bool:
    """Install the lazy finder and switch off pydantic's plugin lookup; False if it comes too late
    (the SDK is already imported, so nothing is saved)."""
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    if not any(isinstance(finder, _LazyFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _LazyFinder())
    return "pulumi" not in sys.modules
