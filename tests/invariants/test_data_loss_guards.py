"""Guards against losing images, checked over every stack in stacks/.

Storage that holds images is protected in production and never force-destroyed; the operator's
objects are patched, retained on delete, and always told the storage is Unmanaged, so the
operator never deletes what this program owns. Evaluation is deterministic (no drift).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from components.stack_config import load_stack_file
from tests.support import STACK_FILES, assert_storage_unmanaged, evaluate_file, reveal

# Resources whose deletion loses images.
IMAGE_STORAGE = {
    "aws:s3/bucket:Bucket",
    "gcp:storage/bucket:Bucket",
    "azure-native:storage:StorageAccount",
    "azure-native:storage:BlobContainer",
    "kubernetes:core/v1:PersistentVolumeClaim",
    "openstack:objectstorage/container:Container",
}
DOCS = "".join(
    path.read_text(encoding="utf-8") for path in sorted((Path(__file__).resolve().parents[2] / "docs").glob("*.md"))
)


@pytest.fixture(scope="module", params=STACK_FILES, ids=lambda p: p.name)
def evaluated(request: pytest.FixtureRequest) -> tuple[Path, Any]:
    return request.param, evaluate_file(request.param)


def _production(path: Path) -> bool:
    return load_stack_file(path).config.get("openshift-registry:environment") == "production"


def _walk(value: Any):
    if isinstance(value, dict):
        for key, child in value.items():
            yield key, child
            yield from _walk(child)
    elif isinstance(value, list):
        for child in value:
            yield from _walk(child)


def test_image_storage_is_protected_in_production(evaluated) -> None:
    path, evaluation = evaluated
    storage = [r for r in evaluation.registrations if r.type in IMAGE_STORAGE]
    for resource in storage:
        assert resource.protect is _production(path), f"{resource.type} {resource.name}"


def test_nothing_is_force_destroyed(evaluated) -> None:
    _, evaluation = evaluated
    for resource in evaluation.registrations:
        for key, value in _walk(reveal(resource.inputs)):
            if key in ("forceDestroy", "force_destroy"):
                assert value is False, f"{resource.type} {resource.name}"


def test_operator_objects_are_patched_and_retained(evaluated) -> None:
    _, evaluation = evaluated
    patches = [r for r in evaluation.registrations if r.type.endswith("Patch")]
    assert any(r.type.endswith(":ConfigPatch") for r in patches)
    for patch in patches:
        assert patch.retain_on_delete, patch.type
        # The operators' singletons, and ccoctl's installer-cloud-credentials (keyless modes).
        assert patch.inputs["metadata"]["name"] in ("cluster", "installer-cloud-credentials")
        # Forced, under this program's own field manager: what it owns can be told from managedFields.
        assert patch.inputs["metadata"]["annotations"] == {
            "pulumi.com/patchForce": "true",
            "pulumi.com/patchFieldManager": "openshift-registry",
        }


def test_owned_storage_is_never_managed_by_the_operator(evaluated) -> None:
    _, evaluation = evaluated
    (config,) = [r for r in evaluation.registrations if r.type.endswith(":ConfigPatch")]
    assert_storage_unmanaged(config.inputs["spec"]["storage"])
    assert "'managementState': 'Managed'" not in str(config.inputs["spec"]["storage"])


def _snapshot(evaluation: Any) -> list[tuple[Any, ...]]:
    # Registration order follows asyncio scheduling; the set of resources and their inputs must not vary.
    return sorted(
        (r.urn, r.type, r.parent, repr(r.inputs), r.depends_on, r.protect, r.retain_on_delete)
        for r in evaluation.registrations
    )


def test_evaluating_twice_gives_identical_resources(evaluated) -> None:
    path, first = evaluated
    second = evaluate_file(path)
    assert _snapshot(first) == _snapshot(second)
    assert first.outputs == second.outputs


def test_readme_warns_that_renaming_storage_replaces_it() -> None:
    assert "**replaces** it" in DOCS and "bucket, storage account or claim name" in DOCS
