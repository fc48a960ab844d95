"""Test certificates, made fresh for each run: no private key is ever committed."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


@dataclass(frozen=True)
class Pair:
    certificate: str
    key: str


def _pem_key(key: ec.EllipticCurvePrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def _builder(key: ec.EllipticCurvePrivateKey, hostname: str, days: int) -> x509.CertificateBuilder:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, hostname)])
    now = datetime.datetime.now(datetime.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=days))
    )


def make(hostname: str = "registry.apps.example.com", *, days: int = 365, ca: bool = False) -> Pair:
    key = ec.generate_private_key(ec.SECP256R1())
    builder = _builder(key, hostname, days)
    if ca:
        builder = builder.add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
    else:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(hostname)]), critical=False)
    certificate = builder.sign(key, hashes.SHA256())
    return Pair(certificate.public_bytes(serialization.Encoding.PEM).decode(), _pem_key(key))


def damaged_extension_certificate() -> str:
    """A certificate whose subject alternative name does not parse (cryptography parses it lazily)."""
    key = ec.generate_private_key(ec.SECP256R1())
    damaged = x509.UnrecognizedExtension(x509.oid.ExtensionOID.SUBJECT_ALTERNATIVE_NAME, b"\x30\x03garbage")
    certificate = (
        _builder(key, "registry.example.com", 30).add_extension(damaged, critical=False).sign(key, hashes.SHA256())
    )
    return certificate.public_bytes(serialization.Encoding.PEM).decode()


def unknown_type_key() -> str:
    """A PKCS#8 private key whose algorithm OpenSSL will not take (Ed448's OID with a 32-byte key)."""
    import base64

    der = bytes.fromhex("302e020100300506032b657104220420" + "00" * 32)
    return "-----BEGIN PRIVATE KEY-----\n" + base64.b64encode(der).decode() + "\n-----END PRIVATE KEY-----\n"


def signed_by(ca: Pair, hostname: str = "localhost", *, days: int = 30) -> Pair:
    """A server certificate for ``hostname`` (and 127.0.0.1) issued by ``ca``: a private endpoint's chain."""
    import ipaddress

    issuer_key = serialization.load_pem_private_key(ca.key.encode(), password=None)
    issuer = x509.load_pem_x509_certificate(ca.certificate.encode())
    key = ec.generate_private_key(ec.SECP256R1())
    names = [x509.DNSName(hostname), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, hostname)]))
        .issuer_name(issuer.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(issuer_key, hashes.SHA256())  # type: ignore[arg-type]
    )
    return Pair(certificate.public_bytes(serialization.Encoding.PEM).decode(), _pem_key(key))
