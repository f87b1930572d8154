"""The B2C authentication methods policy: a singleton of three local-account switches
(email+password, username, phone one-time passcode) consumed by B2C user flows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .rules import RESOURCE, audit, bad, refuse_unknown

if TYPE_CHECKING:
    from ..store import Store

SWITCHES = (
    "isEmailPasswordAuthenticationEnabled",
    "isUserNameAuthenticationEnabled",
    "isPhoneOneTimePasswordAuthenticationEnabled",
)


def update_policy(store: Store, body: dict[str, Any]) -> None:
    """Apply a PATCH body, which must set all three switches (the docs' request table)."""
    changes = {k: v for k, v in body.items() if "@" not in k and k != "id"}
    refuse_unknown(changes, SWITCHES, "microsoft.graph.b2cAuthenticationMethodsPolicy")
    missing = [name for name in SWITCHES if name not in changes]
    if missing:
        raise bad("The following properties are required: " + ", ".join(missing) + ".")
    for name, value in changes.items():
        if not isinstance(value, bool):
            raise bad(f"Property '{name}' must be a boolean, got {value!r}.")
    policy = store.identity.b2c_auth_methods
    modified = {k: (policy.get(k), v) for k, v in changes.items() if policy.get(k) != v}
    policy.update(changes)
    audit(store, "Update B2C authentication methods policy", RESOURCE,
          policy["id"], "B2C authentication methods policy",
          "B2CAuthenticationMethodsPolicy", modified=modified)
