"""The demo tenant's token authority: just enough of Entra ID's v2.0 endpoints for msal.

:class:`TokenAuthority` is a pure ASGI app answering under ``/{tenant}/...`` (the tenant's id or
any of its domains; mount it at the emulator's login host): OpenID discovery, the token endpoint
(client credentials with a client secret or a certificate-signed client assertion, device code,
refresh token) and the device-code endpoint, plus ``/common/discovery/instance``. Errors use
Entra's shape (``error``, ``error_description`` starting with an ``AADSTS`` code,
``error_codes``, ``timestamp``, ``trace_id``, ``correlation_id``).

Access tokens are HS256 JWTs signed with the authority's own key; the emulator's Graph routes
check them with :meth:`TokenAuthority.verify`. Tests approve device codes with
:meth:`TokenAuthority.approve` and count token requests with ``token_requests``.
"""

from __future__ import annotations

import secrets
import threading
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, MutableMapping, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

from ..http import header_map, lifespan, read_body
from .grants import (
    GrantHandler,
    PendingDeviceCode,
    Refusal,
    RegisteredClient,
    Reply,
    instance_metadata,
    ok,
    openid_configuration,
)
from .tokens import load_certificates, verify_hs256

__all__ = [
    "DEMO_TENANT_DOMAIN",
    "DEMO_TENANT_ID",
    "PendingDeviceCode",
    "RegisteredClient",
    "TokenAuthority",
]

DEMO_TENANT_ID = "5e1c2b7a-9d43-4f0e-8a61-d3e0b2c7f914"
DEMO_TENANT_DOMAIN = "demo.onmicrosoft.com"
_ALIASES = frozenset({"common", "organizations"})
_DISCOVERY = ["v2.0", ".well-known", "openid-configuration"]
_TOKEN = ["oauth2", "v2.0", "token"]
_DEVICE_CODE = ["oauth2", "v2.0", "devicecode"]
_CLOCK_SKEW = 300.0


