"""Register what a spec describes, by type token, without the typed provider SDK classes.

The engine and the provider see the same thing either way: the type token
(``aws:s3/bucket:Bucket``) and the inputs under their wire names, with the provider's version
pinned as the typed classes pin it. Registering by token lets specs describe whole objects in
one casing and keeps every cloud SDK out of a stack's evaluation (importing the typed classes
cost a third of a preview and more). What the typed classes would add besides is declared in
the spec: which outputs are secret (an access key's ``secret``).
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

import pulumi

from components.identity import StackIdentity
from components.remembered import Checker, answered, package_signature
from components.resources.lifecycle import options_for
from components.specs.objects import Derived, Lookup, Object, Plan, Ref, Secret

# Type token prefix -> the package whose provider plugin serves it.
PROVIDER_PACKAGES = {
    "aws": "pulumi_aws",
    "gcp": "pulumi_gcp",
    "azure-native": "pulumi_azure_native",
    "kubernetes": "pulumi_kubernetes",
    "openstack": "pulumi_openstack",
}


def provider_version(token: str) -> str:
    """The installed provider SDK's version, read from its metadata (the module is not imported)."""
    return _package_version(PROVIDER_PACKAGES[token.split(":", 1)[0]])


# Who answers which version of a provider package is installed (components/remembered.py).
PROVIDER_VERSIONS = Checker("provider-versions", ("components.resources.provider_object",), ())


@cache
def _package_version(package: str) -> str:
    # once per package, not per type token: each lookup scans every installed distribution; remembered
    # by where the package is and its __init__'s signature, which installing another version rewrites
    return answered(
        PROVIDER_VERSIONS, (package, package_signature(package)), lambda: importlib.metadata.version(package)
    )


class Registered:
    """The objects and lookups of one plan, by name, and how to resolve a value that names them."""

    def __init__(self) -> None:
        self.objects: dict[str, pulumi.CustomResource] = {}
        self.lookups: dict[str, pulumi.Output[Any]] = {}
        self.ready: list[pulumi.Resource] = []
        self.types: dict[str, str] = {}
        """Each name's type token (an object's) or invoke token (a lookup's): what a value that names it reads."""

    def output(self, ref: Ref) -> pulumi.Output[Any]:
        if ref.name in self.lookups:
            return self.lookups[ref.name].apply(lambda result: result[ref.output])
        resource = self.objects[ref.name]
        return resource.id if ref.output == "id" else getattr(resource, ref.output)

    def resolve(self, value: Any) -> Any:
        """Refs become outputs, Derived an ``apply``, Secret a secret; plain data stays as it is."""
        if isinstance(value, Ref):
            return self.output(value)
        if isinstance(value, Derived):
            function = value.function
            return pulumi.Output.all(*(self.output(ref) for ref in value.refs)).apply(lambda values: function(*values))
        if isinstance(value, Secret):
            return pulumi.Output.secret(self.resolve(value.value))
        if isinstance(value, Mapping):
            return {key: self.resolve(child) for key, child in value.items()}
        if isinstance(value, list):
            return [self.resolve(child) for child in value]
        return value


def register_object(
    spec: Object,
    *,
    name: str,
    parent: pulumi.Resource,
    identity: StackIdentity,
    registered: Registered,
    depends_on: Sequence[pulumi.Resource] = (),
) -> pulumi.CustomResource:
    """One resource, its inputs resolved; the outputs later objects read are declared as properties."""
    properties = {key: registered.resolve(value) for key, value in spec.inputs.items()}
    for output in spec.outputs:
        properties.setdefault(output, None)
    waits = [*depends_on, *(registered.objects[dependency] for dependency in spec.depends_on)]
    import_id = identity.imports.get(spec.name)
    opts = pulumi.ResourceOptions.merge(
        options_for(spec, identity, parent, waits),
        pulumi.ResourceOptions(
            version=provider_version(spec.type),
            additional_secret_outputs=list(spec.secret_outputs) or None,
            import_=import_id,
            ignore_changes=list(spec.import_ignore) if import_id and spec.import_ignore else None,
        ),
    )
    resource = pulumi.CustomResource(spec.type, name, properties, opts)
    registered.objects[spec.name] = resource
    registered.types[spec.name] = spec.type
    if spec.ready:
        registered.ready.append(resource)
    return resource


def register_plan(plan: Plan, *, prefix: str, parent: pulumi.Resource, identity: StackIdentity) -> Registered:
    """Every step of a plan, in order: objects as ``<prefix>-<name>``, lookups as invokes."""
    registered = Registered()
    for step in plan.steps:
        if isinstance(step, Lookup):
            registered.types[step.name] = step.token
            registered.lookups[step.name] = pulumi.runtime.invoke_output(
                step.token,
                registered.resolve(step.args),
                pulumi.InvokeOutputOptions(parent=parent, version=provider_version(step.token)),
            )
        else:
            register_object(step, name=f"{prefix}-{step.name}", parent=parent, identity=identity, registered=registered)
    return registered
