"""Adding keys to keysets safely: checks before sending, the create-then-add order, and
certificates read locally first.

Graph's rules, checked here before any request (the id and ``use``/``kty``/``nbf``/``exp``
rules come from :mod:`b2c_tui.graph.validation`, the same ones :mod:`..graph.resources.keysets`
applies):

- keyset ids carry ``B2C_1A_`` (added when missing, as Graph does);
- one keyset holds one kind of key: RSA keys (generated RSA, certificates, PFX) and ``oct``
  secrets do not mix;
- a keyset is created empty first, then a key is added; if adding the key fails, the keyset
  this call just created is deleted again, so no empty keyset is left behind silently;
- a certificate (``.cer``) or PKCS#12 (``.pfx``) is opened locally first: a wrong password, a
  file without a private key, a non-RSA key, an expired certificate or one not valid yet is a
  clear message naming the file, and nothing is sent. A not-yet-valid certificate is allowed
  on request (``allow_future``): that is how a rotation key is staged.

Secrets (an uploaded secret, a PFX and its password) stay in
:class:`~b2c_tui.graph.resources.keysets.Secret` wrappers and are never shown or logged.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..graph.auth_certs import load_certificate_credential
from ..graph.errors import B2CTuiError, ConfigError, GraphError, ValidationError
from ..graph.resources.keysets import Secret
from ..graph.validation import build_key_options, normalize_keyset_id, validate_key_use
from .keys import expected_active, key_time, public_key
from .push import refuse_read_only

if TYPE_CHECKING:
    from ..graph.client import GraphClient

KINDS = ("generate", "secret", "certificate", "pkcs12")


class KeyMaterialError(B2CTuiError, ValueError):
    """Key input refused before anything was sent (one line, naming the file if any)."""


@dataclass(frozen=True)
class CertificateInfo:
    """Public facts about a certificate read locally."""

    source: str
    subject: str
    not_before: datetime
    not_after: datetime
    thumbprint: str  # base64url SHA-1, as B2C shows it (x5t)
    has_private_key: bool


def _x5t(der_sha1: bytes) -> str:
    return base64.urlsafe_b64encode(der_sha1).rstrip(b"=").decode("ascii")


def read_certificate(data: bytes, source: str) -> CertificateInfo:
    """A ``.cer`` (DER, PEM or base64 text): its dates and thumbprint."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import rsa

    try:
        if b"-----BEGIN" in data:
            cert = x509.load_pem_x509_certificate(data)
        else:
            try:
                cert = x509.load_der_x509_certificate(data)
            except ValueError:
                cert = x509.load_der_x509_certificate(base64.b64decode(data, validate=False))
    except (ValueError, binascii.Error):
        raise KeyMaterialError(f"{source}: not an X.509 certificate (DER, PEM or base64)."
                               ) from None
    if not isinstance(cert.public_key(), rsa.RSAPublicKey):
        raise KeyMaterialError(f"{source}: the certificate's key is not RSA; B2C keys are RSA.")
    return CertificateInfo(source, cert.subject.rfc4514_string(), cert.not_valid_before_utc,
                           cert.not_valid_after_utc, _x5t(cert.fingerprint(hashes.SHA1())),
                           False)


