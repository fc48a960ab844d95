"""Meeting the cluster as it is: what the program reads, and what it refuses or merges because of it.

Cluster state comes from the `oc get -o yaml` dumps in tests/clusters/, or from a fake getter
standing in for the Kubernetes client; nothing here reaches a cluster.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
import yaml

from components.cluster.readers import ClusterReadError, kubernetes_getter, read_dump, read_live
from components.cluster.rules import cluster_findings
from components.cluster.state import CONFIG, ClusterState
from components.stack_config import StackConfig
from offline.__main__ import EXIT_INVALID_CONFIG, EXIT_OK, main
from offline.engine import evaluate
from tests.certs import make
from tests.support import PROJECT, by_type, config_of, settings

CLUSTERS = Path(__file__).resolve().parents[1] / "clusters"
S3 = {"platform": "aws", "storage": {"s3": {"region": "us-east-1"}}}
PVC = {"platform": "baremetal", "storage": {"pvc": {}}}


def s3_on(bucket: str, **fields: Any) -> dict[str, Any]:
    """An S3 stack for the bucket the dump's registry uses (another one would be a move, refused)."""
    return {"platform": "aws", "storage": {"s3": {"region": "us-east-1", "bucket": bucket, **fields}}}


OPERATOR_BUCKET = "ocp-abc12-image-registry-us-east-1-qwerty"
PVC_ON_CLAIM = {"platform": "baremetal", "storage": {"pvc": {"claim": "registry-claim"}}}


def dump(name: str) -> ClusterState:
    return read_dump(CLUSTERS / name)


def problems(state: ClusterState, **stack: Any) -> list[str]:
    return [str(p) for p in cluster_findings(settings(**stack), state)]


def evaluate_against(cluster: ClusterState, **stack: Any) -> Any:
    config, secret_keys = config_of(**stack)
    return evaluate(StackConfig(project=PROJECT, stack="test", config=config, secret_keys=secret_keys), cluster=cluster)


def test_a_dump_is_read_by_kind_and_name_and_secret_values_never_kept(tmp_path: Path) -> None:
    (tmp_path / "list.yaml").write_text(
        yaml.safe_dump(
            {
                "apiVersion": "v1",
                "kind": "List",
                "items": [
                    {
                        "apiVersion": "v1",
                        "kind": "Secret",
                        "metadata": {"name": "s", "namespace": "n"},
                        "data": {"REGISTRY_STORAGE_S3_SECRETKEY": "c2VjcmV0"},
                        "stringData": {"other": "plain"},
                    }
                ],
            }
        )
    )
    state = read_dump(tmp_path)
    secret = state.named("v1", "Secret", "n", "s")
    assert secret is not None and secret["data"] == {"REGISTRY_STORAGE_S3_SECRETKEY": "", "other": ""}
    assert "c2VjcmV0" not in repr(state) and "plain" not in repr(state)


def test_the_singletons_are_understood() -> None:
    state = dump("aws-short-lived")
    assert state.read and state.platform == "aws" and state.openshift_version == "4.16"
    assert state.short_lived_credentials and state.service_account_issuer.startswith("https://")
    assert not dump("aws-operator-managed").short_lived_credentials


def test_a_new_cluster_refuses_nothing() -> None:
    assert cluster_findings(settings(**S3), ClusterState()) == []


def test_another_storage_type_is_refused_with_one_atomic_command() -> None:
    """emptyDir set by the documented `oc patch` would stay beside our pvc (server-side apply never
    removes another manager's field) and the operator would refuse both (pkg/storage/storage.go)."""
    (problem,) = problems(dump("baremetal-emptydir"), **PVC)
    assert problem.startswith("(cluster) configs/cluster spec.storage.emptyDir: is set on the dump in")
    assert "exactly one storage type" in problem
    command = problem.split("then `pulumi up`: ", 1)[1].split(" If this program", 1)[0]
    assert command.startswith("oc patch configs.imageregistry.operator.openshift.io cluster --type=json -p '")
    operations = yaml.safe_load(command.split("-p '", 1)[1].rstrip("'"))
    assert operations == [
        {"op": "replace", "path": "/spec/managementState", "value": "Unmanaged"},
        {"op": "remove", "path": "/spec/storage/emptyDir"},
    ], "the operator never sees a Config without storage: it would make storage of its own"


