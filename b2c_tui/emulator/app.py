"""The emulator: a pure-ASGI app speaking Microsoft Graph for one demo tenant.

``/v1.0/...`` and ``/beta/...`` go to the Graph router (faults, authentication, throttling,
then the family's handler); every other path goes to the token authority (``/{tenant}/
oauth2/v2.0/token``, discovery, ...). The families are listed in
:data:`b2c_tui.emulator.families.FAMILIES`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import batch
from .clock import Clock
from .families import FAMILIES
from .faults import Faults, drop
from .http import (
    GraphError,
    Request,
    Response,
    current_request,
    header_map,
    lifespan,
    read_body,
)
from .router import Router
from .store import DEFAULT_TENANT, Store
from .throttle import Throttler

if TYPE_CHECKING:
    from .authority import TokenAuthority

log = logging.getLogger(__name__)

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
VERSIONS = {"v1.0": "v1.0", "beta": "beta"}
GRAPH_AUDIENCES = ("https://graph.microsoft.com", "00000003-0000-0000-c000-000000000000")


@dataclass(frozen=True)
class EmulatorOptions:
    """Everything a demo tenant is built from (see :func:`create_emulator`)."""

    seed: int = 1
    users: int = 2000
    tenant: str = DEFAULT_TENANT
    throttling: bool = True
    latency: float = 0.0
    clock: Clock | None = None
    require_auth: bool = False
    faults: Mapping[str, Any] | None = None
    client_secret: str | None = None
    audit_entries: int | None = None
    extensions_app: bool = True
    health_findings: bool = False


class Emulator:
    """One demo tenant served over ASGI (see :func:`create_emulator`)."""

    def __init__(self, options: EmulatorOptions | None = None) -> None:
        self.options = opts = options or EmulatorOptions()
        self.store = Store(
            seed=opts.seed,
            users=opts.users,
            tenant=opts.tenant,
            clock=opts.clock,
            audit_entries=opts.audit_entries,
            extensions_app=opts.extensions_app,
            health_findings=opts.health_findings,
        )
        self.clock = self.store.clock
        # Plain attributes, not properties: the store fixes its tenant when it is made.
        self.tenant_id = self.store.tenant_id
        """The demo tenant's id."""
        self.tenant_domain = self.store.tenant_domain
        """The demo tenant's default domain (``contosob2c.onmicrosoft.com``)."""
        self.router = Router()
        self.faults = Faults(latency=opts.latency, seed=opts.seed)
        if opts.faults:
            self.faults.configure(**opts.faults)
        self.throttler = Throttler(
            self.store.clock,
            user_count=self.store.users.live_count,
            tenant_id=self.store.tenant_id,
            enabled=opts.throttling,
        )
        self.require_auth = opts.require_auth
        self.client_id = self.store.apps.client_app_id
        self.client_secret = opts.client_secret or _demo_secret(opts.seed, self.tenant_id)
        self._authority: TokenAuthority | None = None
        self.families = [family(self.store) for family in FAMILIES]
        for family in self.families:
            family.register(self.router)
        batch.register(self.router, self._handle_inner)

    # -- setup ---------------------------------------------------------------------------
    @property
    def authority(self) -> TokenAuthority:
        """The tenant's token authority, made on first use (it needs ``cryptography``, which
        the explorer on the in-process demo tenant never does)."""
        if self._authority is None:
            from .authority import TokenAuthority

            authority = TokenAuthority(
                self.tenant_id, (self.tenant_domain,), clock=self.store.clock
            )
            authority.register_client(self.client_id, self.client_secret, display_name="b2c-tui")
            self._authority = authority
        return self._authority

    def mint_token(self, **kwargs: Any) -> str:
        """An app-only access token for the demo client (tests with ``require_auth=True``)."""
        return str(self.authority.mint_token(self.client_id, **kwargs))

    # -- ASGI ----------------------------------------------------------------------------
    async def asgi(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The ASGI entry point."""
        kind = scope["type"]
        if kind == "lifespan":
            await lifespan(receive, send)
        if kind != "http":
            return
        path: str = scope["path"]
        first, _, rest = path.lstrip("/").partition("/")
        version = VERSIONS.get(first.lower())
        if version is None:
            await self.authority(scope, receive, send)
            return
        body = await read_body(receive)
        headers = header_map(scope)
        qs = scope.get("query_string", b"")
        request = Request(
            scope["method"],
            "/" + rest,
            query_string=qs.decode("utf-8", "replace") if isinstance(qs, bytes) else qs,
            headers=headers,
            body=body,
            version=version,
            scheme=scope.get("scheme", "https"),
            full_path=path,
            now=self.store.clock,
        )
        token = current_request.set(request)
        try:
            fault, response = (None, None)
            if self.faults.active:
                fault, response = await self.faults.before(path)
            if fault is not None:
                probe = await self.handle(request) if fault == "mid" else None
                await drop(send, probe, mid_body=fault == "mid")
                return
            if response is None:
                response = await self.handle(request)
            await response.send_to(send)
        finally:
            current_request.reset(token)

    async def handle(self, request: Request, *, inner: bool = False) -> Response:
        """Authenticate, route, throttle and run one Graph request (also $batch items, which
        the outer request authenticated)."""
        try:
            if self.require_auth and not inner:
                self._authenticate(request)
            route, params = self.router.resolve(request.method, request.version, request.path)
            request.params = params
            request.state["route"] = route
            extra, throttled = self.throttler.check(
                request, route.family, route.template, self._app_id(request)
            )
            if throttled is not None:
                return self._finish(request, throttled)
            response = await route.call(request)
            response.headers.update(extra)
        except GraphError as exc:
            response = exc.response()
        except Exception:
            log.exception("emulator handler failed for %s %s", request.method, request.full_path)
            error = GraphError(500, "generalException", "An internal server error occurred.")
            response = error.response()
        return self._finish(request, response)

    async def _handle_inner(self, request: Request) -> Response:
        """A ``$batch`` item: the faults' 429s and 503s reach it, then :meth:`handle`."""
        if self.faults.active:
            injected = self.faults.inner(request.full_path)
            if injected is not None:
                return self._finish(request, injected)
        return await self.handle(request, inner=True)

    def _finish(self, request: Request, response: Response) -> Response:
        headers = response.headers
        headers.setdefault("request-id", request.request_id)
        headers.setdefault("client-request-id", request.client_request_id)
        headers.setdefault("cache-control", "no-cache")
        return response

    def _authenticate(self, request: Request) -> None:
        auth = request.header("authorization") or ""
        scheme, _, token = auth.partition(" ")
        if not token or scheme.lower() != "bearer":
            raise GraphError(401, "InvalidAuthenticationToken", "Access token is empty.")
        claims = self.authority.verify(token.strip())
        if claims is None or str(claims.get("aud", "")).rstrip("/") not in GRAPH_AUDIENCES:
            raise GraphError(
                401,
                "InvalidAuthenticationToken",
                "Access token validation failure. Invalid audience.",
            )
        request.state["claims"] = claims

    @staticmethod
    def _app_id(request: Request) -> str:
        claims = request.state.get("claims") or {}
        return str(
            claims.get("appid") or claims.get("azp") or "00000000-0000-0000-0000-000000000000"
        )


def _demo_secret(seed: int, tenant_id: str) -> str:
    digest = hashlib.sha256(f"b2c-tui-demo-secret:{seed}:{tenant_id}".encode()).hexdigest()
    return f"demo~{digest[:34]}"


def create_emulator(options: EmulatorOptions | None = None, /, **knobs: Any) -> Emulator:
    """Build a demo tenant and its ASGI app (``emulator.asgi``).

    Pass an :class:`EmulatorOptions` or its fields as keywords (keywords override the
    options given):

    ``seed``
        Everything in the tenant derives from it (same seed, same tenant).
    ``users``
        How many users (up to 10,000,000: users are derived lazily).
    ``tenant``
        The tenant's default domain.
    ``throttling``
        ``False`` turns off 429s (throughput measurements).
    ``latency``
        Seconds added to every Graph request.
    ``clock``
        Any callable returning an aware UTC datetime (use
        :class:`~b2c_tui.emulator.clock.ManualClock` in tests).
    ``require_auth``
        Demand a bearer token issued by the emulator's own authority on Graph routes.
    ``faults``
        Fault knobs (see :class:`~b2c_tui.emulator.faults.Faults`): ``rate_429``,
        ``rate_503``, ``drop_rate``, ``drop_nth``, ``path``...
    ``client_secret``
        The demo client's secret (a stable one derived from the seed by default).
    ``audit_entries``
        How many audit entries the tenant has from the seven days before it was made
        (default: as many as users, between 1,000 and 20,000; none without users). They are
        derived when read, so 100,000 cost nothing up front; like B2C, the log serves only
        the last seven days on ``clock``, and every change made through the API adds one.
    ``extensions_app``
        ``False`` builds the tenant without its b2c-extensions-app (extension attributes
        keep their names, but a health check finds the app missing).
    ``health_findings``
        Also give apps credentials a dashboard should flag: a secret of Contoso Web that
        expires in 12 days, one of Contoso Mobile that expired 5 days ago, a certificate of
        Contoso API that expires in 20 days (off by default: it changes what the default
        demo's applications show).

    Always in the tenant, for a dashboard to find: a policy key that has expired and keys
    that expire within 30 days and a week, and a user deleted 24 days ago (purged within a
    week).
    """
    base = options or EmulatorOptions()
    return Emulator(dataclasses.replace(base, **knobs) if knobs else base)
