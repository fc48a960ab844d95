"""Rules that names share on every cloud: tags beside the program's own, derived names."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from components.errors import Finding


def own_tag_findings(tags: Mapping[str, str], own: Iterable[str], key: str) -> Iterable[Finding]:
    """The program's own tags say which project and stack own a resource: a user's tag of the same
    name would hide that (and the next ``pulumi up`` would fight over it)."""
    for name in sorted(set(tags) & set(own)):
        yield Finding(f"{key}.{name}", "is one of this program's own tags (set for you); use another name")


def derived_name_findings(problems: Iterable[Finding]) -> Iterator[Finding]:
    """A name derived from project and stack obeys the rules a given one does (a stack named
    ``prod-s3alias`` or ``google`` derives a bucket name the cloud refuses): say so on the key to set."""
    for problem in problems:
        message = f"unset, and the name derived from project and stack fails: {problem.message}; set it"
        yield Finding(problem.key, message)
