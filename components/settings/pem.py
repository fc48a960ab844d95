"""PEM certificates and keys, read with ``cryptography`` only when a stack has any.

A CA bundle that does not parse, or a route key that does not belong to its certificate, is
found here instead of by a registry that fails its TLS handshakes after ``pulumi up``.
"""

from __future__ import annotations

import datetime
import ipaddress
from typing import TYPE_CHECKING

from components.names import SECURE_PLACEHOLDER
from components.remembered import Checker, answered

if TYPE_CHECKING:
    from cryptography.x509 import Certificate


def is_offline_placeholder(text: str) -> bool:
    """A ``secure:`` value previewed offline: its content is unknown, so nothing can be checked."""
    return text == SECURE_PLACEHOLDER


def certificates(text: str) -> list[Certificate]:
    """Every certificate in a PEM bundle; empty when there is none or the PEM is damaged."""
    # lazy: cryptography only for a stack that gives a PEM
    from cryptography import x509

    if "-----BEGIN CERTIFICATE-----" not in text:
        return []
    try:
        return list(x509.load_pem_x509_certificates(text.encode()))
    except _UNUSABLE:
        return []


# Who answers whether a bundle holds certificates (components/remembered.py): cryptography's import takes
# longer than all the rest of a preview's settings, and a stack's CA bundle seldom changes.
CERTIFICATES = Checker("pem-certificates", ("components.settings.pem",), ("cryptography",))


def holds_certificates(text: str) -> bool:
    """Whether a PEM bundle holds certificates, every one of which parses: all a CA bundle is checked for."""
    if "-----BEGIN CERTIFICATE-----" not in text:
        return False
    return answered(CERTIFICATES, text, lambda: bool(certificates(text)))


# cryptography reports damaged or unsupported input as ValueError, TypeError, UnsupportedAlgorithm
# or even InternalError (OpenSSL refusing a key): all mean "this is not usable here".
_UNUSABLE = Exception


def certificate_problem(certificate: Certificate) -> str | None:
    """Why a parsed certificate cannot serve TLS here (its parts are parsed lazily); None when it can."""
    try:
        certificate.extensions  # noqa: B018 - parsing them is the check
    except _UNUSABLE:
        return "has a damaged extension (it does not parse)"
    try:
        certificate.public_key()
    except _UNUSABLE:
        return "has a public key of a type that is not supported (use RSA or ECDSA)"
    return None


def key_problem(certificate: Certificate, key_text: str) -> str | None:
    """Why ``key_text`` is not the private key of ``certificate``; None when it is."""
    # lazy: as above
    from cryptography.hazmat.primitives import serialization

    try:
        key = serialization.load_pem_private_key(key_text.encode(), password=None)
        mine = key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    except _UNUSABLE:
        return "is not an unencrypted PEM private key of a supported type (RSA or ECDSA)"
    try:
        theirs = certificate.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    except _UNUSABLE:
        return "cannot be matched: the certificate's public key is of a type that is not supported"
    if mine != theirs:
        return "does not belong to the certificate (their public keys differ)"
    return None


def holds_private_key(text: str) -> bool:
    """PEM private key material (any kind); such text must never land in a ConfigMap."""
    return "PRIVATE KEY-----" in text


def covers(certificate: Certificate, hostname: str) -> bool:
    """Whether the certificate's subject alternative names include ``hostname`` (one-label wildcards too)."""
    # lazy: as above
    from cryptography import x509

    try:
        names = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return False
    except _UNUSABLE:
        return False  # reported by certificate_problem
    try:
        address = ipaddress.ip_address(hostname)
    except ValueError:
        address = None
    if address is not None:
        return address in names.get_values_for_type(x509.IPAddress)
    host = hostname.lower().rstrip(".")
    for name in names.get_values_for_type(x509.DNSName):
        name = name.lower().rstrip(".")
        if name == host or (name.startswith("*.") and host.count(".") > 0 and host.split(".", 1)[1] == name[2:]):
            return True
    return False


def days_left(certificate: Certificate, now: datetime.datetime | None = None) -> float:
    now = now or datetime.datetime.now(datetime.UTC)
    return (certificate.not_valid_after_utc - now).total_seconds() / 86400
