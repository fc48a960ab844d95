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
    only({}, "storage.s3.region", "required: the bucket is created in this region")


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
def test_in_cluster_gateway_url_must_not_carry_a_port(host: str) -> None:
    only(
        {"region": "us-east-1", "regionEndpoint": f"http://{host}:8080"},
        "storage.s3.regionEndpoint",
        "must not carry an explicit port (:8080)",
        platform="baremetal",
        secrets=KEYS,
    )


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


def test_virtual_hosted_style_only_with_endpoint() -> None:
    only(
        {"region": "us-east-1", "virtualHostedStyle": True},
        "storage.s3.virtualHostedStyle",
        "only applies with regionEndpoint",
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
        "'iamUser' or 'secretConfig'",
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
        ("encrypt", "yes", "is not of type 'boolean'"),
        ("trustedCA", {"nme": "ca"}, "unknown field(s) 'nme'"),
        ("cloudFront", {"baseURL": "https://cdn"}, "'keypairID' is a required property"),
    ],
)
def test_cr_fields_are_checked_against_the_crd(field: str, value: Any, fragment: str) -> None:
    found = problems({"region": "us-east-1", field: value})
    assert any(m.startswith(f"openshift-registry:storage.s3.{field}") and fragment in m for m in found), found
