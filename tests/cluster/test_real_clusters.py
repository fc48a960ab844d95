"""What used to break on the clusters users actually have, each against a generated cluster state.

Every test names the operator (or API server) behaviour it rests on; each fails without its fix.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml

from components.cluster.readers import kubernetes_getter, read_live
from components.cluster.state import CONFIG, INSTALLER_SECRET, USER_SECRET, ClusterState
from components.stack_config import StackConfig, load_stack_file, stack_path
from offline.engine import evaluate
from tests.cluster_model import states
from tests.cluster_model.apiserver import serving
from tests.cluster_model.apply import AlreadyExistsError, apply, read
from tests.cluster_model.loop import plan_of, refusals, up_twice
from tests.support import PROJECT, by_type, config_of, one

SECRET = "kubernetes:core/v1:Secret"
SECRET_PATCH = "kubernetes:core/v1:SecretPatch"
CONFIG_PATCH = "kubernetes:imageregistry.operator.openshift.io/v1:ConfigPatch"


def stack_of(**keys: Any) -> StackConfig:
    config, secret_keys = config_of(**keys)
    return StackConfig(project=PROJECT, stack="test", config=config, secret_keys=secret_keys)


def storage_of(objects: dict[Any, Any]) -> dict[str, Any]:
    return objects[CONFIG]["spec"]["storage"]


def adopted(objects: dict[Any, Any], **where: Any) -> StackConfig:
    """The stack `python -m adopt` writes for this cluster, its secret config set as its commands say."""
    from adopt.translate import adopt

    adoption = adopt(read(objects), **where)
    config = {key: value if isinstance(value, str) else json.dumps(value) for key, value in adoption.config.items()}
    secrets = [f"{PROJECT}:{key}" for key in adoption.secrets]
    config.update(dict.fromkeys(secrets, "copied-from-the-cluster"))
    return StackConfig(project=PROJECT, stack="adopted", config=config, secret_keys=secrets)


STS = {
    "platform": "aws",
    "storage": {"s3": {"region": "us-east-1", "bucket": "corp-sts-registry", "credentials": "sts"}, "move": True},
}


# 1. Keyless modes patch installer-cloud-credentials, which ccoctl made, on the live cluster too.
def test_keyless_patches_ccoctls_secret_read_from_the_live_cluster() -> None:
    objects = states.build(states.ClusterSpec("4.17", "aws", "manual"))
    with serving(objects) as served:
        live = read_live(kubernetes_getter(yaml.safe_dump(served.kubeconfig), None))
    evaluation = evaluate(stack_of(**STS), cluster=live)
    assert by_type(evaluation, SECRET) == []
    patch = one(evaluation, SECRET_PATCH)
    assert patch.inputs["metadata"]["name"] == "installer-cloud-credentials"
    apply(objects, evaluation.registrations, "4.17")  # the provider would refuse to create it


def test_creating_a_secret_that_exists_is_what_the_provider_refuses() -> None:
    """The model's provider refuses as pulumi-kubernetes does: the test above would catch a create."""
    objects = states.build(states.ClusterSpec("4.17", "aws", "manual"))
    blind = ClusterState(objects={k: v for k, v in read(objects).objects.items() if k != INSTALLER_SECRET}, read=True)
    evaluation = evaluate(stack_of(**STS), cluster=blind)
    with pytest.raises(AlreadyExistsError):
        apply(objects, evaluation.registrations, "4.17")


def test_a_secret_this_program_created_stays_created_on_the_second_run() -> None:
    """A cluster without ccoctl's secret: created (and marked), then read back: still a created object,
    never a patch of itself (that would replace the resource on the second `pulumi up`)."""
    objects = states.build(states.ClusterSpec("4.17", "aws", "manual"))
    del objects[INSTALLER_SECRET]
    run = up_twice(stack_of(**STS), objects, "4.17")
    assert run.second is not None and run.first is not None
    assert one(run.first, SECRET).inputs["metadata"]["name"] == "installer-cloud-credentials"
    assert plan_of(run.second) == plan_of(run.first)