def test_a_block_this_program_owns_is_not_refused() -> None:
    """Its field manager owns it (managedFields): the next apply, without it, removes it."""
    assert problems(dump("baremetal-emptydir-ours"), **PVC) == []


def test_stale_fields_of_the_same_kind_are_refused_and_implied_defaults_are_not() -> None:
    (problem,) = problems(dump("aws-stale-fields"), **s3_on("example-corp-ocp-prod-registry"))
    assert "spec.storage.s3: on the dump" in problem
    assert 'regionEndpoint: "https://s3.old-proxy.example.com"' in problem and "trustedCA" in problem
    assert '"path": "/spec/storage/s3/regionEndpoint"' in problem
    # The operator's own block (bucket, region, encrypt, virtualHostedStyle: false) holds nothing stale.
    assert problems(dump("aws-operator-managed"), **s3_on(OPERATOR_BUCKET)) == []


def test_stale_fields_set_in_the_stack_are_not_stale() -> None:
    stack = {
        **s3_on("example-corp-ocp-prod-registry", regionEndpoint="https://s3.old-proxy.example.com"),
        "secrets": {"s3AccessKey": "a", "s3SecretKey": "b"},
    }
    found = problems(dump("aws-stale-fields"), **stack)
    assert len(found) == 1 and "regionEndpoint" not in found[0].split("remove them first")[0]


def test_short_lived_credentials_are_never_replaced_silently() -> None:
    stack = s3_on("ocp-abc12-image-registry")
    (problem,) = problems(dump("aws-short-lived"), **stack)
    assert problem.startswith("openshift-registry:storage.s3.credentials: would create image-registry-private")
    assert "service account issuer https://ocp-abc12-oidc" in problem
    assert problems(dump("aws-short-lived"), **stack, cluster={"allowLongLivedKeys": True}) == []


def test_storage_without_a_secret_is_fine_on_a_short_lived_cluster() -> None:
    state = ClusterState({**dump("aws-short-lived").objects}, read=True)
    objects = {k: v for k, v in state.objects.items() if k != CONFIG}
    assert (
        problems(
            ClusterState(objects, read=True), platform="aws", storage={"emptyDir": {}}, environment="nonproduction"
        )
        == []
    )


def test_a_platform_other_than_the_clusters_is_refused() -> None:
    gcs = {"platform": "gcp", "storage": {"gcs": {"region": "us-central1"}}, "extra": {"gcp:project": "example-p"}}
    found = problems(dump("aws-operator-managed"), **gcs)
    assert any(
        p.startswith("openshift-registry:platform: is gcp, but the cluster's Infrastructure says aws") for p in found
    )


def test_our_trusted_cas_join_the_configmap_the_cluster_already_trusts() -> None:
    """One additional-trusted-CA ConfigMap serves the whole cluster: naming ours would drop every CA
    it trusted before. Our hosts are added to theirs and the Image config is left alone."""
    mirror = make(ca=True).certificate
    evaluation = evaluate_against(
        dump("trusted-cas-existing"), **PVC_ON_CLAIM, trustedCAs={"registry.example.com:5000": mirror}
    )
    assert by_type(evaluation, "kubernetes:config.openshift.io/v1:ImagePatch") == []
    (patch,) = by_type(evaluation, "kubernetes:core/v1:ConfigMapPatch")
    assert patch.inputs["metadata"]["name"] == "user-ca-bundle"
    assert patch.inputs["data"] == {"registry.example.com..5000": mirror}
    assert patch.retain_on_delete


def test_a_host_the_cluster_trusts_with_another_ca_is_refused() -> None:
    (problem,) = problems(
        dump("trusted-cas-existing"),
        **PVC_ON_CLAIM,
        trustedCAs={"quay.internal.example.com": make(ca=True).certificate},
    )
    assert problem.startswith("openshift-registry:trustedCAs.quay.internal.example.com: the cluster already trusts")


