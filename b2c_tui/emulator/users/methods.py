"""Authentication methods of a user (phone, email, software OATH) and Graph's rules for them.

Phone methods have fixed ids per phoneType, one per type, ``alternateMobile`` only with a
``mobile``, and numbers written as ``+{country code} {number}[x{extension}]`` (generated
tenants also hold numbers stored without the space, as real B2C tenants do). The email method
has one fixed id; software OATH methods can only be listed, read and deleted. A user's methods
are ``{"phones": {type: number}, "email": str | None, "oath": [ids]}`` (see
:meth:`.directory.UserDirectory.methods`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..odata import AUTHENTICATION_METHODS
from .accounts import user_target
from .generator import EMAIL_METHOD_ID, PHONE_IDS

if TYPE_CHECKING:
    from ..store import Store

PHONE_FORMAT = re.compile(r"^\+\d{1,3} \d{4,15}(x\d{1,10})?$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_TYPE_BY_ID = {v: k for k, v in PHONE_IDS.items()}
PHONE_TYPES = ("mobile", "alternateMobile", "office")
SERVICE = "Authentication Methods"

bad = AUTHENTICATION_METHODS.bad_request
not_found = AUTHENTICATION_METHODS.not_found
Methods = dict[str, Any]


def phone(phone_type: str, number: str) -> dict[str, Any]:
    """A phoneAuthenticationMethod."""
    return {
        "id": PHONE_IDS[phone_type],
        "phoneNumber": number,
        "phoneType": phone_type,
        "smsSignInState": "ready" if phone_type == "mobile" else "notSupported",
    }


def email(address: str) -> dict[str, Any]:
    """The emailAuthenticationMethod."""
    return {"id": EMAIL_METHOD_ID, "emailAddress": address}


def oath(method_id: str) -> dict[str, Any]:
    """A softwareOathAuthenticationMethod (its secret is never returned)."""
    return {
        "@odata.type": "#microsoft.graph.softwareOathAuthenticationMethod",
        "id": method_id,
        "secretKey": None,
    }


def phones(methods: Methods) -> list[dict[str, Any]]:
    """The user's phone methods in Graph's order."""
    numbers = methods["phones"]
    return [phone(t, numbers[t]) for t in PHONE_TYPES if t in numbers]


def phone_type_of(methods: Methods, method_id: str) -> str:
    """The phoneType a method id names, for a phone the user has (404 otherwise)."""
    phone_type = _TYPE_BY_ID.get(method_id.lower())
    if phone_type is None or phone_type not in methods["phones"]:
        raise not_found(method_id)
    return phone_type


def check_email_id(methods: Methods, method_id: str) -> None:
    """404 unless ``method_id`` is the email method and the user has one."""
    if method_id.lower() != EMAIL_METHOD_ID or not methods["email"]:
        raise not_found(method_id)


def oath_index(methods: Methods, method_id: str) -> int:
    """The position of a software OATH method (404 when the user has no such method)."""
    wanted = method_id.lower()
    for n, found in enumerate(methods["oath"]):
        if found.lower() == wanted:
            return n
    raise not_found(method_id)


def _check_phone(number: Any) -> str:
    if not isinstance(number, str) or not PHONE_FORMAT.match(number):
        raise bad(
            "Invalid phone number. Phone numbers must be formatted as "
            "'+{country code} {number}x{extension}', e.g. '+1 5555551234'."
        )
    return number


def _checked_address(body: dict[str, Any]) -> str:
    address = body.get("emailAddress")
    if not isinstance(address, str) or not _EMAIL.match(address):
        raise bad("Invalid value for emailAddress.")
    return address


def _audit(store: Store, activity: str, rec: dict[str, Any], method: str) -> None:
    store.audit(
        activity,
        "UserManagement",
        user_target(rec),
        service=SERVICE,
        additional=[{"key": "Method", "value": method}],
    )


def add_phone(store: Store, rec: dict[str, Any], methods: Methods, body: dict[str, Any]) -> str:
    """Register a phone (one per type; an alternateMobile needs a mobile); its type."""
    number = _check_phone(body.get("phoneNumber"))
    phone_type = body.get("phoneType")
    if phone_type not in PHONE_TYPES:
        raise bad("Invalid phoneType. Expected one of: mobile, alternateMobile, office.")
    if phone_type in methods["phones"]:
        raise bad(f"A phone method of type '{phone_type}' already exists for this user.")
    if phone_type == "alternateMobile" and "mobile" not in methods["phones"]:
        raise bad("A mobile phone method must exist before an alternateMobile can be added.")
    methods["phones"][phone_type] = number
    _audit(store, "Admin registered security info", rec, "Phone")
    return str(phone_type)


def update_phone(
    store: Store, rec: dict[str, Any], methods: Methods, phone_type: str, body: dict[str, Any]
) -> None:
    """Change a phone's number (its type cannot change)."""
    if "phoneType" in body and body["phoneType"] != phone_type:
        raise bad("phoneType cannot be changed; add a phone of the new type and delete this one.")
    methods["phones"][phone_type] = _check_phone(body.get("phoneNumber"))
    _audit(store, "Admin updated security info", rec, "Phone")


def delete_phone(store: Store, rec: dict[str, Any], methods: Methods, phone_type: str) -> None:
    """Remove a phone (not the mobile while an alternateMobile exists)."""
    if phone_type == "mobile" and "alternateMobile" in methods["phones"]:
        raise bad(
            "A user can't have an alternateMobile without a mobile phone: update the "
            "mobile number instead, or delete the alternateMobile first."
        )
    del methods["phones"][phone_type]
    _audit(store, "Admin deleted security info", rec, "Phone")


def add_email(store: Store, rec: dict[str, Any], methods: Methods, body: dict[str, Any]) -> str:
    """Register the user's one email method; its address."""
    address = _checked_address(body)
    if methods["email"]:
        raise bad("An email method already exists for this user; a user can have only one.")
    methods["email"] = address
    _audit(store, "Admin registered security info", rec, "Email")
    return address


def update_email(
    store: Store, rec: dict[str, Any], methods: Methods, body: dict[str, Any]
) -> None:
    """Change the email method's address."""
    methods["email"] = _checked_address(body)
    _audit(store, "Admin updated security info", rec, "Email")


def delete_email(store: Store, rec: dict[str, Any], methods: Methods) -> None:
    """Remove the email method."""
    methods["email"] = None
    _audit(store, "Admin deleted security info", rec, "Email")


def delete_oath(store: Store, rec: dict[str, Any], methods: Methods, index: int) -> None:
    """Remove a software OATH method."""
    del methods["oath"][index]
    _audit(store, "Admin deleted security info", rec, "Software OATH token")
