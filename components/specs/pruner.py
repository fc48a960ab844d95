"""The patch of ``imagepruners.imageregistry.operator.openshift.io/cluster``: only the fields the stack sets."""

from __future__ import annotations

from typing import Any

from components.settings.stack import StackSettings

API_VERSION = "imageregistry.operator.openshift.io/v1"
KIND = "ImagePruner"


def pruner_spec(stack: StackSettings) -> dict[str, Any] | None:
    if stack.pruner is None:
        return None
    return stack.pruner.model_dump(by_alias=True, exclude_none=True)
