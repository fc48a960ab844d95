"""What the cluster as it is forbids the stack to do, each refused before any change with a fix.

Pure: settings and a ``ClusterState`` in, findings out. The keys name the live object and field
(``(cluster) configs/cluster spec.storage.emptyDir``), since that is what the user must change.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from types import ModuleType
from typing import Any

from components.cluster.state import USER_SECRET, ClusterState, trusted_ca_configmap
from components.crd import with_defaults
from components.errors import Finding
from components.formats import redact_url
from components.names import (
    CREDENTIAL_SECRET,
    INSTALLER_SECRET,
    REGISTRY_NAMESPACE,
)
from components.settings.cluster import issuer_problem, version_tuple
from components.settings.stack import StackSettings
from components.specs.registry_config import storage_block
from components.specs.trusted_cas import data_key
from components.storage.kind import CredentialMode, StorageKind
from components.storage.kinds import BY_FIELD, config_schema, kind_of

CONFIG_NAME = "configs.imageregistry.operator.openshift.io cluster"
TOPOLOGIES = ("HighlyAvailable", "SingleReplica", "External")


def stored_block(kind: StorageKind, block: Mapping[str, Any], version: str | None) -> dict[str, Any]:
    """The storage block as the API server and the operator store it when this stack sets ``block``: the
    CRD's defaults of that release (``networkAccess: {type: External}`` on Azure from 4.15), the zero values
    every typed write of the operator serializes (``trustedCA: {name: ""}`` on S3 from 4.11), and the
    values that mean what unset means."""
    schema = config_schema(version)["properties"]["spec"]["properties"]["storage"]["properties"].get(kind.field, {})
    stored = with_defaults(dict(block), schema)
    for name, (since, value) in kind.stored_zero.items():
        if version_tuple(version) >= version_tuple(since):
            stored.setdefault(name, value)
    for name, value in kind.implied.items():
        stored.setdefault(name, value)
    return stored


def with_cluster_facts(stack: StackSettings, state: ClusterState) -> StackSettings:
    """The stack with what the cluster says where the stack says nothing: its issuer, version and topology,
    and what its storage kind keeps of the cluster's storage (``kept_storage``)."""
    stack = kept_storage(stack, state)
    cluster = stack.cluster
    update = {}
    if cluster.service_account_issuer is None and state.service_account_issuer:
        update["service_account_issuer"] = state.service_account_issuer
    if cluster.openshift_version is None and state.openshift_version:
        update["openshift_version"] = state.openshift_version
    if cluster.infrastructure_topology is None and state.infrastructure_topology in TOPOLOGIES:
        update["infrastructure_topology"] = state.infrastructure_topology
    if not update:
        return stack
    return stack.model_copy(update={"cluster": cluster.model_copy(update=update)})


def kept_storage(stack: StackSettings, state: ClusterState) -> StackSettings:
    """The stack with what its kind's ``cluster.py`` keeps of the storage the cluster's Config names, where
    the stack says nothing (``kept``: Azure's account of an earlier derived name); the rules below judge
    that stack, as the program builds it."""
    keep = getattr(_kind_rules(stack), "kept", None)
    return stack if keep is None else keep(stack, state)


def _kind_rules(stack: StackSettings) -> ModuleType | None:
    """The selected kind's ``cluster.py``, where it has one (none while the stack names no single kind)."""
    return stack.storage.storage_kind.part("cluster") if len(stack.storage.given) == 1 else None


def cluster_findings(stack: StackSettings, state: ClusterState) -> list[Finding]:
    stack = kept_storage(stack, state)
    found = set(_keyless(stack, state))
    if state.read:
        platform = list(_platform(stack, state))
        if platform:
            # The stack is pointed at the wrong cluster: anything else (an `oc patch` removing that
            # cluster's storage block, above all) would lead with the wrong fix.
            return platform
        capability = list(_capability(state))
        if capability:
            return capability
        values = list(_cluster_values(stack, state))
        if values:
            return values
        facts = with_cluster_facts(stack, state)
        found |= {*_storage(stack, state), *_short_lived(stack, state), *_cas(stack, state)}
        found |= {*_kind_findings(stack, state), *_moving(stack, state), *_shadowed(stack, state)}
        found |= {*_facts(stack, state), *facts.version_findings(), *facts.topology_findings()}
    return sorted(found)


