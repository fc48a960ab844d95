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
from dataclasses import dataclass, field
from typing import Any, Literal

from components.cluster.rules import stored_block
from components.cluster.state import ClusterState
from components.names import CREDENTIAL_SECRET, NAMESPACE, REGISTRY_NAMESPACE, TRUSTED_CA_CONFIGMAP
from components.settings.registry import CR_FIELDS as REGISTRY_FIELDS
from components.storage.kinds import KINDS, kind_of
from components.storage.kinds import PLATFORMS as KIND_PLATFORMS

Mode = Literal["reference", "import"]
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


class AdoptionError(Exception):
    """The dump cannot be adopted as asked; the message says why and what to do."""


@dataclass
class Adoption:
    config: dict[str, Any] = field(default_factory=dict)
    """``namespace:key`` -> value, as a stack file's ``config:`` holds them."""
    notes: list[str] = field(default_factory=list)
    """What was not carried over, and why: written as comments."""
    remarks: list[str] = field(default_factory=list)
    """What was carried over, with what to know about it: written as comments too."""
    asks: list[str] = field(default_factory=list)
    """Commands that set what a dump cannot show (printed among the next steps, before the review)."""
    commands: list[str] = field(default_factory=list)
    """``pulumi config set --secret`` commands that copy secret values from the cluster."""
    secrets: list[str] = field(default_factory=list)
    """The secret config keys the commands set (for checking the stack before they run)."""
    chose: str = ""


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
    where = (resource_group, subscription, location)
    block = _storage(kind, dict(storage[kind] or {}), state, mode, imports, result, where)
    result.config[f"{NAMESPACE}:storage"] = {kind: block}
    result.config[f"{NAMESPACE}:environment"] = "nonproduction" if kind == "emptyDir" else "production"
    if kind == "emptyDir":
        result.notes.append(
            "environment: nonproduction, since the registry runs on emptyDir (images are lost on restart)"
        )
    if kind == "azure" and location and state.short_lived_credentials:
        block.setdefault("location", location)  # the keyless identity is made there
    _credentials(kind, block, state, imports, result)
    _routes(live, state, imports, result)
    _trusted_cas(state, result)
    if imports:
        result.config[f"{NAMESPACE}:import"] = imports
    if kind == "emptyDir":
        result.chose = f"{mode}: emptyDir has no storage to take over"
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


def _storage(kind: str, live: dict[str, Any], state: ClusterState, mode: Mode, imports: dict[str, str],
             result: Adoption, where: tuple[str | None, str | None, str | None]) -> dict[str, Any]:  # fmt: skip
    resource_group, subscription, location = where
    # What the API server and the operator store when nobody sets a field (CRD defaults, typed zero values,
    # values that mean unset) is left out: the stack sets only what someone chose.
    unset = stored_block(kind_of(kind), {}, state.openshift_version)
    block = {
        f: live[f]
        for f in STORAGE_FIELDS[kind]
        if f in live and live[f] not in (None, "") and (f not in unset or unset[f] != live[f])
    }
    for name in sorted(set(live) - set(STORAGE_FIELDS[kind])):
        result.notes.append(f"storage.{kind}.{name} not carried over: this program does not set it")
    if kind == "emptyDir":
        return {}
    if kind == "pvc":
        return _claim(block, state, mode, imports, result)
    if kind == "azure":
        group = resource_group or (((state.infrastructure or {}).get("status") or {}).get("platformStatus") or {}).get(
            "azure", {}
        ).get("resourceGroupName")
        if not group:
            raise AdoptionError("the storage account's resource group is unknown: give --resource-group")
        block["resourceGroup"] = group
        if mode == "import":
            if not subscription or not location:
                raise AdoptionError(
                    "--mode import on Azure needs --subscription (the account's id names it) and --location "
                    "(the account's region; a dump does not show it)"
                )
            block["location"] = location
            account = (f"/subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.Storage/"
                       f"storageAccounts/{block['accountName']}")  # fmt: skip
            imports["account"] = account
            imports["container"] = (
                f"{account}/blobServices/default/containers/{block.get('container', 'image-registry')}"
            )
    named = {"s3": "bucket", "gcs": "bucket", "azure": "accountName", "swift": "container", "ibmcos": "bucket"}
    if kind in named and not block.get(named[kind]):
        raise AdoptionError(
            f"the Config's storage.{kind} names no {named[kind]}: the operator has not made or been given its "
            f"storage yet, so there is nothing to adopt; write a stack of your own instead (docs/settings.md)"
        )
    if kind == "ibmcos":
        for name in ("location", "resourceGroupName"):
            if block.pop(name, None) is not None:
                result.remarks.append(
                    f"storage.ibmcos.{name}: the operator's (it writes it back on every sync, CreateStorage); it "
                    "stays in the Config and the stack leaves it alone"
                )
        return block  # an IBM COS bucket is always one that exists: nothing to adopt or import
    if mode == "reference":
        block["adopt"] = True
    elif kind in ("s3", "gcs"):
        if kind == "s3" and "regionEndpoint" in block:
            block["adopt"] = True
            result.notes.append("storage.s3: an S3-compatible endpoint's bucket is always referenced, never imported")
        else:
            imports["bucket"] = block["bucket"]
    return block


