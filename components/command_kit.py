"""What every command does the same way: read a stack file, check its settings against the cluster, say what
is wrong, and exit with the same codes. ``__main__.py`` (the program), ``offline``, ``policy`` (through
``offline``), ``fleet``, ``adopt`` and ``verify`` call it, so a problem reads alike whichever found it.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import IO

from components.cluster.rules import cluster_findings
from components.cluster.state import ClusterState
from components.errors import Finding, SettingsError
from components.exits import EXIT_INVALID
from components.importing import import_findings
from components.settings.loader import LoadedSettings, load_settings
from components.settings.stack import StackSettings
from components.stack_config import StackConfig, StackFileError, load_stack_file, missing_stack, stack_path


class CommandError(Exception):
    """Input a command refuses: the lines that say what is wrong (printed as they are; exit 2)."""

    def __init__(self, lines: Iterable[str]) -> None:
        self.lines = list(lines)
        super().__init__("\n".join(self.lines))


def stack_file(stack: str | None, config_file: Path | None) -> Path:
    """``--stack NAME`` or ``--config-file PATH``: the file, which must exist (else the nearest stack's name)."""
    path = config_file or stack_path(str(stack))
    if not path.is_file():
        raise CommandError([f"error: {missing_stack(path)}"])
    return path


def read_stack(path: Path) -> StackConfig:
    """The stack file as the CLI would read it; every problem with its file and line."""
    try:
        return load_stack_file(path)
    except StackFileError as error:
        raise CommandError(
            [f"error: the stack file has {len(error.problems)} problem(s):"]
            + [f"  {problem.located(path)}" for problem in error.problems]
        ) from None
    except (ValueError, OSError) as error:
        raise CommandError([f"error: {path}: {error}"]) from None


def cluster_problems(settings: StackSettings, state: ClusterState) -> list[Finding]:
    """What the cluster as it is forbids for these settings: its rules, and the objects to import."""
    return cluster_findings(settings, state) + import_findings(settings, state)


def checked_settings(stack_config: StackConfig, state: ClusterState) -> LoadedSettings:
    """The stack's settings, checked as the program checks them first; raises SettingsError with every problem."""
    loaded = load_settings(
        stack_config.config, stack_config.secret_keys, project=stack_config.project, stack=stack_config.stack
    )
    problems = cluster_problems(loaded.settings, state)
    if problems:
        raise SettingsError(problems)
    return loaded


def settings_error(stack: str, error: SettingsError) -> CommandError:
    return CommandError(
        [f"error: stack {stack} has {len(error.problems)} problem(s):"] + [f"  {problem}" for problem in error.problems]
    )


def refuse(error: CommandError, stderr: IO[str]) -> int:
    for line in error.lines:
        print(line, file=stderr)
    return EXIT_INVALID
