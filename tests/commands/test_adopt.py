"""``python -m adopt`` round-trips: a registry configured by hand, dumped with `oc get -o yaml`,
becomes a stack whose preview against the same dump creates no storage and leaves the Config as
it is, but for ``storage.managementState: Unmanaged``."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from adopt.__main__ import EXIT_OK, EXIT_REFUSED, main
from components.cluster.readers import read_dump
from components.names import SECURE_PLACEHOLDER
from components.stack_config import load_stack_file
from offline.engine import evaluate

CLUSTERS = Path(__file__).resolve().parents[1] / "clusters"
STORAGE_TYPES = {
    "aws:s3/bucket:Bucket",
    "gcp:storage/bucket:Bucket",
    "azure-native:storage:StorageAccount",
    "azure-native:storage:BlobContainer",
    "kubernetes:core/v1:PersistentVolumeClaim",
}
CONFIG = "kubernetes:imageregistry.operator.openshift.io/v1:ConfigPatch"


def adopt(tmp_path: Path, cluster: str, *extra: str) -> tuple[int, Path, str, str]:
    out = tmp_path / f"Pulumi.adopted-{cluster}.yaml"
    stdout, stderr = io.StringIO(), io.StringIO()
    code = main(
        ["--cluster", str(CLUSTERS / cluster), "--stack", f"adopted-{cluster}", "--out", str(out), *extra],
        stdout,
        stderr,
    )
    return code, out, stdout.getvalue(), stderr.getvalue()


def with_secrets_set(path: Path, commands: str) -> Any:
    """The stack after the printed `pulumi config set --secret` commands ran (values unknown here)."""
    config = load_stack_file(path)
    for line in commands.splitlines():
        if "pulumi config set --secret" not in line:
            continue
        key = line.rsplit("--secret ", 1)[1].replace("--path ", "").strip("'")
        top, _, rest = key.partition(".")
        full = f"openshift-registry:{top}"
        if rest:
            routes = json.loads(config.config.get(full, "{}"))
            route, field = rest.split(".")
            routes.setdefault(route, {})[field] = SECURE_PLACEHOLDER
            config.config[full] = json.dumps(routes)
        else:
            config.config[full] = SECURE_PLACEHOLDER
        if full not in config.secret_keys:
            config.secret_keys.append(full)
    return config


@pytest.mark.parametrize("cluster", ["adopt-s3", "adopt-gcs", "adopt-azure", "adopt-pvc", "adopt-emptydir"])
def test_an_adopted_registry_previews_without_new_storage_and_with_its_config_unchanged(
    tmp_path: Path, cluster: str
) -> None:
    code, out, stdout, stderr = adopt(tmp_path, cluster)
    assert code == EXIT_OK, stderr
    text = out.read_text()
    assert "secure:" not in text and "REGISTRY_STORAGE_S3_SECRETKEY:" not in text, "no secret value in the file"
    state = read_dump(CLUSTERS / cluster)
    evaluation = evaluate(with_secrets_set(out, stdout), cluster=state)
    created = [r.name for r in evaluation.registrations if r.type in STORAGE_TYPES and not r.import_id]
    assert created == [], "the first pulumi up creates no storage"
    (config,) = [r for r in evaluation.registrations if r.type == CONFIG]
    ours, live = config.inputs["spec"], state.config["spec"]
    for field, value in ours.items():
        if field == "storage":
            # Every storage field the patch sets is the live one; fields it does not set stay as they are.
            (kind,) = [k for k in value if k != "managementState"]
            assert set(live["storage"]) - {"managementState"} == {kind}
            assert all(live["storage"][kind][k] == v for k, v in value[kind].items()), kind
            assert value.get("managementState", "Unmanaged") == "Unmanaged"
        else:
            assert value == live[field], field
    for registration in evaluation.registrations:
        if registration.type == "kubernetes:core/v1:Secret":
            assert registration.import_id, f"{registration.name} exists already: imported, never created again"


def test_the_file_reads_as_a_person_would_write_it(tmp_path: Path) -> None:
    code, out, stdout, _ = adopt(tmp_path, "adopt-s3")
    assert code == EXIT_OK
    text = out.read_text()
    assert text.startswith("# Adopted from the cluster dump in")
    assert "mirror.example.com:5000: |" in text, "PEM bundles as literal blocks"
    assert "# Carried over, to know:\n#   - trustedCAs: the hosts of openshift-config/user-ca-bundle" in text
    config = yaml.safe_load(text)["config"]
    assert config["openshift-registry:storage"]["s3"]["adopt"] is True
    assert config["openshift-registry:import"] == {
        "credentials": "openshift-image-registry/image-registry-private-configuration-user",
        "route-registry-external-tls": "openshift-image-registry/registry-external-tls",
    }
    assert "pulumi config set --secret --path 'routeTls.registry-external.key'" in stdout


def test_import_mode_takes_the_storage_over(tmp_path: Path) -> None:
    code, out, stdout, stderr = adopt(tmp_path, "adopt-s3", "--mode", "import")
    assert code == EXIT_OK, stderr
    config = yaml.safe_load(out.read_text())["config"]
    assert config["openshift-registry:import"]["bucket"] == "example-corp-registry"
    assert "adopt" not in config["openshift-registry:storage"]["s3"]
    evaluation = evaluate(with_secrets_set(out, stdout), cluster=read_dump(CLUSTERS / "adopt-s3"))
    (bucket,) = [r for r in evaluation.registrations if r.type == "aws:s3/bucket:Bucket"]
    assert bucket.import_id == "example-corp-registry" and bucket.protect


def test_import_mode_on_a_claim_carries_its_size_and_class(tmp_path: Path) -> None:
    code, out, _, stderr = adopt(tmp_path, "adopt-pvc", "--mode", "import")
    assert code == EXIT_OK, stderr
    pvc = yaml.safe_load(out.read_text())["config"]["openshift-registry:storage"]["pvc"]
    assert pvc == {
        "claim": "registry-claim",
        "accessMode": "ReadWriteOnce",
        "size": "200Gi",
        "storageClass": "thin-csi",
    }


def test_azure_import_needs_the_subscription(tmp_path: Path) -> None:
    code, _, _, stderr = adopt(tmp_path, "adopt-azure", "--mode", "import")
    assert code == EXIT_REFUSED and "--subscription" in stderr
    code, out, _, stderr = adopt(
        tmp_path, "adopt-azure", "--mode", "import", "--subscription", "0000-sub", "--location", "eastus", "--force"
    )
    assert code == EXIT_OK, stderr
    imports = yaml.safe_load(out.read_text())["config"]["openshift-registry:import"]
    assert imports["account"].startswith("/subscriptions/0000-sub/resourceGroups/ocp-abc12-rg/providers/")
    assert imports["container"].endswith("/blobServices/default/containers/image-registry")


def test_an_existing_stack_file_is_never_replaced_silently(tmp_path: Path) -> None:
    assert adopt(tmp_path, "adopt-gcs")[0] == EXIT_OK
    code, _, _, stderr = adopt(tmp_path, "adopt-gcs")
    assert code == EXIT_REFUSED and "--force" in stderr


def test_a_config_with_two_storage_types_cannot_be_adopted(tmp_path: Path) -> None:
    dump = tmp_path / "dump"
    dump.mkdir()
    (dump / "config.yaml").write_text(
        yaml.safe_dump(
            {
                "apiVersion": "imageregistry.operator.openshift.io/v1",
                "kind": "Config",
                "metadata": {"name": "cluster"},
                "spec": {"replicas": 1, "storage": {"emptyDir": {}, "pvc": {"claim": "c"}}},
            }
        )
    )
    stdout, stderr = io.StringIO(), io.StringIO()
    code = main(["--cluster", str(dump), "--stack", "x", "--out", str(tmp_path / "Pulumi.x.yaml")], stdout, stderr)
    assert code == EXIT_REFUSED and "error:" in stderr.getvalue()


def test_an_import_naming_nothing_the_stack_creates_is_refused() -> None:
    from components.importing import import_findings
    from tests.support import settings

    stack = settings(platform="baremetal", storage={"pvc": {}}, **{"import": {"bucket": "x"}})
    (problem,) = [str(p) for p in import_findings(stack)]
    assert problem.startswith("openshift-registry:import.bucket: names no object this stack creates; it creates claim")


@pytest.mark.parametrize("cluster", ["adopt-s3", "adopt-emptydir", "adopt-pvc"])
def test_every_printed_step_works_as_printed_and_no_header_is_left_empty(tmp_path: Path, cluster: str) -> None:
    code, out, stdout, _ = adopt(tmp_path, cluster)
    assert code == EXIT_OK
    steps = stdout.split("\nNext:\n", 1)[1].splitlines()
    assert steps[0].startswith(f"  mv {out} ") and "/stacks/Pulumi." in steps[0], "the CLI reads stacks/ only"
    assert any(step.strip().startswith("pulumi stack select --create ") for step in steps), "works for a new stack"
    assert not any("pulumi stack select " in s and "--create" not in s for s in steps)
    text = out.read_text(encoding="utf-8").splitlines()
    for index, line in enumerate(text):
        if line.startswith("#") and line.endswith(":"):
            assert index + 1 < len(text) and text[index + 1].startswith("#   "), f"empty header: {line}"
    assert ("import entries" in "\n".join(text)) == ("openshift-registry:import:" in "\n".join(text))
    notes = "\n".join(text).split("# Not carried over, and why:", 1)
    assert len(notes) == 1 or "trustedCAs: the hosts" not in notes[1], "carried trusted CAs are not 'not carried'"
