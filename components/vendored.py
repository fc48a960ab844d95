"""The vendored YAML files (the CRDs under ``components/schemas``), parsed once per machine; and what
is made from other schema files that are read on every run (``offline/validation.kind_schema``).

They stay byte for byte as upstream wrote them (their SOURCE.md), but parsing YAML is slow: the latest
Config CRD alone takes about 8 ms with libyaml, the three a preview reads about 12 ms, the Pulumi
Kubernetes Operator's Stack CRD over 100 ms. So the parsed data is kept in the user's cache directory
(``$XDG_CACHE_HOME/openshift-registry``, else ``~/.cache/openshift-registry``), marshalled (a CRD loads
in about 0.3 ms), under a name made of the file's folder and name, the digest of its bytes and of the code
that reads it, and the interpreter's cache tag: an edited file, a changed reader or another Python parses
again, and the cache is never trusted over the file.

A cache that cannot be written or read (no home, a read-only disk, a truncated file) only means parsing
again; ``OPENSHIFT_REGISTRY_NO_CACHE=1`` never reads or writes one.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

NO_CACHE = "OPENSHIFT_REGISTRY_NO_CACHE"


def cache_dir() -> Path | None:
    if os.environ.get(NO_CACHE, "") not in ("", "0"):
        return None
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # unset, or relative, which the XDG spec says to ignore
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "openshift-registry" if os.path.isabs(base) else None


def cache_path(name: str, source: bytes, make: Callable[[], Any]) -> Path | None:
    """Where what ``make`` makes from ``source`` (the bytes it is made from) is kept under ``name``, if
    anywhere. The digest covers ``make``'s own code too: a program that makes it differently, or makes
    something else, never reads what an earlier version kept."""
    directory = cache_dir()
    if directory is None:
        return None
    digest = hashlib.sha256(source + b"\0" + marshal.dumps(make.__code__)).hexdigest()[:24]
    return directory / f"{name}.{sys.implementation.cache_tag}-m{marshal.version}.{digest}"


def kept(name: str, source: bytes, make: Callable[[], Any]) -> Any:
    """What ``make`` makes from ``source``, from the cache when these very bytes were made into it by this
    very code. ``name`` must tell apart everything kept (a file's folder and name)."""
    cached = cache_path(name, source, make)
    if cached is not None:
        try:
            return marshal.loads(cached.read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            pass
    value = make()
    if cached is not None:
        keep(cached, value)
    return value


def vendored_yaml(path: Path) -> Any:
    """The data of the YAML file at ``path``, from the cache when it holds this very file."""
    data = path.read_bytes()
    # the folder too: latest/configs.crd.yaml and 4.6/configs.crd.yaml must not replace each other's cache
    return kept(
        f"{path.parent.name}-{path.name}",
        data,
        lambda: yaml.load(data, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)),
    )


def keep(cached: Path, value: Any) -> None:
    """Write the cache atomically (two commands may make the same at once) and drop what was kept under
    the same name from other bytes (an older copy of the CRD)."""
    try:
        body = marshal.dumps(value)
    except ValueError:  # a value marshal cannot hold (a YAML timestamp): parse each time
        return
    temporary = None
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        for earlier in cached.parent.glob(f"{cached.name.rsplit('.', 1)[0]}.*"):
            if earlier != cached:
                earlier.unlink(missing_ok=True)
        handle, temporary = tempfile.mkstemp(dir=cached.parent, prefix=f".{cached.name}.")
        with os.fdopen(handle, "wb") as out:
            out.write(body)
        os.replace(temporary, cached)
    except OSError:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
