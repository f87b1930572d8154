"""A new conditional access policy from one of Microsoft's templates.

The template's conditions and controls become the policy; the form sets its name, its state
(report-only first, as Microsoft advises) and the accounts it leaves out. Templates put the
text "Current administrator will be excluded" where an admin's own id belongs: that text
excludes no one, so it is dropped and the accounts typed here (emergency-access accounts) are
excluded instead. Turning a policy on for all users with no one excluded is refused before
anything is sent: it can lock every admin out.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping, Sequence
from typing import Any

from ....graph.errors import ValidationError
from ... import kit
from .summary import PLACEHOLDER, STATE_CHOICES

GUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")
LOCKOUT = ("Exclude at least one emergency-access account before turning on a policy for all "
           "users, or start it in report-only.")
HINTS = (("displayname", "displayName"), ("state", "state"), ("excludeusers", "excludeUsers"),
         ("user", "excludeUsers"))


def _includes_everyone(template: Mapping[str, Any]) -> bool:
    users = ((template.get("details") or {}).get("conditions") or {}).get("users") or {}
    return "All" in (users.get("includeUsers") or ())


def template_form(templates: Sequence[Mapping[str, Any]], chosen: str | None) -> kit.FormSpec:
    """The create form over ``templates``, starting on ``chosen`` (a template id)."""
    by_id = {str(t["id"]): t for t in templates}
    choices = tuple((str(t.get("name") or t["id"]), str(t["id"])) for t in templates)

    def check(values: dict[str, Any]) -> dict[str, Any]:
        ids = str(values.get("excludeUsers") or "").replace(",", " ").split()
        bad = [i for i in ids if not GUID.fullmatch(i)]
        if bad:
            raise ValidationError(f"{bad[0]} is not a user's object id (a GUID).",
                                  field="excludeUsers")
        template = by_id.get(str(values.get("templateId")))
        if template is None:
            raise ValidationError("Choose a template.", field="templateId")
        if values.get("state") == "enabled" and _includes_everyone(template) and not ids:
            raise ValidationError(LOCKOUT, field="excludeUsers")
        return {**values, "excludeUsers": ids, "template": template}

    return kit.FormSpec(
        "New conditional access policy",
        (kit.FieldSpec("templateId", "Template", "choice", choices=choices,
                       default=chosen if chosen in by_id else None),
         kit.FieldSpec("displayName", "Name", max_length=256,
                       placeholder="the template's name",
                       help="Leave empty to use the template's name."),
         kit.FieldSpec("state", "State", "choice", choices=STATE_CHOICES),
         kit.FieldSpec("excludeUsers", "Exclude users",
                       placeholder="object ids of emergency-access accounts",
                       help="Space-separated user object ids the policy never applies to.")),
        subtitle="From one of Microsoft's templates; report-only until you turn it on.",
        save_label="Create", hints=HINTS, check=check)


def policy_body(values: Mapping[str, Any]) -> dict[str, Any]:
    """The ``POST`` body for checked form values (``values["template"]`` is the template)."""
    template = values["template"]
    details = copy.deepcopy(dict(template.get("details") or {}))
    conditions = details.get("conditions") or {}
    users = conditions.get("users") or {}
    kept = [u for u in users.get("excludeUsers") or () if u != PLACEHOLDER]
    users["excludeUsers"] = list(dict.fromkeys([*kept, *values.get("excludeUsers", ())]))
    conditions["users"] = users
    body: dict[str, Any] = {
        "displayName": values.get("displayName") or template.get("name"),
        "state": values.get("state") or STATE_CHOICES[0][1],
        "templateId": template.get("id"),
        "conditions": conditions,
    }
    for key in ("grantControls", "sessionControls"):
        if details.get(key):
            body[key] = details[key]
    return body
