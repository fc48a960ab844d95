"""Every private name of the Pulumi Python SDK this project relies on, and why; nowhere else.

The lock files pin the SDK these were read from; ``tests/invariants/test_pulumi_internals.py`` fails with
a message naming the internal when an upgrade moves one. Each entry says what would replace it
if upstream offered it.

- Every config key the engine passed (``all_config``): the public ``pulumi.Config`` answers for
  one key at a time, and "unknown keys are errors" needs them all, under every namespace.
  Replace with a public "all config" call when the SDK has one.
- Running a program in-process under the mocks (``run_program``, ``sync_await``,
  ``fresh_stack``, ``clear_pending``, ``root_outputs``): ``pulumi.runtime.test`` runs one function, not a program
  file, and keeps the stack of the last run. The Automation API needs the CLI, which these
  machines cannot install. Replace with a public in-process runner with mocks.
- ``ensure_event_loop``: the mock monitor is called from threads without an event loop.
- ``rpcs_inline``: the SDK hands every monitor call to a thread (``run_in_executor``), as a gRPC call
  to the engine must not block the event loop. The mock monitor answers at once, in process, so the
  hand-off to a thread and back is all a call costs: about a quarter of a fleet preview's time. Under
  the mocks only, the calls run in the loop's thread; the SDK's ``_sync_await`` inside the mock monitor
  then pumps the running loop, as it is written to, and so inline calls nest: past ``MAX_NESTED_CALLS``
  the next goes to a thread, which bounds the depth whatever the program's size. Replace with a public
  switch.
- ``without_source_positions``: under the mocks nothing reads where in the program a resource was
  registered, yet the SDK walks and formats the whole Python stack for every registration
  (``_get_stack_trace``): a sixth of a fleet preview's time. Replace with a public switch.
- Not a private name but the SDK's layout: ``components/lean_start.py`` defers the packages
  ``pulumi/__init__.py`` imports and a program run never reads (``pulumi.automation``, ``pulumi.dynamic``).
  If the SDK moves them, nothing breaks: they are loaded in full as soon as read, and
  ``tests/invariants/test_lean_start.py`` says the saving is gone. Replace with a lazily importing SDK.
- How a typed SDK class describes its inputs and outputs (``input_wire_names`` and the rest, from
  ``pulumi._types``): the tests' contract with the pinned provider SDKs reads them, since the program
  registers by type token. Replace with the provider's schema (which needs the CLI and the plugin).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import pulumi
from pulumi import _types
from pulumi.runtime import config as _config
from pulumi.runtime import mocks as _mocks
from pulumi.runtime import resource as _resource
from pulumi.runtime import settings as _settings
from pulumi.runtime import stack as _stack
from pulumi.runtime import sync_await as _sync_await_module
from pulumi.runtime.proto import source_pb2

# (module, name) of every private name used below: the test checks each one exists.
USED = (
    (_config, "CONFIG"),
    (_config, "get_config_env"),
    (_config, "get_config_secret_keys_env"),
    (_config, "is_config_secret"),
    (_mocks, "_ensure_event_loop"),
    (_resource, "_get_stack_trace"),
    (_settings, "ROOT"),
    (_settings, "SETTINGS"),
    (_settings, "get_root_resource"),
    (_stack, "run_pulumi_func"),
    (_sync_await_module, "_sync_await"),
)


def all_config() -> tuple[dict[str, Any], set[str]]:
    """Every ``namespace:key`` the engine passed, and which of them are secret."""
    config: dict[str, Any] = dict(_config.get_config_env())
    config.update(_config.CONFIG.get())
    secret = set(_config.get_config_secret_keys_env()) | {key for key in config if _config.is_config_secret(key)}
    return config, secret


def sync_await(awaitable: Any) -> Any:
    return _sync_await_module._sync_await(awaitable)


def run_program(function: Callable[[], Any]) -> None:
    """Run a program the way the language host does, waiting for every registration."""
    result: Coroutine[Any, Any, Any] = _stack.run_pulumi_func(function)
    sync_await(result)


def fresh_stack() -> None:
    """Forget the last evaluation's stack (before ``set_mocks``, which makes the next one)."""
    _settings.ROOT.set(None)


def clear_pending() -> None:
    """Forget the last evaluation's pending RPCs and outputs (after ``set_mocks``)."""
    _settings.SETTINGS.rpc_manager.clear()
    _settings.SETTINGS.outputs.clear()


def root_outputs() -> dict[str, Any]:
    return dict(getattr(_settings.get_root_resource(), "outputs", {}))


def ensure_event_loop() -> None:
    _mocks._ensure_event_loop()


# A mock call may pump the event loop (the SDK's ``_sync_await``), which may run the next call inside it:
# beyond this many calls within one another, the next goes to a thread, as the SDK sends it, so a program
# of any size stays well within the interpreter's recursion limit (about a dozen frames a level).
MAX_NESTED_CALLS = 16


class _InlineExecutor(ThreadPoolExecutor):
    """Runs what it is given at once, in the caller's thread, but for calls nested too deep (a thread's)."""

    def __init__(self) -> None:
        super().__init__(max_workers=4, thread_name_prefix="pulumi-mock-call")
        self._nested = 0

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        if self._nested >= MAX_NESTED_CALLS:
            return super().submit(fn, *args, **kwargs)
        done: Future[Any] = Future()
        self._nested += 1
        try:
            done.set_result(fn(*args, **kwargs))
        except BaseException as error:
            done.set_exception(error)
        finally:
            self._nested -= 1
        return done


_INLINE: _InlineExecutor | None = None


def rpcs_inline() -> None:
    """Monitor calls run in the event loop's thread (for evaluations under the mocks only)."""
    global _INLINE
    _INLINE = _INLINE or _InlineExecutor()
    _mocks._ensure_event_loop().set_default_executor(_INLINE)


def sdk_version() -> str:
    return str(getattr(pulumi, "__version__", os.environ.get("PULUMI_SDK_VERSION", "unknown")))


@contextmanager
def without_source_positions() -> Iterator[None]:
    """Registrations carry no source position (an empty stack trace, as the SDK sends when it finds
    none) while the block runs: for evaluations under the mocks only, never under the engine."""

    original = _resource._get_stack_trace
    _resource._get_stack_trace = source_pb2.StackTrace  # type: ignore[assignment]
    try:
        yield
    finally:
        _resource._get_stack_trace = original  # type: ignore[assignment]


def input_wire_names(args: type) -> dict[str, str]:
    """An input type's Python names -> wire names."""
    return dict(_types.input_type_py_to_pulumi_names(args))


def input_wire_types(args: type) -> dict[str, Any]:
    """An input type's wire names -> their type hints, resolved."""
    return dict(_types.input_type_types(args))


def required_inputs(args: type) -> frozenset[str]:
    """The inputs an input type requires (its non-optional properties), by name."""
    return frozenset(_types._required_property_names(args))


def is_input_type(cls: type) -> bool:
    return bool(_types.is_input_type(cls))


def resource_output_names(resource: type) -> set[str]:
    """A resource class's output properties, by wire name."""
    return set(_types.resource_py_to_pulumi_names(resource).values())


def result_names(result: type) -> frozenset[str]:
    """An invoke result type's properties, by wire name."""
    return frozenset(_types.output_type_types(result))