def read_pkcs12(path: str | Path, password: str | Secret) -> CertificateInfo:
    """Open a ``.pfx`` locally with its password (the messages of the client-certificate
    loader: wrong password, no private key, not RSA, no matching certificate)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    secret = password.reveal() if isinstance(password, Secret) else password
    try:
        credential = load_certificate_credential(path, secret or None)
    except ConfigError as exc:
        raise KeyMaterialError(str(exc)) from None
    cert = x509.load_pem_x509_certificate(credential.certificate_pem.encode("ascii"))
    return CertificateInfo(str(path), credential.subject, cert.not_valid_before_utc,
                           cert.not_valid_after_utc, _x5t(cert.fingerprint(hashes.SHA1())),
                           True)


def check_validity(info: CertificateInfo, now: datetime, *, allow_future: bool = False) -> None:
    """Refuse an expired certificate, and one not valid yet unless ``allow_future``."""
    if info.not_after <= now:
        raise KeyMaterialError(
            f"{info.source}: the certificate expired on {info.not_after:%Y-%m-%d}; B2C would "
            "never use it.")
    if info.not_before > now and not allow_future:
        days = (info.not_before - now).days
        raise KeyMaterialError(
            f"{info.source}: the certificate is not valid until "
            f"{info.not_before:%Y-%m-%d %H:%M} UTC (in {days} day(s)); B2C will not use it "
            "before then. Upload it only as a key staged for rotation (allow it explicitly).")


@dataclass
class KeySpec:
    """The key to add. ``kind``: ``generate`` (``kty`` RSA or OCT), ``secret`` (``secret``),
    ``certificate`` (``path`` of a .cer) or ``pkcs12`` (``path`` of a .pfx, ``password``)."""

    kind: str
    use: str = "sig"
    kty: str = "RSA"
    nbf: datetime | None = None
    exp: datetime | None = None
    secret: Secret | None = None
    path: Path | None = None
    password: Secret | None = None
    allow_future: bool = False

    @property
    def key_type(self) -> str:
        """``RSA`` or ``oct``: what the key will be in the keyset."""
        if self.kind == "secret" or (self.kind == "generate" and self.kty.lower() == "oct"):
            return "oct"
        return "RSA"


@dataclass(frozen=True)
class KeyPlan:
    """Checked input: the steps in order, in words, and what is sent."""

    keyset_id: str
    create: bool
    steps: tuple[str, ...]
    spec: KeySpec
    certificate: CertificateInfo | None = None


def plan_add_key(keysets: Sequence[Mapping[str, Any]], keyset_id: str, spec: KeySpec, *,
                 now: datetime | None = None) -> KeyPlan:
    """Check ``spec`` against Graph's rules and the keyset's current keys; the plan, or
    :class:`KeyMaterialError` / :class:`ValidationError` before anything is sent."""
    moment = now or datetime.now(UTC)
    if spec.kind not in KINDS:
        raise KeyMaterialError(f"unknown key kind {spec.kind!r}; use one of {', '.join(KINDS)}.")
    target = normalize_keyset_id(keyset_id)
    existing = next((k for k in keysets if str(k.get("id", "")).lower() == target.lower()), None)
    if existing is not None:
        target = str(existing["id"])
        kinds = {str(k.get("kty", "")).lower() for k in existing.get("keys") or []}
        new = spec.key_type.lower()
        if kinds and new not in kinds:
            held = "RSA keys" if "rsa" in kinds else "secrets (oct)"
            raise KeyMaterialError(
                f"{target} holds {held}; a {'secret' if new == 'oct' else 'RSA key'} cannot "
                "join it (B2C does not mix RSA and oct keys in one keyset). Use another "
                "keyset.")
    certificate = None
    if spec.kind == "generate":
        build_key_options(spec.use, spec.kty, nbf=spec.nbf, exp=spec.exp)
    elif spec.kind == "secret":
        validate_key_use(spec.use)
        build_key_options(spec.use, "OCT", nbf=spec.nbf, exp=spec.exp)
        if spec.secret is None or not spec.secret:
            raise ValidationError("The secret is empty.", field="k")
    else:
        if spec.path is None:
            raise KeyMaterialError(f"a {spec.kind} key needs a file.")
        if spec.kind == "pkcs12":
            if spec.password is None or not spec.password:
                raise ValidationError(f"{spec.path}: a PFX upload needs the file's password.",
                                      field="password")
            certificate = read_pkcs12(spec.path, spec.password)
        else:
            certificate = read_certificate(_read(spec.path), str(spec.path))
        check_validity(certificate, moment, allow_future=spec.allow_future)
    steps = []
    if existing is None:
        steps.append(f"create the keyset {target} (empty)")
    steps.append(_step_text(target, spec, certificate))
    return KeyPlan(target, existing is None, tuple(steps), spec, certificate)


def _step_text(target: str, spec: KeySpec, cert: CertificateInfo | None) -> str:
    window = ""
    if spec.nbf or spec.exp:
        window = (f", valid from {spec.nbf:%Y-%m-%d}" if spec.nbf else "") + (
            f" until {spec.exp:%Y-%m-%d}" if spec.exp else "")
    if spec.kind == "generate":
        return f"generate a {spec.kty.upper()} {spec.use} key in {target}{window}"
    if spec.kind == "secret":
        return f"upload a secret ({spec.use}) to {target}{window}"
    assert cert is not None
    what = "certificate with its private key (PKCS#12)" if spec.kind == "pkcs12" else \
        "certificate"
    return (f"upload the {what} {cert.subject} (thumbprint {cert.thumbprint}, valid "
            f"{cert.not_before:%Y-%m-%d} to {cert.not_after:%Y-%m-%d}) to {target}")


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise KeyMaterialError(f"{path}: cannot read the file ({exc.strerror}).") from None


@dataclass(frozen=True)
class AddKeyResult:
    """What :func:`add_key` did: the keyset (created or not) and the new key's public part."""

    keyset_id: str
    created: bool
    key: dict[str, Any]


