"""Per cluster of a fleet: its stack config, its preview summary, its Stack resource and stack file.

Secrets stay references throughout: the preview puts the offline placeholder where a secret goes,
the Stack resource names the Kubernetes Secret (``secretsRef``, ``envRefs``), and the stack file for
the CLI holds none (it lists the ``pulumi config set --secret`` commands instead).
"""

from __future__ import annotations

import importlib.metadata
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from components import command_kit as kit
from components.cluster.readers import new_cluster
from components.crd import strict_schema, violations
from components.errors import Finding, SettingsError
from components.names import NAMESPACE, SECURE_PLACEHOLDER
from components.settings.secrets import SECRET_KEYS
from components.stack_config import PROJECT_ROOT, StackConfig, project_file
from fleet.model import Cluster, Fleet, SecretRef, merged
from offline.engine import evaluate
from offline.manifests import manifests
from offline.plan import plan_of
from offline.validation import validate

STACK_CRD = PROJECT_ROOT / "components" / "schemas" / "pulumi-kubernetes-operator" / "stacks.crd.yaml"
KUBECONFIG_KEY = "kubernetes:kubeconfig"


def settings_of(fleet: Fleet, cluster: Cluster) -> dict[str, Any]:
    return merged(fleet.defaults, cluster.settings)


def provider_config_of(fleet: Fleet, cluster: Cluster) -> dict[str, Any]:
    return merged(fleet.default_provider_config, cluster.provider_config)


