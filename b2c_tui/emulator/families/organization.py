"""``/organization``: the tenant, with ``directorySizeQuota`` following object counts."""

from __future__ import annotations

from ..directory.schema import ORG_SPEC
from ..http import Request, Response, empty, json_response
from ..odata import context, entity, parse_select, project
from .base import Family, route


class Organization(Family):
    """The tenant's one organization object."""

    @route("GET", "/organization")
    def list_org(self, request: Request) -> Response:
        select = parse_select(request, ORG_SPEC, collection=True)
        record = self.store.organization.record()
        return json_response(
            200,
            {
                "@odata.context": context(request, ORG_SPEC, select),
                "value": [project(record, select)],
            },
        )

    @route("GET", "/organization/{id}")
    def get_org(self, request: Request) -> Response:
        organization = self.store.organization
        organization.check_id(request.params["id"])
        return entity(request, ORG_SPEC, organization.record())

    @route("PATCH", "/organization/{id}")
    def update_org(self, request: Request) -> Response:
        organization = self.store.organization
        organization.check_id(request.params["id"])
        organization.update(request.json_object())
        return empty(204)
