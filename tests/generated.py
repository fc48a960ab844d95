"""Hypothesis strategies for stack settings: valid stacks for every platform, and broken ones.

Valid stacks come from per-platform storage strategies; broken ones take a valid stack and
damage it the ways a hand-edited stack file goes wrong: wrong types, unknown keys, missing
required values, out-of-range numbers, bad names, conflicting fields, odd unicode, empty and
huge values.
"""

from __future__ import annotations

import json
import string
from typing import Any

import yaml
from hypothesis import strategies as st

from components.names import aws_partition
from components.stack_config import PROJECT_ROOT

ODD_TEXT = st.one_of(
    st.just(""),
    st.text(min_size=1, max_size=20),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=40),
    st.just("\u202e\u0000\ufeff"),
    st.just("x" * 5000),
)
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False)
    | ODD_TEXT,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=8,
)
DNS_LABEL = st.text(alphabet=string.ascii_lowercase + string.digits, min_size=3, max_size=12)
AWS_REGIONS = st.sampled_from(["us-east-1", "eu-west-1", "ap-southeast-2", "us-gov-west-1"])
ISSUER = "https://generated-oidc.example.com"
KEY_PAIR = {"s3AccessKey": "AKIAGENERATED", "s3SecretKey": "generated-secret-key"}


@st.composite
def s3_storage(draw: st.DrawFn, platform: str) -> tuple[dict[str, Any], dict[str, str]]:
    s3: dict[str, Any] = {"region": draw(AWS_REGIONS)}
    secrets: dict[str, str] = {}
    if platform != "aws" or draw(st.booleans()):
        if platform != "aws":
            host = draw(st.sampled_from(["rgw.openshift-storage.svc", "minio.example.com", "s3.example.org"]))
            s3["regionEndpoint"] = f"{draw(st.sampled_from(['http', 'https']))}://{host}"
            secrets = dict(KEY_PAIR)
        if draw(st.booleans()):
            s3["bucket"] = draw(DNS_LABEL)
    if platform == "aws":
        if draw(st.booleans()):
            region = s3["region"]
            partition = aws_partition(region)
            s3["keyID"] = draw(
                st.sampled_from(
                    [
                        "alias/registry",
                        f"arn:{partition}:kms:{region}:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                        f"arn:{partition}:kms:{region}:111122223333:alias/registry",
                        "mrk-1234abcd12ab34cd56ef1234567890ab",
                    ]
                )
            )
        if draw(st.booleans()):
            s3["clusterResourceTags"] = draw(st.dictionaries(DNS_LABEL, DNS_LABEL, max_size=2))
        if draw(st.booleans()):
            s3["credentials"] = "secretConfig"
            secrets = dict(KEY_PAIR)
        if draw(st.booleans()):
            s3["tags"] = draw(st.dictionaries(DNS_LABEL, DNS_LABEL, max_size=2))
    if draw(st.booleans()):
        s3["chunkSizeMiB"] = draw(st.integers(min_value=5, max_value=5120))
    if platform == "aws" and not secrets and draw(st.booleans()):
        s3["credentials"] = "sts"
        return {"s3": s3}, secrets, {"cluster": {"serviceAccountIssuer": ISSUER}}
    return {"s3": s3}, secrets


@st.composite
def pvc_storage(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, str], dict[str, Any]]:
    """A claim and the registry fields it constrains (replicas, rollout strategy)."""
    pvc: dict[str, Any] = {}
    replicas = draw(st.sampled_from([None, 1, 2, 3]))
    mode = draw(st.sampled_from([None, "ReadWriteMany"] if replicas and replicas > 1 else [None, "ReadWriteOnce"]))
    if mode:
        pvc["accessMode"] = mode
    if draw(st.booleans()):
        pvc["size"] = draw(st.sampled_from(["100Gi", "500Gi", "1Ti", "0.5Ti", "200G"]))
    if draw(st.booleans()):
        pvc["storageClass"] = draw(st.sampled_from(["thin-csi", "ocs-storagecluster-cephfs", "nfs-client"]))
    if draw(st.booleans()):
        pvc["claim"] = draw(DNS_LABEL)
    if draw(st.booleans()):
        pvc = {k: v for k, v in pvc.items() if k in ("claim", "accessMode")} | {"adopt": True}
    registry = {} if replicas is None else {"replicas": replicas}
    return {"pvc": pvc}, {}, {"registry": registry}


