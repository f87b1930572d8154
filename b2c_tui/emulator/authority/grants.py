"""The token authority's endpoint logic: discovery documents, the grants, Entra-shaped errors.

Kept apart from :mod:`b2c_tui.emulator.authority.core` (state, registration, ASGI plumbing); every
method here runs under the authority's lock. A refused request raises :class:`Refusal` naming an
entry of :data:`ERRORS`, which becomes the reply Entra ID would give.
"""

from __future__ import annotations

import base64
import hmac
import json
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from .tokens import (
    ClientAssertionError,
    RegisteredCertificate,
    b64url,
    decode_unverified,
    sign_hs256,
    verify_assertion_signature,
)

if TYPE_CHECKING:
    from .core import TokenAuthority

Reply = tuple[int, list[tuple[str, str]], bytes]

DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
GRAPH = "https://graph.microsoft.com"
_OIDC_SCOPES = frozenset({"openid", "profile", "offline_access", "email"})
_SKEW = 300.0
_USER_CODE_ALPHABET = "BCDFGHJKLMNPQRSTVWXZ23456789"
_NOT_INSTALLED = (
    "This can happen if the application has not been installed by the administrator of the "
    "tenant or consented to by any user in the tenant."
)
#: Entra's words for an unknown tenant, both as ``invalid_request`` and as ``invalid_tenant``.
_NO_TENANT = ("Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID "
              "and are signing into the correct cloud.")

#: key -> (HTTP status, OAuth error, AADSTS code, description template)
ERRORS: dict[str, tuple[int, str, int, str]] = {
    "missing": (400, "invalid_request", 900144,
                "The request body must contain the following parameter: '{name}'."),
    "no_tenant": (400, "invalid_request", 90002, _NO_TENANT),
    "no_client": (400, "unauthorized_client", 700016,
                  "Application with identifier '{client_id}' was not found in the directory "
                  "'{tenant}'. " + _NOT_INSTALLED + " You may have sent your authentication "
                  "request to the wrong tenant."),
    "grant_type": (400, "unsupported_grant_type", 70003,
                   "The app requested an unsupported grant type '{grant}'."),
    "scope": (400, "invalid_scope", 1002012,
              "The provided value for scope {scope} is not valid. Client credential flows must "
              "have a scope value with /.default suffixed to the resource identifier "
              "(application ID URI)."),
    "resource": (400, "invalid_resource", 500011,
                 "The resource principal named {resource} was not found in the tenant named "
                 "{tenant}. " + _NOT_INSTALLED),
    "bad_secret": (401, "invalid_client", 7000215,
                   "Invalid client secret provided. Ensure the secret being sent in the request "
                   "is the client secret value, not the client secret ID, for a secret added to "
                   "app '{client_id}'."),
    "no_credential": (401, "invalid_client", 7000218,
                      "The request body must contain the following parameter: "
                      "'client_assertion' or 'client_secret'."),
    "assertion_type": (400, "invalid_request", 50027,
                       "client_assertion_type must be " + JWT_BEARER + "."),
    "malformed": (401, "invalid_client", 50027, "JWT token is invalid or malformed."),
    "signature": (401, "invalid_client", 700027,
                  "Client assertion contains an invalid signature. [Reason - {reason}, "
                  "Thumbprint of key used by client: '{thumbprint}', Please visit the Azure "
                  "Portal, Graph Explorer or directly use MS Graph to see configured keys for "
                  "app Id '{client_id}'.]"),
    "assertion_iss": (401, "invalid_client", 700021,
                      "Client assertion application identifier doesn't match 'client_id' "
                      "parameter."),
    "assertion_aud": (401, "invalid_client", 700212,
                      "Client assertion audience claim does not match the token endpoint of "
                      "this tenant."),
    "assertion_time": (401, "invalid_client", 700024,
                       "Client assertion is not within its valid time range."),
    "bad_code": (400, "invalid_grant", 70000,
                 "The provided value for the input parameter 'device_code' is not valid."),
    "expired": (400, "expired_token", 70020,
                "The provided value for the input parameter 'device_code' is not valid. This "
                "device code has expired."),
    "declined": (400, "authorization_declined", 70000, "The user declined the sign-in request."),
    "pending": (400, "authorization_pending", 70016,
                "OAuth 2.0 device flow error. Authorization is pending. Continue polling."),
    "bad_refresh": (400, "invalid_grant", 9002313,
                    "Invalid request. Request is malformed or invalid."),
    "method": (405, "invalid_request", 900561, "The endpoint only accepts POST requests."),
    "not_found": (404, "invalid_request", 900561, "The endpoint {path} does not exist."),
    "invalid_tenant": (400, "invalid_tenant", 90002, _NO_TENANT),
}  # fmt: skip


