"""``python -m verify`` against a real S3 and IAM API: moto in server mode on 127.0.0.1, with IAM
enforcement on, started and stopped here, bounded in time. The cluster is an `oc get` dump.

moto denies every object request under a TLS-only bucket policy even over TLS (it does not see
``aws:SecureTransport`` as true), so the bucket here goes without one and the check that reads it
is tested on its own.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from components.storage.s3 import spec
from components.storage.s3.probe import tls_only_check
from tests.servers import moto_server
from tests.verify_support import cluster_dump, healthy_conditions, run, stack_file
from verify.__main__ import main

BUCKET = "corp-registry"
REGION = "us-east-1"


@pytest.fixture(scope="module")
def moto() -> Iterator[dict[str, Any]]:
    with moto_server(REGION) as server:
        yield server


def admin(moto: dict[str, Any], service: str) -> Any:
    return boto3.client(service, **moto["admin"], **moto["options"])


@pytest.fixture
def registry(moto: dict[str, str]) -> Iterator[dict[str, Any]]:
    """A bucket as the stack makes it (but for the TLS-only policy) and the registry's IAM user with
    the stack's exact policy; removed again afterwards."""
    s3, iam = admin(moto, "s3"), admin(moto, "iam")
    s3.create_bucket(Bucket=BUCKET)
    s3.put_public_access_block(
        Bucket=BUCKET,
        PublicAccessBlockConfiguration={k[0].upper() + k[1:]: v for k, v in spec.public_access_block().items()},
    )
    s3.put_bucket_encryption(
        Bucket=BUCKET,
        ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
        },
    )
    s3.put_bucket_lifecycle_configuration(
        Bucket=BUCKET,
        LifecycleConfiguration={
            "Rules": [
                {
                    "ID": spec.LIFECYCLE_RULE_ID,
                    "Status": "Enabled",
                    "Filter": {"Prefix": ""},
                    "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1},
                }
            ]
        },
    )
    policy = spec.registry_user_policy(f"arn:aws:s3:::{BUCKET}", None)
    iam.create_user(UserName="registry")
    iam.put_user_policy(UserName="registry", PolicyName="registry", PolicyDocument=json.dumps(policy))
    key = iam.create_access_key(UserName="registry")["AccessKey"]
    yield {"s3": s3, "iam": iam, "policy": policy, "key": key}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET):
        for item in page.get("Contents", []):
            s3.delete_object(Bucket=BUCKET, Key=item["Key"])
    s3.delete_bucket(Bucket=BUCKET)
    iam.delete_access_key(UserName="registry", AccessKeyId=key["AccessKeyId"])
    iam.delete_user_policy(UserName="registry", PolicyName="registry")
    iam.delete_user(UserName="registry")


def without(registry: dict[str, Any], action: str) -> None:
    """The registry user's policy with one object action taken out, as someone editing it by hand would."""
    policy = registry["policy"]
    objects = policy["Statement"][1]
    objects["Action"] = [a for a in objects["Action"] if a != action]
    registry["iam"].put_user_policy(UserName="registry", PolicyName="registry", PolicyDocument=json.dumps(policy))


# Secret config as a stack file holds it (ciphertext; verify reads the registry's keys from the cluster).
KEYS = {f"openshift-registry:{key}": {"secure": "AAABAGNpcGhlcnRleHQ="} for key in ("s3AccessKey", "s3SecretKey")}
STACK = {
    "openshift-registry:platform": "aws",
    "openshift-registry:registry": {"replicas": 2},
    "openshift-registry:storage": {"s3": {"bucket": BUCKET, "region": REGION}},
}
OURS = {"managementState": "Unmanaged", "s3": {"bucket": BUCKET, "region": REGION, "encrypt": True}}


def dump(
    tmp_path: Path,
    key: dict[str, str],
    *,
    storage: dict | None = None,
    conditions: list | None = None,
    extra: tuple = (),
) -> Path:
    secret = {
        "REGISTRY_STORAGE_S3_ACCESSKEY": key["AccessKeyId"],
        "REGISTRY_STORAGE_S3_SECRETKEY": key["SecretAccessKey"],
    }
    return cluster_dump(tmp_path, storage or OURS, secret, conditions=conditions, extra=extra)