# 2-4. What the API server and the operator store is not stale, release by release.
@pytest.mark.parametrize("version", ["4.14", "4.15", "4.17"])
def test_azure_networkaccess_defaulted_by_the_crd_is_not_stale(version: str) -> None:
    """openshift/api 4.15 ImageRegistryConfigStorageAzure.NetworkAccess: +kubebuilder:default type External."""
    objects = states.build(states.ClusterSpec(version, "azure", "ipi"))
    azure = storage_of(objects)["azure"]
    assert ("networkAccess" in azure) == (version != "4.14")
    assert refusals(adopted(objects, resource_group="ocp-abc12-rg"), read(objects)) == []


def test_a_networkaccess_someone_set_is_still_stale() -> None:
    objects = states.build(states.ClusterSpec("4.17", "azure", "ipi"))
    azure = storage_of(objects)["azure"]
    stack = adopted(objects, resource_group="ocp-abc12-rg")
    azure["networkAccess"] = {"type": "Internal"}
    (problem,) = refusals(stack, read(objects))
    assert 'networkAccess: {"type": "Internal"}' in problem and "/spec/storage/azure/networkAccess" in problem


@pytest.mark.parametrize("version", ["4.6", "4.10", "4.11", "4.17"])
def test_the_s3_blocks_typed_zero_values_are_not_stale(version: str) -> None:
    """Every typed write of the s3 block stores virtualHostedStyle: false, and from 4.11 trustedCA {name: ""}."""
    objects = states.build(states.ClusterSpec(version, "aws", "ipi"))
    s3 = storage_of(objects)["s3"]
    assert ("trustedCA" in s3) == (version in ("4.11", "4.17"))
    stack = adopted(objects)
    assert refusals(stack, read(objects)) == []
    s3["trustedCA"] = {"name": "old-proxy-ca"}
    (problem,) = refusals(stack, read(objects))
    assert 'trustedCA: {"name": "old-proxy-ca"}' in problem


IBMCOS = load_stack_file(stack_path("ibmcloud-cos"))


def test_ibm_cos_write_back_is_kept_and_never_offered_for_removal() -> None:
    """CreateStorage (pkg/storage/ibmcos) writes location, resourceGroupName and resourceKeyCRN; removing
    resourceKeyCRN makes it mint another HMAC key on every sync."""
    objects = states.build(states.ClusterSpec("4.17", "ibmcloud", "ipi"))
    run = up_twice(IBMCOS, objects, "4.17")
    assert run.second_refusals == [] and "storage.move: true" in run.fixes
    cos = storage_of(objects)["ibmcos"]
    assert cos["resourceKeyCRN"] and cos["location"] and cos["resourceGroupName"]
    assert not any("resourceKeyCRN" in fix for fix in run.fixes)


def test_a_field_someone_adds_later_to_a_block_we_own_is_stale() -> None:
    """Owning some fields of a block says nothing of the others: decided field by field (managedFields)."""
    stack = load_stack_file(stack_path("aws-prod"))
    objects = states.build(states.ClusterSpec("4.17", "aws", "ipi"))
    run = up_twice(stack, objects, "4.17")
    assert run.second is not None
    storage_of(objects)["s3"]["regionEndpoint"] = "https://s3.proxy.example.com"  # `oc patch` by someone
    (problem,) = refusals(stack, read(objects))
    assert 'regionEndpoint: "https://s3.proxy.example.com"' in problem


