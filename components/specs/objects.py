"""What a spec returns: whole provider objects, under the provider's wire names, ready to hand over.

A spec is a pure function, yet one object often needs another's output (a public access block
names its bucket's id; a credential secret holds an access key's secret). Such values are
written as ``Ref`` (an output of an object of the same plan) or ``Derived`` (a pure function
of some refs), and the resource layer resolves them. So specs say everything about each object
(type, inputs, which outputs are secret, whether it holds images, whether the Config waits for
it) and the resource layer only registers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any


@dataclass(frozen=True)
class Ref:
    """An output of an earlier object or lookup of the same plan, by its name there."""

    name: str
    output: str = "id"


@dataclass(frozen=True)
class Derived:
    """``function(*resolved refs)``: a value computed from outputs (a policy naming a looked-up key)."""

    function: Callable[..., Any]
    refs: tuple[Ref, ...]


@dataclass(frozen=True)
class Secret:
    """A value that is a Pulumi secret from the moment it exists."""

    value: Any


@dataclass(frozen=True)
class Lookup:
    """A provider function (invoke) whose result later objects read: ``aws:kms/getKey:getKey``."""

    name: str
    token: str
    args: Mapping[str, Any]


@dataclass(frozen=True)
class Object:
    """One provider resource, exactly as the provider receives it."""

    name: str
    """Its name within the plan; registered as ``<component>-<name>``."""
    type: str
    """The Pulumi type token, e.g. ``aws:s3/bucket:Bucket``."""
    inputs: Mapping[str, Any]
    """Under the provider's wire names; values may hold Ref, Derived and Secret."""
    outputs: tuple[str, ...] = ()
    """Outputs later objects read (``arn``, ``secret``): declared so the object exposes them."""
    secret_outputs: tuple[str, ...] = ()
    """Outputs the provider computes that are secrets (an access key's ``secret``)."""
    holds_images: bool = False
    """Image storage, or what it needs to stay readable: protected in production."""
    needed_by_registry: bool = True
    """Retained on delete while the registry runs (see ``resources/lifecycle.py``)."""
    always_retained: bool = False
    """Retained on delete whatever the registry's state (claims, cluster singletons' patches)."""
    ready: bool = False
    """The registry's Config waits for it."""
    depends_on: tuple[str, ...] = ()
    """Objects it waits for beyond those its inputs name."""
    import_ignore: tuple[str, ...] = ()
    """When it is imported (the stack's ``import`` setting names it): the inputs an ``oc get`` dump cannot
    show, left as they are until the ``import`` entry is removed (then the next ``pulumi up`` sets them)."""


Step = Object | Lookup


@dataclass(frozen=True)
class Plan:
    """Everything one part of the stack registers, in order, and what it hands on."""

    steps: tuple[Step, ...] = ()
    credentials: Mapping[str, Any] = field(default_factory=dict)
    """The credential secret's data (the operator's keys), values possibly Refs; empty: no secret."""
    exports: Mapping[str, Any] = field(default_factory=dict)


def refs_in(value: Any) -> list[Ref]:
    """Every Ref a value names, directly or through Derived and Secret."""
    if isinstance(value, Ref):
        return [value]
    if isinstance(value, Derived):
        return list(value.refs)
    if isinstance(value, Secret):
        return refs_in(value.value)
    if isinstance(value, Mapping):
        return [ref for child in value.values() for ref in refs_in(child)]
    if isinstance(value, (list, tuple)):
        return [ref for child in value for ref in refs_in(child)]
    return []


def retain_what_credentials_name(plan: Plan) -> Plan:
    """The plan with every object the credentials name, and what those name in turn, retained always.

    A keyless mode writes into ``installer-cloud-credentials``, the cluster's own Secret (ccoctl made it):
    that patch is never undone (undoing a force-applied patch strips ccoctl's data), so the identity it
    names must outlive the stack too, or a registry re-enabled later would hold a dangling role."""
    by_name = {step.name: step for step in plan.steps if isinstance(step, Object)}
    wanted: set[str] = set()
    pending = [ref.name for ref in refs_in(plan.credentials)]
    while pending:
        name = pending.pop()
        if name in wanted or name not in by_name:
            continue
        wanted.add(name)
        step = by_name[name]
        pending += [ref.name for ref in refs_in(step.inputs)] + list(step.depends_on)
    steps = tuple(
        replace(step, always_retained=True) if isinstance(step, Object) and step.name in wanted else step
        for step in plan.steps
    )
    return replace(plan, steps=steps)
