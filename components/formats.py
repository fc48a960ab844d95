"""The formats that recur in stack config, each checked one way for every key that uses it.

Kubernetes object names, DNS names, Go durations, cron schedules, URLs without credentials: a
given name and a derived one obey the same rule, so both are checked here.
"""

from __future__ import annotations

import ipaddress
import re
from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit

from components.remembered import Checker, answered

# A DNS-1123 label (namespaces, most names) and subdomain (Secrets, ConfigMaps, claims, classes).
DNS1123_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\Z")
DNS1123_SUBDOMAIN = re.compile(r"^(?=.{1,253}\Z)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\Z")
SUBDOMAIN_RULE = "lowercase letters, digits, '-' and '.', starting and ending with a letter or digit, at most 253"

# A host name as a route or certificate names it (at least two labels; one leading wildcard).
DNS_NAME = re.compile(
    r"^(?=.{1,253}\Z)(\*\.)?[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)+\Z"
)
# A registry as image references name it: a host, and a port where it has one.
REGISTRY_HOST = re.compile(
    r"^(?=.{1,253}(:|\Z))[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*(:(?P<port>[0-9]{1,5}))?\Z"
)
# What Pulumi accepts as a stack name.
STACK_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,100}\Z")

INT32 = (-(2**31), 2**31 - 1)
INT64 = (-(2**63), 2**63 - 1)

_DURATION_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)")
_NANOS = {
    "ns": 1,
    "us": 1_000,
    "µs": 1_000,
    "μs": 1_000,
    "ms": 1_000_000,
    "s": 1_000_000_000,
    "m": 60_000_000_000,
    "h": 3_600_000_000_000,
}
_CRON_DESCRIPTORS = ("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly")


def is_subdomain(name: str) -> bool:
    return bool(DNS1123_SUBDOMAIN.match(name))


def go_duration_ns(text: str) -> int | None:
    """Nanoseconds of a Go duration (``time.ParseDuration``: ``90m``, ``1h30m``, ``-5s``); None when
    it is not one or does not fit Go's int64 (about 292 years)."""
    body = text[1:] if text[:1] in "+-" else text
    if body == "0":
        return 0
    if not body:
        return None
    total = Decimal(0)
    position = 0
    for match in _DURATION_PART.finditer(body):
        if match.start() != position:
            return None
        try:
            total += Decimal(match[1]) * _NANOS[match[2]]
        except InvalidOperation:
            return None
        position = match.end()
    if position != len(body):
        return None
    nanos = int(total) * (-1 if text.startswith("-") else 1)
    return nanos if INT64[0] <= nanos <= INT64[1] else None


def go_pattern(pattern: str) -> str:
    """A CRD pattern as the API server (Go's RE2) reads it, written for Python's ``re``: ``$`` is the end
    of the text (Python's also matches before a final newline, so ``"Managed\\n"`` would pass), and
    ``\\d`` is an ASCII digit (Python's matches any Unicode digit)."""
    out, escaped, in_class = [], False, False
    for char in pattern:
        if escaped:
            out.append(("0-9" if in_class else "[0-9]") if char == "d" else "\\" + char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "[" and not in_class:
            in_class = True
            out.append(char)
        elif char == "]" and in_class:
            in_class = False
            out.append(char)
        elif char == "$" and not in_class:
            out.append(r"\Z")
        else:
            out.append(char)
    return "".join(out)


def cron_problem(schedule: str) -> str | None:
    """Why ``schedule`` is not what a Kubernetes CronJob accepts (five fields or a descriptor)."""
    text = schedule.strip()
    if text in _CRON_DESCRIPTORS:
        return None
    if len(text.split()) != 5:
        return "a cron schedule has five fields (minute hour day-of-month month day-of-week), e.g. '0 2 * * *'"
    if not answered(CRON, text, lambda: _croniter_accepts(text)):
        return "is not a valid cron schedule: a field is out of range or malformed, e.g. '0 2 * * *'"
    return None


# Who answers whether croniter accepts a schedule (components/remembered.py: croniter's import takes longer
# than the rest of a preview's settings).
CRON = Checker("cron", ("components.formats",), ("croniter", "dateutil"))


def _croniter_accepts(text: str) -> bool:
    # lazy: croniter only for a stack with a pruner schedule that is not answered already
    from croniter import croniter

    return bool(croniter.is_valid(text))


def url_credentials(url: str) -> bool:
    """Whether a URL carries ``user[:password]@``: such a value would be published in plain text."""
    try:
        parts = urlsplit(url if "//" in url else f"//{url}")
    except ValueError:
        return False
    return parts.username is not None or parts.password is not None


_URL_CREDENTIALS = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/@\s\"']+@")


def redact_url(text: str) -> str:
    """``text`` with any credentials written into a URL (``https://user:secret@host``) replaced, for
    messages that quote values read from a cluster, where no stack-file rule refused them."""
    return _URL_CREDENTIALS.sub(r"\1[redacted]@", text)


_HOST = re.compile(
    r"^(?=.{1,253}\Z)[A-Za-z0-9]([-A-Za-z0-9_]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([-A-Za-z0-9_]{0,61}[A-Za-z0-9])?)*\.?\Z"
)


def url_problem(url: str, schemes: tuple[str, ...]) -> str | None:
    """Why ``url`` is not a URL a cloud or a Go HTTP client accepts (None: it is): one of ``schemes``, a
    valid host (a DNS name or an IP literal) and port, no credentials, and nothing a URL cannot hold
    unescaped (white space anywhere, a trailing newline included, control characters, backslashes)."""
    if any(char.isspace() or ord(char) < 32 or char == "\\" for char in url):
        return "holds white space, a control character or a backslash (a trailing newline?)"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number from 0 to 65535
    except ValueError as error:
        return f"is not a valid URL ({error})"
    if parts.scheme not in schemes:
        return f"must start with {' or '.join(f'{s}://' for s in schemes)}"
    if "@" in parts.netloc:
        return "holds credentials (user:password@); they do not belong in a URL"
    host = parts.hostname or ""
    if not host:
        return "has no host"
    if ":" in host:  # an IPv6 literal, [::1]
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            return f"has an invalid IPv6 host [{host}]"
    elif not _HOST.match(host):
        return f"has an invalid host {host!r}"
    return None


def is_kubeconfig_content(value: str | None) -> bool:
    """Whether ``kubernetes:kubeconfig`` holds the kubeconfig itself (YAML or JSON) rather than its path:
    the provider takes either."""
    return bool(value) and ("\n" in str(value).strip() or str(value).lstrip().startswith("{"))