def test_removed_to_managed_happens_with_the_storage_in_the_same_apply() -> None:
    """On bare metal the operator starts Removed with no storage: one patch sets both, so it never
    sees Managed without storage."""
    evaluation = evaluate_against(dump("baremetal-removed"), **PVC)
    (config,) = by_type(evaluation, "kubernetes:imageregistry.operator.openshift.io/v1:ConfigPatch")
    assert config.inputs["spec"]["managementState"] == "Managed" and "pvc" in config.inputs["spec"]["storage"]
    touching = [r for r in evaluation.registrations if "managementState" in r.inputs.get("spec", {})]
    assert touching == [config]


def test_the_live_reader_asks_for_the_singletons_the_named_configmap_and_the_two_credential_secrets() -> None:
    asked: list[tuple[str, ...]] = []
    objects = dict(dump("trusted-cas-existing").objects)

    def get(key: Any) -> dict[str, Any] | None:
        asked.append(key)
        return objects.get(key)

    state = read_live(get)
    assert ("v1", "ConfigMap", "openshift-config", "user-ca-bundle") in asked
    secrets = sorted(name for _, kind, _, name in asked if kind == "Secret")
    assert secrets == ["image-registry-private-configuration-user", "installer-cloud-credentials"]
    assert state.read and state.source == "the live cluster"


def test_a_kubeconfig_that_cannot_be_loaded_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ClusterReadError, match=r"cannot load the kubeconfig .*cluster.read false"):
        kubernetes_getter(str(tmp_path / "missing-kubeconfig"), None)


# A kubeconfig whose API server is a closed port on the loopback: the client fails to connect at once.
UNREACHABLE_KUBECONFIG = {
    "apiVersion": "v1",
    "kind": "Config",
    "clusters": [{"name": "c", "cluster": {"server": "https://127.0.0.1:9"}}],
    "users": [{"name": "u", "user": {"token": "t"}}],
    "contexts": [{"name": "x", "context": {"cluster": "c", "user": "u"}}],
    "current-context": "x",
}


def test_an_unreachable_cluster_is_a_clear_error(tmp_path: Path) -> None:
    get = kubernetes_getter(yaml.safe_dump(UNREACHABLE_KUBECONFIG), "x")
    with pytest.raises(ClusterReadError, match="cannot reach the cluster"):
        get(CONFIG)


def test_the_offline_preview_takes_a_dump_and_says_when_it_has_none() -> None:
    out, err = io.StringIO(), io.StringIO()
    code = main(["--stack", "baremetal", "--cluster", str(CLUSTERS / "baremetal-emptydir"), "--quiet"], out, err)
    assert code == EXIT_INVALID_CONFIG and "spec.storage.emptyDir" in err.getvalue()
    out, err = io.StringIO(), io.StringIO()
    assert main(["--stack", "baremetal", "--json"], out, err) == EXIT_OK
    assert "assumes a new cluster" in err.getvalue() and out.getvalue().startswith("{")
    code = main(["--stack", "baremetal", "--cluster", "/no/such/dir"], io.StringIO(), err := io.StringIO())
    assert code == EXIT_INVALID_CONFIG and "no such directory" in err.getvalue()


def test_the_clusters_resource_tags_must_be_carried_by_a_bucket_this_stack_creates() -> None:
    """The tag controller (awstagcontroller.go) writes them onto the bucket with the registry's credentials."""
    state = dump("aws-resource-tags")
    moved = {"platform": "aws", "storage": {"s3": {"region": "us-east-1"}, "move": True}}
    (problem,) = problems(state, **moved)
    assert problem.startswith("openshift-registry:storage.s3.clusterResourceTags: must carry")
    assert '{"cost-center": "42"}' in problem
    tagged = {
        "platform": "aws",
        "storage": {"s3": {"region": "us-east-1", "clusterResourceTags": {"cost-center": "42"}}, "move": True},
    }
    assert problems(state, **tagged) == []


def test_a_kubeconfig_given_as_json_content_is_read_as_content() -> None:
    """The provider takes `kubernetes:kubeconfig` as a path or as its content, YAML or JSON."""
    import json

    get = kubernetes_getter(json.dumps(UNREACHABLE_KUBECONFIG), None)
    with pytest.raises(ClusterReadError, match="cannot reach the cluster"):
        get(CONFIG)
