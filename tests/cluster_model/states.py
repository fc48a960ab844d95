"""Realistic cluster states, as the API server stores them after install and the operator's first sync.

A state is built from what decides it: the OpenShift release, the platform, how the cluster was
installed (operator-managed storage on a cloud with minted credentials, Manual mode with ccoctl's
secrets and an issuer, Removed on platforms without object storage), its topology and its
capabilities. The objects are the ones the program reads, plus the ClusterOperator ``verify`` reads;
the Config is bootstrapped and synced by ``operator.py`` from the operator's own code.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from components.cluster.state import ObjectKey, key_of
from tests.cluster_model import operator

VERSIONS = ("4.6", "4.10", "4.11", "4.14", "4.15", "4.17", "4.20")
CLOUDS = ("aws", "gcp", "azure")
# Platform -> the Infrastructure's platformStatus type (openshift/api config/v1 PlatformType).
PLATFORM_TYPES = {
    "aws": "AWS",
    "gcp": "GCP",
    "azure": "Azure",
    "baremetal": "BareMetal",
    "vsphere": "VSphere",
    "openstack": "OpenStack",
    "ibmcloud": "IBMCloud",
    "powervs": "PowerVS",
    "nutanix": "Nutanix",
    "external": "External",
}
TOPOLOGIES = ("HighlyAvailable", "SingleReplica", "compact")
INFRA_ID = "ocp-abc12"
ISSUER = f"https://{INFRA_ID}-oidc.s3.us-east-1.amazonaws.com"
# Capabilities that became optional, by release (openshift/api config/v1 ClusterVersionCapability).
OPTIONAL_SINCE = {"ImageRegistry": "4.14", "CloudCredential": "4.14"}


def minor(version: str) -> int:
    return int(version.split(".")[1])


@dataclass(frozen=True)
class ClusterSpec:
    version: str
    platform: str
    install: str
    """``ipi`` (operator-managed storage, minted credentials), ``manual`` (ccoctl: Manual mode, an issuer
    and installer-cloud-credentials), ``removed`` (no object storage: the operator bootstraps Removed)."""
    topology: str = "HighlyAvailable"
    disabled: tuple[str, ...] = ()
    """Optional capabilities the cluster was installed without."""
    issuer: str = ISSUER

    @property
    def name(self) -> str:
        off = f"-no-{'-'.join(self.disabled)}" if self.disabled else ""
        return f"{self.platform}-{self.version}-{self.install}-{self.topology}{off}"


def specs(platform: str, version: str | None = None, issuer: str | None = None) -> Iterator[ClusterSpec]:
    """Every state of ``platform`` worth a test: each release, install mode and topology; only ``version``
    and clusters whose issuer is ``issuer`` where a stack names them (it is refused elsewhere, rightly)."""
    installs = ("ipi", "manual") if platform in CLOUDS else ("removed",)
    if platform in ("openstack", "ibmcloud", "powervs"):
        installs = ("ipi",)
    for release in (version,) if version else VERSIONS:
        for install in installs:
            for topology in TOPOLOGIES:
                yield ClusterSpec(release, platform, install, topology, issuer=issuer or ISSUER)
            if minor(release) >= minor(OPTIONAL_SINCE["ImageRegistry"]):
                yield ClusterSpec(release, platform, install, disabled=("ImageRegistry",), issuer=issuer or ISSUER)
            if install == "manual" and minor(release) >= minor(OPTIONAL_SINCE["CloudCredential"]):
                yield ClusterSpec(release, platform, install, disabled=("CloudCredential",), issuer=issuer or ISSUER)


def stack_specs(config: dict[str, str]) -> Iterator[ClusterSpec]:
    """The clusters a stack file fits: its platform, and its release and issuer where it names them."""
    import json

    cluster = json.loads(config.get("openshift-registry:cluster", "{}"))
    yield from specs(
        config["openshift-registry:platform"], cluster.get("openshiftVersion"), cluster.get("serviceAccountIssuer")
    )


def build(spec: ClusterSpec) -> dict[ObjectKey, dict[str, Any]]:
    """The objects of a freshly installed cluster, after the operator's bootstrap and first sync."""
    objects = [_cluster_version(spec), _infrastructure(spec), _authentication(spec), _image()]
    if "CloudCredential" not in spec.disabled:
        objects.append(_cloud_credential(spec))
    if "ImageRegistry" not in spec.disabled:
        config = operator.bootstrap(spec)
        objects.append(config)
        objects.append(_cluster_operator())
        secret = _installer_secret(spec)
        if secret is not None:
            objects.append(secret)
    return {key_of(body): body for body in objects}


