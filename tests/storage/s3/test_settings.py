"""Every storage.s3 rule, fed its bad input; each message names the key."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support import load, problems_of, the_problem

RGW = "http://rook-ceph-rgw-ocs-storagecluster-cephobjectstore.openshift-storage.svc.cluster.local"
KEYS = {"s3AccessKey": "AKIAEXAMPLE", "s3SecretKey": "wJalrXUtnFEMI"}


def problems(s3: dict[str, Any], platform: str = "aws", **kwargs: Any) -> list[str]:
    return problems_of(platform=platform, storage={"s3": s3}, **kwargs)


def only(s3: dict[str, Any], key: str, fragment: str, **kwargs: Any) -> None:
    the_problem(problems(s3, **kwargs), key, fragment)


def test_region_required_on_aws() -> None:
    only({}, "storage.s3.region", "required (or set aws:region): the bucket is created in this region")


def test_region_defaults_to_the_provider_region() -> None:
    stack = load(platform="aws", storage={"s3": {}}, extra={"aws:region": "eu-west-2"}).settings
    assert stack.storage.s3 is not None and stack.storage.s3.region == "eu-west-2"


def test_provider_region_is_never_a_gateway_region() -> None:
    """An S3-compatible gateway's region is its own: aws:region must not fill it (MissingRegion stays)."""
    found = problems({"regionEndpoint": RGW}, platform="baremetal", secrets=KEYS, extra={"aws:region": "eu-west-2"})
    the_problem(found, "storage.s3.region", "MissingRegion")


def test_region_required_with_endpoint_because_of_missing_region() -> None:
    only({"regionEndpoint": RGW}, "storage.s3.region", "MissingRegion", platform="baremetal", secrets=KEYS)


def test_region_must_look_like_an_aws_region() -> None:
    only({"region": "Virginia"}, "storage.s3.region", "is not an AWS region name")


def test_provider_region_may_differ_because_every_s3_resource_names_its_region() -> None:
    stack = load(platform="aws", storage={"s3": {"region": "us-east-1"}}, extra={"aws:region": "eu-west-1"}).settings
    assert stack.provider_config == {"aws:region": "eu-west-1"}


@pytest.mark.parametrize(
    ("bucket", "fragment"),
    [
        ("My_Bucket", "is not a valid S3 bucket name"),
        ("ab", "is not a valid S3 bucket name"),
        ("a" * 64, "is not a valid S3 bucket name"),
        ("-leading", "is not a valid S3 bucket name"),
        ("two..dots", "no adjacent dots"),
        ("192.168.1.10", "must not look like an IP address"),
        ("xn--bucket", "prefix or suffix that S3 reserves"),
        ("bucket-s3alias", "prefix or suffix that S3 reserves"),
    ],
)
def test_bucket_names_follow_s3_rules(bucket: str, fragment: str) -> None:
    only({"region": "us-east-1", "bucket": bucket}, "storage.s3.bucket", fragment)


def test_endpoint_needs_scheme_and_host() -> None:
    only(
        {"region": "us-east-1", "regionEndpoint": "s3.example.com"},
        "storage.s3.regionEndpoint",
        "needs a scheme and a host",
        platform="baremetal",
        secrets=KEYS,
    )
    only(
        {"region": "us-east-1", "regionEndpoint": "ftp://s3.example.com"},
        "storage.s3.regionEndpoint",
        "needs a scheme",
        platform="baremetal",
        secrets=KEYS,
    )


@pytest.mark.parametrize("host", ["rgw.openshift-storage.svc", "rgw.openshift-storage.svc.cluster.local"])
def test_in_cluster_gateway_url_with_a_port_is_a_warning_citing_the_documentation(host: str) -> None:
    """The operator takes any URL (s3.go ConfigEnv); only the 4.6 documentation advises against a port."""
    loaded = load(
        platform="baremetal",
        storage={"s3": {"region": "us-east-1", "regionEndpoint": f"http://{host}:8080"}},
        secrets=KEYS,
    )
    (warning,) = [str(w) for w in loaded.warnings]
    assert warning.startswith("openshift-registry:storage.s3.regionEndpoint: carries an explicit port (:8080)")
    assert "registry documentation (section 3.1.3" in warning and "the operator accepts it" in warning