def verify(
    tmp_path: Path, moto: dict[str, Any], directory: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[int, dict[str, Any], str]:
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto["endpoint"])
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", moto["admin"]["aws_access_key_id"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", moto["admin"]["aws_secret_access_key"])
    return run(stack_file(tmp_path, STACK), directory)


def statuses(results: dict[str, Any]) -> dict[str, str]:
    return {name: check["status"] for name, check in results.items()}


def test_a_healthy_s3_registry_passes_every_check_that_moto_can_serve(tmp_path, moto, registry, monkeypatch) -> None:
    code, results, text = verify(tmp_path, moto, dump(tmp_path, registry["key"]), monkeypatch)
    assert registry["key"]["SecretAccessKey"] not in text, "the registry's keys are never shown"
    failing = {name: status for name, status in statuses(results).items() if status != "pass"}
    assert failing == {"TLS-only policy": "fail"}, results  # the bucket here has none: the module's docstring
    assert code == 1, "a missing policy is drift"


def test_a_permission_missing_from_the_registrys_policy_fails_its_check(tmp_path, moto, registry, monkeypatch) -> None:
    without(registry, "s3:AbortMultipartUpload")
    code, results, _ = verify(tmp_path, moto, dump(tmp_path, registry["key"]), monkeypatch)
    check = results["multipart upload, aborted"]
    assert check["status"] == "fail" and "AccessDenied" in check["detail"] and "pulumi up" in check["fix"]
    assert results["multipart upload, completed"]["status"] == "pass" and code == 1


def test_a_deleted_lifecycle_rule_fails_its_check(tmp_path, moto, registry, monkeypatch) -> None:
    registry["s3"].delete_bucket_lifecycle(Bucket=BUCKET)
    _, results, _ = verify(tmp_path, moto, dump(tmp_path, registry["key"]), monkeypatch)
    check = results["multipart cleanup rule"]
    assert check["status"] == "fail" and "pulumi up" in check["fix"]


def test_a_bucket_made_public_fails_its_check(tmp_path, moto, registry, monkeypatch) -> None:
    opened = {
        "BlockPublicAcls": False,
        "IgnorePublicAcls": True,
        "BlockPublicPolicy": False,
        "RestrictPublicBuckets": True,
    }
    registry["s3"].put_public_access_block(Bucket=BUCKET, PublicAccessBlockConfiguration=opened)
    _, results, _ = verify(tmp_path, moto, dump(tmp_path, registry["key"]), monkeypatch)
    check = results["public access blocked"]
    assert check["status"] == "fail" and "BlockPublicAcls" in check["detail"]


def test_wrong_keys_fail_the_access_checks(tmp_path, moto, registry, monkeypatch) -> None:
    wrong = {"AccessKeyId": registry["key"]["AccessKeyId"], "SecretAccessKey": "not-the-secret"}
    _, results, _ = verify(tmp_path, moto, dump(tmp_path, wrong), monkeypatch)
    assert results["write, read, list, delete"]["status"] == "fail"


def test_a_degraded_operator_or_a_second_storage_block_fails_the_operators_view(
    tmp_path, moto, registry, monkeypatch
) -> None:
    degraded = [
        c if c["type"] != "Degraded" else {**c, "status": "True", "message": "exactly one storage type"}
        for c in healthy_conditions()
    ]
    two = {"managementState": "Unmanaged", "emptyDir": {}, "s3": {"bucket": BUCKET, "region": REGION, "encrypt": True}}
    _, results, _ = verify(
        tmp_path, moto, dump(tmp_path, registry["key"], storage=two, conditions=degraded), monkeypatch
    )
    assert (
        results["Config Degraded"]["status"] == "fail"
        and "exactly one storage type" in results["Config Degraded"]["detail"]
    )
    assert results["one storage type"]["status"] == "fail"


