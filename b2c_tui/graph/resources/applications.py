"""App registrations, their service principals and delegated permission grants (v1.0).

Endpoints: ``/applications`` (by object id, or by client id through the alternate key
``/applications(appId='{appId}')``), ``/servicePrincipals`` and ``/oauth2PermissionGrants``.
Creating an application does not create its service principal; create one with
:meth:`ApplicationsAPI.create_service_principal` before granting consent. Client secrets are
added and removed with ``addPassword``/``removePassword`` (never PATCHed): Graph returns a new
secret's text once, in the answer to ``addPassword``. Writes to apps whose
signInAudience includes personal Microsoft accounts (typical B2C apps) are limited to 60 a
minute; the core waits out the 429s.
"""

from __future__ import annotations

import builtins
import re
from collections.abc import Iterable, Mapping
from typing import Any

from ..batch import BatchRequest
from ..errors import ValidationError
from ..paging import PageIterator
from ..redact import register_secret
from ._query import QueryArg as Query
from ._query import to_params
from .base import ResourceAPI, mutating, seg

APPLICATIONS = "/applications"
SERVICE_PRINCIPALS = "/servicePrincipals"
GRANTS = "/oauth2PermissionGrants"
CONSENT_TYPES = ("AllPrincipals", "Principal")
MAX_SCOPE_LENGTH = 3850

# What an admin needs to see of an app registration.
APPLICATION_SELECT = (
    "id", "appId", "displayName", "signInAudience", "createdDateTime", "publisherDomain",
    "identifierUris", "web", "spa", "publicClient", "requiredResourceAccess",
)

_GUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")


def check_app_id(app_id: str, *, field: str = "app_id") -> str:
    """An application (client) id: a GUID. Checked because it is spliced into a key literal."""
    text = app_id.strip() if isinstance(app_id, str) else ""
    if not _GUID.fullmatch(text):
        raise ValidationError(
            f"{app_id!r} is not an application (client) id; it is a GUID such as "
            "00000000-0000-0000-0000-000000000000.", field=field)
    return text


def by_app_id(collection: str, app_id: str) -> str:
    """``/applications(appId='…')``: the alternate-key path for a client id."""
    return f"{collection}(appId='{check_app_id(app_id)}')"