def _cluster_values(stack: StackSettings, state: ClusterState) -> Iterator[Finding]:
    """What the program takes from the cluster gets the checks a stack's own value gets."""
    issuer = state.service_account_issuer
    if (
        issuer is not None
        and stack.cluster.service_account_issuer is None
        and mode_of(stack).secret == INSTALLER_SECRET
    ):
        problem = issuer_problem(issuer)
        if problem is not None:
            yield Finding(
                "(cluster) authentications/cluster spec.serviceAccountIssuer",
                f"{redact_url(repr(issuer))} on {state.source} {problem}; fix the cluster's, or set "
                "cluster.serviceAccountIssuer to the issuer the cluster really uses",
            )
    version = state.openshift_version
    if version is not None and stack.cluster.openshift_version is None and not re.fullmatch(r"[0-9]+\.[0-9]+", version):
        yield Finding(
            "(cluster) clusterversions/version status.desired.version",
            f"{version!r} on {state.source} is not a release such as 4.16.3; set cluster.openshiftVersion",
        )


def _capability(state: ClusterState) -> Iterator[Finding]:
    """From 4.14 a cluster may be installed without the ImageRegistry capability: then it has no registry
    operator, no openshift-image-registry namespace and no Config, and every later step would fail after
    storage and identities were made. Capabilities can be enabled, never disabled again."""
    if not state.capability_disabled("ImageRegistry"):
        return
    patch = json.dumps({"spec": {"capabilities": {"additionalEnabledCapabilities": ["ImageRegistry"]}}})
    yield Finding(
        "(cluster) clusterversions/version status.capabilities",
        f"{state.source} was installed without the ImageRegistry capability: it has no image registry operator "
        "and no registry Config to configure. Enable the capability first (it cannot be disabled again), wait "
        f"for the image-registry ClusterOperator, then `pulumi up`: oc patch clusterversion version --type merge "
        f"-p '{patch}'",
    )


def mode_of(stack: StackSettings) -> CredentialMode:
    return kind_of(stack.storage.kind).mode(stack.storage.selected.credential_mode)


def _facts(stack: StackSettings, state: ClusterState) -> Iterator[Finding]:
    """What the stack says of the cluster must be what the cluster says of itself."""
    for field, said, seen in (
        ("openshiftVersion", stack.cluster.openshift_version, state.openshift_version),
        ("serviceAccountIssuer", stack.cluster.service_account_issuer, state.service_account_issuer),
        ("infrastructureTopology", stack.cluster.infrastructure_topology, state.infrastructure_topology),
    ):
        if said is not None and seen is not None and said != seen:
            yield Finding(f"cluster.{field}", f"is {said}, but {state.source} says {seen}: remove it or correct it")


def _keyless(stack: StackSettings, state: ClusterState) -> Iterator[Finding]:
    """Keyless modes write installer-cloud-credentials, which the cloud-credential operator owns and
    rewrites in Mint and Passthrough mode: only on a cluster in Manual mode, with an issuer to trust."""
    mode = mode_of(stack)
    if mode.secret != INSTALLER_SECRET:
        return
    key = f"storage.{stack.storage.kind}.credentials"
    if state.read and state.credentials_mode != "Manual":
        yield Finding(
            key,
            f"{mode.name} needs the cloud-credential operator in Manual mode, but {state.source} has "
            f"cloudcredentials.operator.openshift.io/cluster spec.credentialsMode "
            f"{state.credentials_mode or 'unset (the default, Mint)'}: it would overwrite installer-cloud-credentials",
        )
    if state.read and not state.service_account_issuer:
        yield Finding(
            "cluster.serviceAccountIssuer",
            f"{key}: {mode.name} needs the cluster's own service account issuer, but {state.source} has none "
            "(authentications.config.openshift.io/cluster spec.serviceAccountIssuer is empty): its tokens carry "
            "the internal issuer, which no cloud can reach, so every token would be refused whatever the stack "
            "says. Install or reconfigure the cluster for short-lived credentials (ccoctl) first",
        )
        return
    if not (stack.cluster.service_account_issuer or state.service_account_issuer):
        yield Finding(
            "cluster.serviceAccountIssuer",
            f"required with {key}: {mode.name} trusts the cluster's service account issuer (its https URL, "
            "`oc get authentication cluster -o jsonpath='{.spec.serviceAccountIssuer}'`); set it, or let the "
            "program read the cluster",
        )


