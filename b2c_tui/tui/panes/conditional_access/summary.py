"""Conditional access policies in words: who, which apps, under what conditions, and what is
required ("all users except guests · all cloud apps · require MFA").

Graph names directory roles by template id and a few values by keyword; the well-known ones
are named here (the roles a B2C tenant uses: Microsoft's published role template ids), the rest
are counted ("2 groups") or shown as they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

STATES = {"enabled": "on", "disabled": "off", "enabledForReportingButNotEnforced": "report-only"}
STATE_CHOICES = (("Report-only: log what it would do", "enabledForReportingButNotEnforced"),
                 ("On: enforce it", "enabled"), ("Off", "disabled"))
#: Directory role template ids (Microsoft's published built-in roles).
ROLES = {
    "62e90394-69f5-4237-9190-012177145e10": "Global Administrator",
    "194ae4cb-b126-40b2-bd5b-6091b380977d": "Security Administrator",
    "e8611ab8-c189-46e8-94e1-60213ab1f814": "Privileged Role Administrator",
    "7be44c8a-adaf-4e2a-84d6-ab2649e08a13": "Privileged Authentication Administrator",
    "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9": "Conditional Access Administrator",
    "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3": "Application Administrator",
    "158c047a-c907-4556-b7ef-446551a6b5f7": "Cloud Application Administrator",
    "c4e39bd9-1100-46d3-8c65-fb160da0071f": "Authentication Administrator",
    "fe930be7-5e62-47db-91af-98c3a49a38b1": "User Administrator",
    "729827e3-9c14-49f7-bb1b-9608f156bbb8": "Helpdesk Administrator",
    "966707d0-3269-4727-9be2-8c3a10f19b9d": "Password Administrator",
    "29232cdf-9323-42fd-ade2-1d097af3e4de": "Exchange Administrator",
    "f28a1f50-f6e7-4571-818b-6a12f2af6b6c": "SharePoint Administrator",
    "b0f54661-2d74-4c50-afa3-1ec803f12efe": "Billing Administrator",
    "17315797-102d-40b4-93e0-432062caca18": "Compliance Administrator",
    "aaf43236-0c0d-4d5f-883a-6955382ac081": "B2C IEF Keyset Administrator",
    "3edaf663-341e-4475-9f94-5c398ef6c070": "B2C IEF Policy Administrator",
}
USER_WORDS = {"All": "all users", "None": "no one",
              "GuestsOrExternalUsers": "guests and external users"}
APP_WORDS = {"All": "all cloud apps", "None": "no apps", "Office365": "Office 365",
             "MicrosoftAdminPortals": "Microsoft admin portals"}
ACTIONS = {"urn:user:registersecurityinfo": "registering security info",
           "urn:user:registerdevice": "registering or joining devices"}
CLIENT_APPS = {"browser": "browsers", "mobileAppsAndDesktopClients": "mobile and desktop apps",
               "exchangeActiveSync": "Exchange ActiveSync", "other": "other (legacy) clients"}
CONTROLS = {"block": "block access", "mfa": "require MFA",
            "compliantDevice": "require a compliant device",
            "domainJoinedDevice": "require a hybrid-joined device",
            "approvedApplication": "require an approved client app",
            "compliantApplication": "require an app protection policy",
            "passwordChange": "require a password change"}
#: What a template puts where an admin's own id belongs (Graph refuses no such text, but it
#: excludes no one): a policy made from a template names real accounts instead.
PLACEHOLDER = "Current administrator will be excluded"


def _some(values: Iterable[Any] | None) -> list[str]:
    return [str(v) for v in values or () if v not in (None, "")]


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _who(users: Mapping[str, Any], side: str) -> list[str]:
    out: list[str] = []
    people = _some(users.get(f"{side}Users"))
    words = [USER_WORDS[p] for p in people if p in USER_WORDS]
    ids = [p for p in people if p not in USER_WORDS and p != PLACEHOLDER]
    out.extend(words)
    if ids:
        out.append(_count(len(ids), "user"))
    if PLACEHOLDER in people:
        out.append("the current administrator")
    groups = _some(users.get(f"{side}Groups"))
    if groups:
        out.append(_count(len(groups), "group"))
    roles = _some(users.get(f"{side}Roles"))
    named = [ROLES[r] for r in roles if r in ROLES]
    out.extend(named)
    if len(named) < len(roles):
        out.append(_count(len(roles) - len(named), "other role"))
    if users.get(f"{side}GuestsOrExternalUsers"):
        out.append("some guests or external users")
    return out


def users_text(record: Mapping[str, Any]) -> str:
    """Who the policy applies to: ``all users except guests and external users``."""
    users = _part(record, "users")
    included = _who(users, "include") or ["no one"]
    excluded = _who(users, "exclude")
    return ", ".join(included) + (f" except {', '.join(excluded)}" if excluded else "")


def _part(record: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    conditions = record.get("conditions") or (record.get("details") or {}).get("conditions")
    part = (conditions or {}).get(name) if isinstance(conditions, Mapping) else None
    return part if isinstance(part, Mapping) else {}


def apps_text(record: Mapping[str, Any]) -> str:
    """Which apps or user actions: ``all cloud apps``, ``registering security info``."""
    apps = _part(record, "applications")
    included = [APP_WORDS.get(a, a) for a in _some(apps.get("includeApplications"))]
    named = [a for a in included if a in APP_WORDS.values()]
    if len(named) < len(included):
        named.append(_count(len(included) - len(named), "app"))
    named.extend(ACTIONS.get(a, a) for a in _some(apps.get("includeUserActions")))
    contexts = _some(apps.get("includeAuthenticationContextClassReferences"))
    if contexts:
        named.append(f"authentication context {', '.join(contexts)}")
    excluded = _some(apps.get("excludeApplications"))
    text = ", ".join(named) or "no apps"
    return text + (f" except {_count(len(excluded), 'app')}" if excluded else "")


def conditions_text(record: Mapping[str, Any]) -> str:
    """The other conditions, or ``any sign-in``."""
    conditions = record.get("conditions") or (record.get("details") or {}).get("conditions")
    if not isinstance(conditions, Mapping):
        return "any sign-in"
    out: list[str] = []
    clients = _some(conditions.get("clientAppTypes"))
    if clients and clients != ["all"]:
        out.append("from " + " or ".join(CLIENT_APPS.get(c, c) for c in clients))
    for key, label in (("signInRiskLevels", "sign-in risk"), ("userRiskLevels", "user risk"),
                       ("servicePrincipalRiskLevels", "app risk")):
        levels = _some(conditions.get(key))
        if levels:
            out.append(f"{label} {' or '.join(levels)}")
    platforms = conditions.get("platforms")
    if isinstance(platforms, Mapping) and _some(platforms.get("includePlatforms")):
        out.append("on " + ", ".join(_some(platforms.get("includePlatforms"))))
    locations = conditions.get("locations")
    if isinstance(locations, Mapping):
        included = _some(locations.get("includeLocations"))
        excluded = _some(locations.get("excludeLocations"))
        where = "any location" if included == ["All"] else _count(len(included), "location")
        if "AllTrusted" in excluded:
            where += " except trusted ones"
        elif excluded:
            where += f" except {_count(len(excluded), 'location')}"
        out.append(where)
    return "; ".join(out) or "any sign-in"


def grant_text(record: Mapping[str, Any]) -> str:
    """What the policy requires: ``block access``, ``require MFA or a compliant device``."""
    grant = record.get("grantControls") or (record.get("details") or {}).get("grantControls")
    if not isinstance(grant, Mapping):
        return "—"
    names = [CONTROLS.get(c, c) for c in _some(grant.get("builtInControls"))]
    strength = grant.get("authenticationStrength")
    if isinstance(strength, Mapping):
        names.append(f"require strength {strength.get('displayName') or strength.get('id')}")
    names.extend(f"accept terms of use {t}" for t in _some(grant.get("termsOfUse")))
    joiner = " and " if str(grant.get("operator") or "OR").upper() == "AND" else " or "
    text = joiner.join(names)
    # "require MFA or require a compliant device" reads better as one "require".
    return text.replace(f"{joiner}require ", f"{joiner}") or "—"


def session_text(record: Mapping[str, Any]) -> str:
    """Session controls: ``sign-in every 4 hours``, or ``—``."""
    session = record.get("sessionControls") or (record.get("details") or {}).get(
        "sessionControls")
    if not isinstance(session, Mapping):
        return "—"
    out: list[str] = []
    frequency = session.get("signInFrequency")
    if isinstance(frequency, Mapping) and frequency.get("isEnabled"):
        if frequency.get("frequencyInterval") == "everyTime":
            out.append("sign-in every time")
        else:
            out.append(f"sign-in every {frequency.get('value')} {frequency.get('type')}")
    browser = session.get("persistentBrowser")
    if isinstance(browser, Mapping) and browser.get("isEnabled"):
        out.append(f"persistent browser: {browser.get('mode')}")
    for key, label in (("applicationEnforcedRestrictions", "app-enforced restrictions"),
                       ("cloudAppSecurity", "Defender for Cloud Apps")):
        value = session.get(key)
        if isinstance(value, Mapping) and value.get("isEnabled"):
            out.append(label)
    return "; ".join(out) or "—"


def sentence(record: Mapping[str, Any]) -> str:
    """The whole policy in one sentence, for the detail view."""
    state = STATES.get(str(record.get("state")), "")
    head = {"on": "Enforced", "off": "Off", "report-only": "Report-only"}.get(state, "Template")
    when = conditions_text(record)
    text = (f"{head}: for {users_text(record)}, signing in to {apps_text(record)}"
            f"{'' if when == 'any sign-in' else f' ({when})'}: {grant_text(record)}")
    session = session_text(record)
    return text + (f"; session: {session}." if session != "—" else ".")