GCS_KEY_FILE = '{"type": "service_account", "project_id": "generated", "private_key": "generated-key"}'


@st.composite
def gcs_storage(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, str], dict[str, Any]]:
    region = draw(st.sampled_from(["us-central1", "europe-west4", "US"]))
    gcs: dict[str, Any] = {"region": region, "projectID": "generated-project"}
    secrets: dict[str, str] = {}
    if draw(st.booleans()):
        gcs["bucket"] = draw(DNS_LABEL)
    if draw(st.booleans()):
        gcs["keyID"] = f"projects/generated-project/locations/{region.lower()}/keyRings/r/cryptoKeys/k"
    keyless: dict[str, Any] = {}
    mode = draw(st.sampled_from(["serviceAccount", "secretConfig", "workloadIdentity"]))
    if mode == "secretConfig":
        gcs["credentials"] = "secretConfig"
        secrets = {"gcsKeyFile": GCS_KEY_FILE}
    elif mode == "workloadIdentity":
        gcs["credentials"] = "workloadIdentity"
        keyless = {"cluster": {"serviceAccountIssuer": ISSUER}}
    if draw(st.booleans()):
        gcs["labels"] = draw(st.dictionaries(DNS_LABEL.map(lambda s: "l" + s), DNS_LABEL, max_size=2))
    return {"gcs": gcs}, secrets, keyless


AZURE_CLOUDS = {"AzurePublicCloud": "public", "AzureUSGovernmentCloud": "usgovernment", "AzureChinaCloud": "china"}


@st.composite
def azure_storage(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, str], dict[str, Any]]:
    azure: dict[str, Any] = {"resourceGroup": draw(DNS_LABEL), "location": "eastus"}
    cloud = draw(st.sampled_from(sorted(AZURE_CLOUDS)))
    if cloud != "AzurePublicCloud" or draw(st.booleans()):
        azure["cloudName"] = cloud
    if draw(st.booleans()):
        azure["accountName"] = draw(DNS_LABEL)
    if draw(st.booleans()):
        azure["container"] = draw(DNS_LABEL)
    if draw(st.booleans()):
        azure["sku"] = draw(st.sampled_from(["Standard_LRS", "Standard_ZRS", "Standard_GZRS"]))
    if draw(st.booleans()):
        azure["createResourceGroup"] = True
    fixed: dict[str, Any] = {"providerConfig": {"azure-native:environment": AZURE_CLOUDS[cloud]}}
    if draw(st.booleans()):
        azure["credentials"] = "workloadIdentity"
        fixed["cluster"] = {"serviceAccountIssuer": ISSUER}
    return {"azure": azure}, {}, fixed


@st.composite
def empty_dir_storage(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, str], dict[str, Any]]:
    registry = {"replicas": 1} if draw(st.booleans()) else {}
    return {"emptyDir": {}}, {}, {"environment": "nonproduction", "registry": registry}


# platform -> strategies of (storage object, secret config[, fixed stack fields]) that are valid there.
STORAGE: dict[str, list[Any]] = {
    "aws": [s3_storage("aws"), empty_dir_storage()],
    "gcp": [gcs_storage(), empty_dir_storage()],
    "azure": [azure_storage(), empty_dir_storage()],
    "baremetal": [s3_storage("baremetal"), pvc_storage(), empty_dir_storage()],
    "vsphere": [s3_storage("vsphere"), pvc_storage(), empty_dir_storage()],
}