class ApplicationsAPI(ResourceAPI):
    """``/applications``, ``/servicePrincipals`` and ``/oauth2PermissionGrants`` (v1.0)."""

    # -- applications ------------------------------------------------------------------------
    def list(
        self, query: Query = None, *, select: Iterable[str] | None = None,
        top: int | None = None, prefetch: bool = True,
    ) -> PageIterator:
        """Pages of app registrations: ``GET /applications`` (``$top`` up to 999)."""
        return self._list(APPLICATIONS, query, select=select, top=top, prefetch=prefetch,
                          resource="applications")

    async def get(self, object_id: str, *, select: Iterable[str] | None = None) -> dict[str, Any]:
        """One app registration by object id: ``GET /applications/{id}``."""
        return await self._get(f"{APPLICATIONS}/{seg(object_id)}", select=select)

    async def get_by_app_id(
        self, app_id: str, *, select: Iterable[str] | None = None
    ) -> dict[str, Any]:
        """One app registration by client id: ``GET /applications(appId='{appId}')``."""
        return await self._get(by_app_id(APPLICATIONS, app_id), select=select)

    @mutating
    async def create(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """Register an application: ``POST /applications`` (201). ``displayName`` is required;
        the answer's ``id`` is the object id and ``appId`` the client id."""
        name = body.get("displayName")
        if not isinstance(name, str) or not name.strip():
            raise ValidationError("An application needs a displayName.", field="displayName")
        return await self._send("POST", APPLICATIONS, dict(body))

    @mutating
    async def update(self, object_id: str, patch: Mapping[str, Any]) -> None:
        """PATCH properties by object id: ``PATCH /applications/{id}`` (204). Collections such
        as ``appRoles`` are replaced whole: send the items to keep too."""
        await self._core.send_json("PATCH", f"{APPLICATIONS}/{seg(object_id)}", _patch(patch))

    @mutating
    async def update_by_app_id(self, app_id: str, patch: Mapping[str, Any]) -> None:
        """PATCH properties by client id: ``PATCH /applications(appId='{appId}')`` (204)."""
        await self._core.send_json("PATCH", by_app_id(APPLICATIONS, app_id), _patch(patch))

    @mutating
    async def delete(self, object_id: str) -> None:
        """Delete by object id: ``DELETE /applications/{id}`` (to deleted items for 30 days)."""
        await self._core.request("DELETE", f"{APPLICATIONS}/{seg(object_id)}")

    @mutating
    async def delete_by_app_id(self, app_id: str) -> None:
        """Delete by client id: ``DELETE /applications(appId='{appId}')``."""
        await self._core.request("DELETE", by_app_id(APPLICATIONS, app_id))

    # -- client secrets ------------------------------------------------------------------------
    @mutating
    async def add_password(
        self, object_id: str, *, display_name: str | None = None, end: str | None = None,
    ) -> dict[str, Any]:
        """Add a client secret: ``POST /applications/{id}/addPassword`` (200). ``end`` is the
        expiry (ISO 8601, UTC; Graph's default is two years). The answer is the new
        passwordCredential: its ``secretText`` is returned this once and never again. The
        value is registered with the log redactor, so it is masked if it ever reaches a log.
        """
        credential: dict[str, Any] = {}
        if display_name is not None:
            credential["displayName"] = display_name
        if end is not None:
            credential["endDateTime"] = end
        path = f"{APPLICATIONS}/{seg(object_id)}/addPassword"
        answer = await self._send("POST", path, {"passwordCredential": credential})
        register_secret(answer.get("secretText"))
        return answer

    @mutating
    async def remove_password(self, object_id: str, key_id: str) -> None:
        """Remove a client secret by its ``keyId``: ``POST /applications/{id}/removePassword``
        (204)."""
        if not isinstance(key_id, str) or not _GUID.fullmatch(key_id.strip()):
            raise ValidationError(f"{key_id!r} is not a secret's keyId (a GUID).", field="keyId")
        await self._core.send_json("POST", f"{APPLICATIONS}/{seg(object_id)}/removePassword",
                                   {"keyId": key_id.strip()})

    # -- service principals --------------------------------------------------------------------
    async def service_principals_of(
        self, app_ids: Iterable[str], *, select: Iterable[str] | None = None,
        by: str = "appId",
    ) -> builtins.list[dict[str, Any] | None]:
        """The service principal of each app (by client id; ``by="id"``: service principals
        by object id), in order, through ``$batch`` (20 lookups a request, not one request
        per object); ``None`` where there is none (Graph's 404). Other failures raise the
        first one's error."""
        if by not in ("appId", "id"):
            raise ValidationError(f"by must be 'appId' or 'id', got {by!r}.", field="by")
        ids = builtins.list(app_ids)
        if not ids:
            return []
        params = to_params(select=select) or None
        requests = [BatchRequest("GET", by_app_id(SERVICE_PRINCIPALS, a) if by == "appId"
                                 else f"{SERVICE_PRINCIPALS}/{seg(a)}", params=params)
                    for a in ids]
        out: builtins.list[dict[str, Any] | None] = []
        for result in await self._core.batch(requests):
            error = result.error
            if error is None:
                out.append(result.body if isinstance(result.body, dict) else {})
            elif result.status == 404:
                out.append(None)
            else:
                raise error
        return out

    def list_service_principals(
        self, query: Query = None, *, select: Iterable[str] | None = None,
        top: int | None = None, prefetch: bool = True,
    ) -> PageIterator:
        """Pages of service principals: ``GET /servicePrincipals``."""
        return self._list(SERVICE_PRINCIPALS, query, select=select, top=top, prefetch=prefetch,
                          resource="servicePrincipals")

    async def get_service_principal(
        self, object_id: str, *, select: Iterable[str] | None = None
    ) -> dict[str, Any]:
        """One service principal by object id: ``GET /servicePrincipals/{id}``."""
        return await self._get(f"{SERVICE_PRINCIPALS}/{seg(object_id)}", select=select)

    async def get_service_principal_by_app_id(
        self, app_id: str, *, select: Iterable[str] | None = None
    ) -> dict[str, Any]:
        """The app's service principal: ``GET /servicePrincipals(appId='{appId}')``."""
        return await self._get(by_app_id(SERVICE_PRINCIPALS, app_id), select=select)

    @mutating
    async def create_service_principal(
        self, app_id: str, extra: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        """Create the service principal of an app: ``POST /servicePrincipals`` with its client
        id (201). ``extra`` adds other servicePrincipal properties (``tags``...)."""
        body = {**(extra or {}), "appId": check_app_id(app_id)}
        return await self._send("POST", SERVICE_PRINCIPALS, body)

    # -- delegated permission grants ----------------------------------------------------------
    def list_permission_grants(
        self, query: Query = None, *, top: int | None = None, prefetch: bool = True
    ) -> PageIterator:
        """Pages of delegated permission grants: ``GET /oauth2PermissionGrants``."""
        return self._list(GRANTS, query, top=top, prefetch=prefetch,
                          resource="oauth2PermissionGrants")

    @mutating
    async def create_permission_grant(
        self, *, client_id: str, resource_id: str, scope: str | Iterable[str],
        consent_type: str = "AllPrincipals", principal_id: str | None = None,
    ) -> dict[str, Any]:
        """Grant delegated permissions (consent): ``POST /oauth2PermissionGrants`` (201).

        ``client_id`` and ``resource_id`` are service principal *object* ids (not appIds);
        ``scope`` is the space-separated permission values (or a list of them);
        ``consent_type`` is ``AllPrincipals`` (admin consent) or ``Principal`` with the user's
        ``principal_id``.
        """
        return await self._send("POST", GRANTS, permission_grant_body(
            client_id=client_id, resource_id=resource_id, scope=scope,
            consent_type=consent_type, principal_id=principal_id))


def _patch(patch: Mapping[str, Any]) -> dict[str, Any]:
    body = dict(patch)
    if not body:
        raise ValidationError("Nothing to update: the patch is empty.", field="patch")
    if "passwordCredentials" in body:
        raise ValidationError(
            "passwordCredentials cannot be PATCHed; Graph adds and removes passwords through "
            "addPassword/removePassword.", field="passwordCredentials")
    return body


def permission_grant_body(
    *, client_id: str, resource_id: str, scope: str | Iterable[str],
    consent_type: str = "AllPrincipals", principal_id: str | None = None,
) -> dict[str, Any]:
    """The body of a new oAuth2PermissionGrant, checked against Graph's rules."""
    for field, value in (("client_id", client_id), ("resource_id", resource_id)):
        if not isinstance(value, str) or not _GUID.fullmatch(value.strip()):
            raise ValidationError(
                f"{field} must be a service principal object id (a GUID), got {value!r}.",
                field=field)
    if consent_type not in CONSENT_TYPES:
        raise ValidationError(
            f"consent_type must be 'AllPrincipals' or 'Principal', got {consent_type!r}.",
            field="consent_type")
    if (consent_type == "Principal") != bool(principal_id):
        raise ValidationError(
            "principal_id (the user's object id) is required with consent_type 'Principal' "
            "and must be left out with 'AllPrincipals'.", field="principal_id")
    text = scope if isinstance(scope, str) else " ".join(scope)
    text = " ".join(text.split())
    if not text:
        raise ValidationError("scope is empty: name at least one delegated permission.",
                              field="scope")
    if len(text) > MAX_SCOPE_LENGTH:
        raise ValidationError(f"scope is longer than {MAX_SCOPE_LENGTH} characters.",
                              field="scope")
    body: dict[str, Any] = {"clientId": client_id.strip(), "consentType": consent_type,
                            "resourceId": resource_id.strip(), "scope": text}
    if principal_id:
        body["principalId"] = principal_id
    return body
