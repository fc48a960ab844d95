"""One stack's verification against one cluster (live, or its dumps): the checks, secrets redacted.

Shared by ``python -m verify`` (one stack) and ``python -m fleet verify`` (every cluster of a fleet).
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

from components import command_kit as kit
from components.checks import INSTALLER, OPERATOR, SECRET, Check, TokenSource, guarded_all, redacted, secret_values
from components.cluster.readers import ClusterReadError, api_client, kubernetes_getter, read_dump, read_live
from components.cluster.rules import with_cluster_facts
from components.cluster.state import ClusterState
from components.errors import SettingsError
from components.settings.loader import load_settings
from components.stack_config import StackConfig
from verify import operator_view, storage


class VerifyInputError(Exception):
    """The stack or the cluster cannot be read as asked; the message says why (exit 2)."""


def verify_stack(stack_config: StackConfig, cluster: Path | None, stderr: IO[str]) -> list[Check]:
    """``cluster``: a directory of `oc get -o yaml` dumps; None: the live cluster of the stack's kubeconfig."""
    try:
        settings = load_settings(
            stack_config.config, stack_config.secret_keys, project=stack_config.project, stack=stack_config.stack
        ).settings
    except SettingsError as error:
        raise kit.settings_error(stack_config.stack, error) from None
    token: TokenSource | None = None
    issued: list[str] = []
    try:
        if cluster is not None:
            state = read_dump(cluster, keep_values=frozenset({SECRET, OPERATOR}))
            for note in state.notes:
                print(f"note: {note}", file=stderr)
        else:
            config = stack_config.config
            get = kubernetes_getter(
                config.get("kubernetes:kubeconfig"),
                config.get("kubernetes:context"),
                values=frozenset({SECRET, OPERATOR, INSTALLER}),
            )
            token = recording(
                registry_token(config.get("kubernetes:kubeconfig"), config.get("kubernetes:context")), issued
            )
            live = read_live(get)
            wanted = (
                operator_view.CLUSTER_OPERATOR,
                SECRET,
                OPERATOR,
                INSTALLER,
                *storage.wanted(settings),
            )
            extra = {key: body for key in wanted if key and (body := get(key))}
            state = ClusterState({**live.objects, **extra}, source=live.source, read=True)
    except ClusterReadError as error:
        raise VerifyInputError(str(error)) from None
    # The stack as the program builds it against this cluster (what it keeps of the cluster's storage above all).
    settings = with_cluster_facts(settings, state)
    # A dump edited by hand can hold shapes no API server would: each view that trips on one says so.
    checks = guarded_all("operator", "the operator's view", lambda: operator_view.checks(settings, state))
    checks += guarded_all(
        "registry access", "the storage", lambda: storage.checks(settings, state, stack_config.config, token)
    )
    secrets = [*secret_values(state.get(SECRET)).values()]
    secrets += [*secret_values(state.get(OPERATOR)).values()]
    secrets += [stack_config.config[key] for key in stack_config.secret_keys if key in stack_config.config]
    secrets += issued  # the registry's token, should a client's error quote it
    return redacted(checks, secrets)


# The token the registry presents: its service account's, for the audience the operator configures.
REGISTRY_ACCOUNT = "registry"
AUDIENCE = "openshift"


def registry_token(kubeconfig: str | None, context: str | None) -> TokenSource:
    """Asks the cluster for a short-lived token of the registry's service account (the TokenRequest API, as
    `oc create token registry -n openshift-image-registry --audience openshift` does); called only by a probe
    that needs it."""

    def issue() -> str:
        # lazy: the kubernetes client only when a probe asks for the registry's token
        from kubernetes import client

        api = api_client(kubeconfig, context)
        body = {"apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest",
                "spec": {"audiences": [AUDIENCE], "expirationSeconds": 600}}  # fmt: skip
        answer = client.CoreV1Api(api).create_namespaced_service_account_token(
            REGISTRY_ACCOUNT, "openshift-image-registry", body
        )
        return str(answer.status.token)

    return issue


def recording(source: TokenSource, issued: list[str]) -> TokenSource:
    """``source``, keeping every token it issues in ``issued`` (redacted from the results like every secret)."""

    def issue() -> str:
        token = source()
        issued.append(token)
        return token

    return issue
