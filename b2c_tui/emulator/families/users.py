"""``/users``: list, get, create, update, delete — with B2C's local-account rules."""

from __future__ import annotations

from ..http import GraphError, Request, Response, empty, json_response
from ..odata import context, entity, parse_query
from ..store import Store
from ..users import accounts
from ..users.directory import DEFAULT_ORDER
from ..users.listing import UserLister
from ..users.schema import USER_SPEC
from .base import Family, route

ITEM = ("/users/{id}", "/users('{id}')")


class Users(Family):
    """The users of the tenant."""

    def __init__(self, store: Store) -> None:
        super().__init__(store)
        self.users = store.users
        self.lister = UserLister(store.users)

    @route("GET", "/users")
    def list_users(self, request: Request) -> Response:
        return self.lister.page(request, parse_query(request, USER_SPEC))

    @route("GET", "/users/$count")
    def count_users(self, request: Request) -> Response:
        raise GraphError(400, "Request_BadRequest", "$count is not currently supported.")

    @route("GET", *ITEM)
    def get_user(self, request: Request) -> Response:
        ordinal = self.users.ordinal_of(request.params["id"])
        return entity(request, USER_SPEC, self.users.get(ordinal) or {})

    @route("POST", "/users")
    def create_user(self, request: Request) -> Response:
        body = request.json_object()
        rec = accounts.create_user(self.store, body)
        shown = {
            k: v
            for k, v in rec.items()
            if k in DEFAULT_ORDER or k in body or k in ("identities", "passwordPolicies")
        }
        shown.pop("passwordProfile", None)
        out = {"@odata.context": context(request, USER_SPEC, None, entity=True), **shown}
        location = (
            f"{request.base_url}/v2/{self.store.tenant_id}/directoryObjects/{rec['id']}"
            "/Microsoft.DirectoryServices.User"
        )
        return json_response(201, out, {"Location": location})

    @route("PATCH", *ITEM)
    def update_user(self, request: Request) -> Response:
        ordinal = self.users.ordinal_of(request.params["id"])
        accounts.update_user(self.store, ordinal, request.json_object())
        return empty(204)

    @route("DELETE", *ITEM)
    def delete_user(self, request: Request) -> Response:
        accounts.delete_user(self.store, self.users.ordinal_of(request.params["id"]))
        return empty(204)

    @route("GET", "/me")
    def me(self, request: Request) -> Response:
        claims = request.state.get("claims") or {}
        if not claims.get("scp"):
            raise GraphError(
                400, "BadRequest", "/me request is only valid with delegated authentication flow."
            )
        request.params["id"] = str(claims.get("oid", ""))
        return self.get_user(request)