def test_the_tls_only_policy_check_reads_the_policy_the_stack_sets() -> None:
    assert tls_only_check(json.dumps(spec.tls_only_policy(f"arn:aws:s3:::{BUCKET}"))).status == "pass"
    allow_all = {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}]}
    assert tls_only_check(json.dumps(allow_all)).status == "fail"


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """An S3-compatible gateway over TLS with a private CA (moto again, with a certificate the CA
    issued for localhost), a bucket, and the registry's user with the stack's policy."""
    from tests import certs

    folder = tmp_path_factory.mktemp("gateway")
    ca = certs.make("Example Corp Gateway CA", ca=True)
    server = certs.signed_by(ca, "localhost")
    for name, pem in (("tls.crt", server.certificate), ("tls.key", server.key), ("ca.crt", ca.certificate)):
        (folder / name).write_text(pem)
    with moto_server(REGION, (folder / "tls.crt", folder / "tls.key", folder / "ca.crt")) as moto:
        boto3.client("s3", **moto["admin"], **moto["options"]).create_bucket(Bucket=BUCKET)
        iam = boto3.client("iam", **moto["admin"], **moto["options"])
        iam.create_user(UserName="registry")
        policy = spec.registry_user_policy(f"arn:aws:s3:::{BUCKET}", None)
        iam.put_user_policy(UserName="registry", PolicyName="registry", PolicyDocument=json.dumps(policy))
        key = iam.create_access_key(UserName="registry")["AccessKey"]
        yield {"endpoint": moto["endpoint"], "ca": ca.certificate, "key": key}


def gateway_stack(tmp_path: Path, gateway: dict[str, Any], **s3: Any) -> Path:
    storage = {"bucket": BUCKET, "region": REGION, "regionEndpoint": gateway["endpoint"], "credentials": "secretConfig"}
    return stack_file(
        tmp_path,
        {
            "openshift-registry:platform": "baremetal",
            "openshift-registry:registry": {"replicas": 2},
            "openshift-registry:storage": {"s3": {**storage, **s3}},
            "openshift-registry:s3AccessKey": {"secure": "AAABAKxPm2yJcuZ0ZS0yZWNyZXQtcGxhY2Vob2xkZXItYWNjZXNz"},
            "openshift-registry:s3SecretKey": {"secure": "AAABAJ9rq7ZcuZ0ZS0yZWNyZXQtcGxhY2Vob2xkZXItc2VjcmV0"},
        },
    )


def verify_gateway(stack: Path, directory: Path) -> dict[str, Any]:
    return run(stack, directory)[1]


ACCESS_PROBES = ("write, read, list, delete", "multipart upload, completed", "multipart upload, aborted")


def test_a_gateway_with_a_private_ca_is_probed_over_tls_with_the_stacks_ca_bundle(tmp_path, gateway) -> None:
    results = verify_gateway(gateway_stack(tmp_path, gateway, caBundle=gateway["ca"]), dump(tmp_path, gateway["key"]))
    assert [results[name]["status"] for name in ACCESS_PROBES] == ["pass"] * 3, results


def test_a_gateway_with_a_private_ca_and_no_ca_given_cannot_be_probed(tmp_path, gateway) -> None:
    results = verify_gateway(gateway_stack(tmp_path, gateway), dump(tmp_path, gateway["key"]))
    first = results["write, read, list, delete"]
    assert first["status"] == "not run" and "SSL" in first["detail"], first


def test_the_trusted_ca_config_map_the_config_names_is_read_from_the_cluster(tmp_path, gateway) -> None:
    config_map = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "gateway-ca", "namespace": "openshift-config"},
        "data": {"ca-bundle.crt": gateway["ca"]},
    }
    directory = dump(tmp_path, gateway["key"], extra=(config_map,))
    results = verify_gateway(gateway_stack(tmp_path, gateway, trustedCA={"name": "gateway-ca"}), directory)
    assert [results[name]["status"] for name in ACCESS_PROBES] == ["pass"] * 3, results


