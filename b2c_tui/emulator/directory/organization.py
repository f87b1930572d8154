"""The tenant's organization object, its writable notification settings and the quota."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from ..clock import iso
from ..odata import DIRECTORY
from .audit_log import target

if TYPE_CHECKING:
    from ..store import Store

WRITABLE = (
    "marketingNotificationEmails",
    "technicalNotificationMails",
    "securityComplianceNotificationMails",
    "securityComplianceNotificationPhones",
    "privacyProfile",
)


class Organization:
    """The one organization of the tenant."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.settings: dict[str, Any] = {
            "marketingNotificationEmails": [],
            "technicalNotificationMails": [f"adele.vance@{store.tenant_domain}"],
            "securityComplianceNotificationMails": [],
            "securityComplianceNotificationPhones": [],
            "privacyProfile": None,
        }

    def check_id(self, key: str) -> None:
        """Graph's 404 unless ``key`` is the tenant's id."""
        if key.lower() != self.store.tenant_id:
            raise DIRECTORY.not_found(key)

    def record(self) -> dict[str, Any]:
        """The organization as Graph returns it (``directorySizeQuota`` counted now)."""
        store = self.store
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
            **self.settings,
        }

    def update(self, body: dict[str, Any]) -> None:
        """Apply a PATCH body (notification settings only) and audit it."""
        for key in body:
            if key not in WRITABLE:
                raise DIRECTORY.bad_request(
                    f"Property '{key}' of resource 'Organization' cannot be updated."
                )
        modified = {k: (self.settings.get(k), v) for k, v in body.items()}
        self.settings.update(body)
        store = self.store
        store.audit(
            "Update company settings",
            "DirectoryManagement",
            target(store.tenant_id, store.display_name, "Company", modified=modified),
        )