class TokenAuthority:
    """A token authority for one tenant (id plus domain names), usable by msal over HTTPS.

    ``clock`` returns an aware ``datetime`` (the emulator's clocks); ``device_code_interval`` is
    the polling interval msal is told (seconds, an integer for msal); ``resources`` limits the
    accepted token audiences (``None`` accepts any ``https://.../.default`` scope).
    """

    def __init__(
        self,
        tenant_id: str = DEMO_TENANT_ID,
        domains: Sequence[str] = (DEMO_TENANT_DOMAIN,),
        *,
        clock: Callable[[], datetime] | None = None,
        token_lifetime: int = 3600,
        device_code_lifetime: float = 900.0,
        device_code_interval: int = 1,
        resources: Iterable[str] | None = None,
        signing_key: bytes | None = None,
        base_url: str | None = None,
    ) -> None:
        self.tenant_id = tenant_id.lower()
        self.domains = [d.lower() for d in domains]
        self.clock = clock or (lambda: datetime.now(UTC))
        self.token_lifetime = token_lifetime
        self.device_code_lifetime = device_code_lifetime
        self.device_code_interval = device_code_interval
        self.resources = None if resources is None else {r.rstrip("/") for r in resources}
        self.signing_key = signing_key or secrets.token_bytes(32)
        self.base_url = base_url.rstrip("/") if base_url else None
        self.clients: dict[str, RegisteredClient] = {}
        self.device_codes: dict[str, PendingDeviceCode] = {}  # by device_code
        self.refresh_tokens: dict[str, dict[str, Any]] = {}
        self.token_requests_by_grant: Counter[str] = Counter()
        self._lock = threading.RLock()
        self._grants = GrantHandler(self)

    # -- setup ---------------------------------------------------------------------------------
    def register_client(
        self,
        client_id: str,
        secret: str | None = None,
        certificate_pem: str | bytes | None = None,
        *,
        display_name: str | None = None,
        roles: Iterable[str] = (),
        delegated_scopes: Iterable[str] | None = None,
    ) -> RegisteredClient:
        """Register an app (or add a secret/certificate to one already registered). A client
        with neither can still use the device-code flow (a public client)."""
        with self._lock:
            client = self.clients.get(client_id)
            if client is None:
                client = RegisteredClient(client_id, display_name or f"app {client_id}")
                self.clients[client_id] = client
            if secret:
                client.secrets.append(secret)
            if certificate_pem:
                client.certificates.extend(load_certificates(certificate_pem))
            if roles:
                client.roles = tuple(roles)
            if delegated_scopes is not None:
                client.delegated_scopes = tuple(delegated_scopes)
            return client

    def accepts_tenant(self, tenant: str) -> bool:
        """Whether ``tenant`` (a path segment) names this tenant."""
        name = tenant.lower()
        return name == self.tenant_id or name in self.domains or name in _ALIASES

    def now(self) -> float:
        """The clock's time as a Unix timestamp."""
        return self.clock().timestamp()

    # -- device codes (for tests and the demo UI) ---------------------------------------------
    def pending_device_codes(self) -> list[PendingDeviceCode]:
        """Device codes still waiting for the user (not approved, denied or expired)."""
        now = self.now()
        with self._lock:
            return [
                p
                for p in self.device_codes.values()
                if p.user is None and not p.denied and p.expires_at > now
            ]

    def approve(
        self,
        user_code: str,
        *,
        username: str | None = None,
        object_id: str | None = None,
        display_name: str = "Demo Admin",
    ) -> None:
        """Complete the sign-in waiting on ``user_code`` as a user (an admin of the tenant by
        default); KeyError if no such code is pending."""
        primary = self.domains[0] if self.domains else f"{self.tenant_id}.onmicrosoft.com"
        name = username or f"admin@{primary}"
        oid = object_id or str(uuid.uuid5(uuid.NAMESPACE_URL, f"{self.tenant_id}/{name}"))
        with self._lock:
            pending = self._pending(user_code)
            pending.user = {"username": name, "oid": oid, "name": display_name}

    def deny(self, user_code: str) -> None:
        """Decline the sign-in waiting on ``user_code`` (``authorization_declined``)."""
        with self._lock:
            self._pending(user_code).denied = True

    def _pending(self, user_code: str) -> PendingDeviceCode:
        wanted = user_code.strip().upper()
        for pending in self.pending_device_codes():
            if pending.user_code == wanted:
                return pending
        raise KeyError(f"no pending device code {user_code!r}")

    # -- tokens --------------------------------------------------------------------------------
    @property
    def token_requests(self) -> int:
        """How many requests reached the token endpoint (any grant, any outcome)."""
        return sum(self.token_requests_by_grant.values())

    def mint_token(
        self,
        client_id: str,
        *,
        resource: str = "https://graph.microsoft.com",
        user: dict[str, str] | None = None,
        scopes: Sequence[str] = (),
        roles: Sequence[str] = (),
    ) -> str:
        """An access token as the token endpoint would issue it (app-only unless ``user``)."""
        return self._grants.mint(client_id, resource, user=user, scopes=scopes, roles=roles)

    def verify(self, token: str, *, audience: str | None = None) -> dict[str, Any] | None:
        """The claims of an access token this authority issued and that is still valid (and
        for ``audience`` when given); ``None`` for anything else."""
        claims = verify_hs256(token, self.signing_key)
        if claims is None or str(claims.get("tid", "")).lower() != self.tenant_id:
            return None
        now = self.now()
        try:
            if float(claims["exp"]) <= now or float(claims.get("nbf", 0)) > now + _CLOCK_SKEW:
                return None
        except (KeyError, TypeError, ValueError):
            return None
        if audience is not None and str(claims.get("aud", "")).rstrip("/") != audience.rstrip("/"):
            return None
        return claims

    # -- HTTP ----------------------------------------------------------------------------------
    def handle_request(
        self,
        method: str,
        path: str,
        *,
        headers: dict[str, str] | None = None,
        body: bytes = b"",
        base_url: str = "https://login.microsoftonline.com",
    ) -> Reply:
        """Answer one request (``path`` relative to where the authority is mounted); the ASGI
        entry point and any in-process transport both come through here."""
        headers = {k.lower(): v for k, v in (headers or {}).items()}
        base = self.base_url or base_url.rstrip("/")
        correlation = headers.get("client-request-id") or str(uuid.uuid4())
        try:
            return self._route(
                method.upper(), [p for p in path.split("/") if p], headers, body, base
            )
        except Refusal as refusal:
            return refusal.reply(correlation, self.clock())

    def _route(
        self, method: str, parts: list[str], headers: dict[str, str], body: bytes, base: str
    ) -> Reply:
        if parts == ["common", "discovery", "instance"]:
            return ok(instance_metadata(base, self.tenant_id))
        if parts == ["devicelogin"]:
            text = "b2c-tui demo tenant: device codes are approved by the emulator.\n"
            return 200, [("content-type", "text/plain; charset=utf-8")], text.encode()
        tenant, rest = (parts[0], parts[1:]) if parts else ("", [])
        if rest in (_DISCOVERY, _DISCOVERY[1:]):
            if not self.accepts_tenant(tenant):
                raise Refusal("invalid_tenant", tenant=tenant)
            return ok(openid_configuration(base, self.tenant_id))
        if rest == ["discovery", "v2.0", "keys"]:
            return ok({"keys": []})
        if rest not in (_TOKEN, _DEVICE_CODE):
            raise Refusal("not_found", path="/" + "/".join(parts))
        if method != "POST":
            raise Refusal("method")
        form = dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
        with self._lock:
            if rest == _TOKEN:
                return self._grants.token(tenant, form, headers)
            return self._grants.device_code(tenant, form, base)

    async def __call__(self, scope: MutableMapping[str, Any], receive: Any, send: Any) -> None:
        """The ASGI entry point (``http`` and ``lifespan``)."""
        if scope["type"] == "lifespan":
            await lifespan(receive, send)
        if scope["type"] != "http":
            return
        body = await read_body(receive)
        headers = header_map(scope)
        root = scope.get("root_path", "") or ""
        path = scope["path"]
        if root and path.startswith(root):
            path = path[len(root) :]
        host = headers.get("host") or "localhost"
        base = f"{scope.get('scheme', 'https')}://{host}{root}"
        status, reply_headers, payload = self.handle_request(
            scope["method"], path, headers=headers, body=body, base_url=base
        )
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(k.encode(), v.encode()) for k, v in reply_headers]
                + [(b"content-length", str(len(payload)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": payload})
