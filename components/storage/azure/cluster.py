"""What Azure storage takes from the cluster as it is (components/cluster/rules.py calls it)."""

from __future__ import annotations

from collections.abc import Mapping

from components.cluster.state import ClusterState
from components.settings.stack import StackSettings
from components.storage.azure.settings import derived_account_name, earlier_account_name


def kept(stack: StackSettings, state: ClusterState) -> StackSettings:
    """The account this program derived for the stack before derived names began with the stack's name,
    where the stack names none and the cluster's Config names that one: the registry's images are there, and
    an account cannot be renamed, only replaced by a new, empty one. Every later run (the Config still names
    it) keeps it too."""
    azure = stack.storage.azure
    if azure is None or azure.account_name is not None or azure.adopt:
        return stack
    live = state.config_storage().get("azure")
    project, name = stack.identity.project, stack.identity.stack
    earlier = earlier_account_name(project, name)
    if (
        not isinstance(live, Mapping)
        or live.get("accountName") != earlier
        or earlier == derived_account_name(project, name)
    ):
        return stack
    storage = stack.storage.model_copy(update={"azure": azure.model_copy(update={"account_name": earlier})})
    return stack.model_copy(update={"storage": storage})
