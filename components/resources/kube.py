"""Kubernetes core and RBAC objects, registered without the typed ``pulumi_kubernetes`` classes.

Importing ``pulumi_kubernetes.core.v1`` costs about 0.45 s (it builds the input types of the
whole core API group), a third of what a stack's evaluation costs. The engine and the provider
see the same thing either way: the type token (``kubernetes:core/v1:Secret``) and the object's
fields under their Kubernetes names. So the few objects this program makes are registered as a
plain ``pulumi.CustomResource`` with that token, pinned to the installed provider's version
as the typed classes pin it.
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

import pulumi


@cache
def _provider_version() -> str:
    return importlib.metadata.version("pulumi_kubernetes")


def type_token(api_version: str, kind: str) -> str:
    """``v1``/``Secret`` -> ``kubernetes:core/v1:Secret``; groups keep their name."""
    group_version = api_version if "/" in api_version else f"core/{api_version}"
    return f"kubernetes:{group_version}:{kind}"


def kube_object(
    name: str,
    *,
    api_version: str,
    kind: str,
    fields: Mapping[str, Any],
    opts: pulumi.ResourceOptions,
    secret_outputs: Sequence[str] = (),
) -> pulumi.CustomResource:
    """One Kubernetes object; ``fields`` are its top-level fields besides apiVersion and kind."""
    pinned = pulumi.ResourceOptions(version=_provider_version(), additional_secret_outputs=list(secret_outputs))
    return pulumi.CustomResource(
        type_token(api_version, kind),
        name,
        {"apiVersion": api_version, "kind": kind, **fields},
        pulumi.ResourceOptions.merge(opts, pinned),
    )