# 9. A user secret silently wins over a keyless mode.
def test_keyless_with_a_leftover_user_secret_is_refused_with_the_fix() -> None:
    objects = states.build(states.ClusterSpec("4.17", "aws", "manual"))
    metadata = {"name": USER_SECRET[3], "namespace": USER_SECRET[2]}
    data = {"REGISTRY_STORAGE_S3_ACCESSKEY": "QQ=="}
    objects[USER_SECRET] = {"apiVersion": "v1", "kind": "Secret", "metadata": metadata, "data": data}
    (problem,) = refusals(stack_of(**STS), read(objects))
    assert problem.startswith("openshift-registry:storage.s3.credentials: sts writes installer-cloud-credentials")
    assert "oc delete secret image-registry-private-configuration-user -n openshift-image-registry" in problem


# 10. Single-node OpenShift runs one registry pod.
def test_single_node_gets_one_replica_and_more_are_refused() -> None:
    objects = states.build(states.ClusterSpec("4.17", "baremetal", "removed", "SingleReplica"))
    stack = stack_of(platform="baremetal", storage={"pvc": {}})
    evaluation = evaluate(stack, cluster=read(objects))
    assert one(evaluation, CONFIG_PATCH).inputs["spec"]["replicas"] == 1
    (problem,) = refusals(stack_of(platform="baremetal", storage={"pvc": {}}, registry={"replicas": 2}), read(objects))
    assert problem.startswith("openshift-registry:registry.replicas: is 2, but the cluster is single-node")
    highly_available = states.build(states.ClusterSpec("4.17", "baremetal", "removed"))
    assert one(evaluate(stack, cluster=read(highly_available)), CONFIG_PATCH).inputs["spec"]["replicas"] == 2


# 11. No ImageRegistry capability: nothing to configure.
def test_a_cluster_without_the_image_registry_capability_is_refused_first() -> None:
    objects = states.build(states.ClusterSpec("4.17", "aws", "ipi", disabled=("ImageRegistry",)))
    stack = load_stack_file(stack_path("aws-prod"))
    (problem,) = refusals(stack, read(objects))
    assert problem.startswith("(cluster) clusterversions/version status.capabilities: the model cluster was installed")
    assert '"additionalEnabledCapabilities": ["ImageRegistry"]' in problem
    # 4.11-4.13 report capabilities too, but ImageRegistry was not optional yet: nothing to refuse.
    older = states.build(states.ClusterSpec("4.11", "aws", "ipi"))
    assert not read(older).capability_disabled("ImageRegistry")


def test_without_the_cloud_credential_capability_the_cluster_is_manual() -> None:
    """The installer requires credentialsMode Manual when the CloudCredential capability is disabled."""
    objects = states.build(states.ClusterSpec("4.17", "aws", "manual", disabled=("CloudCredential",)))
    assert read(objects).credentials_mode == "Manual"
    assert refusals(stack_of(**STS), read(objects)) == []


# 12. ccoctl's secret is never stripped by `pulumi destroy`.
@pytest.mark.parametrize("state", ["Managed", "Removed"])
def test_the_keyless_secret_patch_and_the_identity_it_names_are_always_retained(state: str) -> None:
    objects = states.build(states.ClusterSpec("4.17", "aws", "manual"))
    evaluation = evaluate(stack_of(**STS, registry={"managementState": state}), cluster=read(objects))
    assert one(evaluation, SECRET_PATCH).retain_on_delete
    assert one(evaluation, "aws:iam/role:Role").retain_on_delete


# 13. A keyless mode needs the cluster's own issuer.
def test_a_stack_issuer_on_a_cluster_without_one_is_refused() -> None:
    objects = states.build(states.ClusterSpec("4.17", "aws", "ipi"))
    objects[next(k for k in objects if k[1] == "CloudCredential")]["spec"]["credentialsMode"] = "Manual"
    stack = stack_of(**STS, cluster={"serviceAccountIssuer": "https://oidc.example.com"})
    found = refusals(stack, read(objects))
    assert any("needs the cluster's own service account issuer, but the model cluster has none" in p for p in found)


