"""The program itself: bad config stops it cleanly before any resource; good config builds all."""

from __future__ import annotations

import logging

import pulumi
import pytest

from components.stack_config import StackConfig
from offline.engine import RecordingMonitor, evaluate
from tests.support import PROJECT, config_of


def test_bad_config_is_a_clean_run_error_with_every_problem_logged(monkeypatch: pytest.MonkeyPatch) -> None:
    config, secret_keys = config_of(platform="aws", storage={"s3": {"bucket": "Bad_Name"}}, registry={"logLevel": "x"})
    registered: list[str] = []
    original = RecordingMonitor.RegisterResource

    def spy(self, request):
        registered.append(request.type)
        return original(self, request)

    monkeypatch.setattr(RecordingMonitor, "RegisterResource", spy)
    with pytest.raises(pulumi.RunError) as caught:
        evaluate(StackConfig(project=PROJECT, stack="bad", config=config, secret_keys=secret_keys))
    text = str(caught.value)
    assert "the stack config has 3 problems" in text
    assert "openshift-registry:storage.s3.bucket: 'Bad_Name' is not a valid S3 bucket name" in text
    assert "openshift-registry:storage.s3.region: required" in text
    assert "openshift-registry:registry.logLevel: 'x' is not allowed" in text
    assert "Traceback" not in text
    assert registered in ([], ["pulumi:pulumi:Stack"])


def test_problems_are_logged_as_errors(caplog: pytest.LogCaptureFixture) -> None:
    config, secret_keys = config_of(platform="aws", storage={"s3": {}})
    logger = logging.getLogger("openshift-registry.offline.logged")
    with pytest.raises(pulumi.RunError):
        evaluate(StackConfig(project=PROJECT, stack="logged", config=config, secret_keys=secret_keys))
    assert logger.handlers
    (handler,) = logger.handlers
    expected = (
        "openshift-registry:storage.s3.region: required (or set aws:region): the bucket is created in this region "
        "and the registry must be told where it is; e.g. us-east-1"
    )
    assert ("error", expected) in handler.records  # type: ignore[attr-defined]
