"""The ground floor: fixed names every layer agrees on, and the names derived from a stack.

Nothing here imports the program: settings, specs, the cluster reader and every command read
their namespaces, Secret and ConfigMap names, the field manager and the placeholders from here.
"""

from __future__ import annotations

import re

# The program's stack config namespace (``openshift-registry:storage``).
NAMESPACE = "openshift-registry"
REGISTRY_NAMESPACE = "openshift-image-registry"
CONFIG_NAMESPACE = "openshift-config"
# The Secret the operator reads a user's static keys from (pkg/storage/<kind> ``GetConfig``).
CREDENTIAL_SECRET = "image-registry-private-configuration-user"
# The operator's own copy it hands the registry (``VolumeSecrets``); IBM COS's HMAC keys live only here.
OPERATOR_SECRET = "image-registry-private-configuration"
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
TRUSTED_CA_CONFIGMAP = "image-registry-additional-trusted-cas"
# This program's server-side-apply field manager (``pulumi.com/patchFieldManager`` on its patches):
# what it owns in a live object is what managedFields list under this name.
FIELD_MANAGER = "openshift-registry"
LABELS = {"app.kubernetes.io/managed-by": "pulumi", "app.kubernetes.io/part-of": "openshift-image-registry"}
# On a static-key secret of a cluster that could use keyless credentials: its issuer (policy pack:
# no-long-lived-registry-keys).
ISSUER_ANNOTATION = "openshift-registry/cluster-service-account-issuer"
# On an installer-cloud-credentials this program created (the cluster had none): the next run reads it
# back (metadata only) and keeps it a created object instead of patching what it made itself.
CREATED_ANNOTATION = "openshift-registry/created"
# What the offline preview puts where Pulumi would decrypt a ``secure:`` value.
SECURE_PLACEHOLDER = "offline-placeholder-for-encrypted-value"
# A resource's id under the mocks: ``<name>-placeholder-id`` (the provider's real id comes at `pulumi up`).
PLACEHOLDER_ID = "-placeholder-id"


def derived_bucket_name(project: str, stack: str) -> str:
    """``<project>-<stack>`` made a valid S3/GCS name: lowercase, [a-z0-9-], at most 63 characters."""
    name = re.sub(r"[^a-z0-9-]+", "-", f"{project}-{stack}".lower())
    name = re.sub(r"-{2,}", "-", name)[:63].strip("-")
    return name if len(name) >= 3 else f"{name}-registry"[:63]


def aws_partition(region: str) -> str:
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    if region.startswith("cn-"):
        return "aws-cn"
    return "aws"