def _wire(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def stack_config(fleet: Fleet, cluster: Cluster, root: Path = PROJECT_ROOT) -> StackConfig:
    """What the program sees for this cluster, secrets as the offline placeholder (their values live
    in Kubernetes Secrets on the management cluster)."""
    project = project_file(root)
    name = project["name"]
    config: dict[str, str] = {}
    for key, declared in (project.get("config") or {}).items():
        if isinstance(declared, dict) and "default" in declared:
            config[f"{name}:{key}"] = _wire(declared["default"])
    config.update({f"{name}:{key}": _wire(value) for key, value in settings_of(fleet, cluster).items()})
    config.update({key: _wire(value) for key, value in provider_config_of(fleet, cluster).items()})
    secret_keys = [f"{name}:{key}" for key in cluster.secrets]
    config.update(dict.fromkeys(secret_keys, SECURE_PLACEHOLDER))
    return StackConfig(project=name, stack=cluster.name, config=config, secret_keys=sorted(secret_keys))


@dataclass
class Summary:
    cluster: str
    resources: int = 0
    storage: str = ""
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class Stages(dict[str, float]):
    """Seconds spent in each step of a cluster's preview, summed over clusters: where a fleet's time goes
    (the benchmark reports it)."""

    @contextmanager
    def timing(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self[name] = self.get(name, 0.0) + time.perf_counter() - start


def preview(fleet: Fleet, cluster: Cluster, stages: Stages | None = None) -> Summary:
    """Evaluate one cluster's stack as the offline preview does, keeping only its summary."""

    stages = Stages() if stages is None else stages
    summary = Summary(cluster.name)
    inline = list(inline_secrets(fleet, cluster))
    if inline:
        summary.errors = inline
        return summary
    with stages.timing("settings and cluster rules"):
        config = stack_config(fleet, cluster)
        try:
            loaded = kit.checked_settings(config, new_cluster())
        except SettingsError as error:
            summary.errors = [f"clusters[{cluster.name}].{_key(problem)}" for problem in error.problems]
            return summary
    with stages.timing("evaluation under the mock engine"):
        evaluation = evaluate(config)
    with stages.timing("schema validation of the objects"):
        found = validate(manifests(plan_of(evaluation)), "latest")
    summary.resources = sum(1 for r in evaluation.registrations if r.custom)
    summary.storage = loaded.settings.storage.kind
    summary.warnings = [str(w) for w in loaded.warnings]
    summary.errors = [f"clusters[{cluster.name}]: {v}" for v in found]
    return summary


def inline_secrets(fleet: Fleet, cluster: Cluster) -> list[str]:
    """Secret config given as a value in ``defaults`` or a cluster's ``settings``: it would be written in
    plain text into the Stack resource and the stack files. Only a reference belongs in a fleet file."""
    found = []
    for where, settings in (("defaults", fleet.defaults), (f"clusters[{cluster.name}].settings", cluster.settings)):
        for key in sorted(set(settings) & set(SECRET_KEYS)):
            found.append(
                f"{where}.{key}: a secret given inline would be written in plain text into the Stack resource and "
                f"the stack files; give it by reference instead: clusters[{cluster.name}].secrets.{key}: "
                "{name: <Secret>, key: <key>}"
            )
    return found


def _key(problem: Finding) -> str:
    """``settings.storage.s3.bucket: ...``: the fleet file's own path to the key."""
    key = problem.key
    if ":" in key.split(".", 1)[0]:
        return f"providerConfig.{key}: {problem.message}"
    if key.startswith("("):
        return f"name: {problem.message}"
    return (
        f"settings.{key}: {problem.message}"
        if key.split(".", 1)[0] not in SECRET_KEYS
        else f"secrets.{key}: {problem.message}"
    )


def _ref(ref: SecretRef) -> dict[str, Any]:
    return {"type": "Secret", "secret": {"name": ref.name, "key": ref.key}}


def workspace_image(fleet: Fleet) -> str:
    """Pulumi's Python image at the SDK version the lock pins: the workspace then installs
    ``requirements.txt`` (the lock) into it (``Pulumi.yaml``: ``toolchain: pip``)."""
    return fleet.workspace.image or f"pulumi/pulumi-python-3.11:{importlib.metadata.version('pulumi')}"


def stack_resource(fleet: Fleet, cluster: Cluster) -> dict[str, Any]:
    """The ``pulumi.com/v1`` Stack the Pulumi Kubernetes Operator reconciles for this cluster."""
    backend = fleet.backend
    env_refs = {name: _ref(ref) for name, ref in sorted(cluster.cloud_credentials.items())}
    if backend.pulumi_cloud and backend.access_token:
        env_refs["PULUMI_ACCESS_TOKEN"] = _ref(backend.access_token)
    if backend.passphrase:
        env_refs["PULUMI_CONFIG_PASSPHRASE"] = _ref(backend.passphrase)
    secrets_ref = {f"{NAMESPACE}:{key}": _ref(ref) for key, ref in sorted(cluster.secrets.items())}
    secrets_ref[KUBECONFIG_KEY] = _ref(cluster.kubeconfig)
    config = {f"{NAMESPACE}:{key}": value for key, value in settings_of(fleet, cluster).items()}
    config.update(provider_config_of(fleet, cluster))
    spec: dict[str, Any] = {
        "stack": f"{backend.organization}/{cluster.name}" if backend.pulumi_cloud else cluster.name,
        "projectRepo": fleet.git.repo,
        "branch": fleet.git.branch,
        "repoDir": fleet.git.path,
        "config": config,
        "secretsRef": secrets_ref,
        "envRefs": env_refs,
        # Never destroy a registry's storage because its Stack resource was deleted.
        "destroyOnFinalize": False,
        # Drift is corrected on every resync. The Config patch owns only its own fields, so what the
        # operator writes back (httpSecret, status, the effective storage block) is not drift, and a
        # bucket carries the cluster's resourceTags (clusterResourceTags), so the tag controller's
        # tags are not either.
        "refresh": True,
        "continueResyncOnCommitMatch": True,
        "resyncFrequencySeconds": fleet.resync_frequency_seconds,
        "serviceAccountName": fleet.workspace.service_account_name,
        "workspaceTemplate": {"spec": {"image": workspace_image(fleet)}},
    }
    if not backend.pulumi_cloud:
        spec["backend"] = backend.url
    if backend.secrets_provider:
        spec["secretsProvider"] = backend.secrets_provider
    return {
        "apiVersion": "pulumi.com/v1",
        "kind": "Stack",
        "metadata": {
            "name": cluster.name,
            "namespace": fleet.namespace,
            "labels": {"app.kubernetes.io/part-of": "openshift-registry-fleet"},
        },
        "spec": spec,
    }


def workspace_access(fleet: Fleet) -> list[dict[str, Any]]:
    """The workspace's service account, and the token review the operator needs of it
    (``system:auth-delegator``, as the operator's documentation asks)."""
    account = fleet.workspace.service_account_name
    return [
        {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": account, "namespace": fleet.namespace}},
        {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "ClusterRoleBinding",
            "metadata": {"name": f"{fleet.namespace}:{account}:system:auth-delegator"},
            "roleRef": {
                "apiGroup": "rbac.authorization.k8s.io",
                "kind": "ClusterRole",
                "name": "system:auth-delegator",
            },
            "subjects": [{"kind": "ServiceAccount", "name": account, "namespace": fleet.namespace}],
        },
    ]


def stack_file(fleet: Fleet, cluster: Cluster) -> tuple[dict[str, Any], list[str]]:
    """The stack file for the CLI or Pulumi Deployments, and the commands that set its secrets from
    the same Kubernetes Secrets (no value in the file: the CLI encrypts them)."""
    config = {f"{NAMESPACE}:{key}": value for key, value in settings_of(fleet, cluster).items()}
    config.update(provider_config_of(fleet, cluster))
    commands = [
        f"kubectl get secret {ref.name} -n {fleet.namespace} -o jsonpath='{{.data.{_jsonpath(ref.key)}}}' "
        f"| base64 -d | pulumi config set --secret --stack {cluster.name} {key}"
        for key, ref in sorted(cluster.secrets.items())
    ]
    return {"config": config}, commands


def _jsonpath(key: str) -> str:
    """A Secret key in a kubectl JSONPath: dots escaped (``credentials.json``)."""
    return key.replace(".", "\\.")


def validate_rendered(body: dict[str, Any]) -> list[str]:
    """A rendered object against its schema, unknown fields closed (the API server would prune them)."""
    if body.get("kind") == "Stack":
        found = [f"{path}: {message}" for path, message in violations(body, strict_schema(STACK_CRD))]
        if len(body["metadata"]["name"]) > 42:
            found.append("metadata.name: Stack name must be no more than 42 characters in length.")
        return found
    # lazy: the Kubernetes schemas only when a rendered fleet is validated
    import kubernetes_validate

    try:
        kubernetes_validate.validate(body, "1.30", strict=True)
    except kubernetes_validate.ValidationError as error:
        return [f"{'.'.join(map(str, error.path))}: {error.message}"]
    return []
