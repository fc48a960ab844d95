from __future__ import annotations

import pulumi
import pytest

from offline.engine import ProviderMocks


@pytest.fixture(autouse=True)
def pulumi_mocks() -> ProviderMocks:
    """Fresh mocks for every test (never at import time: the last module imported would win)."""
    mocks = ProviderMocks()
    pulumi.runtime.set_mocks(mocks, project="openshift-registry", stack="test", preview=False)
    pulumi.runtime.set_all_config({}, [])
    return mocks
