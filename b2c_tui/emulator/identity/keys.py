"""Key material for policy keysets: JWK validation, generated keys, uploaded secrets and
certificates.

Private members (``k``, RSA private parts, PKCS12 keys) go into the key's write-only
``secret`` and never come back out. Generated RSA moduli are random bytes from the seeded RNG:
nothing signs with them, and the demo tenant stays deterministic and fast to build.
"""

from __future__ import annotations

import base64
import binascii
import logging
import random
from typing import Any

from .state import TrustFrameworkKey

log = logging.getLogger(__name__)

_PRIVATE_JWK_MEMBERS = ("k", "d", "p", "q", "dp", "dq", "qi")


class KeyInputError(ValueError):
    """Key input that Graph would refuse with a 400."""


def b64url(data: bytes) -> str:
    """Base64url without padding (JWK encoding)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def new_kid(rng: random.Random) -> str:
    """A 43-character base64url key id like the ones B2C generates."""
    return b64url(rng.randbytes(32))


def normalise_use(value: Any) -> str:
    """Validate ``use`` (sig | enc, any casing)."""
    use = str(value or "").lower()
    if use not in ("sig", "enc"):
        raise KeyInputError(f"Invalid value '{value}' for 'use'. Allowed values: sig, enc.")
    return use


def normalise_kty(value: Any) -> str:
    """Validate ``kty`` (rsa | oct, any casing) and return the RFC 7517 spelling."""
    kty = str(value or "").lower()
    if kty == "rsa":
        return "RSA"
    if kty == "oct":
        return "oct"
    raise KeyInputError(f"Invalid value '{value}' for 'kty'. Allowed values: rsa, oct.")


def epoch(value: Any, name: str) -> int | None:
    """An optional NumericDate (seconds; strings of digits accepted as the docs show)."""
    if value is None:
        return None
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise KeyInputError(f"Invalid value '{value}' for '{name}': expected seconds.") from exc


def generated_key(
    rng: random.Random, *, use: Any, kty: Any, nbf: Any, exp: Any, now: int
) -> TrustFrameworkKey:
    """A key as ``generateKey`` makes it. RSA moduli are random bytes: no one signs with them."""
    key = TrustFrameworkKey(
        kid=new_kid(rng),
        use=normalise_use(use),
        kty=normalise_kty(kty),
        nbf=epoch(nbf, "nbf") if nbf is not None else now,
        exp=epoch(exp, "exp"),
    )
    if key.kty == "RSA":
        modulus = bytearray(rng.randbytes(256))
        modulus[0] |= 0x80
        key.n, key.e = b64url(bytes(modulus)), "AQAB"
        key.secret = {"d": "generated"}
    else:
        key.secret = {"k": b64url(rng.randbytes(32))}
    _check_window(key)
    return key


def secret_key(rng: random.Random, body: dict[str, Any], now: int) -> TrustFrameworkKey:
    """A key as ``uploadSecret`` stores it: kty oct, the secret kept write-only."""
    secret = body.get("k")
    if not isinstance(secret, str) or not secret:
        raise KeyInputError("The secret 'k' is required.")
    key = TrustFrameworkKey(
        kid=new_kid(rng),
        use=normalise_use(body.get("use") or "sig"),
        kty="oct",
        nbf=epoch(body.get("nbf"), "nbf") if body.get("nbf") is not None else now,
        exp=epoch(body.get("exp"), "exp"),
        secret={"k": secret},
    )
    _check_window(key)
    return key


def key_from_jwk(rng: random.Random, jwk: dict[str, Any]) -> TrustFrameworkKey:
    """A key from a JWK in a keyset create/replace body; private members become write-only."""
    if not isinstance(jwk, dict):
        raise KeyInputError("Each key must be a JSON object.")
    kty = normalise_kty(jwk.get("kty"))
    key = TrustFrameworkKey(
        kid=str(jwk.get("kid") or new_kid(rng)),
        use=normalise_use(jwk.get("use") or "sig"),
        kty=kty,
        nbf=epoch(jwk.get("nbf"), "nbf"),
        exp=epoch(jwk.get("exp"), "exp"),
        n=jwk.get("n") if kty == "RSA" else None,
        e=jwk.get("e") if kty == "RSA" else None,
        x5c=[str(c) for c in jwk.get("x5c") or []],
        x5t=jwk.get("x5t"),
        secret={m: str(jwk[m]) for m in _PRIVATE_JWK_MEMBERS if jwk.get(m)},
    )
    _check_window(key)
    return key


def certificate_key(blob: Any, *, password: str | None = None) -> TrustFrameworkKey:
    """A key from ``uploadCertificate`` (base64 DER/PEM) or ``uploadPkcs12`` (base64 PFX)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12

    if not isinstance(blob, str) or not blob.strip():
        raise KeyInputError("The 'key' property is required.")
    raw = blob.strip().encode("ascii", "replace")
    try:
        if password is not None:
            loaded = pkcs12.load_key_and_certificates(
                base64.b64decode(raw), password.encode("utf-8")
            )
            cert = loaded[1]
            if cert is None:
                raise KeyInputError("The PKCS12 file contains no certificate.")
        elif raw.startswith(b"-----BEGIN"):
            cert = x509.load_pem_x509_certificate(raw)
        else:
            cert = x509.load_der_x509_certificate(base64.b64decode(raw))
    except KeyInputError:
        raise
    except (ValueError, TypeError, binascii.Error) as exc:
        what = "PKCS12 file or password" if password is not None else "certificate"
        raise KeyInputError(f"The {what} is invalid.") from exc
    public = cert.public_key()
    if not isinstance(public, rsa.RSAPublicKey):
        raise KeyInputError("Only RSA certificates are supported.")
    numbers = public.public_numbers()
    der = cert.public_bytes(serialization.Encoding.DER)
    thumb = b64url(cert.fingerprint(hashes.SHA1()))
    return TrustFrameworkKey(
        kid=thumb,
        use="sig",
        kty="RSA",
        nbf=int(cert.not_valid_before_utc.timestamp()),
        exp=int(cert.not_valid_after_utc.timestamp()),
        n=b64url(numbers.n.to_bytes((numbers.n.bit_length() + 7) // 8, "big")),
        e=b64url(numbers.e.to_bytes((numbers.e.bit_length() + 7) // 8, "big")),
        x5c=[base64.b64encode(der).decode("ascii")],
        x5t=thumb,
        secret={"d": "uploaded"} if password is not None else {},
    )


def _check_window(key: TrustFrameworkKey) -> None:
    if key.nbf is not None and key.exp is not None and key.exp < key.nbf:
        raise KeyInputError("The expiration time 'exp' must not be earlier than 'nbf'.")
