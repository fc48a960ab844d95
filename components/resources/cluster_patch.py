"""Server-side-apply patches of cluster singletons the operators own."""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_kubernetes as k8s

PATCH_FORCE = {"pulumi.com/patchForce": "true"}


def cluster_patch(
    name: str, *, api_version: str, kind: str, spec: pulumi.Input[dict[str, Any]], opts: pulumi.ResourceOptions
) -> k8s.apiextensions.CustomResourcePatch:
    """Patch the object named ``cluster``; never create or replace it.

    Retained on delete: deleting a patch would strip the fields it set and, for the registry
    Config, could leave the operator without storage settings while images still exist.
    """
    return k8s.apiextensions.CustomResourcePatch(
        name,
        api_version=api_version,
        kind=kind,
        metadata={"name": "cluster", "annotations": PATCH_FORCE},
        spec=spec,
        opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(retain_on_delete=True)),
    )
