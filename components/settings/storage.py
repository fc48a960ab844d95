"""``openshift-registry:storage``: exactly one storage type, as in the Config CR.

Its fields are the storage kinds of ``components/storage/kinds.py``, one per row, under the Config's
own names: a new kind there is a new field here with nothing else to edit.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from pydantic import Field, create_model

from components.errors import Finding
from components.settings.model import Model
from components.storage.kind import StorageKind
from components.storage.kinds import KINDS, kind_of, kinds_on

if TYPE_CHECKING:
    from components.settings.stack import StackSettings


class _Storage(Model):
    """The rules; the fields come from the table (``StorageSettings`` below)."""

    move: bool = False
    """True: this stack points a registry that already has storage at other storage on purpose (its images
    were copied, or starting empty is meant). False: such a change is refused, naming where the images are."""

    @property
    def given(self) -> list[str]:
        return [kind.field for kind in KINDS if getattr(self, kind.python_name) is not None]

    @property
    def kind(self) -> str:
        """The one storage type configured (validated by ``findings`` before anything uses it)."""
        return self.given[0]

    @property
    def storage_kind(self) -> StorageKind:
        return kind_of(self.kind)

    @property
    def selected(self) -> Any:
        return self.selected_by(self.kind)

    def selected_by(self, field: str) -> Any:
        return getattr(self, kind_of(field).python_name)

    def with_provider_defaults(self, provider_config: dict[str, str]) -> StorageSettings:
        """The selected storage with what the provider config gives (region, location) filled in."""
        if len(self.given) != 1:
            return self  # type: ignore[return-value]
        selected = self.selected
        fill = getattr(selected, "with_provider_defaults", None)
        if fill is None:
            return self  # type: ignore[return-value]
        return self.model_copy(update={kind_of(self.kind).python_name: fill(provider_config)})  # type: ignore[return-value]

    def findings(self, stack: StackSettings, key: str) -> Iterable[Finding]:
        given, allowed = self.given, kinds_on(stack.platform)
        if len(given) != 1:
            yield Finding(
                key,
                f"set exactly one storage type (found {', '.join(given) or 'none'}); "
                f"on platform {stack.platform}: {', '.join(allowed)}",
            )
            return
        if given[0] not in allowed:
            yield Finding(f"{key}.{given[0]}", f"not available on platform {stack.platform}; use {', '.join(allowed)}")
            return
        yield from self.selected.findings(stack, f"{key}.{given[0]}")


StorageSettings = create_model(  # type: ignore[call-overload]
    "StorageSettings",
    __base__=_Storage,
    __doc__="Exactly one storage type, as in the Config CR.",
    **{kind.python_name: (kind.model | None, Field(default=None, alias=kind.field)) for kind in KINDS},
)
