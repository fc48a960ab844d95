"""From the cluster as a dump shows it to the stack settings that reproduce its registry.

Pure: a ``ClusterState`` in, an ``Adoption`` out (the settings, what could not be carried over and
why, and the commands that put secrets into the stack). Secret values are never read: a dump's
Secrets hold key names only, and the commands copy values from the cluster straight into
``pulumi config set --secret``.

Two ways to take over storage, chosen with ``mode``:

- ``reference`` (the default): the bucket, account or claim is named in the Config and left as it
  is (``adopt: true``): nothing about it is created, changed or imported, so the first ``pulumi up``
  cannot touch image data. Only the in-cluster objects the stack would otherwise create (the
  credential secret, route TLS secrets) are imported.
- ``import``: the storage itself is imported too (Pulumi's ``import`` option), and from then on
  managed and hardened by the stack: what a dump cannot show (tags, a bucket's hardening) is left
  as it is until the ``import`` entries are removed, when the next ``pulumi up`` sets it.
"""

from __future__ import annotations

import copy
from types import ModuleType
from typing import Any

from components.adoption import Adoption, AdoptionError, Context, Mode
from components.cluster.rules import stored_block
from components.cluster.state import ClusterState
from components.names import CREDENTIAL_SECRET, NAMESPACE, REGISTRY_NAMESPACE, TRUSTED_CA_CONFIGMAP
from components.settings.registry import CR_FIELDS as REGISTRY_FIELDS
from components.storage.kinds import KINDS, kind_of
from components.storage.kinds import PLATFORMS as KIND_PLATFORMS

# The Infrastructure's platform type -> this program's platform: the same name, lower case, for every
# platform of the kind table; "None" (user-provisioned) is bare metal.
PLATFORMS = {**{platform: platform for platform in KIND_PLATFORMS}, "none": "baremetal"}
# The Config fields of each storage kind, from the storage-kind table.
STORAGE_FIELDS = {kind.field: kind.cr_fields for kind in KINDS}
# The secret config key each operator key of the user secret is copied into: the modes that read secret
# config, key by key (S3 and GCS secretConfig, Swift's two modes, IBM COS).
SECRET_CONFIG = {
    key: config_key
    for kind in KINDS
    for mode in kind.credential_modes
    if mode.config_secrets and len(mode.config_secrets) == len(mode.keys)
    for key, config_key in zip(mode.keys, mode.config_secrets, strict=True)
}


def adopt(state: ClusterState, *, mode: Mode = "reference", resource_group: str | None = None,
          subscription: str | None = None, location: str | None = None) -> Adoption:  # fmt: skip
    config = state.config
    if config is None:
        raise AdoptionError(
            f"{state.source} holds no registry Config (configs.imageregistry.operator.openshift.io cluster)"
        )
    live = config.get("spec") or {}
    result = Adoption()
    platform = PLATFORMS.get(state.platform or "")
    if platform is None:
        raise AdoptionError(f"the cluster's platform is {state.platform or 'unknown (no Infrastructure in the dump)'}; "
                            f"this program supports {', '.join(sorted(set(PLATFORMS.values())))}")  # fmt: skip
    result.config[f"{NAMESPACE}:platform"] = platform
    result.config[f"{NAMESPACE}:registry"] = _registry(live, state, result)
    imports: dict[str, str] = {}
    storage = live.get("storage") or {}
    kinds = [k for k in storage if k != "managementState"]
    if len(kinds) != 1:
        raise AdoptionError(f"the Config holds {len(kinds)} storage types ({', '.join(kinds) or 'none'}); "
                            "a registry to adopt has exactly one: set it first (`oc patch`)")  # fmt: skip
    kind = kinds[0]
    if kind not in STORAGE_FIELDS:
        raise AdoptionError(f"storage.{kind} is not one this program provides ({', '.join(STORAGE_FIELDS)})")
    context = Context(state, mode, imports, result, resource_group, subscription, location)
    hooks = _hooks(kind)
    block = _storage(kind, dict(storage[kind] or {}), context, hooks)
    result.config[f"{NAMESPACE}:storage"] = {kind: block}
    result.config[f"{NAMESPACE}:environment"] = getattr(hooks, "ENVIRONMENT", "production")
    if hasattr(hooks, "ENVIRONMENT_NOTE"):
        result.notes.append(hooks.ENVIRONMENT_NOTE)
    _credentials(kind, block, context, hooks)
    _routes(live, state, imports, result)
    _trusted_cas(state, result)
    if imports:
        result.config[f"{NAMESPACE}:import"] = imports
    if hasattr(hooks, "CHOSE"):
        result.chose = f"{mode}: {hooks.CHOSE}"
    elif mode == "reference":
        result.chose = (
            "reference: the storage is named in the Config and left as it is (adopt: true); nothing about it is "
            "created, changed or imported"
        )
    else:
        result.chose = "import: the storage is imported and from then on managed and hardened by the stack"
    return result


