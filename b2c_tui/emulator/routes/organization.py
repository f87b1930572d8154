"""``/organization``: the tenant, with ``directorySizeQuota`` following object counts."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from ..audit_log import target
from ..clock import iso
from ..directory_schema import ORG_SPEC
from ..http import GraphError, Request, Response, empty, json_response, not_found
from ..odata import context, parse_select, project
from ..router import Router
from ..store import Store

WRITABLE = (
    "marketingNotificationEmails",
    "technicalNotificationMails",
    "securityComplianceNotificationMails",
    "securityComplianceNotificationPhones",
    "privacyProfile",
)


def register(router: Router, store: Store) -> None:
    """Add the organization routes."""
    state: dict[str, Any] = {
        "marketingNotificationEmails": [],
        "technicalNotificationMails": [f"adele.vance@{store.tenant_domain}"],
        "securityComplianceNotificationMails": [],
        "securityComplianceNotificationPhones": [],
        "privacyProfile": None,
    }

    def organization() -> dict[str, Any]:
        created = store.anchor - timedelta(days=3 * 365 + 7)
        return {
            "id": store.tenant_id,
            "deletedDateTime": None,
            "assignedPlans": [],
            "businessPhones": [],
            "city": None,
            "country": None,
            "countryLetterCode": "US",
            "createdDateTime": iso(created),
            "defaultUsageLocation": None,
            "directorySizeQuota": {"used": store.quota_used(), "total": store.quota_total},
            "displayName": store.display_name,
            "isMultipleDataLocationsForServicesEnabled": None,
            "onPremisesLastPasswordSyncDateTime": None,
            "onPremisesLastSyncDateTime": None,
            "onPremisesSyncEnabled": None,
            "partnerTenantType": None,
            "postalCode": None,
            "preferredLanguage": "en",
            "provisionedPlans": [],
            "state": None,
            "street": None,
            "tenantType": store.tenant_type,
            "verifiedDomains": [
                {
                    "capabilities": "Email, OfficeCommunicationsOnline",
                    "isDefault": True,
                    "isInitial": True,
                    "name": store.tenant_domain,
                    "type": "Managed",
                }
            ],
            **state,
        }

    def list_org(request: Request) -> Response:
        select = parse_select(request, ORG_SPEC, collection=True)
        return json_response(
            200,
            {
                "@odata.context": context(request, ORG_SPEC, select),
                "value": [project(organization(), select)],
            },
        )

    def get_org(request: Request) -> Response:
        if request.params["id"].lower() != store.tenant_id:
            raise not_found(request.params["id"])
        select = parse_select(request, ORG_SPEC, collection=False)
        body = {"@odata.context": context(request, ORG_SPEC, select, entity=True)}
        body.update(project(organization(), select))
        return json_response(200, body)

    def update_org(request: Request) -> Response:
        if request.params["id"].lower() != store.tenant_id:
            raise not_found(request.params["id"])
        body = request.json_object()
        for key in body:
            if key not in WRITABLE:
                raise GraphError(
                    400,
                    "Request_BadRequest",
                    f"Property '{key}' of resource 'Organization' cannot be updated.",
                )
        modified = {k: (state.get(k), v) for k, v in body.items()}
        state.update(body)
        store.audit(
            "Update company settings",
            "DirectoryManagement",
            target(store.tenant_id, store.display_name, "Company", modified=modified),
        )
        return empty(204)

    router.add("GET", "/organization", list_org)
    router.add("GET", "/organization/{id}", get_org)
    router.add("PATCH", "/organization/{id}", update_org)