@st.composite
def registry_fields(draw: st.DrawFn) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    if draw(st.booleans()):
        fields["logLevel"] = draw(st.sampled_from(["Normal", "Debug", "Trace", "TraceAll"]))
    if draw(st.booleans()):
        fields["managementState"] = draw(st.sampled_from(["Managed", "Unmanaged", "Removed"]))
    if draw(st.booleans()):
        fields["readOnly"] = draw(st.booleans())
    if draw(st.booleans()):
        fields["defaultRoute"] = draw(st.booleans())
    if draw(st.booleans()):
        fields["nodeSelector"] = draw(st.dictionaries(DNS_LABEL, DNS_LABEL, max_size=2))
    return fields


# A public CA certificate from a stack file (no key anywhere): a valid trustedCAs value.
CA_BUNDLE = yaml.safe_load((PROJECT_ROOT / "stacks" / "Pulumi.ceph-rgw.yaml").read_text(encoding="utf-8"))["config"][
    "openshift-registry:trustedCAs"
]["mirror.example.com:5000"]
SUBJECTS = st.fixed_dictionaries(
    {},
    optional={
        "users": st.lists(DNS_LABEL, min_size=1, max_size=2),
        "groups": st.lists(DNS_LABEL, min_size=1, max_size=2),
        "serviceAccounts": st.lists(st.tuples(DNS_LABEL, DNS_LABEL).map("/".join), min_size=1, max_size=2),
    },
).filter(bool)


@st.composite
def around_the_registry(draw: st.DrawFn) -> dict[str, Any]:
    """trustedCAs, metrics, roles and pruner, each present or not."""
    extras: dict[str, Any] = {}
    if draw(st.booleans()):
        hosts = st.tuples(DNS_LABEL, st.sampled_from(["", ":5000", ":443"])).map(lambda t: f"{t[0]}.example.com{t[1]}")
        extras["trustedCAs"] = draw(st.dictionaries(hosts, st.just(CA_BUNDLE), min_size=1, max_size=2))
    if draw(st.booleans()):
        extras["metrics"] = draw(SUBJECTS)
    if draw(st.booleans()):
        roles = st.sampled_from(["registry-viewer", "registry-editor", "system:image-builder"])
        role, subjects, namespace = draw(roles), draw(SUBJECTS), draw(st.one_of(st.none(), DNS_LABEL))
        if role == "system:image-builder" and namespace is None:
            namespace = "builds"
        extras["roles"] = [{"role": role, **subjects, **({"namespace": namespace} if namespace else {})}]
    if draw(st.booleans()):
        extras["pruner"] = {
            "schedule": draw(st.sampled_from(["0 2 * * *", "@daily", "*/30 * * * 1-5"])),
            "keepTagRevisions": draw(st.integers(min_value=0, max_value=50)),
            "keepYoungerThanDuration": draw(st.sampled_from(["60m", "24h", "1h30m"])),
            "suspend": draw(st.booleans()),
        }
    return extras


@st.composite
def valid_stacks(draw: st.DrawFn) -> dict[str, Any]:
    platform = draw(st.sampled_from(sorted(STORAGE)))
    storage, secrets, *fixed = draw(st.one_of(*STORAGE[platform]))
    stack: dict[str, Any] = {"platform": platform, "storage": storage, "secrets": secrets}
    if draw(st.booleans()):
        stack["environment"] = draw(st.sampled_from(["production", "nonproduction"]))
    stack.update(draw(around_the_registry()))
    registry = draw(registry_fields())
    for constraint in fixed:
        registry.update(constraint.pop("registry", {}))
        stack.update(constraint)
    if registry:
        stack["registry"] = registry
    return stack


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _paths(child, (*prefix, index))
    return found


def _set(target: Any, path: tuple[Any, ...], value: Any) -> None:
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value


def _delete(target: Any, path: tuple[Any, ...]) -> None:
    for part in path[:-1]:
        target = target[part]
    del target[path[-1]]


