"""The policy pack: ``pulumi preview --policy-pack policy`` against this program or any other.

Run by the Pulumi CLI (policy/ at the top of the path), it builds the ``PolicyPack`` from the
table in ``catalog.py``; constructing it starts the analyzer server the CLI talks to. Run from
the project as ``python -m policy --stack NAME`` it checks a stack offline instead, without the
CLI (the same as ``python -m offline --stack NAME --policy``).
"""

from __future__ import annotations

if __package__ == "policy":  # python -m policy, from the project
    from offline.__main__ import run
    from policy.command import main

    run(main)

from catalog import POLICIES
from checks import PRODUCTION_SCHEMA
from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    PolicyPack,
    ResourceValidationPolicy,
    StackValidationPolicy,
)

PRODUCTION = PolicyConfigSchema(properties=PRODUCTION_SCHEMA)


def _policy(policy):  # noqa: ANN001, ANN202 - pulumi_policy's own classes
    schema = PRODUCTION if policy.reads_production else None
    if policy.kind == "stack":
        (check,) = policy.checks
        return StackValidationPolicy(
            name=policy.name, description=policy.description, validate=check, config_schema=schema
        )
    return ResourceValidationPolicy(
        name=policy.name, description=policy.description, validate=list(policy.checks), config_schema=schema
    )


PolicyPack(
    name="openshift-registry-storage",
    enforcement_level=EnforcementLevel.MANDATORY,
    policies=[_policy(policy) for policy in POLICIES],
)