def _shadowed(stack: StackSettings, state: ClusterState) -> Iterator[Finding]:
    """Every driver reads installer-cloud-credentials only while image-registry-private-configuration-user
    is NotFound (``GetConfig`` in pkg/storage/s3, gcs, azure): a leftover user secret, such as the one
    this stack made with static keys before, would make a keyless mode silently do nothing."""
    mode = mode_of(stack)
    if mode.secret != INSTALLER_SECRET or state.get(USER_SECRET) is None:
        return
    yield Finding(
        f"storage.{stack.storage.kind}.credentials",
        f"{mode.name} writes installer-cloud-credentials, but {state.source} has the Secret "
        f"{REGISTRY_NAMESPACE}/{CREDENTIAL_SECRET}: while it exists the operator reads only its static keys and "
        "ignores installer-cloud-credentials, so the keyless mode would silently do nothing (GetConfig, "
        f"pkg/storage/{stack.storage.kind}). Delete it first (the operator then uses the cluster's "
        f"installer-cloud-credentials until this stack's patch lands): oc delete secret {CREDENTIAL_SECRET} "
        f"-n {REGISTRY_NAMESPACE}. If this stack made it with static keys before, `pulumi up` then only "
        "forgets it (it was retained on delete)",
    )


def _moving(stack: StackSettings, state: ClusterState) -> Iterator[Finding]:
    """A registry that already has storage is pointed at other storage only on purpose: otherwise it
    restarts on empty storage and every image seems gone (they are still where they were)."""
    if stack.storage.move:
        return
    live = {k: v for k, v in state.config_storage().items() if k != "managementState" and isinstance(v, Mapping)}
    if len(live) != 1:
        return  # none, or two (refused by _storage with its own fix)
    ((field, block),) = live.items()
    old_kind = BY_FIELD.get(field)
    if old_kind is None or not old_kind.holds_images_at(block):
        return  # emptyDir, or storage the operator has not made yet: no images to strand
    ours = stack.storage.kind
    new_block = storage_block(stack)[ours]
    where = old_kind.describe(block)
    owned = state.owned_paths(state.config)
    # A location field the stack leaves unset stays as it is unless this program set it (server-side apply
    # then removes it): another manager's is the stale-field rule's to report.
    changed = [
        name
        for name in old_kind.location_fields
        if new_block.get(name) != block.get(name) and (name in new_block or ("spec", "storage", field, name) in owned)
    ]
    if field == ours and not changed:
        return
    target = kind_of(ours).describe(new_block) if kind_of(ours).location_fields else f"storage.{ours}"
    yield Finding(
        f"storage.{ours}",
        f"would move the registry of {state.source} from {where} to {target}: the registry would restart on the "
        f"new storage and every image would seem gone. The images are in {where}; copy them first "
        f"({old_kind.copy_hint}), then set storage.move: true; or point the stack at the storage the registry "
        "uses (`python -m adopt` writes such a stack)",
    )


def _platform(stack: StackSettings, state: ClusterState) -> Iterator[Finding]:
    live = state.platform
    # The Infrastructure's type, lower case, is this program's platform; "None" (user-provisioned) is bare metal.
    if live and ("baremetal" if live == "none" else live) != stack.platform:
        yield Finding("platform", f"is {stack.platform}, but the cluster's Infrastructure says {live} ({state.source})")


def fix_command(paths: list[str]) -> str:
    """One ``oc patch`` that stops the operator reconciling and removes ``paths``, atomically: between
    it and ``pulumi up`` the registry runs as it is, and the operator never sees the Config without
    storage (on a cloud it would create storage of its own)."""
    operations = [{"op": "replace", "path": "/spec/managementState", "value": "Unmanaged"}]
    operations += [{"op": "remove", "path": path} for path in paths]
    return f"oc patch {CONFIG_NAME} --type=json -p '{json.dumps(operations)}'"


