"""Query specs of the directory resources other than users: applications, service
principals, oauth2PermissionGrants, directory audits and the organization."""

from __future__ import annotations

from typing import Any

from ..odata.filter import FilterSpec, Prop, filter_table, prop
from ..odata.query import ResourceSpec

APP_PROPERTIES = (
    "id",
    "deletedDateTime",
    "appId",
    "applicationTemplateId",
    "disabledByMicrosoftStatus",
    "createdDateTime",
    "displayName",
    "description",
    "groupMembershipClaims",
    "identifierUris",
    "isDeviceOnlyAuthSupported",
    "isFallbackPublicClient",
    "notes",
    "oauth2RequiredPostResponse",
    "publisherDomain",
    "samlMetadataUrl",
    "signInAudience",
    "tags",
    "tokenEncryptionKeyId",
    "verifiedPublisher",
    "addIns",
    "api",
    "appRoles",
    "info",
    "keyCredentials",
    "logo",
    "optionalClaims",
    "parentalControlSettings",
    "passwordCredentials",
    "publicClient",
    "requiredResourceAccess",
    "spa",
    "web",
)
SP_PROPERTIES = (
    "id",
    "deletedDateTime",
    "accountEnabled",
    "alternativeNames",
    "appDisplayName",
    "appDescription",
    "appId",
    "applicationTemplateId",
    "appOwnerOrganizationId",
    "appRoleAssignmentRequired",
    "description",
    "disabledByMicrosoftStatus",
    "displayName",
    "homepage",
    "loginUrl",
    "logoutUrl",
    "notes",
    "notificationEmailAddresses",
    "preferredSingleSignOnMode",
    "publisherName",
    "replyUrls",
    "servicePrincipalNames",
    "servicePrincipalType",
    "signInAudience",
    "tags",
    "tokenEncryptionKeyId",
    "verifiedPublisher",
    "addIns",
    "appRoles",
    "info",
    "keyCredentials",
    "oauth2PermissionScopes",
    "passwordCredentials",
    "samlSingleSignOnSettings",
)
GRANT_PROPERTIES = ("clientId", "consentType", "id", "principalId", "resourceId", "scope")
AUDIT_PROPERTIES = (
    "id",
    "category",
    "correlationId",
    "result",
    "resultReason",
    "activityDisplayName",
    "activityDateTime",
    "loggedByService",
    "operationType",
    "initiatedBy",
    "targetResources",
    "additionalDetails",
)
ORG_PROPERTIES = (
    "id",
    "deletedDateTime",
    "assignedPlans",
    "businessPhones",
    "city",
    "country",
    "countryLetterCode",
    "createdDateTime",
    "defaultUsageLocation",
    "directorySizeQuota",
    "displayName",
    "isMultipleDataLocationsForServicesEnabled",
    "marketingNotificationEmails",
    "onPremisesLastPasswordSyncDateTime",
    "onPremisesLastSyncDateTime",
    "onPremisesSyncEnabled",
    "partnerTenantType",
    "postalCode",
    "preferredLanguage",
    "privacyProfile",
    "provisionedPlans",
    "securityComplianceNotificationMails",
    "securityComplianceNotificationPhones",
    "state",
    "street",
    "technicalNotificationMails",
    "tenantType",
    "verifiedDomains",
)



def _spec(entity_set: str, type_name: str, properties: tuple[str, ...], table: dict[str, str],
          lambdas: dict[str, Prop] | None = None, **options: Any) -> ResourceSpec:
    """A directory collection whose default property set is every property; ``table`` as
    :func:`filter_table` reads it, ``lambdas`` the collections ``any()`` may filter on."""
    filters = FilterSpec(type_name, {**filter_table(table), **(lambdas or {})})
    return ResourceSpec(entity_set, type_name, properties, None, filters, **options)


#: What applications and service principals both filter on.
_APP_OR_SP = {
    "appId": "eq in",
    "id": "eq in",
    "displayName": "eq in ge le startswith",
    "tags": "eq startswith/strcoll",
}
APP_SPEC = _spec("applications", "Application", APP_PROPERTIES, {
    **_APP_OR_SP,
    "publisherDomain": "eq in ge le startswith",
    "signInAudience": "eq in",
    "createdDateTime": "eq in ge le/datetime",
    "identifierUris": "eq startswith/strcoll",
})
SP_SPEC = _spec("servicePrincipals", "ServicePrincipal", SP_PROPERTIES, {
    **_APP_OR_SP,
    "accountEnabled": "eq in/bool",
    "appOwnerOrganizationId": "eq in",
    "servicePrincipalType": "eq in",
    "servicePrincipalNames": "eq startswith/strcoll",
})
GRANT_SPEC = _spec("oauth2PermissionGrants", "OAuth2PermissionGrant", GRANT_PROPERTIES, {
    p: "eq in" for p in ("clientId", "consentType", "principalId", "resourceId", "id")
})
_TARGET = filter_table({
    "id": "eq",
    "displayName": "eq startswith",
    "type": "eq",
    "userPrincipalName": "eq startswith",
})
AUDIT_SPEC = _spec(
    "auditLogs/directoryAudits",
    "DirectoryAudit",
    AUDIT_PROPERTIES,
    {
        "activityDateTime": "eq ge le gt lt/datetime",
        "activityDisplayName": "eq in startswith",
        "category": "eq in",
        "correlationId": "eq",
        "id": "eq in",
        "loggedByService": "eq in",
        "operationType": "eq in",
        "result": "eq in",
        "initiatedBy/user/id": "eq",
        "initiatedBy/user/displayName": "eq startswith",
        "initiatedBy/user/userPrincipalName": "eq startswith",
        "initiatedBy/app/appId": "eq",
        "initiatedBy/app/displayName": "eq startswith",
    },
    {"targetresources": prop("targetResources", "any", "coll", _TARGET)},
    orderby=("activityDateTime",),
    orderby_with_filter=True,
    page_default=100,
    page_max=1000,
    oversize_error=False,
)
ORG_SPEC = _spec("organization", "Organization", ORG_PROPERTIES, {"id": "eq"})