def _cluster_version(spec: ClusterSpec) -> dict[str, Any]:
    status: dict[str, Any] = {
        "desired": {"version": f"{spec.version}.3"},
        "history": [{"state": "Completed", "version": f"{spec.version}.3"}],
    }
    if minor(spec.version) >= 11:
        known = ["baremetal", "marketplace", "openshift-samples", "Console", "Insights", "Storage", "CSISnapshot"]
        known += [name for name, since in OPTIONAL_SINCE.items() if minor(spec.version) >= minor(since)]
        status["capabilities"] = {
            "knownCapabilities": sorted(known),
            "enabledCapabilities": sorted(c for c in known if c not in spec.disabled),
        }
    return {
        "apiVersion": "config.openshift.io/v1",
        "kind": "ClusterVersion",
        "metadata": {"name": "version"},
        "spec": {"channel": f"stable-{spec.version}"},
        "status": status,
    }


def _infrastructure(spec: ClusterSpec) -> dict[str, Any]:
    platform_status: dict[str, Any] = {"type": PLATFORM_TYPES[spec.platform]}
    if spec.platform == "aws":
        platform_status["aws"] = {"region": "us-east-1"}
    elif spec.platform == "gcp":
        platform_status["gcp"] = {"projectID": "example-project", "region": "us-central1"}
    elif spec.platform == "azure":
        platform_status["azure"] = {"cloudName": "AzurePublicCloud", "resourceGroupName": f"{INFRA_ID}-rg"}
    status: dict[str, Any] = {
        "infrastructureName": INFRA_ID,
        "platform": PLATFORM_TYPES[spec.platform],
        "platformStatus": platform_status,
    }
    if minor(spec.version) >= 6:
        single = spec.topology == "SingleReplica"
        status["infrastructureTopology"] = "SingleReplica" if single else "HighlyAvailable"
        status["controlPlaneTopology"] = "SingleReplica" if single else "HighlyAvailable"
    return {
        "apiVersion": "config.openshift.io/v1",
        "kind": "Infrastructure",
        "metadata": {"name": "cluster"},
        "spec": {},
        "status": status,
    }


def _authentication(spec: ClusterSpec) -> dict[str, Any]:
    body: dict[str, Any] = {"type": ""}
    if spec.install == "manual":
        body["serviceAccountIssuer"] = spec.issuer
    return {
        "apiVersion": "config.openshift.io/v1",
        "kind": "Authentication",
        "metadata": {"name": "cluster"},
        "spec": body,
    }


def _cloud_credential(spec: ClusterSpec) -> dict[str, Any]:
    return {
        "apiVersion": "operator.openshift.io/v1",
        "kind": "CloudCredential",
        "metadata": {"name": "cluster"},
        "spec": {"credentialsMode": "Manual" if spec.install == "manual" else "", "managementState": "Managed"},
    }


def _image() -> dict[str, Any]:
    return {"apiVersion": "config.openshift.io/v1", "kind": "Image", "metadata": {"name": "cluster"}, "spec": {}}


def _cluster_operator() -> dict[str, Any]:
    conditions = [
        {"type": "Available", "status": "True"},
        {"type": "Progressing", "status": "False"},
        {"type": "Degraded", "status": "False"},
    ]
    return {
        "apiVersion": "config.openshift.io/v1",
        "kind": "ClusterOperator",
        "metadata": {"name": "image-registry"},
        "status": {"conditions": conditions},
    }


def _installer_secret(spec: ClusterSpec) -> dict[str, Any] | None:
    """What the cloud-credential operator mints (Mint) or ccoctl made (Manual) for the registry's
    CredentialsRequest; none on platforms without one."""
    if spec.platform not in CLOUDS and spec.platform not in ("openstack", "ibmcloud", "powervs"):
        return None
    if spec.install == "manual":
        data = {
            "aws": {"credentials": "W2RlZmF1bHRdCnJvbGVfYXJuID0gYXJuOmF3czppYW06OjE6cm9sZS9jY29jdGwK"},
            "gcp": {"service_account.json": "eyJ0eXBlIjogImV4dGVybmFsX2FjY291bnQifQ=="},
            "azure": {"azure_client_id": "Y2NvY3Rs", "azure_federated_token_file": "L3Zhci9ydW4="},
        }[spec.platform]
    else:
        data = {"credentials": "bWludGVk"}
    return {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {
            "name": "installer-cloud-credentials",
            "namespace": "openshift-image-registry",
            "annotations": {"cloudcredential.openshift.io/credentials-request": "openshift-cloud-credential-operator/"
                            "openshift-image-registry"},
            "managedFields": [{"manager": "cloud-credential-operator" if spec.install != "manual" else "kubectl",
                               "operation": "Update", "fieldsV1": {"f:data": {}}}],
        },
        "type": "Opaque",
        "data": data,
    }  # fmt: skip
