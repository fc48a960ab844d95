"""Every storage.gcs rule, fed its bad input; each message names the key."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.support import load, problems_of, the_problem

PROJECT_CONFIG = {"gcp:project": "example-project"}
BASE = {"region": "us-central1"}
KEY = "projects/p/locations/us-central1/keyRings/r/cryptoKeys/k"
KEY_FILE = json.dumps({"type": "service_account", "project_id": "p", "private_key": "-----BEGIN..."})


def problems(gcs: dict[str, Any], extra: dict[str, str] | None = None, **kwargs: Any) -> list[str]:
    return problems_of(platform="gcp", storage={"gcs": gcs}, extra=PROJECT_CONFIG if extra is None else extra, **kwargs)


def only(gcs: dict[str, Any], key: str, fragment: str, **kwargs: Any) -> None:
    the_problem(problems(gcs, **kwargs), key, fragment)


def test_a_plain_bucket_is_valid() -> None:
    stack = load(platform="gcp", storage={"gcs": BASE}, extra=PROJECT_CONFIG).settings
    assert stack.storage.gcs is not None and stack.storage.gcs.credentials == "serviceAccount"


def test_project_id_needs_region_because_the_operator_overwrites_it() -> None:
    only({"projectID": "example-project", "adopt": True}, "storage.gcs.region", "overwrites projectID")


def test_region_is_required_to_create_a_bucket() -> None:
    only({}, "storage.gcs.region", "required (or set gcp:region): the bucket is created in this location")


def test_region_defaults_to_the_provider_region() -> None:
    stack = load(platform="gcp", storage={"gcs": {}}, extra={**PROJECT_CONFIG, "gcp:region": "europe-west4"}).settings
    assert stack.storage.gcs is not None and stack.storage.gcs.region == "europe-west4"


def test_a_stated_region_wins_over_the_provider_region() -> None:
    stack = load(platform="gcp", storage={"gcs": BASE}, extra={**PROJECT_CONFIG, "gcp:region": "europe-west4"}).settings
    assert stack.storage.gcs is not None and stack.storage.gcs.region == "us-central1"


def test_a_project_is_required_to_create_anything() -> None:
    only(BASE, "storage.gcs.projectID", "or set gcp:project", extra={})


@pytest.mark.parametrize(
    ("bucket", "fragment"),
    [
        ("My_Bucket", "is not a valid GCS bucket name"),
        ("ab", "is not a valid GCS bucket name"),
        ("with.dots.example.com", "names with dots need domain verification"),
        ("goog-registry", "starting with 'goog'"),
        ("my-google-registry", "containing 'google'"),
    ],
)
def test_bucket_names_follow_gcs_rules(bucket: str, fragment: str) -> None:
    only({**BASE, "bucket": bucket}, "storage.gcs.bucket", fragment)


def test_key_id_must_be_a_full_key_name() -> None:
    only({**BASE, "keyID": "registry-key"}, "storage.gcs.keyID", "projects/P/locations/L/keyRings/R/cryptoKeys/K")


def test_key_must_live_where_the_bucket_does() -> None:
    key = KEY.replace("us-central1", "europe-west1")
    only({**BASE, "keyID": key}, "storage.gcs.keyID", "only a key from the bucket's own location")


def test_secret_config_needs_the_key_file() -> None:
    only({**BASE, "credentials": "secretConfig"}, "gcsKeyFile", "required with storage.gcs.credentials: secretConfig")


def test_key_file_must_be_a_service_account_key_and_is_never_echoed() -> None:
    (found,) = problems({**BASE, "credentials": "secretConfig"}, secrets={"gcsKeyFile": "not-json-planted-123"})
    assert found.startswith("openshift-registry:gcsKeyFile: is not a service-account key file")
    assert "planted-123" not in found


def test_key_file_without_secret_config_is_refused() -> None:
    only(BASE, "gcsKeyFile", "set credentials: secretConfig", secrets={"gcsKeyFile": KEY_FILE})


def test_a_valid_key_file_passes() -> None:
    stack = load(
        platform="gcp",
        storage={"gcs": {**BASE, "credentials": "secretConfig"}},
        secrets={"gcsKeyFile": KEY_FILE},
        extra=PROJECT_CONFIG,
    )
    assert stack.settings.secrets.gcs_key_file is not None


def test_service_account_id_rules() -> None:
    only({**BASE, "serviceAccountId": "Registry"}, "storage.gcs.serviceAccountId", "is not a service account id")
    only(
        {**BASE, "credentials": "secretConfig", "serviceAccountId": "registry-sa"},
        "storage.gcs.serviceAccountId",
        "only with credentials: serviceAccount",
        secrets={"gcsKeyFile": KEY_FILE},
    )


def test_labels_follow_gcp_rules_and_need_a_created_bucket() -> None:
    only({**BASE, "labels": {"Team": "x"}}, "storage.gcs.labels.Team", "GCP labels are lowercase")
    only({**BASE, "adopt": True, "bucket": "existing", "labels": {"team": "x"}}, "storage.gcs.labels", "adopt")


def test_unknown_credentials_mode_is_refused() -> None:
    (found,) = problems({**BASE, "credentials": "instanceMetadata"})
    assert found.startswith("openshift-registry:storage.gcs.credentials: ")
