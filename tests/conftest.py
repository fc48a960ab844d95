from __future__ import annotations

import os

import pulumi
import pytest
from hypothesis import HealthCheck, settings

from offline.engine import ProviderMocks

# CI explores the same examples every run (a red CI must be reproducible); "deep" explores anew.
settings.register_profile(
    "ci",
    max_examples=150,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "deep",
    max_examples=3000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True)
def pulumi_mocks() -> ProviderMocks:
    """Fresh mocks for every test (never at import time: the last module imported would win)."""
    mocks = ProviderMocks()
    pulumi.runtime.set_mocks(mocks, project="openshift-registry", stack="test", preview=False)
    pulumi.runtime.set_all_config({}, [])
    return mocks


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say how many generated stacks were tried, so a run that tried none is visible."""
    from tests.settings.test_generated import TRIED

    if any(TRIED.values()):
        profile = os.environ.get("HYPOTHESIS_PROFILE", "ci")
        counts = ", ".join(f"{count} {what}" for what, count in TRIED.items())
        terminalreporter.write_line(f"generated settings (hypothesis profile {profile}): {counts}")
