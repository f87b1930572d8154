"""The emulator: a pure-ASGI app speaking Microsoft Graph for one demo tenant.

``/v1.0/...`` and ``/beta/...`` go to the Graph router (faults, authentication, throttling,
then the route module's handler); every other path goes to the token authority (``/{tenant}/
oauth2/v2.0/token``, discovery, ...). Route modules are listed in
:data:`b2c_tui.emulator.routes.ROUTE_MODULES`; one that does not import is skipped.
"""

from __future__ import annotations

import hashlib
import importlib
import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from . import batch
from .clock import Clock
from .faults import Faults, drop
from .http import GraphError, Request, Response, current_request, graph_error
from .router import Router
from .routes import ROUTE_MODULES
from .store import DEFAULT_TENANT, Store
from .throttle import Throttler

log = logging.getLogger(__name__)

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
_UNSET = object()
VERSIONS = {"v1.0": "v1.0", "beta": "beta"}
GRAPH_AUDIENCES = ("https://graph.microsoft.com", "00000003-0000-0000-c000-000000000000")


class Emulator:
    """One demo tenant served over ASGI (see :func:`create_emulator`)."""

    def __init__(
        self,
        *,
        seed: int = 1,
        users: int = 2000,
        tenant: str = DEFAULT_TENANT,
        throttling: bool = True,
        latency: float = 0.0,
        clock: Clock | None = None,
        require_auth: bool = False,
        faults: dict[str, Any] | None = None,
        client_secret: str | None = None,
    ) -> None:
        self.store = Store(seed=seed, users=users, tenant=tenant, clock=clock)
        self.clock = self.store.clock
        self.router = Router()
        self.faults = Faults(latency=latency, seed=seed)
        if faults:
            self.faults.configure(**faults)
        self.throttler = Throttler(
            self.store.clock,
            user_count=self.store.users.live_count,
            tenant_id=self.store.tenant_id,
            enabled=throttling,
        )
        self.require_auth = require_auth
        self.client_id = self.store.apps.client_app_id
        self.client_secret = client_secret or _demo_secret(seed, self.store.tenant_id)
        self._authority: Any = _UNSET
        self.loaded_routes: list[str] = []
        self._register_routes()
        batch.register(self.router, self)

    # -- setup ---------------------------------------------------------------------------
    @property
    def authority(self) -> Any:
        """The tenant's token authority (``None`` if it cannot run), made on first use: it
        needs ``cryptography``, which the explorer on the demo tenant never does."""
        if self._authority is _UNSET:
            self._authority = self._make_authority()
        return self._authority

    def _make_authority(self) -> Any:
        try:
            from .authority import TokenAuthority
        except Exception:  # the authority is optional: Graph routes work without it
            log.warning("token authority unavailable; only Graph routes are served", exc_info=True)
            return None
        authority = TokenAuthority(
            self.store.tenant_id, (self.store.tenant_domain,), clock=self.store.clock
        )
        authority.register_client(self.client_id, self.client_secret, display_name="b2c-tui")
        return authority

    def _register_routes(self) -> None:
        seen: set[str] = set()
        for name in ROUTE_MODULES:
            if name in seen:
                continue
            seen.add(name)
            full = f"{__package__}.routes.{name}"
            try:
                module = importlib.import_module(full)
                module.register(self.router, self.store)
            except ModuleNotFoundError as exc:
                if exc.name != full:
                    log.warning("emulator route module %r not loaded", name, exc_info=True)
                else:
                    log.info("emulator route module %r not present", name)
                continue
            except Exception:
                log.warning("emulator route module %r not loaded", name, exc_info=True)
                continue
            self.loaded_routes.append(name)

    @property
    def tenant_id(self) -> str:
        """The demo tenant's id."""
        return self.store.tenant_id

    @property
    def tenant_domain(self) -> str:
        """The demo tenant's default domain (``contosob2c.onmicrosoft.com``)."""
        return self.store.tenant_domain

    def mint_token(self, **kwargs: Any) -> str:
        """An app-only access token for the demo client (tests with ``require_auth=True``)."""
        if self.authority is None:
            raise RuntimeError("no token authority")
        return str(self.authority.mint_token(self.client_id, **kwargs))

    # -- ASGI ----------------------------------------------------------------------------
    async def asgi(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The ASGI entry point."""
        kind = scope["type"]
        if kind == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if kind != "http":
            return
        path: str = scope["path"]
        first, _, rest = path.lstrip("/").partition("/")
        version = VERSIONS.get(first.lower())
        if version is None:
            await self._other(scope, receive, send)
            return
        body = b""
        more = True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = bool(message.get("more_body"))
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
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

    async def _other(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.authority is not None:
            await self.authority(scope, receive, send)
            return
        await graph_error(404, "UnknownError", "").send_to(send)

    async def handle(self, request: Request, *, inner: bool = False) -> Response:
        """Authenticate, route, throttle and run one Graph request (also $batch items)."""
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
            response = graph_error(500, "generalException", "An internal server error occurred.")
        return self._finish(request, response)

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
        claims = self.authority.verify(token.strip()) if self.authority is not None else None
        if claims is None:
            raise GraphError(
                401,
                "InvalidAuthenticationToken",
                "Access token validation failure. Invalid audience.",
            )
        if str(claims.get("aud", "")).rstrip("/") not in GRAPH_AUDIENCES:
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


def create_emulator(
    *,
    seed: int = 1,
    users: int = 2000,
    tenant: str = DEFAULT_TENANT,
    throttling: bool = True,
    latency: float = 0.0,
    clock: Clock | None = None,
    require_auth: bool = False,
    faults: dict[str, Any] | None = None,
    client_secret: str | None = None,
) -> Emulator:
    """Build a demo tenant and its ASGI app (``emulator.asgi``).

    ``users`` scales to millions (users are derived lazily); ``clock`` is any callable
    returning an aware UTC datetime (use :class:`~b2c_tui.emulator.clock.ManualClock` in
    tests); ``throttling=False`` turns off 429s for throughput measurements; ``faults`` sets
    fault knobs (see :class:`~b2c_tui.emulator.faults.Faults`); ``require_auth`` demands a
    bearer token issued by the emulator's authority on Graph routes.
    """
    return Emulator(
        seed=seed,
        users=users,
        tenant=tenant,
        throttling=throttling,
        latency=latency,
        clock=clock,
        require_auth=require_auth,
        faults=faults,
        client_secret=client_secret,
    )
