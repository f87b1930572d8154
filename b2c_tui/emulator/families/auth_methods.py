"""``/users/{id}/authentication/{phone,email,softwareOath}Methods`` (and ``/me/...``).

The rules live in :mod:`..users.methods`; ``/me`` works only with a delegated token.
"""

from __future__ import annotations

from typing import Any

from ..http import GraphError, Request, Response, empty, json_response
from ..odata import AUTHENTICATION_METHODS
from ..users import methods as rules
from .base import Family, route

ME_NEEDS_DELEGATION = "/me request is only valid with delegated authentication flow."
USER = "/users/{id}/authentication"
ME = "/me/authentication"


class AuthenticationMethods(Family):
    """A user's phone, email and software OATH methods."""

    dialect = AUTHENTICATION_METHODS

    def _resolve(self, request: Request) -> tuple[dict[str, Any], dict[str, Any]]:
        """The user the path names (or the signed-in one for ``/me``) and their methods."""
        users = self.store.users
        key = request.params.get("id")
        if key is None:
            claims = request.state.get("claims") or {}
            if not claims.get("scp"):
                raise GraphError(400, "BadRequest", ME_NEEDS_DELEGATION)
            key = str(claims.get("oid", ""))
        ordinal = users.ordinal_of(key)
        return users.get(ordinal) or {}, users.methods(ordinal)

    def _collection(self, request: Request, kind: str, items: list[dict[str, Any]]) -> Response:
        ctx = request.context_url(
            f"users('{request.params.get('id', 'me')}')/authentication/{kind}"
        )
        return json_response(200, {"@odata.context": ctx, "value": items})

    # -- phone ------------------------------------------------------------------------------
    @route("GET", f"{USER}/phoneMethods", f"{ME}/phoneMethods")
    def list_phones(self, request: Request) -> Response:
        _, methods = self._resolve(request)
        return self._collection(request, "phoneMethods", rules.phones(methods))

    @route("POST", f"{USER}/phoneMethods", f"{ME}/phoneMethods")
    def add_phone(self, request: Request) -> Response:
        rec, methods = self._resolve(request)
        phone_type = rules.add_phone(self.store, rec, methods, request.json_object())
        return json_response(201, rules.phone(phone_type, methods["phones"][phone_type]))

    @route("GET", f"{USER}/phoneMethods/{{methodId}}", f"{ME}/phoneMethods/{{methodId}}")
    def get_phone(self, request: Request) -> Response:
        _, methods = self._resolve(request)
        phone_type = rules.phone_type_of(methods, request.params["methodId"])
        return json_response(200, rules.phone(phone_type, methods["phones"][phone_type]))

    @route("PATCH", f"{USER}/phoneMethods/{{methodId}}")
    def update_phone(self, request: Request) -> Response:
        rec, methods = self._resolve(request)
        phone_type = rules.phone_type_of(methods, request.params["methodId"])
        rules.update_phone(self.store, rec, methods, phone_type, request.json_object())
        return empty(204)

    @route("DELETE", f"{USER}/phoneMethods/{{methodId}}", f"{ME}/phoneMethods/{{methodId}}")
    def delete_phone(self, request: Request) -> Response:
        rec, methods = self._resolve(request)
        phone_type = rules.phone_type_of(methods, request.params["methodId"])
        rules.delete_phone(self.store, rec, methods, phone_type)
        return empty(204)

    # -- email ------------------------------------------------------------------------------
    @route("GET", f"{USER}/emailMethods", f"{ME}/emailMethods")
    def list_email(self, request: Request) -> Response:
        _, methods = self._resolve(request)
        address = methods["email"]
        return self._collection(request, "emailMethods", [rules.email(address)] if address else [])

    @route("POST", f"{USER}/emailMethods")
    def add_email(self, request: Request) -> Response:
        rec, methods = self._resolve(request)
        address = rules.add_email(self.store, rec, methods, request.json_object())
        return json_response(201, rules.email(address))

    @route("GET", f"{USER}/emailMethods/{{methodId}}", f"{ME}/emailMethods/{{methodId}}")
    def get_email(self, request: Request) -> Response:
        _, methods = self._resolve(request)
        rules.check_email_id(methods, request.params["methodId"])
        return json_response(200, rules.email(methods["email"]))

    @route("PATCH", f"{USER}/emailMethods/{{methodId}}")
    def update_email(self, request: Request) -> Response:
        rec, methods = self._resolve(request)
        rules.check_email_id(methods, request.params["methodId"])
        rules.update_email(self.store, rec, methods, request.json_object())
        return empty(204)

    @route("DELETE", f"{USER}/emailMethods/{{methodId}}", f"{ME}/emailMethods/{{methodId}}")
    def delete_email(self, request: Request) -> Response:
        rec, methods = self._resolve(request)
        rules.check_email_id(methods, request.params["methodId"])
        rules.delete_email(self.store, rec, methods)
        return empty(204)

    # -- software OATH ------------------------------------------------------------------------
    @route("GET", f"{USER}/softwareOathMethods", f"{ME}/softwareOathMethods")
    def list_oath(self, request: Request) -> Response:
        _, methods = self._resolve(request)
        items = [rules.oath(m) for m in methods["oath"]]
        return self._collection(request, "softwareOathMethods", items)

    @route("GET", *(f"{base}/softwareOathMethods/{{methodId}}" for base in (USER, ME)))
    def get_oath(self, request: Request) -> Response:
        _, methods = self._resolve(request)
        index = rules.oath_index(methods, request.params["methodId"])
        return json_response(200, rules.oath(methods["oath"][index]))

    @route("DELETE", f"{USER}/softwareOathMethods/{{methodId}}")
    def delete_oath(self, request: Request) -> Response:
        rec, methods = self._resolve(request)
        index = rules.oath_index(methods, request.params["methodId"])
        rules.delete_oath(self.store, rec, methods, index)
        return empty(204)