class Refusal(Exception):
    """Raised to answer with the :data:`ERRORS` entry ``key`` (``fields`` fill its template)."""

    def __init__(self, key: str, **fields: str) -> None:
        super().__init__(key)
        self.key = key
        self.fields = fields

    def reply(self, correlation: str, now: datetime) -> Reply:
        status, error, code, template = ERRORS[self.key]
        return aad_error(status, error, code, template.format(**self.fields), correlation, now)


def aad_error(
    status: int, error: str, code: int, description: str, correlation: str, now: datetime
) -> Reply:
    """An error answer in Entra ID's format."""
    trace = str(uuid.uuid4())
    stamp = now.strftime("%Y-%m-%d %H:%M:%SZ")
    body = {
        "error": error,
        "error_description": f"AADSTS{code}: {description}\r\nTrace ID: {trace}\r\n"
        f"Correlation ID: {correlation}\r\nTimestamp: {stamp}",
        "error_codes": [code],
        "timestamp": stamp,
        "trace_id": trace,
        "correlation_id": correlation,
        "error_uri": f"https://login.microsoftonline.com/error?code={code}",
    }
    headers = [
        ("content-type", "application/json; charset=utf-8"),
        ("cache-control", "no-store, no-cache"),
        ("x-ms-request-id", trace),
    ]
    return status, headers, json.dumps(body).encode()


def ok(body: dict[str, Any]) -> Reply:
    """A 200 JSON answer that no cache keeps."""
    headers = [("content-type", "application/json; charset=utf-8"), ("cache-control", "no-store")]
    return 200, headers, json.dumps(body).encode()


@dataclass
class RegisteredClient:
    """An app registration the authority knows: its secrets, certificates and app roles."""

    client_id: str
    display_name: str
    secrets: list[str] = field(default_factory=list, repr=False)
    certificates: list[RegisteredCertificate] = field(default_factory=list)
    roles: tuple[str, ...] = ()
    delegated_scopes: tuple[str, ...] = ("Directory.AccessAsUser.All",)


@dataclass
class PendingDeviceCode:
    """A device-code sign-in waiting for the user (``approve``/``deny`` it by ``user_code``)."""

    user_code: str
    client_id: str
    scope: str
    expires_at: float
    device_code: str = field(repr=False)
    user: dict[str, str] | None = None
    denied: bool = False