def _storage(stack: StackSettings, state: ClusterState) -> Iterator[Finding]:
    """Exactly one storage type, and none of another manager's stale fields beside ours.

    The operator refuses two storage types (``MultiStoragesError``, pkg/storage/storage.go), and
    fields it once wrote into the spec (``cr.Spec.Storage.S3 = d.Config.DeepCopy()``,
    pkg/storage/s3/s3.go) change what the registry does. Server-side apply never removes a field
    another manager owns, so such fields would stay beside ours: refused, with the fix. What the API
    server defaults, what the operator's typed writes serialize and what it writes back on purpose
    (``stored_block``, the kind's ``written_back``) is not stale. Decided field by field from
    managedFields: owning one field of a block says nothing of its others.
    """
    config = state.config
    live = state.config_storage()
    if not live:
        return
    ours = stack.storage.kind
    kind = kind_of(ours)
    block = storage_block(stack)[ours]
    stored = stored_block(kind, block, stack.cluster.openshift_version)
    owned = state.owned_paths(config)
    unknown_owner = (
        ""
        if state.has_managed_fields(config)
        else (
            " If this program set these fields in an earlier `pulumi up`, dump the Config with "
            "`--show-managed-fields` so that can be seen."
        )
    )
    for field, value in sorted(live.items()):
        if field == "managementState":
            continue
        if field != ours:
            if ("spec", "storage", field) in owned:
                continue  # ours from an earlier kind: the next apply removes it
            command = fix_command([f"/spec/storage/{field}"])
            yield Finding(
                f"(cluster) configs/cluster spec.storage.{field}",
                f"is set on {state.source} beside the storage.{ours} this stack sets: the operator accepts "
                "exactly one storage type (pkg/storage/storage.go), and server-side apply cannot remove a "
                f"field another manager set. Remove it first, then `pulumi up`: {command}" + unknown_owner,
            )
        elif isinstance(value, Mapping):
            stale = [
                name
                for name, live_value in sorted(value.items())
                if name not in block
                and name not in kind.written_back
                and ("spec", "storage", ours, name) not in owned
                and stored.get(name, _ABSENT) != live_value
            ]
            if stale:
                listed = ", ".join(f"{name}: {redact_url(json.dumps(value[name]))}" for name in stale)
                yield Finding(
                    f"(cluster) configs/cluster spec.storage.{ours}",
                    f"on {state.source} also holds {listed}, which this stack does not set and which would stay "
                    "and change what the registry does (the operator once wrote its whole block there). Set them "
                    f"in the stack, or remove them first: {fix_command([f'/spec/storage/{ours}/{n}' for n in stale])}"
                    + unknown_owner,
                )


_ABSENT = object()


def _short_lived(stack: StackSettings, state: ClusterState) -> Iterator[Finding]:
    """While ``image-registry-private-configuration-user`` exists the operator uses only its static keys
    (GetConfig in pkg/storage/s3, gcs, azure): creating it on a cluster with short-lived credentials
    silently replaces tokens with long-lived keys."""
    if not state.short_lived_credentials or mode_of(stack).secret != CREDENTIAL_SECRET:
        return
    if stack.cluster.allow_long_lived_keys:
        return
    kind = stack.storage.kind
    yield Finding(
        f"storage.{kind}.credentials",
        f"would create image-registry-private-configuration-user with long-lived keys, but {state.source} uses "
        f"short-lived credentials (CloudCredential credentialsMode Manual, service account issuer "
        f"{state.service_account_issuer}): the operator would stop using its tokens. Use the keyless mode "
        f"(storage.{kind}.credentials: {', '.join(kind_of(kind).keyless)}; docs/keyless.md), or set "
        "cluster.allowLongLivedKeys: true to replace them on purpose",
    )


def _cas(stack: StackSettings, state: ClusterState) -> Iterator[Finding]:
    """Our hosts join the ConfigMap the Image config already names; a host it holds with another CA is refused."""
    existing = trusted_ca_configmap(state)
    if existing is None or not stack.trusted_cas:
        return
    name, data = existing
    for host, bundle in sorted(stack.trusted_cas.items()):
        key = data_key(host)
        if key in data and data[key].strip() != bundle.strip():
            yield Finding(
                f"trustedCAs.{host}",
                f"the cluster already trusts another CA for {host} in the ConfigMap openshift-config/{name} that "
                "the Image config names; replacing it could break pulls from that registry. Remove the host from "
                "the stack, or change that ConfigMap by hand first",
            )


def _kind_findings(stack: StackSettings, state: ClusterState) -> Iterator[Finding]:
    """What the selected kind's own ``cluster.py`` (in its folder) refuses about the cluster, where it has one."""
    findings = getattr(_kind_rules(stack), "findings", None)
    if findings is not None:
        yield from findings(stack, state)
