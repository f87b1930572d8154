"""``/applications``, ``/servicePrincipals`` and ``/oauth2PermissionGrants``.

The rules live in :class:`..directory.apps.AppDirectory`; applications and service principals
are addressed by object id or by ``(appId='...')``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from ..directory import app_credentials
from ..directory.apps import AppDirectory
from ..directory.schema import APP_SPEC, GRANT_SPEC, SP_SPEC
from ..http import GraphError, Request, Response, empty, json_response
from ..odata import entity
from .base import ItemFamily, ItemRules, route

Record = dict[str, Any]


def _directory_rules(update: Callable[[AppDirectory, Record, Record], object],
                     delete: Callable[[AppDirectory, Record], object]) -> ItemRules:
    """Item rules that are methods of the store's app directory (``store.apps``)."""
    return ItemRules(update=lambda store, item, body: update(store.apps, item, body),
                     delete=lambda store, item: delete(store.apps, item))


class _AppObjects(ItemFamily):
    """Applications or service principals: addressed by object id or ``(appId='...')``.

    Each collection sits at its entity set (the spec's), and its items take either key: the
    paths follow from :attr:`spec` rather than being written out per family.
    """

    kind: ClassVar[str]  # the app directory's name for them: "app" or "sp"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        assert cls.spec is not None
        cls.base = base = f"/{cls.spec.entity_set}"
        cls.item_paths = (f"{base}/{{id}}", f"{base}(appId='{{appId}}')")

    def lookup(self, request: Request) -> dict[str, Any]:
        return self.store.apps.find(self.kind, request.params)

    def listed(self, request: Request) -> Iterable[tuple[Any, dict[str, Any]]]:
        return self.store.apps.ordered(self.store.apps.of_kind(self.kind))


class Applications(_AppObjects):
    """App registrations."""

    kind = "app"
    spec = APP_SPEC
    changes = _directory_rules(AppDirectory.update_app, AppDirectory.delete_app)

    @route("GET", "/applications/$count", "/servicePrincipals/$count")
    def no_count(self, request: Request) -> Response:
        raise GraphError(400, "Request_BadRequest", "$count is not currently supported.")

    @route("POST", "/applications")
    def create_app(self, request: Request) -> Response:
        app = self.store.apps.create_app(request.json_object())
        location = f"{request.service_root}/applications/{app['id']}"
        return entity(request, APP_SPEC, app, status=201, headers={"Location": location})

    @route("POST", "/applications/{id}/addPassword", "/applications(appId='{appId}')/addPassword")
    def add_password(self, request: Request) -> Response:
        added = app_credentials.add_password(self.store, self.lookup(request),
                                             request.json_object())
        context = request.context_url("microsoft.graph.passwordCredential")
        return json_response(200, {"@odata.context": context, **added})

    @route("POST", "/applications/{id}/removePassword",
           "/applications(appId='{appId}')/removePassword")
    def remove_password(self, request: Request) -> Response:
        app_credentials.remove_password(self.store, self.lookup(request), request.json_object())
        return empty(204)


class ServicePrincipals(_AppObjects):
    """Service principals: the tenant's instances of applications."""

    kind = "sp"
    spec = SP_SPEC
    changes = _directory_rules(AppDirectory.update_sp, AppDirectory.delete_sp)

    @route("POST", "/servicePrincipals")
    def create_sp(self, request: Request) -> Response:
        sp = self.store.apps.create_sp(request.json_object())
        return entity(request, SP_SPEC, sp, status=201)


class PermissionGrants(ItemFamily):
    """Delegated permission grants (oauth2PermissionGrants)."""

    spec = GRANT_SPEC
    collection_path = "/oauth2PermissionGrants"
    item_paths = ("/oauth2PermissionGrants/{id}",)
    changes = _directory_rules(AppDirectory.update_grant, AppDirectory.delete_grant)

    def lookup(self, request: Request) -> dict[str, Any]:
        return self.store.apps.grant(request.params["id"])

    def listed(self, request: Request) -> Iterable[tuple[Any, dict[str, Any]]]:
        return self.store.apps.ordered(self.store.apps.grants)

    @route("POST", "/oauth2PermissionGrants")
    def create_grant(self, request: Request) -> Response:
        grant = self.store.apps.create_grant(request.json_object())
        return entity(request, GRANT_SPEC, grant, status=201)
