"""A progress display for runs that take more than a few seconds (fleet, bench, verify).

Drawn with rich on a terminal, and only there: piped or captured output (CI, tests, `> file`) gets
the command's own lines and nothing else, so what a script reads never changes.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import IO, TypeVar

T = TypeVar("T")


def tracked(items: Iterable[T], total: int, label: str, stream: IO[str]) -> Iterator[T]:
    """``items``, with a bar, a count and the time left on ``stream`` while they are consumed."""
    if not (hasattr(stream, "isatty") and stream.isatty()):
        yield from items
        return
    # lazy: rich only when progress is shown on a terminal
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(file=stream), transient=True) as progress:
        task = progress.add_task(label, total=total)
        for item in items:
            yield item
            progress.advance(task)


@contextmanager
def status(stream: IO[str], label: str) -> Iterator[Callable[[str], None]]:
    """A spinner with what is being done now (``update(text)``), on a terminal only; elsewhere a no-op."""
    if not (hasattr(stream, "isatty") and stream.isatty()):
        yield lambda text: None
        return
    # lazy: rich only when progress is shown on a terminal
    from rich.console import Console

    done = [0]
    with Console(file=stream).status(label) as spinner:

        def update(text: str) -> None:
            done[0] += 1
            spinner.update(f"{label} ({done[0]}): {text}")

        yield update


def wrap_width(stream: IO[str]) -> int | None:
    """Where long lines wrap: a terminal's width, or ``COLUMNS`` when set (at least 60); None when piped
    without it (each message stays on one line, for scripts and grep)."""

    try:
        stream.fileno()  # a real stream: a terminal or a pipe, not text captured in memory
    except (AttributeError, OSError, ValueError):
        return None
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit():
        return max(60, int(columns))
    if stream.isatty():
        return max(60, shutil.get_terminal_size((100, 24)).columns)
    return None
