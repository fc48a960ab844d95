"""What ``pulumi destroy`` may delete: never an object a running registry still uses.

The Config, Image and ImagePruner patches are retained on delete, so after ``pulumi destroy``
the cluster still names what they name: the credential secret (which the operator also reads by
its fixed name, ``image-registry-private-configuration-user``), route TLS secrets, CA ConfigMaps,
the bucket, account or claim, and through the secret the cloud identity whose key it holds. The
operator then fails its sync or degrades (``pkg/storage/*``: ``GetConfig`` reads the secret,
``StorageExists`` the bucket). So everything the registry's Config needs is retained on delete,
and image storage is also protected in production.

The one exception is a registry set to ``managementState: Removed``: the operator then runs no
registry and only tears down (``RemoveResources`` in ``pkg/operator/controller.go`` reads neither
secret nor bucket, and deletes storage only when ``storage.managementState`` is ``Managed``, never
here). That is the way to take the registry off this program's storage: set ``Removed``,
``pulumi up`` (which lifts the retention), then ``pulumi destroy``.
"""

from __future__ import annotations

from collections.abc import Sequence

import pulumi

from components.identity import StackIdentity
from components.specs.objects import Object


def options_for(
    spec: Object, identity: StackIdentity, parent: pulumi.Resource, depends_on: Sequence[pulumi.Resource] = ()
) -> pulumi.ResourceOptions:
    """Protection and retention, from what the spec says the object is.

    ``holds_images``: storage, or what storage needs to stay readable (the KMS grant of a bucket's
    default key), protected in production whatever the registry's state. ``needed_by_registry``:
    retained on delete while the registry runs. ``always_retained``: a claim, or a patch of a cluster
    singleton, kept whatever happens.
    """
    retained = spec.always_retained or (spec.needed_by_registry and identity.registry_uses_storage)
    return pulumi.ResourceOptions(
        parent=parent,
        protect=identity.production if spec.holds_images else None,
        retain_on_delete=retained,
        depends_on=list(depends_on) or None,
    )
