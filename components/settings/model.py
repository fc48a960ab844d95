"""The base every settings model shares.

Stack config is written in the Config CR's own camelCase names; Python reads snake_case.
``extra="forbid"``: a typo in a stack file must be an error, never silently ignored.
``strict=True``: one rule for every boolean and number, the YAML type, as the CRD's own schema
checks the fields it knows (``adopt: "true"`` is refused like ``readOnly: "yes"``).
``defer_build=True``: a model's validator is built when it first validates; most models only ever validate
inside the stack's (which builds their schema into its own), so theirs would be built for nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

from components.errors import Finding

if TYPE_CHECKING:
    from components.settings.stack import StackSettings


class Model(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="forbid",
        frozen=True,
        hide_input_in_errors=True,
        strict=True,
        defer_build=True,
    )

    def findings(self, stack: StackSettings, key: str) -> Iterable[Finding]:
        """Rules that span fields or need the whole stack; ``key`` is this model's config key."""
        return ()

    def versioned(self, stack: StackSettings, key: str) -> Iterable[tuple[str, str, str]]:
        """What of this model a release of OpenShift may not have yet: (config key, the first release that
        has it, what to call it); the stack's version rule refuses it on an earlier release."""
        return ()
