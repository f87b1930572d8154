"""JWT helpers for the demo tenant's token authority: minting and checking its own HS256 access
tokens, and verifying the RS256/PS256 client assertions msal signs with a client certificate.

Only ``cryptography`` and the standard library: the emulator must not need PyJWT.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

__all__ = [
    "ClientAssertionError",
    "RegisteredCertificate",
    "b64url",
    "b64url_decode",
    "decode_unverified",
    "load_certificates",
    "sign_hs256",
    "verify_assertion_signature",
    "verify_hs256",
]


def b64url(data: bytes) -> str:
    """Unpadded base64url, as JWTs use."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Decode unpadded base64url (ValueError when it is not)."""
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise ValueError("not base64url") from exc


def sign_hs256(claims: dict[str, Any], key: bytes, *, kid: str = "emulator") -> str:
    """An HS256 JWT carrying ``claims``."""
    header = {"typ": "JWT", "alg": "HS256", "kid": kid}
    head = b64url(json.dumps(header, separators=(",", ":")).encode())
    body = b64url(json.dumps(claims, separators=(",", ":")).encode())
    signature = hmac.new(key, f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{b64url(signature)}"


def decode_unverified(token: str) -> tuple[dict[str, Any], dict[str, Any], bytes, bytes]:
    """``(header, claims, signing_input, signature)``; ValueError for anything not a JWS."""
    parts = token.split(".")
    if len(parts) != 3:
        raise ValueError("not a JWT")
    header = json.loads(b64url_decode(parts[0]))
    claims = json.loads(b64url_decode(parts[1]))
    if not isinstance(header, dict) or not isinstance(claims, dict):
        raise ValueError("not a JWT")
    return header, claims, f"{parts[0]}.{parts[1]}".encode(), b64url_decode(parts[2])


def verify_hs256(token: str, key: bytes) -> dict[str, Any] | None:
    """The claims of ``token`` if it is an HS256 JWT signed with ``key``; ``None`` otherwise
    (no time checks here)."""
    try:
        header, claims, signing_input, signature = decode_unverified(token)
    except ValueError:
        return None
    if header.get("alg") != "HS256":
        return None
    expected = hmac.new(key, signing_input, hashlib.sha256).digest()
    return claims if hmac.compare_digest(expected, signature) else None


@dataclass(frozen=True)
class RegisteredCertificate:
    """A certificate registered on a client: its thumbprints (raw bytes) and public key."""

    sha1: bytes
    sha256: bytes
    public_key: rsa.RSAPublicKey
    subject: str


def load_certificates(pem: str | bytes) -> list[RegisteredCertificate]:
    """Every RSA certificate in a PEM blob (private keys in the same blob are ignored)."""
    data = pem.encode() if isinstance(pem, str) else pem
    found = []
    for cert in x509.load_pem_x509_certificates(data):
        key = cert.public_key()
        if not isinstance(key, rsa.RSAPublicKey):
            raise ValueError("only RSA certificates can sign client assertions")
        found.append(
            RegisteredCertificate(
                sha1=cert.fingerprint(hashes.SHA1()),
                sha256=cert.fingerprint(hashes.SHA256()),
                public_key=key,
                subject=cert.subject.rfc4514_string(),
            )
        )
    if not found:
        raise ValueError("no certificate in the PEM data")
    return found


class ClientAssertionError(Exception):
    """A client assertion was refused: ``reason`` says why, ``thumbprint`` names the key the
    client used (hex, upper case) when it said."""

    def __init__(self, reason: str, thumbprint: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.thumbprint = thumbprint


def verify_assertion_signature(
    header: dict[str, Any],
    signing_input: bytes,
    signature: bytes,
    certificates: list[RegisteredCertificate],
) -> RegisteredCertificate:
    """The registered certificate whose key signed the assertion (RS256 or PS256), picked by
    the ``x5t#S256``/``x5t`` header when present; :class:`ClientAssertionError` otherwise."""
    alg = header.get("alg")
    if alg == "RS256":
        pad: padding.AsymmetricPadding = padding.PKCS1v15()
    elif alg == "PS256":
        pad = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=padding.PSS.AUTO)
    else:
        raise ClientAssertionError(f"The algorithm {alg!r} is not supported for client assertions.")
    candidates = certificates
    thumbprint = ""
    for name, attr in (("x5t#S256", "sha256"), ("x5t", "sha1")):
        if header.get(name):
            try:
                wanted = b64url_decode(str(header[name]))
            except ValueError:
                raise ClientAssertionError(f"The {name} header is not base64url.") from None
            thumbprint = wanted.hex().upper()
            candidates = [c for c in certificates if getattr(c, attr) == wanted]
            break
    if not candidates:
        raise ClientAssertionError("The key was not found.", thumbprint)
    for cert in candidates:
        try:
            cert.public_key.verify(signature, signing_input, pad, hashes.SHA256())
        except InvalidSignature:
            continue
        return cert
    raise ClientAssertionError("Client assertion failed signature validation.", thumbprint)