def openid_configuration(base: str, tenant_id: str) -> dict[str, Any]:
    """The tenant's OpenID discovery document (endpoints name the tenant by its id)."""
    root = f"{base}/{tenant_id}"
    return {
        "issuer": f"{root}/v2.0",
        "authorization_endpoint": f"{root}/oauth2/v2.0/authorize",
        "token_endpoint": f"{root}/oauth2/v2.0/token",
        "device_authorization_endpoint": f"{root}/oauth2/v2.0/devicecode",
        "end_session_endpoint": f"{root}/oauth2/v2.0/logout",
        "jwks_uri": f"{root}/discovery/v2.0/keys",
        "token_endpoint_auth_methods_supported": [
            "client_secret_post",
            "private_key_jwt",
            "client_secret_basic",
        ],
        "response_modes_supported": ["query", "fragment", "form_post"],
        "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
        "scopes_supported": ["openid", "profile", "email", "offline_access"],
        "subject_types_supported": ["pairwise"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "request_uri_parameter_supported": False,
        "tenant_region_scope": "NA",
        "cloud_instance_name": "microsoftonline.com",
        "msgraph_host": "graph.microsoft.com",
    }


def instance_metadata(base: str, tenant_id: str) -> dict[str, Any]:
    """What ``/common/discovery/instance`` answers: this host is its own only alias."""
    host = urlsplit(base).netloc
    return {
        "tenant_discovery_endpoint": f"{base}/{tenant_id}/v2.0/.well-known/openid-configuration",
        "api-version": "1.1",
        "metadata": [{"preferred_network": host, "preferred_cache": host, "aliases": [host]}],
    }


class GrantHandler:
    """Answers token and device-code requests for one :class:`TokenAuthority`."""

    def __init__(self, authority: TokenAuthority) -> None:
        self.a = authority

    def device_code(self, tenant: str, form: dict[str, str], base: str) -> Reply:
        client = self._client(tenant, form.get("client_id", ""))
        user_code = "".join(secrets.choice(_USER_CODE_ALPHABET) for _ in range(9))
        device_code = "DAQABAAEAAAD" + secrets.token_urlsafe(48)
        self.a.device_codes[device_code] = PendingDeviceCode(
            user_code=user_code,
            client_id=client.client_id,
            scope=form.get("scope", ""),
            expires_at=self.a.now() + self.a.device_code_lifetime,
            device_code=device_code,
        )
        uri = f"{base}/devicelogin"
        return ok(
            {
                "user_code": user_code,
                "device_code": device_code,
                "verification_uri": uri,
                "expires_in": int(self.a.device_code_lifetime),
                "interval": self.a.device_code_interval,
                "message": f"To sign in, use a web browser to open the page {uri} and enter the "
                f"code {user_code} to authenticate.",
            }
        )

    def token(self, tenant: str, form: dict[str, str], headers: dict[str, str]) -> Reply:
        grant = form.get("grant_type", "")
        self.a.token_requests_by_grant[grant or "(none)"] += 1
        basic_id, basic_secret = _basic_auth(headers)
        if not grant:
            raise Refusal("missing", name="grant_type")
        client = self._client(tenant, form.get("client_id") or basic_id)
        if grant == "client_credentials":
            self._authenticate(client, form, basic_secret)
            return self._client_credentials(client, tenant, form.get("scope", "").strip())
        if grant == DEVICE_CODE_GRANT:
            return self._device_grant(client, form.get("device_code") or form.get("code") or "")
        if grant == "refresh_token":
            stored = self.a.refresh_tokens.pop(form.get("refresh_token", ""), None)
            if stored is None or stored["client_id"] != client.client_id:
                raise Refusal("bad_refresh")
            return self._user_tokens(client, stored["user"], form.get("scope") or stored["scope"])
        raise Refusal("grant_type", grant=grant)

    # -- grants --------------------------------------------------------------------------------
    def _client_credentials(self, client: RegisteredClient, tenant: str, scope: str) -> Reply:
        names = scope.split()
        if len(names) != 1 or not names[0].endswith("/.default"):
            raise Refusal("scope", scope=scope)
        resource = names[0][: -len("/.default")]
        allowed = self.a.resources
        if not resource.startswith(("https://", "http://")) or (
            allowed is not None and resource.rstrip("/") not in allowed
        ):
            raise Refusal("resource", resource=resource, tenant=tenant)
        token = self.mint(client.client_id, resource, roles=client.roles)
        life = self.a.token_lifetime
        return ok(
            {"token_type": "Bearer", "expires_in": life, "ext_expires_in": life,
             "access_token": token}
        )  # fmt: skip

    def _device_grant(self, client: RegisteredClient, code: str) -> Reply:
        pending = self.a.device_codes.get(code)
        if pending is None or pending.client_id != client.client_id:
            raise Refusal("bad_code")
        if self.a.now() >= pending.expires_at:
            del self.a.device_codes[code]
            raise Refusal("expired")
        if pending.denied:
            del self.a.device_codes[code]
            raise Refusal("declined")
        if pending.user is None:
            raise Refusal("pending")
        del self.a.device_codes[code]  # a device code is good for one sign-in
        return self._user_tokens(client, pending.user, pending.scope)

    def _user_tokens(self, client: RegisteredClient, user: dict[str, str], scope: str) -> Reply:
        resource, permissions = _split_scope(scope)
        now = int(self.a.now())
        tid = self.a.tenant_id
        life = self.a.token_lifetime
        access = self.mint(
            client.client_id, resource, user=user, scopes=permissions or client.delegated_scopes
        )
        refresh = "0.AAAA" + secrets.token_urlsafe(64)
        self.a.refresh_tokens[refresh] = {"client_id": client.client_id, "user": user,
                                          "scope": scope}  # fmt: skip
        id_claims = {
            "aud": client.client_id, "iss": f"https://login.microsoftonline.com/{tid}/v2.0",
            "iat": now, "nbf": now, "exp": now + life, "name": user["name"], "oid": user["oid"],
            "preferred_username": user["username"], "sub": user["oid"], "tid": tid, "ver": "2.0",
        }  # fmt: skip
        return ok(
            {
                "token_type": "Bearer", "scope": scope, "expires_in": life,
                "ext_expires_in": life, "access_token": access, "refresh_token": refresh,
                "id_token": sign_hs256(id_claims, self.a.signing_key),
                "client_info": b64url(json.dumps({"uid": user["oid"], "utid": tid}).encode()),
            }
        )  # fmt: skip

    # -- checks --------------------------------------------------------------------------------
    def _client(self, tenant: str, client_id: str) -> RegisteredClient:
        if not client_id:
            raise Refusal("missing", name="client_id")
        if not self.a.accepts_tenant(tenant):
            raise Refusal("no_tenant", tenant=tenant)
        client = self.a.clients.get(client_id)
        if client is None:
            raise Refusal("no_client", client_id=client_id, tenant=tenant)
        return client

    def _authenticate(self, client: RegisteredClient, form: dict[str, str], basic: str) -> None:
        secret = form.get("client_secret") or basic
        if secret:
            if not any(hmac.compare_digest(secret.encode(), s.encode()) for s in client.secrets):
                raise Refusal("bad_secret", client_id=client.client_id)
            return
        assertion = form.get("client_assertion", "")
        if not assertion:
            raise Refusal("no_credential")
        if form.get("client_assertion_type") != JWT_BEARER:
            raise Refusal("assertion_type")
        try:
            header, claims, signing_input, signature = decode_unverified(assertion)
        except ValueError:
            raise Refusal("malformed") from None
        try:
            verify_assertion_signature(header, signing_input, signature, client.certificates)
        except ClientAssertionError as exc:
            raise Refusal(
                "signature", reason=exc.reason, thumbprint=exc.thumbprint,
                client_id=client.client_id,
            ) from None  # fmt: skip
        if claims.get("iss") != client.client_id or claims.get("sub") != client.client_id:
            raise Refusal("assertion_iss")
        aud = [unquote(p) for p in urlsplit(str(claims.get("aud", ""))).path.split("/") if p]
        if len(aud) != 4 or aud[1:] != ["oauth2", "v2.0", "token"]:
            raise Refusal("assertion_aud")
        if not self.a.accepts_tenant(aud[0]):
            raise Refusal("assertion_aud")
        now = self.a.now()
        try:
            valid = float(claims["exp"]) > now - _SKEW and float(claims.get("nbf", 0)) < now + _SKEW
        except (KeyError, TypeError, ValueError):
            valid = False
        if not valid:
            raise Refusal("assertion_time")

    # -- tokens --------------------------------------------------------------------------------
    def mint(
        self,
        client_id: str,
        resource: str,
        *,
        user: dict[str, str] | None = None,
        scopes: Sequence[str] = (),
        roles: Sequence[str] = (),
    ) -> str:
        """An HS256 access token (v1.0-style claims, as Graph receives them)."""
        now = int(self.a.now())
        tid = self.a.tenant_id
        client = self.a.clients.get(client_id)
        claims: dict[str, Any] = {
            "aud": resource, "iss": f"https://sts.windows.net/{tid}/", "iat": now, "nbf": now,
            "exp": now + self.a.token_lifetime, "appid": client_id,
            "app_displayname": client.display_name if client else client_id, "tid": tid,
            "uti": secrets.token_urlsafe(16), "ver": "1.0",
        }  # fmt: skip
        if user is None:
            sp = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{tid}/sp/{client_id}"))
            claims.update(idtyp="app", oid=sp, sub=sp, roles=list(roles))
        else:
            claims.update(
                idtyp="user", oid=user["oid"], sub=user["oid"], name=user["name"],
                upn=user["username"], unique_name=user["username"], scp=" ".join(scopes),
            )  # fmt: skip
        return sign_hs256(claims, self.a.signing_key)


def _basic_auth(headers: dict[str, str]) -> tuple[str, str]:
    value = headers.get("authorization", "")
    if not value.lower().startswith("basic "):
        return "", ""
    try:
        user, _, password = base64.b64decode(value[6:]).decode().partition(":")
    except ValueError:
        return "", ""
    return unquote(user), unquote(password)


def _split_scope(scope: str) -> tuple[str, list[str]]:
    """``(resource, permissions)`` of a delegated scope string; Graph when none is named."""
    resource = GRAPH
    permissions: list[str] = []
    for item in scope.split():
        if item in _OIDC_SCOPES:
            continue
        name = item
        if "://" in item:
            split = urlsplit(item)
            resource = f"{split.scheme}://{split.netloc}"
            name = split.path.strip("/")
        if name and name != ".default":
            permissions.append(name)
    return resource, permissions
