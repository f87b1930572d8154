"""Client certificates for app sign-in: PEM (key and certificate in one file) or PFX/PKCS#12.

msal wants an unencrypted PEM private key and the PEM certificate, from which it derives the
SHA-256 thumbprint (``x5t#S256``) and the ``x5c`` chain of the client assertion it signs (PS256).
Both formats are read with ``cryptography`` and handed to msal in that shape; the decrypted key
only ever lives in memory.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12

from .errors import ConfigError

__all__ = ["CertificateCredential", "load_certificate_credential"]

_KEY_BLOCK = re.compile(
    rb"-----BEGIN (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----.+?-----END (?:RSA |EC |ENCRYPTED )?"
    rb"PRIVATE KEY-----",
    re.DOTALL,
)


@dataclass(frozen=True)
class CertificateCredential:
    """A loaded client certificate: the PEM certificate, its SHA-256/SHA-1 thumbprints (hex,
    upper case, as the Azure portal shows them) and the private key (never in ``repr``)."""

    path: Path
    certificate_pem: str
    thumbprint_sha256: str
    thumbprint_sha1: str
    subject: str
    not_valid_after: str
    private_key_pem: str = field(repr=False, compare=False)

    def msal_credential(self) -> dict[str, str]:
        """The ``client_credential`` dict msal's ConfidentialClientApplication takes."""
        return {"private_key": self.private_key_pem, "public_certificate": self.certificate_pem}


def load_certificate_credential(
    path: str | Path, password: str | None = None
) -> CertificateCredential:
    """Read a PEM or PFX client certificate; :class:`ConfigError` (naming the file, never the
    password) when it cannot be opened, lacks a key or certificate, or the two do not match."""
    file = Path(path).expanduser()
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise ConfigError(f"Cannot read certificate {file}: {exc.strerror or exc}") from None
    secret = password.encode() if password else None
    if b"-----BEGIN" in data:
        key, certs = _from_pem(file, data, secret)
    else:
        key, certs = _from_pfx(file, data, secret)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ConfigError(
            f"Certificate {file}: the private key is not RSA; Entra ID client certificates "
            "must use RSA keys"
        )
    cert = _matching(file, key, certs)
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    return CertificateCredential(
        path=file,
        certificate_pem=cert.public_bytes(serialization.Encoding.PEM).decode(),
        thumbprint_sha256=cert.fingerprint(hashes.SHA256()).hex().upper(),
        thumbprint_sha1=cert.fingerprint(hashes.SHA1()).hex().upper(),  # the portal shows SHA-1
        subject=cert.subject.rfc4514_string(),
        not_valid_after=cert.not_valid_after_utc.isoformat(),
        private_key_pem=key_pem,
    )


def _from_pem(
    file: Path, data: bytes, password: bytes | None
) -> tuple[object, list[x509.Certificate]]:
    match = _KEY_BLOCK.search(data)
    if match is None:
        raise ConfigError(
            f"Certificate {file} holds no private key; put the key and the certificate in one "
            "PEM file, or use a PFX"
        )
    try:
        key = serialization.load_pem_private_key(match.group(0), password=password)
    except TypeError:
        raise ConfigError(
            f"Certificate {file}: the private key is encrypted; set certificate_password_env "
            "(or AZURE_CLIENT_CERTIFICATE_PASSWORD)"
            if password is None
            else f"Certificate {file}: a password was given but the private key is not encrypted"
        ) from None
    except ValueError:
        raise ConfigError(
            f"Certificate {file}: cannot decrypt the private key (wrong password?)"
        ) from None
    try:
        certs = x509.load_pem_x509_certificates(data)
    except ValueError:
        certs = []
    return key, certs


def _from_pfx(
    file: Path, data: bytes, password: bytes | None
) -> tuple[object, list[x509.Certificate]]:
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(data, password)
    except ValueError:
        raise ConfigError(
            f"Certificate {file}: cannot open it as PFX/PKCS#12 (wrong password, or not a "
            "certificate file)"
        ) from None
    if key is None:
        raise ConfigError(f"Certificate {file}: the PFX holds no private key")
    return key, [c for c in (cert, *extra) if c is not None]


def _matching(
    file: Path, key: rsa.RSAPrivateKey, certs: list[x509.Certificate]
) -> x509.Certificate:
    if not certs:
        raise ConfigError(f"Certificate {file} holds a private key but no certificate")
    wanted = key.public_key().public_numbers()
    for cert in certs:
        public = cert.public_key()
        if isinstance(public, rsa.RSAPublicKey) and public.public_numbers() == wanted:
            return cert
    raise ConfigError(f"Certificate {file}: no certificate in it matches its private key")
