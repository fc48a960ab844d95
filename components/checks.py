"""What verify finds, on the floor every kind's ``probe.py`` shares: each check passed, failed (with what
to do), or could not run; and lines that are not checks at all (``n/a``: nothing the stack made to read
back).

A check that cannot run (no permission to read a bucket policy, an unreachable endpoint) says so
and never counts as passed: the command exits 0 only when every check ran and held.
"""

from __future__ import annotations

import base64
import binascii
import configparser
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import Any, Literal

from components.formats import redact_url
from components.names import CREDENTIAL_SECRET, INSTALLER_SECRET, OPERATOR_SECRET, REGISTRY_NAMESPACE

KEYLESS = (
    "keyless: not probed without the identity the registry's own token gets (a live cluster gives the token); "
    "the operator's StorageExists above was reached with the same identity"
)

Status = Literal["pass", "fail", "not run", "n/a"]
ACCESS = "registry access"
INTENDED = "storage as intended"
PREFIX = "openshift-registry-verify"
"""Where every probe writes: a prefix of its own that no image uses, removed when the probe ends."""
# The Secrets whose values verify reads (and never shows): the user's credential secret, the operator's
# own copy (IBM COS's HMAC keys live only there, VolumeSecrets) and the keyless one.
SECRET = ("v1", "Secret", REGISTRY_NAMESPACE, CREDENTIAL_SECRET)
OPERATOR = ("v1", "Secret", REGISTRY_NAMESPACE, OPERATOR_SECRET)
INSTALLER = ("v1", "Secret", REGISTRY_NAMESPACE, INSTALLER_SECRET)
TokenSource = Callable[[], str]
"""Asks the cluster for the registry's service account token (live clusters only)."""


@dataclass(frozen=True)
class Check:
    area: str
    """``operator``, ``registry access``, ``storage as intended``."""
    name: str
    status: Status
    detail: str = ""
    fix: str = ""


def needs_live_token(what: str) -> Check:
    """A keyless mode probed from a dump: only a live cluster issues the registry's token (a TokenRequest)."""
    why = f"a dump cannot ask for the registry's token: run against the live cluster to probe the {what}"
    return not_applicable(ACCESS, "the registry's own access", why)


def passed(area: str, name: str, detail: str = "") -> Check:
    return Check(area, name, "pass", detail)


def failed(area: str, name: str, detail: str, fix: str) -> Check:
    return Check(area, name, "fail", detail, fix)


def not_run(area: str, name: str, why: str) -> Check:
    return Check(area, name, "not run", why)


def reason(error: BaseException) -> str:
    """An error as one line: clients' messages span lines (azure-identity lists every credential it tried)."""
    return f"{type(error).__name__}: {' '.join(str(error).split())[:200]}"


def not_applicable(area: str, name: str, why: str) -> Check:
    """Nothing to check, by design (storage the stack did not make, a volume): neither passes nor blocks."""
    return Check(area, name, "n/a", why)


@contextmanager
def cleaned_up(remove: Callable[[], object]) -> Iterator[None]:
    """When a probe step fails after it wrote, remove what it wrote and report the step's own error."""
    try:
        yield
    except Exception:
        with suppress(Exception):  # the step's error is the finding; a second one would hide it
            remove()
        raise


def guarded(area: str, name: str, check: Callable[[], Check]) -> Check:
    """Run one check; whatever it raises makes it a check that could not run, never a traceback."""
    try:
        return check()
    except Exception as error:  # a client's own error types vary: each becomes a reason
        return not_run(area, name, reason(error))


def guarded_all(area: str, name: str, checks: Callable[[], list[Check]]) -> list[Check]:
    """A whole view's checks; an error no check expected makes it one check that could not run."""
    try:
        return checks()
    except Exception as error:  # never a traceback: the reason is the finding
        return [not_run(area, name, reason(error))]


PROBING: ContextVar[Callable[[str, str], None] | None] = ContextVar("probing", default=None)
"""Told ``(area, name)`` as each probe starts: a command's progress display (verify on a terminal)."""


def probe_all(area: str, probes: Sequence[tuple[str, Callable[[], Check]]]) -> list[Check]:
    """Each probe guarded; once one could not run (an unreachable endpoint, an answer no probe
    expects), the rest are not tried: each would wait out the same retries and say the same."""
    found: list[Check] = []
    for name, probe in probes:
        if (report := PROBING.get()) is not None:
            report(area, name)
        blocked = next((c for c in found if c.status == "not run"), None)
        found.append(
            not_run(area, name, f"not tried: {blocked.name!r} could not run") if blocked else guarded(area, name, probe)
        )
    return found


def redacted(checks: Iterable[Check], secrets: Iterable[str]) -> list[Check]:
    """The checks with every secret value, and any credentials written into a URL, replaced: a client's
    error can quote what it was given (botocore quotes a header holding the access key id)."""
    values = sorted({v for s in secrets for v in (s, s.strip()) if len(v.strip()) >= 4}, key=len, reverse=True)

    def clean(text: str) -> str:
        for value in values:
            text = text.replace(value, "[redacted]")
        return redact_url(text)

    return [replace(c, name=clean(c.name), detail=clean(c.detail), fix=clean(c.fix)) for c in checks]


def exit_code(checks: Iterable[Check]) -> int:
    return 0 if all(check.status in ("pass", "n/a") for check in checks) else 1


def secret_values(secret: dict[str, Any] | None) -> dict[str, str]:
    """A Secret's values; one that is not valid base64 UTF-8 is left out (and so reported missing)."""
    values = {}
    for key, value in ((secret or {}).get("data") or {}).items():
        try:
            values[key] = base64.b64decode(str(value), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            continue
    return values


def credentials_file(text: str) -> dict[str, str]:
    """The ``[default]`` section of an AWS shared credentials/config file (what the operator writes for
    IBM COS's HMAC keys and ccoctl for a role); raises configparser.Error on a damaged one."""
    parser = configparser.ConfigParser()
    parser.read_string(text)
    return dict(parser["default"]) if parser.has_section("default") else {}