def _claim(block: dict[str, Any], state: ClusterState, mode: Mode, imports: dict[str, str],
           result: Adoption) -> dict[str, Any]:  # fmt: skip
    name = block.get("claim") or "image-registry-storage"
    claim = state.named("v1", "PersistentVolumeClaim", REGISTRY_NAMESPACE, name)
    block = {"claim": name}
    if claim is None:
        result.notes.append(f"the claim {name} is not in the dump: referenced (adopt: true) without its size and class")
        return {**block, "adopt": True}
    spec = claim.get("spec") or {}
    modes = spec.get("accessModes") or []
    if modes:
        block["accessMode"] = modes[0]
    if mode == "reference":
        return {**block, "adopt": True}
    size = ((spec.get("resources") or {}).get("requests") or {}).get("storage")
    if size:
        block["size"] = size
    if spec.get("storageClassName"):
        block["storageClass"] = spec["storageClassName"]
    imports["claim"] = f"{REGISTRY_NAMESPACE}/{name}"
    return block


def _credentials(kind: str, block: dict[str, Any], state: ClusterState, imports: dict[str, str],
                 result: Adoption) -> None:  # fmt: skip
    secret = state.named("v1", "Secret", REGISTRY_NAMESPACE, CREDENTIAL_SECRET)
    if kind in ("pvc", "emptyDir"):
        return
    if secret is None and state.short_lived_credentials and kind_of(kind).keyless:
        _keyless(kind, block, state, result)
        return
    if secret is None:
        if kind == "azure":
            result.notes.append("no credential secret: the account key is read from the account and one is created")
        else:
            result.notes.append(
                f"no {CREDENTIAL_SECRET}: the registry used the cluster's own credentials; the stack creates a "
                "dedicated identity and the secret (or set credentials: secretConfig)"
            )
        return
    imports["credentials"] = f"{REGISTRY_NAMESPACE}/{CREDENTIAL_SECRET}"
    keys = sorted((secret.get("data") or {}).keys())
    if kind == "swift":
        keys = _swift_mode(keys, block, result)
    copied = [key for key in keys if key in SECRET_CONFIG]
    if kind in ("s3", "gcs") and copied:
        block["credentials"] = "secretConfig"
    for key in copied:
        result.commands.append(
            f"oc extract secret/{CREDENTIAL_SECRET} -n {REGISTRY_NAMESPACE} --keys={key} --to=- | "
            f"pulumi config set --secret {SECRET_CONFIG[key]}"
        )
        result.secrets.append(SECRET_CONFIG[key])


def _keyless(kind: str, block: dict[str, Any], state: ClusterState, result: Adoption) -> None:
    """A cluster with short-lived credentials (Manual mode and an issuer of its own, what ccoctl sets up)
    and no static-key secret: the registry uses ccoctl's identity. The stack takes over with an identity of
    its own, trusted through the same issuer; never static keys, which the program would refuse there."""
    mode = kind_of(kind).keyless[0]
    if kind == "azure" and "location" not in block:
        raise AdoptionError(
            "the cluster uses short-lived credentials, so the stack makes the registry a managed identity: give "
            "--location (the region to make it in, e.g. the account's; a dump does not show it)"
        )
    block["credentials"] = mode
    issuer = state.service_account_issuer or ""
    result.remarks.append(
        f"storage.{kind}.credentials: {mode}: the cluster uses short-lived credentials (issuer {issuer}); the "
        "stack makes the registry's own identity, trusted through that issuer, and patches installer-cloud-"
        "credentials with it (ccoctl's role there today is replaced)"
    )
    if kind == "s3":
        # ccoctl made the issuer's IAM OIDC provider and AWS allows one per URL: the stack names it, and its
        # account is the one thing a dump cannot show.
        path = issuer.removeprefix("https://")
        result.asks.append(
            "pulumi config set --path 'storage.s3.oidcProviderArn' "
            f'"arn:aws:iam::$(aws sts get-caller-identity --query Account --output text):oidc-provider/{path}"'
        )


def _swift_mode(keys: list[str], block: dict[str, Any], result: Adoption) -> list[str]:
    """Which of Swift's two modes the secret holds, and the keys of that mode. 4.10-4.14 need all five keys
    present (the unused ones empty), and a dump shows names only: a tenant in the Config means the password
    (Keystone refuses a project scope with an application credential)."""
    kind = kind_of("swift")
    application, password = kind.mode("applicationCredential"), kind.mode("password")
    has_application = set(application.keys) <= set(keys)
    has_password = set(password.keys) <= set(keys)
    chosen = (
        application
        if has_application and not (has_password and (block.get("tenant") or block.get("tenantID")))
        else password
    )
    if not (has_application or has_password):
        return keys
    block["credentials"] = chosen.name
    if has_application and has_password:
        result.remarks.append(
            f"storage.swift.credentials: {chosen.name}: the secret holds both modes' keys (as 4.10-4.14 require) "
            "and a dump shows their names only; change it if the registry uses the other"
        )
    if chosen is application:
        for name in ("tenant", "tenantID"):
            if block.pop(name, None) is not None:
                result.notes.append(
                    f"storage.swift.{name} not carried over: Keystone refuses a project scope with an application "
                    "credential (remove it from the Config too: the preview prints how)"
                )
    return [key for key in keys if key in chosen.keys]


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