@st.composite
def broken_stacks(draw: st.DrawFn) -> dict[str, Any]:
    """A valid stack with one to three kinds of damage."""
    stack = draw(valid_stacks())
    aside = ("secrets", "providerConfig")  # not stack-file keys of our namespace: left undamaged
    config = {k: v for k, v in stack.items() if k not in aside}
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        paths = _paths(config)
        damage = draw(st.sampled_from(["retype", "unknown", "delete", "odd", "huge", "conflict", "number"]))
        path = draw(st.sampled_from(paths)) if paths else ("platform",)
        if damage == "retype":
            _set(config, path, draw(JSON_VALUES))
        elif damage == "unknown":
            parent = path[:-1]
            target: Any = config
            for part in parent:
                target = target[part]
            if isinstance(target, dict):
                target[draw(st.text(min_size=1, max_size=12))] = draw(JSON_VALUES)
        elif damage == "delete":
            _delete(config, path)
        elif damage == "odd":
            _set(config, path, draw(ODD_TEXT))
        elif damage == "huge":
            _set(config, path, draw(st.sampled_from([10**30, -(10**30), "y" * 100_000, [0] * 1000])))
        elif damage == "conflict":
            storage = config.get("storage")
            config["storage"] = {**(storage if isinstance(storage, dict) else {}), "pvc": {}, "emptyDir": {}}
        elif damage == "number":
            _set(config, path, draw(st.sampled_from([-1, 0, 2**31, 1.5, float("inf")])))
    return {**config, **{k: stack[k] for k in aside if k in stack}}


@st.composite
def broken_stack_files(draw: st.DrawFn) -> str:
    """The text of a stack file, valid or damaged where only a reader of the file can see it:
    encrypted leaves in the wrong places, duplicate and non-string keys, tags, aliases, nesting,
    and a top level or config: of the wrong shape."""
    stack = draw(valid_stacks())
    config: dict[Any, Any] = {f"openshift-registry:{k}": v for k, v in stack.items() if k not in ("secrets",)}
    config.pop("openshift-registry:providerConfig", None)
    config.update({f"openshift-registry:{k}": {"secure": "AAAB"} for k in stack.get("secrets", {})})
    damage = draw(
        st.sampled_from(
            ["none", "secure-leaf", "plain-secret", "key-type", "duplicate", "tag", "deep", "shape", "alias"]
        )
    )
    paths = _paths(config)
    if damage == "secure-leaf" and paths:
        _set(config, draw(st.sampled_from(paths)), {"secure": "AAAB"})
    elif damage == "plain-secret":
        config["openshift-registry:routeTls"] = {"r": {"certificate": {"secure": "AAAB"}, "key": "plain"}}
    elif damage == "key-type":
        dicts = [p for p in paths if isinstance(_get(config, p), dict)]
        target = _get(config, draw(st.sampled_from(dicts))) if dicts else config
        target[draw(st.sampled_from([1, None, True, 2.5]))] = "x"
    elif damage == "deep" and paths:
        levels = draw(st.integers(min_value=60, max_value=600))
        _set(config, draw(st.sampled_from(paths)), json.loads("[" * levels + "]" * levels))
    elif damage == "shape":
        return yaml.safe_dump({"config": draw(st.sampled_from([[], "text", 5, None]))})
    text = yaml.safe_dump({"config": config}, sort_keys=False, width=10_000)
    lines = text.splitlines(keepends=True)
    if damage == "duplicate" and len(lines) > 1:
        line = draw(st.sampled_from(lines[1:]))
        text = text + line if line.startswith("  openshift") else text.replace(line, line + line, 1)
    elif damage == "tag":
        text = text.replace("config:\n", "config:\n  openshift-registry:x: !!python/name:os.system\n", 1)
    elif damage == "alias":
        count = draw(st.integers(min_value=1, max_value=300))
        text += "  openshift-registry:aliases:\n    anchor: &a [1, 2]\n    uses: [" + ", ".join(["*a"] * count) + "]\n"
    return text


def _get(target: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        target = target[part]
    return target
