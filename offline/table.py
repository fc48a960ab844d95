"""The default view: one row per resource, then the stack outputs, readable at 80 columns and wider.

rich sizes the table to the terminal and drops colour when the output is piped; piped output
also uses ASCII borders so it survives any pager, log or pull-request comment.
"""

from __future__ import annotations

import json
import re
from typing import IO, Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from offline.engine import Registration
from offline.plan import Plan
from offline.progress import wrap_width

# Inputs that add nothing to a review: identical on every Kubernetes object we render.
_QUIET_INPUTS = ("apiVersion", "kind")
MAX_INPUT_LINES = 14
MAX_VALUE_CHARS = 120


class _Console(Console):
    def on_broken_pipe(self) -> None:
        """Piped into ``head``: stop quietly, as the caller decides (rich would exit with 1)."""
        self.quiet = True
        raise BrokenPipeError


def width_of(stream: IO[str]) -> int | None:
    """The terminal's width (None: rich asks it), or piped: where long lines wrap (``COLUMNS``), else 100."""
    return None if stream.isatty() else (wrap_width(stream) or 100)


def print_table(plan: Plan, stream: IO[str]) -> None:
    terminal = stream.isatty()
    width = width_of(stream)
    console = _Console(file=stream, width=width, no_color=not terminal, highlight=False)
    frame = box.ROUNDED if terminal else box.ASCII
    console.print(Text(f"openshift-registry preview: project {plan.project}, stack {plan.stack}"))
    first = min(36, max(24, (width or console.width) // 3))
    resources = Table(box=frame, show_lines=True, expand=False)
    resources.add_column("resource (type, parent component)", overflow="fold", max_width=first)
    resources.add_column("inputs", overflow="fold")
    urns = plan.by_urn()
    for resource in plan.resources:
        parent = urns[resource.parent].name if resource.parent in urns else ""
        # Text, not markup: values such as "[secret]" must print as they are.
        title = "\n".join(wrap_token(line, first) for line in _title(resource, parent).splitlines())
        lines = [_fit(line, (width or console.width) - first - 7) for line in input_lines(resource)]
        resources.add_row(Text(title), Text("\n".join(lines)))
    console.print(resources)
    if any(" ... " in line or line.endswith("(see --json)") for r in plan.resources for line in input_lines(r)):
        console.print(
            f"Values longer than {MAX_VALUE_CHARS} characters show their two ends around '...', and at most "
            f"{MAX_INPUT_LINES} inputs "
            "are shown per resource: `--json` shows every input in full.",
            markup=False,
        )
    outputs = Table(box=frame, title="stack outputs", expand=False)
    outputs.add_column("output")
    outputs.add_column("value", overflow="fold")
    for key, value in plan.outputs.items():
        outputs.add_row(Text(key), Text(value if isinstance(value, str) else json.dumps(value, sort_keys=True)))
    console.print(outputs)
    for warning in plan.warnings:
        console.print(f"warning: {warning}", markup=False)


def _title(resource: Registration, parent: str) -> str:
    lines = [resource.name, resource.type if resource.custom else f"{resource.type} (component)"]
    if parent:
        lines.append(f"in {parent}")
    flags = [f for f, on in (("protected", resource.protect), ("retained on delete", resource.retain_on_delete)) if on]
    if resource.import_id:
        flags.append(f"imported: {resource.import_id}")
    if flags:
        lines.append(f"({', '.join(flags)})")
    return "\n".join(lines)


def input_lines(resource: Registration) -> list[str]:
    """The inputs flattened to ``path: value`` lines; what a reviewer scans for."""
    flat = _flatten(resource.inputs) if resource.inputs else []
    lines = [f"{path}: {_short(value)}" for path, value in flat if path not in _QUIET_INPUTS]
    if len(lines) > MAX_INPUT_LINES:
        lines = [*lines[:MAX_INPUT_LINES], f"... {len(lines) - MAX_INPUT_LINES} more (see --json)"]
    return lines


def _flatten(value: Any, path: str = "") -> list[tuple[str, Any]]:
    if isinstance(value, dict) and value:
        return [item for key, child in value.items() for item in _flatten(child, f"{path}.{key}" if path else key)]
    if isinstance(value, list) and value and any(isinstance(v, dict | list) for v in value):
        return [item for i, child in enumerate(value) for item in _flatten(child, f"{path}[{i}]")]
    return [(path, value)]


def _short(value: Any) -> str:
    if isinstance(value, str) and "\n" in value.strip():
        lines = value.strip().splitlines()
        value = f"{lines[0]} ... ({len(lines)} lines)"
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True)
    if len(text) <= MAX_VALUE_CHARS:
        return text
    # Both ends kept: long values of one kind differ at their ends (two identity bindings, two ARNs).
    head = (MAX_VALUE_CHARS - 5) // 2
    return f"{text[:head]} ... {text[-(MAX_VALUE_CHARS - 5 - head) :]}"


def _fit(line: str, width: int) -> str:
    """``path: value`` within ``width``: the path broken at its joints, the value on a line of its own."""
    if len(line) <= width or ": " not in line:
        return line
    path, value = line.split(": ", 1)
    return f"{wrap_token(path + ':', width)}\n  {value}"


def wrap_token(text: str, width: int) -> str:
    """A type token or name broken where it has joints (``:``, ``/``, ``.``), never in a word, when it is
    wider than ``width``: ``kubernetes:imageregistry.operator.openshift.io/v1:`` / ``ConfigPatch``."""
    if len(text) <= width:
        return text
    pieces = re.findall(r"[^:/.]+[:/.]?|[:/.]", text)
    lines, line = [], ""
    for piece in pieces:
        if line and len(line) + len(piece) > width:
            lines.append(line)
            line = ""
        line += piece
    lines.append(line)
    return "\n".join(lines)
