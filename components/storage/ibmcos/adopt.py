"""Adopting IBM COS storage: the bucket always exists (the stack never makes one), and what the operator writes."""

from __future__ import annotations

from typing import Any

from components.adoption import Context
from components.storage.ibmcos.row import ROW


def storage(block: dict[str, Any], context: Context) -> dict[str, Any]:
    for name in ROW.written_back:
        if name != "resourceKeyCRN" and block.pop(name, None) is not None:
            context.result.remarks.append(
                f"storage.ibmcos.{name}: the operator's (it writes it back on every sync, CreateStorage); it "
                "stays in the Config and the stack leaves it alone"
            )
    return block  # an IBM COS bucket is always one that exists: nothing to adopt or import
