"""Deterministic names: the same stack always yields the same names, so nothing drifts or is replaced."""

from __future__ import annotations

import re

REGISTRY_NAMESPACE = "openshift-image-registry"
CONFIG_NAMESPACE = "openshift-config"
CREDENTIAL_SECRET = "image-registry-private-configuration-user"
# Where the operator reads keyless (and minted) credentials; while CREDENTIAL_SECRET exists it is ignored.
INSTALLER_SECRET = "installer-cloud-credentials"
# The registry's projected service account token (audience "openshift", OpenShift 4.7 and later) and
# the two service accounts that present it: the operator's and the registry's.
TOKEN_FILE = "/var/run/secrets/openshift/serviceaccount/token"
TOKEN_AUDIENCE = "openshift"
TOKEN_SUBJECTS = (
    "system:serviceaccount:openshift-image-registry:cluster-image-registry-operator",
    "system:serviceaccount:openshift-image-registry:registry",
)
DEFAULT_CLAIM = "image-registry-storage"


def derived_bucket_name(project: str, stack: str) -> str:
    """``<project>-<stack>`` made a valid S3/GCS name: lowercase, [a-z0-9-], at most 63 characters."""
    name = re.sub(r"[^a-z0-9-]+", "-", f"{project}-{stack}".lower())
    name = re.sub(r"-{2,}", "-", name)[:63].strip("-")
    return name if len(name) >= 3 else f"{name}-registry"[:63]


def iam_user_name(bucket: str) -> str:
    """At most 64 characters, as IAM allows."""
    return f"{bucket[:55].rstrip('-.')}-registry"


def aws_partition(region: str) -> str:
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    if region.startswith("cn-"):
        return "aws-cn"
    return "aws"


def s3_bucket_arn(bucket: str, region: str) -> str:
    return f"arn:{aws_partition(region)}:s3:::{bucket}"
