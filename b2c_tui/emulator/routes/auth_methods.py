"""``/users/{id}/authentication/{phone,email,softwareOath}Methods`` with Graph's rules.

Phone methods have fixed ids per phoneType, one per type, ``alternateMobile`` only with a
``mobile``, and numbers written as ``+{country code} {number}[x{extension}]`` (generated
tenants also hold numbers stored without the space, as real B2C tenants do). The email method
has one fixed id; software OATH methods can only be listed, read and deleted.
"""

from __future__ import annotations

import re
from typing import Any

from ..audit_log import target
from ..generator import EMAIL_METHOD_ID, PHONE_IDS
from ..http import GraphError, Request, Response, empty, json_response, not_found
from ..router import Router
from ..store import Store

PHONE_FORMAT = re.compile(r"^\+\d{1,3} \d{4,15}(x\d{1,10})?$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_TYPE_BY_ID = {v: k for k, v in PHONE_IDS.items()}
PHONE_TYPES = ("mobile", "alternateMobile", "office")
SERVICE = "Authentication Methods"


def _bad(message: str) -> GraphError:
    return GraphError(400, "badRequest", message)


def _phone(phone_type: str, number: str) -> dict[str, Any]:
    return {
        "id": PHONE_IDS[phone_type],
        "phoneNumber": number,
        "phoneType": phone_type,
        "smsSignInState": "ready" if phone_type == "mobile" else "notSupported",
    }


def _email(address: str) -> dict[str, Any]:
    return {"id": EMAIL_METHOD_ID, "emailAddress": address}


def _oath(method_id: str) -> dict[str, Any]:
    return {
        "@odata.type": "#microsoft.graph.softwareOathAuthenticationMethod",
        "id": method_id,
        "secretKey": None,
    }


def _check_phone(number: Any) -> str:
    if not isinstance(number, str) or not PHONE_FORMAT.match(number):
        raise _bad(
            "Invalid phone number. Phone numbers must be formatted as "
            "'+{country code} {number}x{extension}', e.g. '+1 5555551234'."
        )
    return number


def register(router: Router, store: Store) -> None:
    """Add the authentication method routes."""
    users = store.users

    def resolve(request: Request) -> tuple[int, dict[str, Any], dict[str, Any]]:
        key = request.params.get("id")
        if key is None:  # /me
            claims = request.state.get("claims") or {}
            if not claims.get("scp"):
                raise GraphError(
                    400,
                    "BadRequest",
                    "/me request is only valid with delegated authentication flow.",
                )
            key = str(claims.get("oid", ""))
        ordinal = users.find(key)
        if ordinal is None:
            raise not_found(key)
        rec = users.get(ordinal) or {}
        return ordinal, rec, users.methods(ordinal)

    def audit(activity: str, rec: dict[str, Any], method: str) -> None:
        store.audit(
            activity,
            "UserManagement",
            target(
                rec["id"],
                rec.get("displayName"),
                "User",
                user_principal_name=rec.get("userPrincipalName"),
            ),
            service=SERVICE,
            additional=[{"key": "Method", "value": method}],
        )

    def collection(request: Request, kind: str, items: list[dict[str, Any]]) -> Response:
        ctx = request.context_url(
            f"users('{request.params.get('id', 'me')}')/authentication/{kind}"
        )
        return json_response(200, {"@odata.context": ctx, "value": items})

    # -- phone ------------------------------------------------------------------------------
    def list_phones(request: Request) -> Response:
        _, _, methods = resolve(request)
        phones = methods["phones"]
        return collection(
            request, "phoneMethods", [_phone(t, phones[t]) for t in PHONE_TYPES if t in phones]
        )

    def phone_type_of(request: Request, methods: dict[str, Any]) -> str:
        method_id = request.params["methodId"].lower()
        phone_type = _TYPE_BY_ID.get(method_id)
        if phone_type is None or phone_type not in methods["phones"]:
            raise not_found(request.params["methodId"])
        return phone_type

    def get_phone(request: Request) -> Response:
        _, _, methods = resolve(request)
        phone_type = phone_type_of(request, methods)
        return json_response(200, _phone(phone_type, methods["phones"][phone_type]))

    def add_phone(request: Request) -> Response:
        _, rec, methods = resolve(request)
        body = request.json_object()
        number = _check_phone(body.get("phoneNumber"))
        phone_type = body.get("phoneType")
        if phone_type not in PHONE_TYPES:
            raise _bad("Invalid phoneType. Expected one of: mobile, alternateMobile, office.")
        if phone_type in methods["phones"]:
            raise _bad(f"A phone method of type '{phone_type}' already exists for this user.")
        if phone_type == "alternateMobile" and "mobile" not in methods["phones"]:
            raise _bad("A mobile phone method must exist before an alternateMobile can be added.")
        methods["phones"][phone_type] = number
        audit("Admin registered security info", rec, "Phone")
        return json_response(201, _phone(phone_type, number))

    def update_phone(request: Request) -> Response:
        _, rec, methods = resolve(request)
        phone_type = phone_type_of(request, methods)
        body = request.json_object()
        if "phoneType" in body and body["phoneType"] != phone_type:
            raise _bad(
                "phoneType cannot be changed; add a phone of the new type and delete this one."
            )
        methods["phones"][phone_type] = _check_phone(body.get("phoneNumber"))
        audit("Admin updated security info", rec, "Phone")
        return empty(204)

    def delete_phone(request: Request) -> Response:
        _, rec, methods = resolve(request)
        phone_type = phone_type_of(request, methods)
        if phone_type == "mobile" and "alternateMobile" in methods["phones"]:
            raise _bad(
                "A user can't have an alternateMobile without a mobile phone: update the "
                "mobile number instead, or delete the alternateMobile first."
            )
        del methods["phones"][phone_type]
        audit("Admin deleted security info", rec, "Phone")
        return empty(204)

    # -- email ------------------------------------------------------------------------------
    def list_email(request: Request) -> Response:
        _, _, methods = resolve(request)
        email = methods["email"]
        return collection(request, "emailMethods", [_email(email)] if email else [])

    def check_email_id(request: Request, methods: dict[str, Any]) -> None:
        if request.params["methodId"].lower() != EMAIL_METHOD_ID or not methods["email"]:
            raise not_found(request.params["methodId"])

    def get_email(request: Request) -> Response:
        _, _, methods = resolve(request)
        check_email_id(request, methods)
        return json_response(200, _email(methods["email"]))

    def checked_address(body: dict[str, Any]) -> str:
        address = body.get("emailAddress")
        if not isinstance(address, str) or not _EMAIL.match(address):
            raise _bad("Invalid value for emailAddress.")
        return address

    def add_email(request: Request) -> Response:
        _, rec, methods = resolve(request)
        address = checked_address(request.json_object())
        if methods["email"]:
            raise _bad("An email method already exists for this user; a user can have only one.")
        methods["email"] = address
        audit("Admin registered security info", rec, "Email")
        return json_response(201, _email(address))

    def update_email(request: Request) -> Response:
        _, rec, methods = resolve(request)
        check_email_id(request, methods)
        methods["email"] = checked_address(request.json_object())
        audit("Admin updated security info", rec, "Email")
        return empty(204)

    def delete_email(request: Request) -> Response:
        _, rec, methods = resolve(request)
        check_email_id(request, methods)
        methods["email"] = None
        audit("Admin deleted security info", rec, "Email")
        return empty(204)

    # -- software OATH ------------------------------------------------------------------------
    def list_oath(request: Request) -> Response:
        _, _, methods = resolve(request)
        return collection(request, "softwareOathMethods", [_oath(m) for m in methods["oath"]])

    def oath_index(request: Request, methods: dict[str, Any]) -> int:
        wanted = request.params["methodId"].lower()
        for n, method_id in enumerate(methods["oath"]):
            if method_id.lower() == wanted:
                return n
        raise not_found(request.params["methodId"])

    def get_oath(request: Request) -> Response:
        _, _, methods = resolve(request)
        return json_response(200, _oath(methods["oath"][oath_index(request, methods)]))

    def delete_oath(request: Request) -> Response:
        _, rec, methods = resolve(request)
        del methods["oath"][oath_index(request, methods)]
        audit("Admin deleted security info", rec, "Software OATH token")
        return empty(204)

    for base in ("/users/{id}/authentication", "/me/authentication"):
        router.add("GET", f"{base}/phoneMethods", list_phones)
        router.add("POST", f"{base}/phoneMethods", add_phone)
        router.add("GET", f"{base}/phoneMethods/{{methodId}}", get_phone)
        router.add("DELETE", f"{base}/phoneMethods/{{methodId}}", delete_phone)
        router.add("GET", f"{base}/emailMethods", list_email)
        router.add("GET", f"{base}/emailMethods/{{methodId}}", get_email)
        router.add("DELETE", f"{base}/emailMethods/{{methodId}}", delete_email)
        router.add("GET", f"{base}/softwareOathMethods", list_oath)
        router.add("GET", f"{base}/softwareOathMethods/{{methodId}}", get_oath)
    base = "/users/{id}/authentication"
    router.add("PATCH", f"{base}/phoneMethods/{{methodId}}", update_phone)
    router.add("POST", f"{base}/emailMethods", add_email)
    router.add("PATCH", f"{base}/emailMethods/{{methodId}}", update_email)
    router.add("DELETE", f"{base}/softwareOathMethods/{{methodId}}", delete_oath)
