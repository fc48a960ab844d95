"""The second `pulumi up` changes nothing, on every cluster a stack fits.

For every stack in ``stacks/`` and every generated cluster state of its platform (each release from
4.6 to the latest, install mode, topology): plan; do what a refusal says (its `oc patch`, or
`storage.move: true` where the stack means to take the registry off the operator's storage); apply
(server-side apply under the program's field manager); the operator's sync (its write-back, the
CRD's defaults); read again; plan again with the stack as written. The second plan is never refused
and asks the providers for exactly what the first did.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from components.stack_config import load_stack_file
from tests.cluster_model import states
from tests.cluster_model.loop import plan_of, up_twice
from tests.support import STACK_FILES


@pytest.mark.parametrize("path", STACK_FILES, ids=lambda p: p.name.removeprefix("Pulumi.").removesuffix(".yaml"))
def test_the_second_up_is_a_no_op_on_every_cluster_the_stack_fits(path: Path) -> None:
    stack = load_stack_file(path)
    ran = 0
    for spec in states.stack_specs(stack.config):
        run = up_twice(stack, states.build(spec), spec.version)
        if "ImageRegistry" in spec.disabled:
            # Nothing to configure: refused first, with the capability's fix and nothing else.
            assert len(run.refused) == 1 and "without the ImageRegistry capability" in run.refused[0], run
            continue
        if run.refused:
            assert not run.refused[0].startswith("(cluster)"), (spec.name, run.refused)
            continue
        ran += 1
        assert run.second_refusals == [], (spec.name, run.fixes, run.second_refusals)
        assert run.second is not None and run.first is not None
        assert plan_of(run.second) == plan_of(run.first), spec.name
    assert ran >= 3, "the property must hold somewhere: no cluster state let this stack run"


def test_the_model_catches_a_second_run_that_would_be_refused() -> None:
    """The property can fail: an operator that wrote a field the program did not know of (a new Go
    field without omitempty, say) makes the second plan refused as stale."""
    from tests.cluster_model import operator

    stack = load_stack_file(next(p for p in STACK_FILES if p.name == "Pulumi.aws-prod.yaml"))
    spec = states.ClusterSpec("4.17", "aws", "ipi")
    original = operator.typed_write

    def with_new_zero_field(config: dict, version: str) -> None:
        original(config, version)
        s3 = config["spec"].get("storage", {}).get("s3")
        if isinstance(s3, dict):
            s3.setdefault("newZeroField", "")

    operator.typed_write = with_new_zero_field  # type: ignore[assignment]
    try:
        run = up_twice(stack, states.build(spec), spec.version)
    finally:
        operator.typed_write = original  # type: ignore[assignment]
    assert any("newZeroField" in problem for problem in run.second_refusals or run.refused), run