def _registry(live: dict[str, Any], state: ClusterState, result: Adoption) -> dict[str, Any]:
    registry = copy.deepcopy({f: live[f] for f in REGISTRY_FIELDS if f in live and live[f] not in (None, "", [], {})})
    for route in registry.get("routes", []):
        route.pop("secretName", None)  # the Secret comes from routeTls, below
    proxy = registry.get("proxy") or {}
    for key in ("http", "https"):
        if "@" in str(proxy.get(key, "")):
            proxy.pop(key)
            result.notes.append(f"registry.proxy.{key} not carried over: it holds credentials, which this program "
                                "refuses in the Config (use the cluster-wide proxy)")  # fmt: skip
    if live.get("httpSecret"):
        result.notes.append("httpSecret not in the file: it is a secret (the commands above copy it)")
        result.commands.append(
            "oc get configs.imageregistry.operator.openshift.io cluster -o jsonpath='{.spec.httpSecret}' | "
            "pulumi config set --secret httpSecret"
        )
        result.secrets.append("httpSecret")
    for name in sorted(set(live) - set(REGISTRY_FIELDS) - {"storage", "httpSecret"}):
        result.notes.append(f"registry.{name} not carried over: this program does not set it; it stays in the "
                            "Config as it is")  # fmt: skip
    return registry


def _hooks(kind: str) -> ModuleType:
    """The kind's ``adopt.py``, from its folder: what adopting its storage takes beyond what all share."""
    hooks = kind_of(kind).part("adopt")
    assert hooks is not None, f"storage.{kind} has no adopt.py"
    return hooks


def _storage(kind: str, live: dict[str, Any], context: Context, hooks: ModuleType) -> dict[str, Any]:
    row = kind_of(kind)
    # What the API server and the operator store when nobody sets a field (CRD defaults, typed zero values,
    # values that mean unset) is left out: the stack sets only what someone chose.
    unset = stored_block(row, {}, context.state.openshift_version)
    block = {
        f: live[f]
        for f in STORAGE_FIELDS[kind]
        if f in live and live[f] not in (None, "") and (f not in unset or unset[f] != live[f])
    }
    for name in sorted(set(live) - set(STORAGE_FIELDS[kind])):
        context.result.notes.append(f"storage.{kind}.{name} not carried over: this program does not set it")
    named = row.names_storage
    if named and not block.get(named):
        raise AdoptionError(
            f"the Config's storage.{kind} names no {named}: the operator has not made or been given its "
            f"storage yet, so there is nothing to adopt; write a stack of your own instead (docs/settings.md)"
        )
    return dict(hooks.storage(block, context))