def test_port_is_fine_outside_the_cluster() -> None:
    stack = load(
        platform="baremetal",
        storage={"s3": {"region": "us-east-1", "regionEndpoint": "https://minio.example.com:9000"}},
        secrets=KEYS,
    ).settings
    assert stack.storage.s3 is not None and stack.storage.s3.compatible_endpoint


def test_endpoint_with_a_path_is_refused() -> None:
    only(
        {"region": "us-east-1", "regionEndpoint": "https://s3.example.com/bucket"},
        "storage.s3.regionEndpoint",
        "no path",
        platform="baremetal",
        secrets=KEYS,
    )


def test_endpoint_with_a_bad_port_is_refused() -> None:
    only(
        {"region": "us-east-1", "regionEndpoint": "https://s3.example.com:99999"},
        "storage.s3.regionEndpoint",
        "is not a valid URL",
        platform="baremetal",
        secrets=KEYS,
    )


def test_amazon_s3_only_on_aws() -> None:
    only({"region": "us-east-1"}, "storage.s3.regionEndpoint", "required on platform vsphere", platform="vsphere")


def test_virtual_hosted_style_is_valid_on_aws() -> None:
    """The operator passes it to the registry on AWS too: FORCEPATHSTYLE = !virtualHostedStyle (s3.go ConfigEnv)."""
    stack = load(platform="aws", storage={"s3": {"region": "us-east-1", "virtualHostedStyle": True}}).settings
    assert stack.storage.s3 is not None and stack.storage.s3.virtual_hosted_style is True


KEY_ARN = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"


@pytest.mark.parametrize(
    "key_id",
    [
        KEY_ARN,
        "arn:aws:kms:us-east-1:111122223333:alias/registry",
        "alias/registry",
        "1234abcd-12ab-34cd-56ef-1234567890ab",
        "mrk-1234abcd12ab34cd56ef1234567890ab",
    ],
)
def test_every_form_of_kms_key_is_accepted_on_aws(key_id: str) -> None:
    stack = load(platform="aws", storage={"s3": {"region": "us-east-1", "keyID": key_id}}).settings
    assert stack.storage.s3 is not None and stack.storage.s3.kms_key_is_arn is (key_id == KEY_ARN)


@pytest.mark.parametrize("key_id", ["registry", "key/1234", "arn:aws:kms:us-east-1:111122223333:key/k1", "alias/"])
def test_a_kms_key_in_no_form_aws_knows_is_refused(key_id: str) -> None:
    only({"region": "us-east-1", "keyID": key_id}, "storage.s3.keyID", "is not a KMS key: give a key ARN")


def test_a_kms_key_of_another_region_is_refused() -> None:
    key = KEY_ARN.replace("us-east-1", "eu-west-1")
    only(
        {"region": "us-east-1", "keyID": key}, "storage.s3.keyID", "is in region eu-west-1 but the bucket in us-east-1"
    )


def test_a_kms_key_of_another_partition_is_refused() -> None:
    key = "arn:aws-us-gov:kms:us-gov-west-1:111122223333:alias/registry"
    only({"region": "us-east-1", "keyID": key}, "storage.s3.keyID", "is in partition 'aws-us-gov'")


def test_a_gateway_key_id_passes_through_unchecked() -> None:
    """On an S3-compatible endpoint keyID is the gateway's own key id (Vault, Barbican)."""
    stack = load(
        platform="baremetal",
        storage={"s3": {"region": "us-east-1", "regionEndpoint": RGW, "keyID": "vault-transit/registry"}},
        secrets=KEYS,
    ).settings
    assert stack.storage.s3 is not None and stack.storage.s3.key_id == "vault-transit/registry"


