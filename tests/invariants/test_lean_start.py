"""An offline command starts without the SDK parts a program run never reads (components/lean_start.py),
and the program is the same: the same plan, and each deferred part still there when something reads it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from components import lean_start

ROOT = Path(__file__).resolve().parents[2]

# One fresh interpreter: start lean as ``offline.__main__.run`` does, preview a stack (as a second preview: the
# first one's answers remembered), report which deferred modules ran (a deferred module is a subclass of
# ModuleType until it runs), then read each one.
_PREVIEW_THEN_READ = textwrap.dedent(
    """
    import io, json, sys, types
    from components.lean_start import lazy_modules, lean_start
    from components.remembered import flush, remember
    in_time = lean_start()
    remember()
    from offline.__main__ import main
    out = io.StringIO()
    code = main(["--stack", "aws-prod", "--json"], stdout=out, stderr=io.StringIO())
    flush()
    LAZY = lazy_modules()
    ran = lambda: sorted(n for n in LAZY if n in sys.modules and type(sys.modules[n]) is types.ModuleType)
    deferred = sorted(n for n in LAZY if n in sys.modules)
    after_preview = ran()
    otel_sdk = "opentelemetry.sdk.trace" in sys.modules
    import pulumi
    import grpc, packaging
    read = [pulumi.automation.LocalWorkspace.__name__, pulumi.dynamic.ResourceProvider.__name__,
            pulumi.runtime._instrumentation.shutdown_tracing.__name__, grpc.aio.server.__name__,
            str(packaging.version.parse("1.75.1"))]
    print(json.dumps({"in_time": in_time, "code": code, "plan": json.loads(out.getvalue()), "deferred": deferred,
                      "ran_during_preview": after_preview, "read": read, "ran_after_reading": ran(),
                      "otel_sdk": otel_sdk}))
    """
)


@pytest.fixture(scope="module")
def lean_preview(tmp_path_factory: pytest.TempPathFactory) -> dict:
    env = {key: value for key, value in os.environ.items() if key not in ("PYDANTIC_DISABLE_PLUGINS", "TRACEPARENT")}
    env["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))
    env.pop("OPENSHIFT_REGISTRY_NO_CACHE", None)
    for _ in range(2):  # the first preview fills the cache; the second is measured
        done = subprocess.run(
            [sys.executable, "-c", _PREVIEW_THEN_READ], cwd=ROOT, capture_output=True, text=True, timeout=120, env=env
        )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_a_lean_preview_never_runs_the_deferred_sdk_parts(lean_preview: dict) -> None:
    assert lean_preview["in_time"] is True
    assert lean_preview["code"] == 0
    # Pulumi's __init__ imports the automation and dynamic packages and the tracing setup: they are there,
    # deferred, and never ran; so the OpenTelemetry SDK was never imported.
    deferred = {
        "pulumi.automation",
        "pulumi.dynamic",
        "pulumi.runtime._instrumentation",
        "grpc.aio",
        "packaging.version",
    }
    assert deferred <= set(lean_preview["deferred"])
    assert lean_preview["ran_during_preview"] == []
    assert lean_preview["otel_sdk"] is False


def test_a_deferred_sdk_part_runs_whole_when_something_reads_it(lean_preview: dict) -> None:
    assert lean_preview["read"] == ["LocalWorkspace", "ResourceProvider", "shutdown_tracing", "server", "1.75.1"]
    assert set(lean_preview["deferred"]) <= set(lean_preview["ran_after_reading"])


def test_a_lean_preview_makes_the_same_plan(lean_preview: dict) -> None:
    # lazy: the in-process preview imports the SDK in full, as the tests do
    import io

    from offline.__main__ import main

    out = io.StringIO()
    assert main(["--stack", "aws-prod", "--json"], stdout=out, stderr=io.StringIO()) == 0
    assert lean_preview["plan"] == json.loads(out.getvalue())


def test_every_command_can_start_lean_before_it_imports_pulumi() -> None:
    """``run`` starts lean, so no command module may import the SDK when it is itself imported."""
    script = (
        "import sys\n"
        "import offline.__main__, verify.__main__, adopt.__main__, fleet.__main__, fleet.parallel\n"
        "print(sorted(name for name in sys.modules if name == 'pulumi' or name.startswith('pulumi.')))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_a_traced_run_sets_up_tracing_as_the_sdk_does() -> None:
    """With TRACEPARENT set, the SDK's tracing setup runs when pulumi is imported, as without the lean start:
    it is deferred only where it would do nothing."""
    script = textwrap.dedent(
        """
        import json, sys, types
        from components.lean_start import lazy_modules, lean_start
        lean_start()
        import pulumi
        module = sys.modules["pulumi.runtime._instrumentation"]
        print(json.dumps([type(module) is types.ModuleType, module._root_context is not None,
                          "pulumi.runtime._instrumentation" in lazy_modules()]))
        """
    )
    env = {**os.environ, "TRACEPARENT": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}
    env.pop("PULUMI_OTEL_EXPORTER_OTLP_ENDPOINT", None)
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [True, True, False]


def test_a_fleet_worker_starts_lean_then_previews() -> None:
    """A spawned worker imports ``fleet.parallel`` (no SDK), is handed the fleet, starts lean, and only then
    imports the SDK: its clusters preview as in the command, with the deferred parts never run."""
    script = textwrap.dedent(
        """
        import json, sys, types
        from pathlib import Path
        from fleet.__main__ import load
        from fleet import parallel
        fleet, problems = load(Path("fleet.yaml"))
        before = "pulumi" in sys.modules
        parallel._worker(fleet)
        summary = parallel._summary(0)
        ran = type(sys.modules["pulumi.automation"]) is types.ModuleType
        print(json.dumps([problems, before, summary.cluster, summary.errors, ran]))
        """
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    problems, before, cluster, errors, ran = json.loads(done.stdout)
    assert problems == [] and before is False and cluster and errors == [] and ran is False


def test_lean_start_keeps_the_users_pydantic_plugin_choice_and_says_when_it_is_too_late(monkeypatch) -> None:
    monkeypatch.setattr(sys, "meta_path", list(sys.meta_path))
    monkeypatch.setenv("PYDANTIC_DISABLE_PLUGINS", "logfire")
    import pulumi  # noqa: F401 - the test process has the SDK already

    assert lean_start.lean_start() is False
    assert os.environ["PYDANTIC_DISABLE_PLUGINS"] == "logfire"
    assert sum(isinstance(finder, lean_start._LazyFinder) for finder in sys.meta_path) == 1
    lean_start.lean_start()
    assert sum(isinstance(finder, lean_start._LazyFinder) for finder in sys.meta_path) == 1


def test_lean_start_switches_pydantic_plugins_off_when_the_user_left_it_unset(monkeypatch) -> None:
    monkeypatch.setattr(sys, "meta_path", list(sys.meta_path))
    monkeypatch.delenv("PYDANTIC_DISABLE_PLUGINS", raising=False)
    lean_start.lean_start()
    assert os.environ["PYDANTIC_DISABLE_PLUGINS"] == "__all__"