# Never strand images.
def test_moving_the_registry_off_its_storage_is_refused_naming_where_the_images_are() -> None:
    objects = states.build(states.ClusterSpec("4.17", "gcp", "ipi"))
    bucket = storage_of(objects)["gcs"]["bucket"]
    stack = load_stack_file(stack_path("gcp-prod"))
    (problem,) = [p for p in refusals(stack, read(objects)) if "would move" in p]
    assert f"The images are in gcs bucket {bucket}" in problem
    assert "gcloud storage rsync" in problem and "then set storage.move: true" in problem


def test_a_move_to_another_kind_is_refused_too() -> None:
    objects = states.build(states.ClusterSpec("4.17", "aws", "ipi"))
    found = refusals(stack_of(platform="aws", storage={"emptyDir": {}}, environment="nonproduction"), read(objects))
    assert any("would move the registry" in p and "to storage.emptyDir" in p for p in found)


def test_a_platform_mismatch_is_the_only_problem() -> None:
    """Pointed at the wrong cluster, the `oc patch` that removes its storage block would be the wrong fix."""
    objects = states.build(states.ClusterSpec("4.17", "aws", "ipi"))
    found = refusals(load_stack_file(stack_path("gcp-prod")), read(objects))
    assert len(found) == 1 and found[0].startswith("openshift-registry:platform: is gcp, but the cluster's")


@pytest.mark.parametrize("platform", ["aws", "gcp", "azure"])
def test_adopt_never_proposes_a_move(platform: str) -> None:
    """The adopted stack names the storage the registry uses, as the operator wrote it."""
    objects = states.build(states.ClusterSpec("4.17", platform, "ipi"))
    where = {"resource_group": "ocp-abc12-rg"} if platform == "azure" else {}
    assert refusals(adopted(objects, **where), read(objects)) == []


# 8. Azure refuses concurrent federated-credential writes under one identity.
def test_azure_federated_credentials_are_written_one_after_the_other() -> None:
    """ConcurrentFederatedIdentityCredentialsWritesForSingleManagedIdentity: ccoctl writes them in turn."""
    evaluation = evaluate(load_stack_file(stack_path("azure-wi")))
    federated = by_type(evaluation, "azure-native:managedidentity:FederatedIdentityCredential")
    assert len(federated) == 2
    first, second = sorted(federated, key=lambda r: len(r.depends_on))
    assert first.urn in second.depends_on and second.urn not in first.depends_on


STATIC_KEYS = {
    "ibmcloud": ("REGISTRY_STORAGE_IBMCOS_IAMAPIKEY",),
    "powervs": ("REGISTRY_STORAGE_IBMCOS_IAMAPIKEY",),
    "openstack": ("REGISTRY_STORAGE_SWIFT_USERNAME", "REGISTRY_STORAGE_SWIFT_PASSWORD"),
}


@pytest.mark.parametrize("platform", sorted(STATIC_KEYS))
def test_adopt_round_trips_swift_and_ibm_cos(platform: str) -> None:
    """OpenStack, IBM Cloud and PowerVS clusters were refused by adopt. The adopted stack previews against
    the same cluster with nothing refused; IBM COS leaves the operator's write-back to it."""
    objects = states.build(states.ClusterSpec("4.17", platform, "ipi"))
    metadata = {"name": USER_SECRET[3], "namespace": USER_SECRET[2]}
    data = dict.fromkeys(STATIC_KEYS[platform], "")
    objects[USER_SECRET] = {"apiVersion": "v1", "kind": "Secret", "metadata": metadata, "data": data}
    stack = adopted(objects)
    assert refusals(stack, read(objects)) == []
    storage = json.loads(stack.config[f"{PROJECT}:storage"])
    if platform == "openstack":
        assert storage["swift"]["credentials"] == "password" and storage["swift"]["adopt"] is True
        assert set(stack.secret_keys) == {f"{PROJECT}:{k}" for k in ("swiftUsername", "swiftPassword", "httpSecret")}
    else:
        assert "location" not in storage["ibmcos"] and "resourceGroupName" not in storage["ibmcos"]
        assert set(stack.secret_keys) == {f"{PROJECT}:ibmcosApiKey", f"{PROJECT}:httpSecret"}


