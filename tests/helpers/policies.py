"""Helpers for the policy and key tests: the starter packs (the project's copy), and a demo
tenant whose requests are recorded (and can be made to fail)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import httpx
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from b2c_tui.emulator import Emulator, create_emulator
from b2c_tui.graph.client import GraphClient
from b2c_tui.policies.tenant import TenantContext, tenant_context

STARTER = Path(__file__).resolve().parents[1] / "data" / "starterpack"
PACKS = ("LocalAccounts", "SocialAccounts", "SocialAndLocalAccounts")
DEMO_TENANT = "contosob2c.onmicrosoft.com"

Rule = Callable[[httpx.Request], httpx.Response | None]


@dataclass
class Recorder(httpx.AsyncBaseTransport):
    """Forwards to the emulator, records every request and lets a test answer some itself."""

    inner: httpx.AsyncBaseTransport
    requests: list[tuple[str, str]] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append((request.method, request.url.path))
        for rule in self.rules:
            answer = rule(request)
            if answer is not None:
                return answer
        return await self.inner.handle_async_request(request)

    def writes(self) -> list[tuple[str, str]]:
        return [r for r in self.requests if r[0] in ("POST", "PUT", "PATCH", "DELETE")]


@dataclass
class Demo:
    emulator: Emulator
    client: GraphClient
    recorder: Recorder
    context: TenantContext


async def open_demo_tenant(*, read_only: bool = False) -> Demo:
    """A fresh demo tenant (20 users, no throttling) behind a :class:`Recorder`."""
    emulator = create_emulator(users=20, throttling=False, tenant=DEMO_TENANT)
    recorder = Recorder(httpx.ASGITransport(app=emulator.asgi))
    client = GraphClient.create(None, graph_url="https://graph.microsoft.com",
                                transport=recorder, read_only=read_only)
    context = await tenant_context(client, DEMO_TENANT)
    recorder.requests.clear()
    return Demo(emulator, client, recorder, context)


def certificate(tmp_path: Path, name: str, *, starts: datetime, ends: datetime,
                password: str | None = None, key: object | None = None) -> Path:
    """A self-signed RSA certificate valid ``starts``..``ends``: a ``.cer`` (DER), or with
    ``password`` a ``.pfx`` holding its private key."""
    private = key or rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
            .public_key(private.public_key()).serial_number(x509.random_serial_number())  # type: ignore[attr-defined]
            .not_valid_before(starts).not_valid_after(ends)
            .sign(private, hashes.SHA256()))  # type: ignore[arg-type]
    if password is None:
        path = tmp_path / f"{name}.cer"
        path.write_bytes(cert.public_bytes(serialization.Encoding.DER))
    else:
        path = tmp_path / f"{name}.pfx"
        path.write_bytes(pkcs12.serialize_key_and_certificates(
            name.encode(), private, cert, None,  # type: ignore[arg-type]
            serialization.BestAvailableEncryption(password.encode())))
    return path
