"""A fleet: hundreds of clusters preview in one process and render to Stack resources that validate
against the Pulumi Kubernetes Operator's vendored CRD; no secret value anywhere; every problem
named by cluster and key."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
import yaml

from fleet.__main__ import EXIT_INVALID, EXIT_OK, main
from fleet.stacks import validate_rendered

ROOT = Path(__file__).resolve().parents[2]
BASE = yaml.safe_load((ROOT / "fleet.yaml").read_text(encoding="utf-8"))


def fleet_of(count: int, tmp_path: Path, **changes: Any) -> Path:
    """``count`` clusters, cycling through the example's platforms, each with its own names."""
    clusters = []
    for index in range(count):
        cluster = yaml.safe_load(yaml.safe_dump(BASE["clusters"][index % len(BASE["clusters"])]))
        cluster["name"] = f"{cluster['name']}-{index:04d}"
        storage = cluster["settings"]["storage"]
        for kind in ("s3", "gcs"):
            if kind in storage and not storage[kind].get("regionEndpoint"):
                storage[kind]["bucket"] = f"corp-{index:04d}-registry"
        clusters.append(cluster)
    path = tmp_path / "fleet.yaml"
    path.write_text(yaml.safe_dump({**BASE, "clusters": clusters, **changes}), encoding="utf-8")
    return path


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), out, err), out.getvalue(), err.getvalue()


def test_the_example_fleet_previews_and_renders(tmp_path: Path) -> None:
    code, out, err = run("preview", str(ROOT / "fleet.yaml"))
    assert code == EXIT_OK, out + err
    assert "4 clusters, 0 invalid" in err
    assert run("render", str(ROOT / "fleet.yaml"), "--out", str(tmp_path / "out"))[0] == EXIT_OK


def test_hundreds_of_clusters_preview_in_one_process_and_render_valid_objects(tmp_path: Path) -> None:
    path = fleet_of(150, tmp_path)
    code, out, err = run("preview", str(path))
    assert code == EXIT_OK, err
    assert "150 clusters, 0 invalid" in err and len(out.splitlines()) == 151
    code, _, err = run("render", str(path), "--out", str(tmp_path / "out"), "--stacks", str(tmp_path / "stacks"))
    assert code == EXIT_OK, err
    bodies = [yaml.safe_load(p.read_text()) for p in sorted((tmp_path / "out").glob("*.yaml"))]
    assert [b["kind"] for b in bodies].count("Stack") == 150
    for body in bodies:
        assert validate_rendered(body) == [], body["metadata"]["name"]
    stack = next(b for b in bodies if b["kind"] == "Stack")
    assert stack["spec"]["destroyOnFinalize"] is False and stack["spec"]["refresh"] is True
    assert stack["spec"]["secretsRef"]["kubernetes:kubeconfig"]["type"] == "Secret"
    assert len(list((tmp_path / "stacks").glob("Pulumi.*.yaml"))) == 150


def test_no_secret_value_in_any_rendered_file(tmp_path: Path) -> None:
    path = fleet_of(30, tmp_path)
    assert run("render", str(path), "--out", str(tmp_path / "out"), "--stacks", str(tmp_path / "stacks"))[0] == EXIT_OK
    for file in [*(tmp_path / "out").glob("*.yaml"), *(tmp_path / "stacks").glob("*.yaml")]:
        text = file.read_text()
        assert "secure:" not in text and "offline-placeholder" not in text, file.name
        body = yaml.safe_load(text)
        config = (body.get("spec") or body).get("config") or {}
        assert not {"openshift-registry:s3AccessKey", "openshift-registry:s3SecretKey"} & set(config), file.name


def test_a_stack_file_tells_how_to_set_its_secrets_from_the_same_kubernetes_secrets(tmp_path: Path) -> None:
    run("render", str(ROOT / "fleet.yaml"), "--out", str(tmp_path / "out"), "--stacks", str(tmp_path / "stacks"))
    text = (tmp_path / "stacks" / "Pulumi.edge-lab-01.yaml").read_text()
    assert "kubectl get secret edge-lab-01-rgw -n pulumi-stacks -o jsonpath='{.data.access-key}' | base64 -d" in text
    assert "pulumi config set --secret --stack edge-lab-01 s3AccessKey" in text


def test_a_bad_setting_is_reported_with_its_cluster_and_key(tmp_path: Path) -> None:
    path = fleet_of(5, tmp_path)
    fleet = yaml.safe_load(path.read_text())
    fleet["clusters"][4]["settings"]["storage"]["s3"]["bucket"] = "Not_A_Bucket"
    path.write_text(yaml.safe_dump(fleet))
    code, out, err = run("preview", str(path))
    assert code == EXIT_INVALID and "5 clusters, 1 invalid" in err
    assert "clusters[prod-us-east-1-0004].settings.storage.s3.bucket: 'Not_A_Bucket'" in out


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (lambda f: f["clusters"][0].update(name="a" * 43), "is a DNS-1123 subdomain of at most 42 characters"),
        (lambda f: f["clusters"][1].update(name=f["clusters"][0]["name"]), "one Stack per cluster"),
        (lambda f: f["clusters"][2].update(colour="red"), "clusters[edge-lab-01].colour: unknown key"),
        (lambda f: f["clusters"][2]["secrets"].update(routeTls={"name": "t", "key": "k"}), "a secret object"),
        (lambda f: f["backend"].pop("organization"), "Pulumi Cloud needs organization and accessToken"),
        (lambda f: f.update(clusters="all of them"), "clusters: Input should be a valid list"),
    ],
)
def test_fleet_file_problems_name_the_cluster_and_key(tmp_path: Path, change: Any, fragment: str) -> None:
    fleet = yaml.safe_load((ROOT / "fleet.yaml").read_text())
    change(fleet)
    path = tmp_path / "fleet.yaml"
    path.write_text(yaml.safe_dump(fleet))
    code, _, err = run("preview", str(path))
    assert code == EXIT_INVALID and fragment in err, err
    assert "Traceback" not in err


def test_render_never_writes_into_a_directory_with_files(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "mine.yaml").write_text("x")
    code, _, err = run("render", str(ROOT / "fleet.yaml"), "--out", str(tmp_path / "out"))
    assert code == EXIT_INVALID and "holds files this command did not write" in err
    assert (tmp_path / "out" / "mine.yaml").read_text() == "x"


def test_the_cel_rule_on_stack_names_is_checked() -> None:
    metadata = {"name": "x" * 43, "namespace": "n"}
    body = {"apiVersion": "pulumi.com/v1", "kind": "Stack", "metadata": metadata, "spec": {"stack": "s"}}
    assert any("no more than 42 characters" in v for v in validate_rendered(body))
