"""The image-registry operator and the API server, as far as they write what the program reads.

Written from the operator's source (openshift/cluster-image-registry-operator main and release
branches), independently of the program's own tables, so that a fact the program misses fails a test:

- ``Bootstrap`` (pkg/operator/bootstrap.go) with ``GetPlatformStorage`` (pkg/storage/storage.go): the
  Config a new cluster starts with, ``Removed`` without storage where the platform has no object storage,
  one replica on single-node clusters.
- ``CreateStorage`` of each driver (pkg/storage/<kind>): what the first sync writes back into the spec
  when the operator made the storage, and on every sync (IBM COS location, resource group, the HMAC key).
- The typed write: the operator updates the Config from Go structs, so fields without ``omitempty``
  are stored whoever set the rest (``virtualHostedStyle``; ``trustedCA: {name: ""}`` from 4.11).
- The API server: the CRD's structural defaults of the release, applied on every write.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from components.crd import with_defaults
from components.storage.kinds import config_schema
from tests.cluster_model.fields import own

if TYPE_CHECKING:
    from tests.cluster_model.states import ClusterSpec

MANAGER = "cluster-image-registry-operator"
HTTP_SECRET = "operator-generated-http-secret"
MINTED_KEY = "crn:v1:bluemix:public:cloud-object-storage:global:a/0123:1111-2222:resource-key:minted"


def _minor(version: str) -> int:
    return int(version.split(".")[1])


def bootstrap(spec: ClusterSpec) -> dict[str, Any]:
    """The Config after ``Bootstrap`` and the first sync's ``CreateStorage``."""
    from tests.cluster_model.states import INFRA_ID

    storage: dict[str, Any] = {}
    replicas, state = 2, "Managed"
    swift = {"authURL": "https://keystone.example.com:5000/v3", "authVersion": "3", "domain": "Default",
             "regionName": "RegionOne", "tenant": "ocp-prod"}  # fmt: skip
    cos = {"location": "us-south", "resourceGroupName": f"{INFRA_ID}-rg", "resourceKeyCRN": MINTED_KEY,
           "serviceInstanceCRN": "crn:v1:bluemix:public:cloud-object-storage:global:a/0123:1111-2222::"}  # fmt: skip
    if spec.platform == "aws":
        storage = {"s3": {"bucket": f"{INFRA_ID}-image-registry-us-east-1-wxyzabcd", "region": "us-east-1",
                          "encrypt": True}}  # fmt: skip
    elif spec.platform == "gcp":
        storage = {"gcs": {"bucket": f"{INFRA_ID}-image-registry-us-central1-wxyz", "region": "us-central1",
                           "projectID": "example-project"}}  # fmt: skip
    elif spec.platform == "azure":
        storage = {"azure": {"accountName": "imageregistryocpabc12wx", "container": f"{INFRA_ID}-image-registry-wx",
                             "cloudName": "AzurePublicCloud"}}  # fmt: skip
    elif spec.platform == "openstack":
        storage = {"swift": {"container": f"{INFRA_ID}-image-registry-wxyz", **swift}}
    elif spec.platform in ("ibmcloud", "powervs"):
        storage = {"ibmcos": {"bucket": f"{INFRA_ID}-image-registry-us-south-wxyz", **cos}}
    else:  # BareMetal, VSphere, None, Nutanix, KubeVirt, EquinixMetal, External: Removed, no storage
        replicas, state = 1, "Removed"
    if storage:
        storage["managementState"] = "Managed"
    if spec.topology == "SingleReplica":
        replicas = 1
    config = {
        "apiVersion": "imageregistry.operator.openshift.io/v1",
        "kind": "Config",
        "metadata": {"name": "cluster", "finalizers": ["imageregistry.operator.openshift.io/finalizer"]},
        "spec": {
            "managementState": state,
            "logLevel": "Normal",
            "operatorLogLevel": "Normal",
            "replicas": replicas,
            "rolloutStrategy": "RollingUpdate",
            "storage": storage,
        },
    }
    if state == "Managed":
        config["spec"]["httpSecret"] = HTTP_SECRET
    typed_write(config, spec.version)
    stored = store(config, spec.version)
    own(stored, MANAGER, {"spec": config["spec"]})  # defaulted fields have no manager
    return stored


def store(config: dict[str, Any], version: str) -> dict[str, Any]:
    """The Config as the API server of ``version`` stores it: its CRD's defaults filled in."""
    return with_defaults(config, config_schema(version))


def typed_write(config: dict[str, Any], version: str) -> None:
    """The zero values of the Go structs, which every write of the operator serializes (openshift/api
    imageregistry/v1 types.go: ``VirtualHostedStyle bool json:"virtualHostedStyle"``, from 4.11
    ``TrustedCA S3TrustedCASource json:"trustedCA"`` with ``Name string json:"name"``)."""
    s3 = config["spec"].get("storage", {}).get("s3")
    if isinstance(s3, dict):
        s3.setdefault("virtualHostedStyle", False)
        if _minor(version) >= 11:
            s3.setdefault("trustedCA", {"name": ""})


def sync(config: dict[str, Any], version: str) -> dict[str, Any]:
    """One sync of the operator after the program's apply: what it writes into the spec."""
    before = copy.deepcopy(config)
    spec = config["spec"]
    storage = spec.setdefault("storage", {})
    if spec.get("managementState") == "Removed":
        return store(config, version)
    kinds = [k for k in storage if k != "managementState"]
    if not storage.get("managementState") and kinds:
        # emptydir.go: Managed; a claim the operator made (empty claim): Managed; given storage: Unmanaged.
        made = kinds == ["emptyDir"] or (kinds == ["pvc"] and not storage["pvc"].get("claim"))
        storage["managementState"] = "Managed" if made else "Unmanaged"
    if "pvc" in storage and not storage["pvc"].get("claim"):
        storage["pvc"]["claim"] = "image-registry-storage"
    if "ibmcos" in storage:
        # CreateStorage (pkg/storage/ibmcos/ibmcos.go): the instance's location and resource group, and
        # an HMAC resource key minted when none is named.
        cos = storage["ibmcos"]
        cos.setdefault("location", "us-south")
        cos.setdefault("resourceGroupName", "ocp-abc12-rg")
        cos.setdefault("resourceKeyCRN", MINTED_KEY)
    if not spec.get("httpSecret"):
        spec["httpSecret"] = HTTP_SECRET
    typed_write(config, version)
    changed = _changed(before.get("spec", {}), config["spec"])
    stored = store(config, version)
    own(stored, MANAGER, {"spec": changed} if changed else None)
    return stored


def _changed(before: Any, after: Any) -> Any:
    """The part of ``after`` that differs from ``before``: what an Update makes its manager own."""
    if isinstance(before, dict) and isinstance(after, dict):
        out = {}
        for key, value in after.items():
            if key not in before:
                out[key] = value
            else:
                child = _changed(before[key], value)
                if child is not None:
                    out[key] = child
        return out or None
    return None if before == after else after