def test_a_probe_that_fails_after_it_wrote_removes_what_it_wrote(tmp_path, moto, registry, monkeypatch) -> None:
    without(registry, "s3:GetObject")
    _, results, _ = verify(tmp_path, moto, dump(tmp_path, registry["key"]), monkeypatch)
    assert results["write, read, list, delete"]["status"] == "fail", results
    assert results["encryption"]["status"] == "fail", results["encryption"]
    left = registry["s3"].list_objects_v2(Bucket=BUCKET).get("Contents", [])
    assert left == [], f"the probe left {[o['Key'] for o in left]}"
    assert registry["s3"].list_multipart_uploads(Bucket=BUCKET).get("Uploads", []) == []


def test_a_bucket_that_is_gone_is_a_finding_not_a_check_that_could_not_run() -> None:
    from botocore.exceptions import ClientError

    from components.storage.s3.probe import _denied_fails

    def gone() -> Any:
        raise ClientError(
            {"Error": {"Code": "NoSuchBucket", "Message": "The specified bucket does not exist"}}, "PutObject"
        )

    check = _denied_fails("write, read, list, delete", gone)
    assert check.status == "fail" and "does not exist at PutObject" in check.detail and "pulumi refresh" in check.fix


def test_a_key_stored_with_a_newline_is_named_and_never_shown(tmp_path, moto, registry, monkeypatch) -> None:
    """`echo KEY | base64` stores a trailing newline; botocore then quotes the header holding the access key
    id in its error, over http:// too. The value never shows; the stray newline is the finding."""
    key = {"AccessKeyId": registry["key"]["AccessKeyId"] + "\n", "SecretAccessKey": registry["key"]["SecretAccessKey"]}
    code, results, text = verify(tmp_path, moto, dump(tmp_path, key), monkeypatch)
    assert registry["key"]["AccessKeyId"] not in text and registry["key"]["SecretAccessKey"] not in text, text
    stored = results["REGISTRY_STORAGE_S3_ACCESSKEY as stored"]
    assert stored["status"] == "fail" and "newline" in stored["detail"] and "printf" in stored["fix"]
    assert code == 1


def test_credentials_in_a_live_endpoint_are_never_shown(tmp_path, moto, registry, monkeypatch) -> None:
    """The drift line quotes the Config's live value; a stack file refuses credentials in a URL, a cluster
    may hold them all the same."""
    endpoint = moto["endpoint"]
    leaked = endpoint.replace("://", "://AKIAINURL:hunter2@")
    storage = {**OURS, "s3": {**OURS["s3"], "regionEndpoint": leaked}}
    monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", moto["admin"]["aws_access_key_id"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", moto["admin"]["aws_secret_access_key"])
    stack = {"s3": {"bucket": BUCKET, "region": REGION, "regionEndpoint": endpoint}}
    config = {**STACK, "openshift-registry:storage": stack, **KEYS}
    _, results, text = run(stack_file(tmp_path, config), dump(tmp_path, registry["key"], storage=storage))
    assert results["Config as the stack sets it"]["status"] == "fail"
    assert "[redacted]@" in results["Config as the stack sets it"]["detail"]
    assert "hunter2" not in text and "AKIAINURL" not in text, text


def test_deleted_hardening_fails_its_check_with_the_fix(tmp_path, moto, registry, monkeypatch) -> None:
    """S3 answers NoSuchPublicAccessBlockConfiguration / ...EncryptionConfigurationNotFound...: drift, a failed
    check saying `pulumi up --refresh`, never "could not run"."""
    registry["s3"].delete_public_access_block(Bucket=BUCKET)
    registry["s3"].delete_bucket_encryption(Bucket=BUCKET)
    _, results, _ = verify(tmp_path, moto, dump(tmp_path, registry["key"]), monkeypatch)
    for name in ("public access blocked", "default encryption"):
        assert results[name]["status"] == "fail" and "pulumi up --refresh" in results[name]["fix"], results[name]
    assert "deleted" in results["public access blocked"]["detail"]


