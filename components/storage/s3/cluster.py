"""What the cluster asks of S3 storage beyond the common rules (components/cluster/rules.py calls it)."""

from __future__ import annotations

import json
from collections.abc import Iterator

from components.cluster.state import ClusterState
from components.errors import Finding
from components.settings.stack import StackSettings


def findings(stack: StackSettings, state: ClusterState) -> Iterator[Finding]:
    yield from _resource_tags(stack, state)


def _resource_tags(stack: StackSettings, state: ClusterState) -> Iterator[Finding]:
    """The operator's AWS tag controller writes the Infrastructure's resourceTags onto the bucket
    (pkg/operator/awstagcontroller.go): a bucket this stack creates carries the same, or every refresh
    would see the operator's tags as drift and every update would remove them."""
    s3 = stack.storage.s3
    if s3 is None or not s3.creates_bucket:
        return
    status = (state.infrastructure or {}).get("status") or {}
    tags = ((status.get("platformStatus") or {}).get("aws") or {}).get("resourceTags") or []
    wanted = {str(t.get("key")): str(t.get("value", "")) for t in tags if isinstance(t, dict) and t.get("key")}
    if wanted and any(s3.cluster_resource_tags.get(k) != v for k, v in wanted.items()):
        yield Finding(
            "storage.s3.clusterResourceTags",
            f"must carry the cluster's Infrastructure resourceTags {json.dumps(wanted, sort_keys=True)}: the "
            "operator's tag controller writes them onto the bucket, so Pulumi and the operator would fight over them",
        )
