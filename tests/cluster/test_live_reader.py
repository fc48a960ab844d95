"""The live reader and the dump reader learn the same facts about a cluster.

Each generated cluster state is served by a stand-in API server on 127.0.0.1 (read by the live
reader with the Kubernetes client, as under `pulumi up`) and written as `oc get -o yaml` dumps (read
by the dump reader, as `python -m offline --cluster DIR`): both must learn the same objects, the
credential Secrets by their metadata only. A fact one reader misses fails here.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest
import yaml

from components.cluster.readers import kubernetes_getter, read_dump, read_live
from components.cluster.state import INSTALLER_SECRET, USER_SECRET, key_of
from tests.cluster_model import states
from tests.cluster_model.apiserver import serving

SPECS = [
    states.ClusterSpec("4.6", "aws", "ipi"),
    states.ClusterSpec("4.14", "aws", "manual", "SingleReplica"),
    states.ClusterSpec("4.15", "azure", "manual"),
    states.ClusterSpec("4.17", "gcp", "ipi", "compact"),
    states.ClusterSpec("4.20", "baremetal", "removed", "SingleReplica"),
    states.ClusterSpec("4.20", "vsphere", "removed", disabled=("ImageRegistry",)),
    states.ClusterSpec("4.17", "aws", "manual", disabled=("CloudCredential",)),
]
TRUSTED = {
    "apiVersion": "v1",
    "kind": "ConfigMap",
    "metadata": {"name": "user-ca-bundle", "namespace": "openshift-config"},
    "data": {"mirror.example.com": "-----BEGIN CERTIFICATE-----\nMII...\n-----END CERTIFICATE-----\n"},
}
USER = {
    "apiVersion": "v1",
    "kind": "Secret",
    "metadata": {
        "name": USER_SECRET[3],
        "namespace": USER_SECRET[2],
        "labels": {"app.kubernetes.io/managed-by": "pulumi"},
    },
    "type": "Opaque",
    "data": {"REGISTRY_STORAGE_S3_ACCESSKEY": base64.b64encode(b"AKIAPLANTEDSECRETVALUE").decode()},
}


def cluster(spec: states.ClusterSpec) -> dict[Any, dict[str, Any]]:
    """A state with everything a reader may find: the Image names a CA ConfigMap, a user secret exists."""
    objects = states.build(spec)
    image = next(body for key, body in objects.items() if key[1] == "Image")
    image["spec"] = {"additionalTrustedCA": {"name": "user-ca-bundle"}}
    objects[key_of(TRUSTED)] = TRUSTED
    objects[key_of(USER)] = USER
    return objects


def dump(objects: dict[Any, dict[str, Any]], directory: Path) -> Path:
    for index, body in enumerate(objects.values()):
        (directory / f"{index:02d}-{body['kind'].lower()}.yaml").write_text(yaml.safe_dump(body), encoding="utf-8")
    return directory


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_live_and_dump_readers_learn_the_same_facts(spec: states.ClusterSpec, tmp_path: Path) -> None:
    objects = cluster(spec)
    from_dump = read_dump(dump(objects, tmp_path))
    with serving(objects) as served:
        live = read_live(kubernetes_getter(yaml.safe_dump(served.kubeconfig), None))
    assert live.facts() == from_dump.facts()
    for fact in ("openshift_version", "platform", "credentials_mode", "service_account_issuer",
                 "infrastructure_topology", "short_lived_credentials"):  # fmt: skip
        assert getattr(live, fact) == getattr(from_dump, fact), fact
    assert live.capability_disabled("ImageRegistry") == from_dump.capability_disabled("ImageRegistry")
    assert (live.get(USER_SECRET) is not None) and (live.get(INSTALLER_SECRET) is not None) == (
        from_dump.get(INSTALLER_SECRET) is not None
    )
    secrets = [(path, accept) for path, accept in served.requests if "/secrets/" in path]
    assert len(secrets) == 2 and all("as=PartialObjectMetadata" in accept for _, accept in secrets), secrets
    assert "AKIAPLANTEDSECRETVALUE" not in repr(live.objects)


def test_a_secret_the_reader_may_not_see_counts_as_existing(tmp_path: Path) -> None:
    """A 403 on the metadata read: existence cannot be told, so installer-cloud-credentials is patched
    (creating an object that exists fails the whole update; patching one that does not creates it)."""
    objects = states.build(states.ClusterSpec("4.17", "aws", "manual"))
    del objects[INSTALLER_SECRET]
    with serving(objects, forbidden={INSTALLER_SECRET}) as served:
        live = read_live(kubernetes_getter(yaml.safe_dump(served.kubeconfig), None))
    assert live.get(INSTALLER_SECRET) is None and live.exists(INSTALLER_SECRET) and INSTALLER_SECRET in live.unknown


def test_a_forbidden_singleton_is_a_clear_error(tmp_path: Path) -> None:
    from components.cluster.readers import ClusterReadError
    from components.cluster.state import CONFIG

    objects = states.build(states.ClusterSpec("4.17", "aws", "ipi"))
    with serving(objects, forbidden={CONFIG}) as served:
        get = kubernetes_getter(yaml.safe_dump(served.kubeconfig), None)
        with pytest.raises(ClusterReadError, match=r"cannot read Config cluster \(403 Forbidden\).*grant `get`"):
            read_live(get)