def test_adopting_swift_with_an_application_credential_drops_the_tenant() -> None:
    objects = states.build(states.ClusterSpec("4.17", "openstack", "ipi"))
    metadata = {"name": USER_SECRET[3], "namespace": USER_SECRET[2]}
    keys = ("REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALID", "REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALNAME",
            "REGISTRY_STORAGE_SWIFT_APPLICATIONCREDENTIALSECRET")  # fmt: skip
    objects[USER_SECRET] = {"apiVersion": "v1", "kind": "Secret", "metadata": metadata, "data": dict.fromkeys(keys, "")}
    stack = adopted(objects)
    swift = json.loads(stack.config[f"{PROJECT}:storage"])["swift"]
    assert swift["credentials"] == "applicationCredential" and "tenant" not in swift
    (problem,) = refusals(stack, read(objects))
    assert "tenant" in problem and "/spec/storage/swift/tenant" in problem, "the live tenant is removed as told"


@pytest.mark.parametrize("platform", ["aws", "gcp", "azure"])
def test_adopt_on_short_lived_credentials_proposes_the_keyless_mode_and_the_second_up_is_a_no_op(platform: str) -> None:
    """Static keys would be refused there: adopt proposes sts / workloadIdentity, asks only for what a dump
    cannot show (AWS: the OIDC provider ccoctl made, named by the account), and the loop runs clean."""
    from adopt.translate import adopt

    objects = states.build(states.ClusterSpec("4.17", platform, "manual"))
    where = {"resource_group": "ocp-abc12-rg", "location": "eastus"} if platform == "azure" else {}
    stack = adopted(objects, **where)
    storage = next(iter(json.loads(stack.config[f"{PROJECT}:storage"]).values()))
    assert storage["credentials"] == {"aws": "sts", "gcp": "workloadIdentity", "azure": "workloadIdentity"}[platform]
    adoption = adopt(read(objects), **where)
    if platform == "aws":
        (ask,) = adoption.asks
        assert "storage.s3.oidcProviderArn" in ask and ":oidc-provider/ocp-abc12-oidc.s3.us-east-1.amazonaws.com" in ask
    run = up_twice(stack, objects, "4.17")
    assert run.refused == [] and run.second_refusals == [] and plan_of(run.second) == plan_of(run.first)


def test_adopting_keyless_azure_needs_the_location() -> None:
    from adopt.translate import adopt
    from components.adoption import AdoptionError

    objects = states.build(states.ClusterSpec("4.17", "azure", "manual"))
    with pytest.raises(AdoptionError, match="give --location"):
        adopt(read(objects), resource_group="ocp-abc12-rg")


def test_adopting_swift_in_import_mode_imports_the_container() -> None:
    """``--mode import`` takes the container over (its id is its name), as it does a bucket: before, a Swift
    stack adopted that way neither referenced nor imported it, so ``pulumi up`` would create one over it."""
    from adopt.translate import adopt

    objects = states.build(states.ClusterSpec("4.17", "openstack", "ipi"))
    metadata = {"name": USER_SECRET[3], "namespace": USER_SECRET[2]}
    data = dict.fromkeys(STATIC_KEYS["openstack"], "")
    objects[USER_SECRET] = {"apiVersion": "v1", "kind": "Secret", "metadata": metadata, "data": data}
    adoption = adopt(read(objects), mode="import")
    swift = adoption.config[f"{PROJECT}:storage"]["swift"]
    imports = adoption.config[f"{PROJECT}:import"]
    assert "adopt" not in swift and imports["container"] == swift["container"]
    stack = adopted(objects, mode="import")
    assert refusals(stack, read(objects)) == [], "the import names an object the plan has"
    evaluation = evaluate(stack)
    (container,) = by_type(evaluation, "openstack:objectstorage/container:Container")
    assert container.import_id == swift["container"] and container.protect