def _credentials(kind: str, block: dict[str, Any], context: Context, hooks: ModuleType) -> None:
    row, state, result = kind_of(kind), context.state, context.result
    if all(mode.secret is None for mode in row.credential_modes):
        return
    secret = state.named("v1", "Secret", REGISTRY_NAMESPACE, CREDENTIAL_SECRET)
    if secret is None and state.short_lived_credentials and row.keyless:
        _keyless(kind, block, context, hooks)
        return
    if secret is None:
        result.notes.append(
            getattr(hooks, "NO_SECRET", None)
            or f"no {CREDENTIAL_SECRET}: the registry used the cluster's own credentials; the stack creates a "
            "dedicated identity and the secret (or set credentials: secretConfig)"
        )
        return
    context.imports["credentials"] = f"{REGISTRY_NAMESPACE}/{CREDENTIAL_SECRET}"
    keys = sorted((secret.get("data") or {}).keys())
    if hasattr(hooks, "credential_keys"):
        keys = hooks.credential_keys(keys, block, context)
    copied = [key for key in keys if key in SECRET_CONFIG]
    # The mode that takes exactly these keys from secret config (S3's and GCS's secretConfig), where there is one.
    taking = [m.name for m in row.credential_modes if m.config_secrets and set(m.keys) <= set(copied)]
    if copied and taking and "credentials" not in block and len(row.credential_modes) > 1:
        block["credentials"] = taking[0]
    for key in copied:
        result.commands.append(
            f"oc extract secret/{CREDENTIAL_SECRET} -n {REGISTRY_NAMESPACE} --keys={key} --to=- | "
            f"pulumi config set --secret {SECRET_CONFIG[key]}"
        )
        result.secrets.append(SECRET_CONFIG[key])


def _keyless(kind: str, block: dict[str, Any], context: Context, hooks: ModuleType) -> None:
    """A cluster with short-lived credentials (Manual mode and an issuer of its own, what ccoctl sets up)
    and no static-key secret: the registry uses ccoctl's identity. The stack takes over with an identity of
    its own, trusted through the same issuer; never static keys, which the program would refuse there."""
    mode = kind_of(kind).keyless[0]
    if hasattr(hooks, "keyless"):
        hooks.keyless(block, context)
    block["credentials"] = mode
    issuer = context.state.service_account_issuer or ""
    context.result.remarks.append(
        f"storage.{kind}.credentials: {mode}: the cluster uses short-lived credentials (issuer {issuer}); the "
        "stack makes the registry's own identity, trusted through that issuer, and patches installer-cloud-"
        "credentials with it (ccoctl's role there today is replaced)"
    )


def _routes(live: dict[str, Any], state: ClusterState, imports: dict[str, str], result: Adoption) -> None:
    for route in live.get("routes") or []:
        secret_name = route.get("secretName")
        if not secret_name:
            continue
        name = route["name"]
        secret = state.named("v1", "Secret", REGISTRY_NAMESPACE, secret_name)
        if secret is None or not {"tls.crt", "tls.key"} <= set(secret.get("data") or {}):
            result.notes.append(f"route {name}: its Secret {secret_name} is not in the dump (or holds no tls.crt and "
                                "tls.key): the route uses the cluster's certificate until routeTls is set")  # fmt: skip
            continue
        for part, key in (("certificate", "tls.crt"), ("key", "tls.key")):
            result.commands.append(
                f"oc extract secret/{secret_name} -n {REGISTRY_NAMESPACE} --keys={key} --to=- | "
                f"pulumi config set --secret --path 'routeTls.{name}.{part}'"
            )
        result.secrets.append(f"routeTls.{name}")
        for entry in result.config[f"{NAMESPACE}:registry"].get("routes", []):
            if entry["name"] == name and secret_name != f"{name}-tls":
                entry["secretName"] = secret_name
        imports[f"route-{name}-tls"] = f"{REGISTRY_NAMESPACE}/{secret_name}"


def _trusted_cas(state: ClusterState, result: Adoption) -> None:
    name = (((state.image or {}).get("spec") or {}).get("additionalTrustedCA") or {}).get("name")
    if not name:
        return
    configmap = state.named("v1", "ConfigMap", "openshift-config", name)
    if configmap is None:
        result.notes.append(f"the trusted CAs ConfigMap {name} is not in the dump: trustedCAs not carried over")
        return
    data = configmap.get("data") or {}
    result.config[f"{NAMESPACE}:trustedCAs"] = {key.replace("..", ":"): value for key, value in sorted(data.items())}
    if name != TRUSTED_CA_CONFIGMAP:
        result.remarks.append(f"trustedCAs: the hosts of openshift-config/{name}; the stack adds to that ConfigMap, "
                            "which stays the one the Image config names")  # fmt: skip