def test_a_bucket_without_any_policy_fails_the_tls_only_check() -> None:
    """NoSuchBucketPolicy: moto cannot serve the TLS-only policy (module docstring); the check itself."""
    check = tls_only_check(None)
    assert check.status == "fail" and "pulumi up --refresh" in check.fix


def test_a_dump_with_blanked_secret_values_neither_passes_nor_fails_the_access_probes(
    tmp_path, moto, registry, monkeypatch
) -> None:
    """Made as the README says, a dump's Secret values are blank: used as keys they gave four false
    failures (or, without authentication, a false pass). The probes say so instead."""
    blank = {"AccessKeyId": "", "SecretAccessKey": ""}
    _, results, _ = verify(tmp_path, moto, dump(tmp_path, blank), monkeypatch)
    access = [c for c in results.values() if c["area"] == "registry access"]
    assert [c["status"] for c in access] == ["n/a"] and "live cluster" in access[0]["detail"], access
    assert results["public access blocked"]["status"] == "pass", "the caller's own checks still run"


CRN = "crn:v1:bluemix:public:cloud-object-storage:global:a/0123:1111-2222::"
COS_STACK = {
    "openshift-registry:platform": "ibmcloud",
    "openshift-registry:registry": {"replicas": 2},
    "openshift-registry:storage": {"ibmcos": {"bucket": BUCKET, "serviceInstanceCRN": CRN}},
    "openshift-registry:ibmcosApiKey": {"secure": "AAABAGNpcGhlcnRleHQ="},
}


def cos_dump(tmp_path: Path, key: dict[str, str]) -> Path:
    """The operator's own secret holds the HMAC keys as a shared credentials file (VolumeSecrets)."""
    import base64

    ini = f"[default]\naws_access_key_id = {key['AccessKeyId']}\naws_secret_access_key = {key['SecretAccessKey']}\n"
    operator_secret = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "image-registry-private-configuration", "namespace": "openshift-image-registry"},
        "data": {"credentials": base64.b64encode(ini.encode()).decode()},
    }
    storage = {"managementState": "Unmanaged", "ibmcos": {"bucket": BUCKET, "serviceInstanceCRN": CRN,
               "location": "us-south", "resourceGroupName": "rg"}}  # fmt: skip
    return cluster_dump(
        tmp_path, storage, {"REGISTRY_STORAGE_IBMCOS_IAMAPIKEY": "iam-api-key"}, extra=[operator_secret]
    )


def test_ibm_cos_is_probed_through_s3_with_the_operators_hmac_keys(tmp_path, moto, registry, monkeypatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto["endpoint"])
    code, results, text = run(stack_file(tmp_path, COS_STACK), cos_dump(tmp_path, registry["key"]))
    access = {name: c["status"] for name, c in results.items() if c["area"] == "registry access"}
    assert access == {
        "write, read, list, delete": "pass",
        "multipart upload, completed": "pass",
        "multipart upload, aborted": "pass",
    }, results
    assert results["bucket settings"]["status"] == "n/a" and code == 0, results
    assert registry["key"]["SecretAccessKey"] not in text


def test_ibm_cos_with_wrong_hmac_keys_fails_with_the_fix(tmp_path, moto, registry, monkeypatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto["endpoint"])
    wrong = {"AccessKeyId": "AKIAWRONGWRONGWRONG0", "SecretAccessKey": "wrong-secret"}
    code, results, _ = run(stack_file(tmp_path, COS_STACK), cos_dump(tmp_path, wrong))
    assert results["write, read, list, delete"]["status"] == "fail" and code == 1


