"""``python -m offline``: every stack in every view, the JSON contract, manifests, exit codes."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

from components.stack_config import PROJECT_ROOT
from offline.__main__ import EXIT_INVALID_CONFIG, EXIT_OK, EXIT_POLICY_VIOLATION, EXIT_SCHEMA_VIOLATION, main
from offline.validation import CRDS, kubernetes_version
from tests.support import STACK_FILES, assert_storage_unmanaged, crd_violations

MODES = {"table": [], "json": ["--json"], "graph": ["--graph"]}
STACKS = [path.name[len("Pulumi.") : -len(".yaml")] for path in STACK_FILES]


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def write_stack(directory: Path, name: str, config: dict[str, object]) -> Path:
    path = directory / f"Pulumi.{name}.yaml"
    path.write_text(yaml.safe_dump({"config": config}), encoding="utf-8")
    return path


@pytest.mark.parametrize("mode", sorted(MODES))
@pytest.mark.parametrize("stack", STACKS)
def test_every_stack_previews_in_every_view(stack: str, mode: str) -> None:
    code, out, err = run("--stack", stack, *MODES[mode])
    assert code == EXIT_OK, err
    assert "Traceback" not in out + err
    assert out.strip()


@pytest.mark.parametrize("stack", STACKS)
def test_every_stack_writes_manifests_that_parse_and_validate(stack: str, tmp_path: Path) -> None:
    code, _, err = run("--stack", stack, "--out", str(tmp_path))
    assert code == EXIT_OK, err
    files = sorted(tmp_path.glob("*.yaml"))
    assert files, "every stack patches at least the registry Config"
    kinds = []
    for index, path in enumerate(files, start=1):
        text = path.read_text(encoding="utf-8")
        body = yaml.safe_load(text)
        kinds.append(body["kind"])
        assert path.name == f"{index:02d}-{body['kind']}-{body['metadata']['name']}.yaml".lower()
        assert ("[secret]" in text) == text.startswith("# Holds placeholders ([secret])"), path.name
        crd = CRDS.get((body["apiVersion"], body["kind"]))
        if crd is not None:
            assert crd_violations(crd, body) == []
        else:
            kubernetes_validate.validate(body, kubernetes_version("latest"), strict=True)
    assert kinds[-1] == "Config", "oc apply -f DIR applies by name: the Config, which names the rest, comes last"
    named_first = [k for k in kinds if k in ("ConfigMap", "Secret", "PersistentVolumeClaim")]
    assert kinds[: len(named_first)] == named_first, kinds
    config = yaml.safe_load(files[-1].read_text(encoding="utf-8"))
    assert_storage_unmanaged(config["spec"]["storage"])
    assert "annotations" not in config["metadata"], "pulumi.com/ annotations instruct the provider, not the cluster"


def test_json_has_the_documented_shape() -> None:
    code, out, _ = run("--stack", "aws-prod", "--json")
    assert code == EXIT_OK
    plan = json.loads(out)
    assert list(plan) == ["project", "stack", "resources", "outputs"]
    assert (plan["project"], plan["stack"]) == ("openshift-registry", "aws-prod")
    keys = ["urn", "type", "name", "parent", "inputs", "dependsOn", "protect", "retainOnDelete"]
    assert all(list(resource) == keys for resource in plan["resources"])
    by_type = {resource["type"]: resource for resource in plan["resources"]}
    bucket = by_type["aws:s3/bucket:Bucket"]
    assert bucket["protect"] is True
    assert bucket["inputs"]["forceDestroy"] is False  # camelCase, as the provider receives it
    config = by_type["kubernetes:imageregistry.operator.openshift.io/v1:ConfigPatch"]
    assert config["retainOnDelete"] is True
    assert config["inputs"]["spec"]["replicas"] == 2  # an int, not the engine's 2.0
    assert bucket["urn"] in config["dependsOn"] or any(
        r["urn"] in config["dependsOn"] for r in plan["resources"] if r["parent"] == bucket["parent"]
    )
    (secret,) = [r for r in plan["resources"] if r["name"] == "registry-credentials"]
    assert secret["inputs"]["stringData"] == {
        "REGISTRY_STORAGE_S3_ACCESSKEY": "[secret]",
        "REGISTRY_STORAGE_S3_SECRETKEY": "[secret]",
    }
    assert plan["outputs"]["bucketName"] == "example-corp-ocp-prod-registry"


def test_show_secrets_reveals_what_is_hidden_otherwise() -> None:
    _, hidden, _ = run("--stack", "aws-prod", "--json")
    _, shown, _ = run("--stack", "aws-prod", "--json", "--show-secrets")
    marker = "[placeholder: the access key's secret AWS makes at `pulumi up`]"
    assert marker not in hidden and "[secret]" in hidden
    assert marker in shown, "revealed, and marked as what the offline preview made up"
    assert "mock-secret-access-key" not in shown and "offline-placeholder-for-encrypted-value" not in shown


def test_two_runs_are_byte_identical_in_separate_processes() -> None:
    runs = [
        subprocess.run(
            [sys.executable, "-m", "offline", "--stack", "aws-prod", "--json"],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"},
            check=True,
        ).stdout
        for seed in ("1", "2")
    ]
    assert runs[0] == runs[1]
    assert json.loads(runs[0])["stack"] == "aws-prod"


def test_table_reads_at_100_columns_as_plain_text_when_piped() -> None:
    code, out, _ = run("--stack", "aws-prod")
    assert code == EXIT_OK
    assert "\x1b[" not in out, "no colour codes when piped"
    assert max(len(line) for line in out.splitlines()) <= 100
    for expected in (
        "registry-storage-bucket",
        "aws:s3/bucket:Bucket",
        "in registry-storage",
        "(protected, retained on delete)",
    ):
        assert expected in out
    assert "stringData.REGISTRY_STORAGE_S3_SECRETKEY: [secret]" in out
    assert "bucketName" in out  # the stack outputs follow the resources


def test_graph_draws_components_as_subgraphs_and_waits_as_arrows() -> None:
    _, out, _ = run("--stack", "aws-prod", "--graph")
    lines = out.splitlines()
    assert lines[0] == "flowchart LR"
    subgraphs = [line.strip() for line in lines if line.strip().startswith("subgraph")]
    assert len(subgraphs) == 3  # Registry, S3Storage, ClusterIntegration
    assert any("openshift-registry:storage:S3Storage" in line for line in subgraphs)
    assert out.count("subgraph") == out.count("\n    end") + out.count("\n  end")
    nodes = dict(re.findall(r"^\s+(n\d+)[\[(]+\"([\w-]+)<br/>", out, re.MULTILINE))
    arrows = {(nodes[a], nodes[b]) for a, b in re.findall(r"(n\d+) --> (n\d+)", out)}
    assert ("registry-credentials", "registry-config") in arrows
    assert ("registry-storage-bucket", "registry-storage-lifecycle") in arrows


def test_bad_stack_exits_2_naming_every_problem(tmp_path: Path) -> None:
    path = write_stack(
        tmp_path,
        "bad",
        {
            "openshift-registry:platform": "aws",
            "openshift-registry:storage": {"s3": {"region": "us-east-1", "bucket": "Not_A_Bucket"}},
            "openshift-registry:registry": {"logLevel": "Loud"},
            "openshift-registry:environment": "staging",
        },
    )
    code, out, err = run("--config-file", str(path))
    assert code == EXIT_INVALID_CONFIG
    assert out == ""
    assert "Traceback" not in err
    assert "has 3 problem(s)" in err
    for key in ("storage.s3.bucket", "registry.logLevel", "environment"):
        assert f"openshift-registry:{key}:" in err


def test_missing_stack_and_misnamed_file_exit_2(tmp_path: Path) -> None:
    assert run("--stack", "no-such-stack")[0] == EXIT_INVALID_CONFIG
    odd = tmp_path / "stack.yaml"
    odd.write_text("config: {}\n", encoding="utf-8")
    code, _, err = run("--config-file", str(odd))
    assert code == EXIT_INVALID_CONFIG
    assert "Pulumi.<stack>.yaml" in err


def test_a_field_the_46_schema_lacks_exits_3(tmp_path: Path) -> None:
    path = write_stack(
        tmp_path,
        "rgw-ca",
        {
            "openshift-registry:platform": "baremetal",
            "openshift-registry:storage": {
                "s3": {
                    "bucket": "registry",
                    "region": "us-east-1",
                    "regionEndpoint": "https://rgw.example.com",
                    "trustedCA": {"name": "rgw-ca"},
                }
            },
            "openshift-registry:s3AccessKey": {"secure": "AAABAplanted"},
            "openshift-registry:s3SecretKey": {"secure": "AAABAplanted"},
        },
    )
    assert run("--config-file", str(path))[0] == EXIT_OK
    code, out, err = run("--config-file", str(path), "--openshift", "4.6", "--json")
    assert code == EXIT_SCHEMA_VIOLATION
    assert json.loads(out)["stack"] == "rgw-ca"  # the plan is still shown for review
    assert "Config cluster: spec.storage.s3: unknown field(s) 'trustedCA'" in err
    assert "OpenShift 4.6" in err


def test_help_explains_every_option() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "offline", "--help"], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    )
    for option in ("--stack", "--config-file", "--json", "--out", "--graph", "--show-secrets", "--openshift"):
        assert option in result.stdout


def test_out_refuses_a_directory_it_did_not_write_and_replaces_its_own(tmp_path: Path) -> None:
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "keep.yaml").write_text("kind: Mine\n")
    code, _, err = run("--stack", "lab", "--out", str(foreign))
    assert code == EXIT_INVALID_CONFIG and "was not written by python -m offline" in err
    assert sorted(p.name for p in foreign.iterdir()) == ["keep.yaml"], "nothing was written"

    own = tmp_path / "own"
    assert run("--stack", "aws-prod", "--out", str(own))[0] == EXIT_OK
    before = {p.name for p in own.glob("*.yaml")}
    code, out, _ = run("--stack", "lab", "--out", str(own))
    assert code == EXIT_OK and f"replaced the {len(before)} file(s) an earlier run wrote" in out
    assert {p.name for p in own.glob("*.yaml")} == {"01-config-cluster.yaml"}


def test_out_refuses_a_file_and_an_unwritable_path(tmp_path: Path) -> None:
    existing = tmp_path / "file.yaml"
    existing.write_text("x")
    code, _, err = run("--stack", "lab", "--out", str(existing))
    assert code == EXIT_INVALID_CONFIG and "is a file" in err and "Traceback" not in err
    code, _, err = run("--stack", "lab", "--out", str(existing / "below"))
    assert code == EXIT_INVALID_CONFIG and "cannot write there" in err


def test_json_and_graph_together_are_refused() -> None:
    with pytest.raises(SystemExit) as caught:
        run("--stack", "lab", "--json", "--graph")
    assert caught.value.code == 2


def test_the_table_says_where_values_are_cut() -> None:
    code, out, _ = run("--stack", "aws-prod")
    assert code == EXIT_OK and "show their two ends around '...'" in out and "`--json` shows every input" in out


@pytest.mark.parametrize("columns", [80, 120])
def test_piped_tables_follow_columns_and_break_type_names_at_their_joints(columns: int) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "offline", "--stack", "gcp-wif"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, check=True, env={**os.environ, "COLUMNS": str(columns)},
    )  # fmt: skip
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= columns
    assert not any("ClusterInte|" in line or line.rstrip("| ").endswith("ClusterInte") for line in lines)
    # The two identity bindings differ only at their ends: both ends stay visible.
    flat = "".join(line.strip("| ").split("|")[-1].strip() for line in lines)
    assert "openshift-image-registry:registry" in flat.replace(" ", "")
    assert "image-registry:cluster-image-registry-operator" in flat.replace(" ", "")


def test_policy_runs_offline_and_fails_with_its_own_exit_code() -> None:
    assert run("--stack", "aws-prod", "--policy", "--quiet")[0] == EXIT_OK
    assert run("--stack", "lab", "--policy", "--quiet")[0] == EXIT_OK, "nonproduction: its environment says so"
    # A production stack on emptyDir is refused by the settings first; the policy itself, under the CLI
    # (which cannot tell it the environment), is tested in test_policy_checks.py.
    assert EXIT_POLICY_VIOLATION == 4


def test_piping_into_head_ends_quietly() -> None:
    """rich exits with 1 on a closed pipe; the preview stops quietly instead."""
    script = "import sys; sys.argv=['offline','--stack','aws-prod']; from offline.__main__ import run; run()"
    result = subprocess.run(
        f'{sys.executable} -c "{script}" | head -1', shell=True, capture_output=True, text=True, check=False
    )
    assert result.stdout.startswith("openshift-registry preview")
    assert "Traceback" not in result.stderr and "Error" not in result.stderr


@pytest.mark.parametrize("command", ["offline", "verify", "policy"])
def test_a_misspelt_stack_gets_the_nearest_stack(command: str) -> None:
    import contextlib
    import importlib

    main = importlib.import_module("policy.command" if command == "policy" else f"{command}.__main__").main
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):  # policy writes to sys.stderr
        code = main(["--stack", "aws-prd"]) if command == "policy" else main(["--stack", "aws-prd"], out, err)
    assert code == 2
    assert "no stack file" in err.getvalue() and "did you mean aws-prod?" in err.getvalue()


def test_the_readmes_first_stack_previews_clean_and_a_secure_stand_in_passes_offline(tmp_path: Path) -> None:
    """The README's minimal stack, copied as a user would, previews with exit 0; with S3 keys of one's own
    given as any `secure:` value, too (the preview never decrypts)."""
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Your first stack", 1)[1]
    first, stand_in = (block.split("```", 1)[0] for block in section.split("```yaml\n")[1:3])
    path = tmp_path / "Pulumi.mine.yaml"
    path.write_text(first, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert main(["--config-file", str(path), "--quiet"], out, err) == EXIT_OK, err.getvalue()
    own_keys = first.replace("example-corp-ocp-registry", "example-corp-ocp-registry\n      credentials: secretConfig")
    own_keys += stand_in + stand_in.replace("s3AccessKey", "s3SecretKey")
    path.write_text(own_keys, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert main(["--config-file", str(path), "--quiet"], out, err) == EXIT_OK, err.getvalue()


def test_a_brief_command_runs_without_the_cycle_collector_and_a_long_one_with_it() -> None:
    """offline.run: a preview leaves with os._exit after one evaluation, so collection only costs time;
    the fleet, which evaluates clusters by the thousand in one process, keeps it (brief=False)."""

    def exit_code(brief: bool) -> int:
        program = f"import gc\nfrom offline.__main__ import run\nrun(lambda: 10 + gc.isenabled(), brief={brief})"
        return subprocess.run([sys.executable, "-c", program], cwd=PROJECT_ROOT, check=False).returncode

    assert (exit_code(True), exit_code(False)) == (10, 11)
