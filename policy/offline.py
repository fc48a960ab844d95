"""The pack's checks over an offline plan: the same functions the Pulumi CLI calls, fed what the
program registers (inputs, protection, property dependencies), so a stack is checked without the
CLI, a cloud account or a cluster (``python -m offline --policy``, ``python -m policy``). It reads the
offline engine's evaluation and never the offline command, which calls it."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pulumi_policy import (
    PolicyCustomTimeouts,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    StackValidationArgs,
)

from offline.engine import Evaluation
from offline.plan import clean
from policy.catalog import POLICIES


def read_policy_config(path: Path | None) -> dict[str, dict[str, Any]]:
    """``--policy-pack-config``'s file: ``{"<policy>": {"production": false}}``; raises ValueError with why."""
    if path is None:
        return {}
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"{path}: not a readable JSON policy config ({exc})") from None
    if not isinstance(loaded, dict) or not all(isinstance(v, dict) for v in loaded.values()):
        raise ValueError(f'{path}: a policy config is {{"<policy name>": {{"production": false}}}}')
    known = {policy.name for policy in POLICIES}
    unknown = sorted(set(loaded) - known)
    if unknown:
        raise ValueError(f"{path}: unknown policies {', '.join(unknown)}; the pack has {', '.join(sorted(known))}")
    return loaded


def _options(protect: bool) -> PolicyResourceOptions:
    return PolicyResourceOptions(protect, [], None, [], PolicyCustomTimeouts(0, 0, 0), [])


def policy_resources(evaluation: Evaluation) -> list[PolicyResource]:
    """What the CLI would hand the pack: custom resources, props with secrets resolved, dependencies."""
    custom = [r for r in evaluation.registrations if r.custom]
    resources: dict[str, PolicyResource] = {}
    for registration in custom:
        props = clean(registration.inputs, show_secrets=True)
        resources[registration.urn] = PolicyResource(
            registration.type, props, registration.urn, registration.name, _options(registration.protect),
            None, None, [], {},
        )  # fmt: skip
    for registration in custom:
        resources[registration.urn].property_dependencies = {
            key: [resources[urn] for urn in urns if urn in resources]
            for key, urns in registration.property_dependencies.items()
        }
    return list(resources.values())


def violations(
    evaluation: Evaluation, config: dict[str, dict[str, Any]] | None = None, production: bool = True
) -> list[str]:
    """``<policy>: <resource name>: <message>`` for every violation, in a stable order.

    ``production``: the stack's own ``environment`` (offline, the stack is known): the default of every
    policy's ``production`` setting, which a policy config still overrides. Under the CLI a pack cannot
    see the stack's config, so there ``policy/policy-config.json`` says it."""
    config = config or {}
    found: list[str] = []
    resources = policy_resources(evaluation)

    def reporter(policy: str, default: str) -> Callable[..., None]:
        def report(message: str, urn: str | None = None) -> None:
            name = urn.rsplit("::", 1)[-1] if urn else default
            found.append(f"{policy}: {name}: {message}")

        return report

    stack = StackValidationArgs(resources)
    for policy in POLICIES:
        for check in policy.checks:
            if policy.kind == "stack":
                check(stack, reporter(policy.name, "stack"))
                continue
            for resource in resources:
                args = ResourceValidationArgs(
                    resource.resource_type, resource.props, resource.urn, resource.name, resource.opts, None,
                    {"production": production, **config.get(policy.name, {})},
                )  # fmt: skip
                check(args, reporter(policy.name, resource.name))
    return sorted(found)