def test_cluster_resource_tags_that_contradict_the_stacks_tags_are_refused() -> None:
    only(
        {"region": "us-east-1", "tags": {"team": "a"}, "clusterResourceTags": {"team": "b"}},
        "storage.s3.tags.team",
        "the operator's tag controller would overwrite it",
    )


def test_reserved_aws_tag_prefix_is_refused() -> None:
    only({"region": "us-east-1", "tags": {"aws:team": "a"}}, "storage.s3.tags.aws:team", "reserved by AWS")


def test_cluster_resource_tags_need_a_created_bucket() -> None:
    only(
        {"region": "us-east-1", "adopt": True, "clusterResourceTags": {"team": "b"}},
        "storage.s3.clusterResourceTags",
        "only for a bucket this program creates",
    )


def test_key_id_with_encrypt_false() -> None:
    found = problems({"region": "us-east-1", "keyID": "alias/registry", "encrypt": False})
    assert "openshift-registry:storage.s3.keyID: set, but encrypt is false" in found[1]
    assert found[0].startswith(
        "openshift-registry:storage.s3.encrypt: buckets this program creates are always encrypted"
    )


def test_endpoint_cannot_create_a_bucket() -> None:
    only(
        {"region": "us-east-1", "regionEndpoint": RGW, "adopt": False},
        "storage.s3.adopt",
        "nothing is created on an S3-compatible endpoint",
        platform="baremetal",
        secrets=KEYS,
    )


def test_endpoint_cannot_use_an_iam_user() -> None:
    only(
        {"region": "us-east-1", "regionEndpoint": RGW, "credentials": "iamUser"},
        "storage.s3.credentials",
        "needs secretConfig",
        platform="baremetal",
        secrets=KEYS,
    )


def test_credentials_must_be_known() -> None:
    only(
        {"region": "us-east-1", "credentials": "instanceProfile"},
        "storage.s3.credentials",
        "'instanceProfile' is not allowed; use one of iamUser, secretConfig",
    )


def test_secret_config_needs_both_keys() -> None:
    found = problems({"region": "us-east-1", "credentials": "secretConfig"}, secrets={"s3AccessKey": "AKIA"})
    assert found == [
        "openshift-registry:s3SecretKey: required with storage.s3.credentials: secretConfig; "
        "set it with `pulumi config set --secret s3SecretKey <value>`"
    ]


def test_endpoint_defaults_to_secret_config_and_needs_keys() -> None:
    found = problems({"region": "us-east-1", "regionEndpoint": RGW}, platform="baremetal")
    assert [m.split(":", 2)[1] for m in found] == ["s3AccessKey", "s3SecretKey"]


def test_iam_user_name_only_with_iam_user_and_valid() -> None:
    only(
        {"region": "us-east-1", "credentials": "secretConfig", "iamUserName": "x"},
        "storage.s3.iamUserName",
        "only used with credentials: iamUser",
        secrets=KEYS,
    )
    only({"region": "us-east-1", "iamUserName": "has space"}, "storage.s3.iamUserName", "1-64 letters")


def test_tags_only_on_created_buckets() -> None:
    only(
        {"region": "us-east-1", "adopt": True, "tags": {"a": "b"}},
        "storage.s3.tags",
        "only applied to a bucket this program creates",
    )


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("chunkSizeMiB", 4, "minimum"),
        ("chunkSizeMiB", 6000, "maximum"),
        ("encrypt", "yes", "is not a boolean (true or false)"),
        ("trustedCA", {"nme": "ca"}, "unknown field(s) 'nme'"),
        ("cloudFront", {"baseURL": "https://cdn"}, "'keypairID' is a required property"),
    ],
)
def test_cr_fields_are_checked_against_the_crd(field: str, value: Any, fragment: str) -> None:
    found = problems({"region": "us-east-1", field: value})
    assert any(m.startswith(f"openshift-registry:storage.s3.{field}") and fragment in m for m in found), found