async def add_key(client: GraphClient, plan: KeyPlan) -> AddKeyResult:
    """Carry out a checked :class:`KeyPlan`: create the keyset if needed, then add the key.
    If the key is refused after the keyset was created here, that empty keyset is deleted
    and the error says so."""
    refuse_read_only(client, "; ".join(plan.steps))
    keyset_id, created = plan.keyset_id, False
    if plan.create:
        record = await client.keysets.create(keyset_id)
        keyset_id, created = str(record.get("id") or keyset_id), True
    try:
        key = await _send_key(client, keyset_id, plan.spec)
    except GraphError as exc:
        if created:
            try:
                await client.keysets.delete(keyset_id)
                exc.message += f" (The empty keyset {keyset_id} created for it was deleted again.)"
            except GraphError:
                exc.message += (f" (The keyset {keyset_id} was created for it and is still "
                                "there, empty: delete it or add a key.)")
            exc.args = (exc.message,)
        raise
    return AddKeyResult(keyset_id, created, public_key(key))


async def _send_key(client: GraphClient, keyset_id: str, spec: KeySpec) -> dict[str, Any]:
    api = client.keysets
    if spec.kind == "generate":
        return await api.generate_key(keyset_id, use=spec.use, kty=spec.kty, nbf=spec.nbf,
                                      exp=spec.exp)
    if spec.kind == "secret":
        assert spec.secret is not None
        return await api.upload_secret(keyset_id, use=spec.use, k=spec.secret, nbf=spec.nbf,
                                       exp=spec.exp)
    assert spec.path is not None
    data = _read(spec.path)
    if spec.kind == "pkcs12":
        assert spec.password is not None
        return await api.upload_pkcs12(keyset_id, data, spec.password)
    return await api.upload_certificate(keyset_id, data)


# -- rotation ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class RotationPlan:
    """A new key staged to take over from the active one, and what will happen."""

    keyset_id: str
    spec: KeySpec
    current_kid: str | None
    current_exp: datetime | None
    explanation: str


def rotation_plan(keyset: Mapping[str, Any], *, now: datetime | None = None,
                  activate_in_days: int = 7, lifetime_days: int = 365) -> RotationPlan:
    """Stage a successor for the keyset's active key: same ``use`` and type, ``nbf`` a few
    days ahead (but before the current key expires), valid ``lifetime_days``."""
    moment = now or datetime.now(UTC)
    keyset_id = str(keyset.get("id"))
    keys = [public_key(k) for k in keyset.get("keys") or [] if isinstance(k, Mapping)]
    current = expected_active(keys, moment)
    template = current or (keys[-1] if keys else {"use": "sig", "kty": "RSA"})
    start = moment + timedelta(days=activate_in_days)
    current_exp = key_time(current.get("exp")) if current else None
    if current_exp is not None and current_exp - timedelta(days=1) < start:
        start = max(moment + timedelta(hours=1), current_exp - timedelta(days=1))
    start = start.replace(microsecond=0)
    kty = "OCT" if str(template.get("kty", "")).lower() == "oct" else "RSA"
    spec = KeySpec("generate", use=str(template.get("use") or "sig"), kty=kty, nbf=start,
                   exp=start + timedelta(days=lifetime_days))
    return RotationPlan(keyset_id, spec, current.get("kid") if current else None, current_exp,
                        rotation_text(keyset_id, spec, current_exp, kty))


def rotation_text(keyset_id: str, spec: KeySpec, current_exp: datetime | None, kty: str) -> str:
    """What happens when the staged key activates, in plain words."""
    assert spec.nbf is not None and spec.exp is not None
    lines = [
        f"A new {kty} {spec.use} key is added to {keyset_id}, valid from "
        f"{spec.nbf:%Y-%m-%d %H:%M} UTC to {spec.exp:%Y-%m-%d}.",
        "Until then nothing changes: B2C keeps using the current key. At that moment B2C "
        "activates the new key (among the keys valid now it uses the one activated last) and "
        "stops using the old one.",
    ]
    if spec.use == "sig":
        lines.append("Tokens are signed with the new key from then on. B2C publishes every key "
                     "of a signing keyset in its metadata (jwks_uri), so applications that "
                     "refresh the metadata keep validating tokens signed before and after.")
    else:
        lines.append("Data is encrypted with the new key from then on; the old key stays in "
                     "the keyset so what was encrypted with it can still be read.")
    if kty == "OCT":
        lines.append("If this keyset holds a secret shared with an identity provider or an "
                     "API, a generated secret is wrong: upload the secret the other side issues "
                     "instead, with the same start date.")
    if current_exp is not None:
        lines.append(f"The current key expires {current_exp:%Y-%m-%d}; remove it after that, "
                     "once no token signed with it is still in use.")
    return "\n".join(lines)