def test_a_keyless_registry_is_probed_with_its_own_token_and_role(tmp_path, monkeypatch) -> None:
    """sts: the registry's service account token (TokenRequest, audience openshift) exchanged for the role
    installer-cloud-credentials names (AssumeRoleWithWebIdentity on moto's STS), then the same access probes
    with the temporary credentials; the live cluster is the stand-in API server. moto answers
    AssumeRoleWithWebIdentity only without IAM enforcement (with it, a 500): this moto enforces nothing, so the
    test proves the exchange and its wiring, not the role's grants (the IAM-user tests above do that)."""
    import base64
    import sys

    import yaml

    from tests.cluster_model.apiserver import serving as api_serving
    from tests.servers import free_port, serving
    from tests.verify_support import healthy_conditions

    port = free_port()
    command = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)]
    with serving(command, port, {"AWS_DEFAULT_REGION": REGION}) as endpoint:
        options = {
            "endpoint_url": endpoint,
            "region_name": REGION,
            "aws_access_key_id": "x",
            "aws_secret_access_key": "x",
        }
        boto3.client("s3", **options).create_bucket(Bucket=BUCKET)
        trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRoleWithWebIdentity",
                 "Principal": {"Federated": "arn:aws:iam::123456789012:oidc-provider/oidc.example.com"}}]}  # fmt: skip
        iam = boto3.client("iam", **options)
        role = iam.create_role(RoleName="registry-sts", AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
        ini = (
            f"[default]\nrole_arn = {role}\nweb_identity_token_file = /var/run/secrets/openshift/serviceaccount/token\n"
        )
        namespace = "openshift-image-registry"
        objects = [
            {"apiVersion": "imageregistry.operator.openshift.io/v1", "kind": "Config", "metadata": {"name": "cluster"},
             "spec": {"managementState": "Managed", "replicas": 2, "storage": {**OURS}},
             "status": {"conditions": healthy_conditions()}},
            {"apiVersion": "config.openshift.io/v1", "kind": "ClusterOperator", "metadata": {"name": "image-registry"},
             "status": {"conditions": healthy_conditions()[:3]}},
            {"apiVersion": "v1", "kind": "Secret",
             "metadata": {"name": "installer-cloud-credentials", "namespace": namespace},
             "data": {"credentials": base64.b64encode(ini.encode()).decode()}},
        ]  # fmt: skip
        monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", "caller")
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "caller")
        keyed = {
            (o["apiVersion"], o["kind"], o["metadata"].get("namespace", ""), o["metadata"]["name"]): o for o in objects
        }
        with api_serving(keyed) as served:
            kubeconfig = tmp_path / "kubeconfig"
            kubeconfig.write_text(yaml.safe_dump(served.kubeconfig), encoding="utf-8")
            storage = {"s3": {"bucket": BUCKET, "region": REGION, "credentials": "sts"}}
            config = {**STACK, "openshift-registry:storage": storage, "kubernetes:kubeconfig": str(kubeconfig),
                      "openshift-registry:cluster": {"serviceAccountIssuer": "https://oidc.example.com"}}  # fmt: skip
            out, err = io.StringIO(), io.StringIO()
            main(["--config-file", str(stack_file(tmp_path, config)), "--json"], out, err)
    checks = json.loads(out.getvalue())["checks"]
    access = {c["name"]: c["status"] for c in checks if c["area"] == "registry access"}
    assert served.tokens == [(namespace, "registry", ("openshift",))], checks
    assert (
        access
        == {
            "write, read, list, delete": "pass",
            "multipart upload, completed": "pass",
            "multipart upload, aborted": "pass",
            "encryption": access.get("encryption"),
        }
        and access["write, read, list, delete"] == "pass"
    ), checks
    assert "token-for" not in out.getvalue() and "eyJ" not in out.getvalue(), "the token is never shown"


def test_without_a_live_cluster_the_keyless_probe_says_where_to_run_it() -> None:
    from components.storage.s3 import probe
    from tests.cluster_model import states
    from tests.cluster_model.apply import read
    from tests.support import settings

    objects = states.build(states.ClusterSpec("4.17", "aws", "manual"))
    s3 = {"region": "us-east-1", "bucket": "b-registry", "credentials": "sts"}
    stack = settings(platform="aws", storage={"s3": s3}, cluster={"serviceAccountIssuer": states.ISSUER})
    first = probe.sts_credentials(read(objects), None, "us-east-1")
    assert first.status == "n/a" and "live cluster" in first.detail
    assert stack.storage.s3 is not None
