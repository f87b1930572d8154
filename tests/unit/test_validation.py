"""Input validation where Graph has rules: phones, emails, ids, keys, flows, local accounts."""

from __future__ import annotations

import string
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from b2c_tui.graph.errors import ValidationError
from b2c_tui.graph.phone_codes import COUNTRY_CALLING_CODES, country_for_code
from b2c_tui.graph.validation import (
    ALTERNATE_MOBILE_PHONE_METHOD_ID,
    EMAIL_METHOD_ID,
    IDENTITY_PROVIDER_TYPES,
    MOBILE_PHONE_METHOD_ID,
    OFFICE_PHONE_METHOD_ID,
    PASSWORD_SYMBOLS,
    PHONE_METHOD_IDS,
    UPN_ALLOWED_CHARACTERS,
    UPN_FIRST_CHARACTERS,
    build_key_options,
    build_local_account,
    is_graph_phone,
    normalize_keyset_id,
    phone_method_id,
    phone_needs_fix,
    phone_type_for_method_id,
    split_calling_code,
    suggest_phone_fix,
    user_flow_id,
    user_flow_name,
    validate_attribute_data_type,
    validate_email,
    validate_identity_provider_type,
    validate_key_type,
    validate_key_use,
    validate_keyset_id,
    validate_local_account,
    validate_password,
    validate_phone,
    validate_phone_type,
    validate_policy_id,
    validate_upn,
    validate_user_flow,
    validate_user_flow_type,
    validate_username,
)

FAST = settings(max_examples=200, deadline=None)


def error(fn, *args, **kwargs) -> ValidationError:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as info:
        fn(*args, **kwargs)
    return info.value


# -- phones -------------------------------------------------------------------------------

@pytest.mark.parametrize(("stored", "fixed"), [
    ("+12065555555", "+1 2065555555"),          # United States
    ("+16135550123", "+1 6135550123"),          # Canada
    ("+447911123456", "+44 7911123456"),        # United Kingdom
    ("+33612345678", "+33 612345678"),          # France
    ("+4915123456789", "+49 15123456789"),      # Germany
    ("+353871234567", "+353 871234567"),        # Ireland (3-digit code)
    ("+8613812345678", "+86 13812345678"),      # China
    ("+919876543210", "+91 9876543210"),        # India
    ("+79123456789", "+7 9123456789"),          # Russia
    ("+27821234567", "+27 821234567"),          # South Africa
    ("+2348012345678", "+234 8012345678"),      # Nigeria
    ("+971501234567", "+971 501234567"),        # United Arab Emirates
    ("+5511912345678", "+55 11912345678"),      # Brazil
    ("+61412345678", "+61 412345678"),          # Australia
    ("+12065555555x123", "+1 2065555555x123"),  # extension kept
    ("00447911123456", "+44 7911123456"),       # 00 international prefix
    ("+1 (206) 555-5555", "+1 2065555555"),     # punctuation tidied
    ("+44 (0)20 7123 4567", "+44 2071234567"),  # trunk (0) dropped
    ("+353 1 234 5678 ext. 12", "+353 12345678x12"),
])
def test_phone_fix_ups(stored: str, fixed: str) -> None:
    assert suggest_phone_fix(stored) == fixed
    assert phone_needs_fix(stored)
    assert validate_phone(fixed) == fixed
    assert is_graph_phone(fixed) and not phone_needs_fix(fixed)
    assert suggest_phone_fix(fixed) is None


def test_validate_phone_refuses_a_missing_space_with_the_fix() -> None:
    err = error(validate_phone, "+447911123456")
    assert err.field == "phoneNumber"
    assert err.suggestion == "+44 7911123456"
    assert "space after the country code" in err.message


@pytest.mark.parametrize(("number", "words"), [
    ("", "required"),
    ("2065555555", "Start the number with +"),
    ("+999 1234567", "country calling code"),
    ("+1 206555", "10 digits"),
    ("+44 12", "4 to 14 digits"),
    ("+44 7911 CALL ME", "only hold digits"),
    ("+44 79111234567891234", "4 to 14 digits"),
])
def test_validate_phone_rejections(number: str, words: str) -> None:
    err = error(validate_phone, number)
    assert err.field == "phoneNumber"
    assert words in err.message
    assert suggest_phone_fix(number) is None


def test_validate_phone_normalizes_formatting() -> None:
    assert validate_phone("  +1 206.555.5555 x 42 ") == "+1 2065555555x42"
    assert validate_phone("+44-20-7123-4567") == "+44 2071234567"
    assert not phone_needs_fix(None) and not phone_needs_fix("")


def test_calling_code_table_is_a_complete_prefix_code() -> None:
    codes = set(COUNTRY_CALLING_CODES)
    for code in codes:
        assert code.isdigit() and 1 <= len(code) <= 3
        assert not any(other != code and other.startswith(code) for other in codes), code
    expected = {"1", "7", "20", "27", "30", "31", "33", "34", "36", "39", "40", "41", "43", "44",
                "45", "46", "47", "48", "49", "51", "52", "53", "54", "55", "56", "57", "58",
                "60", "61", "62", "63", "64", "65", "66", "81", "82", "84", "86", "90", "91",
                "92", "93", "94", "95", "98", "211", "212", "234", "254", "297", "299", "350",
                "351", "353", "354", "358", "359", "370", "380", "381", "385", "420", "421",
                "423", "500", "501", "502", "591", "593", "598", "599", "670", "673", "679",
                "680", "685", "692", "850", "852", "853", "855", "880", "886", "960", "961",
                "966", "971", "972", "974", "977", "992", "994", "995", "998"}
    assert expected <= codes
    assert len(codes) > 200
    assert country_for_code("+44") == "United Kingdom"
    assert split_calling_code("447911123456") == ("44", "7911123456")
    assert split_calling_code("2101234") is None  # +210 is unassigned
    assert split_calling_code("44") is None


@FAST
@given(st.sampled_from(sorted(COUNTRY_CALLING_CODES)), st.data())
def test_any_number_stored_without_the_space_is_repaired(code: str, data: st.DataObject) -> None:
    size = 10 if code == "1" else data.draw(st.integers(4, 15 - len(code)))
    subscriber = data.draw(st.text(string.digits, min_size=size, max_size=size))
    assert suggest_phone_fix(f"+{code}{subscriber}") == f"+{code} {subscriber}"
    assert validate_phone(f"+{code} {subscriber}") == f"+{code} {subscriber}"


def test_phone_method_ids() -> None:
    assert MOBILE_PHONE_METHOD_ID == "3179e48a-750b-4051-897c-87b9720928f7"
    assert ALTERNATE_MOBILE_PHONE_METHOD_ID == "b6332ec1-7057-4abe-9331-3d72feddfe41"
    assert OFFICE_PHONE_METHOD_ID == "e37fc753-ff3b-4958-9484-eaa9425c82bc"
    assert EMAIL_METHOD_ID == "3ddfcfc8-9383-446f-83cc-3ab9be4be18f"
    assert list(PHONE_METHOD_IDS) == ["mobile", "alternateMobile", "office"]
    assert phone_method_id("ALTERNATEMOBILE") == ALTERNATE_MOBILE_PHONE_METHOD_ID
    assert phone_type_for_method_id(OFFICE_PHONE_METHOD_ID.upper()) == "office"
    assert phone_type_for_method_id(EMAIL_METHOD_ID) is None
    assert validate_phone_type("Mobile") == "mobile"
    assert error(validate_phone_type, "landline").field == "phoneType"


# -- email --------------------------------------------------------------------------------

@pytest.mark.parametrize("address", [
    "j.smith@yahoo.com", "o'brien+tag@contoso.co.uk", " user@sub.example.org ",
    "josé@example.com", "用户@例子.广告", "a@xn--bcher-kva.example",
])
def test_valid_emails(address: str) -> None:
    assert validate_email(address) == address.strip()


@pytest.mark.parametrize(("address", "words"), [
    ("", "required"), ("plainaddress", "exactly one @"), ("a@b@c.com", "exactly one @"),
    ("a b@c.com", "spaces"), ("@c.com", "1 to 64"), ("x" * 65 + "@c.com", "1 to 64"),
    (".a@c.com", "start or end with a dot"), ("a..b@c.com", "two dots"),
    ("a(b)@c.com", "cannot contain ( )"), ("a@localhost", "domain name"),
    ("a@-bad-.com", "domain label"), ("a@c.123", "top-level"), ("a@c..com", "domain label"),
    ("a\x00@c.com", "control"),
])
def test_invalid_emails(address: str, words: str) -> None:
    err = error(validate_email, address, field="emailAddress")
    assert err.field == "emailAddress"
    assert words in err.message


# -- custom policies, keysets, keys --------------------------------------------------------

def test_policy_ids() -> None:
    assert validate_policy_id("B2C_1A_signup_signin") == "B2C_1A_signup_signin"
    assert validate_policy_id("b2c_1a_TrustFrameworkBase") == "B2C_1A_TrustFrameworkBase"
    err = error(validate_policy_id, "signup_signin")
    assert err.field == "id" and err.suggestion == "B2C_1A_signup_signin"
    for bad in ("B2C_1A_", "B2C_1A_has space", "B2C_1A_a/b", "B2C_1A_" + "x" * 200):
        assert error(validate_policy_id, bad).field == "id"


def test_keyset_ids_get_the_prefix_once() -> None:
    assert normalize_keyset_id("keyset1") == "B2C_1A_keyset1"
    assert normalize_keyset_id("B2C_1A_keyset1") == "B2C_1A_keyset1"
    assert normalize_keyset_id("b2c_1a_TokenSigningKeyContainer") == (
        "B2C_1A_TokenSigningKeyContainer")
    assert validate_keyset_id("B2C_1A_FacebookSecret") == "B2C_1A_FacebookSecret"
    assert error(validate_keyset_id, "FacebookSecret").suggestion == "B2C_1A_FacebookSecret"
    assert error(normalize_keyset_id, "my key").field == "id"


def test_key_options() -> None:
    assert validate_key_use("SIG") == "sig" and validate_key_use("enc") == "enc"
    assert validate_key_type("rsa") == "RSA" and validate_key_type("oct") == "OCT"
    assert error(validate_key_use, "sign").field == "use"
    assert error(validate_key_type, "EC").field == "kty"
    start = datetime(2024, 1, 1, tzinfo=UTC)
    assert build_key_options("sig", "rsa", nbf=start, exp=1735689600) == {
        "use": "sig", "kty": "RSA", "nbf": 1704067200, "exp": 1735689600}
    assert build_key_options("enc", "OCT") == {"use": "enc", "kty": "OCT"}
    assert error(build_key_options, "sig", "RSA", nbf=10, exp=10).field == "exp"
    assert error(build_key_options, "sig", "RSA", nbf="soon").field == "nbf"


# -- user flows, attributes, identity providers -----------------------------------------------

def test_user_flows() -> None:
    assert user_flow_name("B2C_1_Customer") == "Customer"
    assert user_flow_name("Customer") == "Customer"
    assert user_flow_id("Customer") == "B2C_1_Customer"
    assert user_flow_id("b2c_1_Customer") == "B2C_1_Customer"
    assert validate_user_flow("Customer", "SignUpOrSignIn", 3) == {
        "id": "Customer", "userFlowType": "signUpOrSignIn", "userFlowTypeVersion": 3}
    for kind in ("signUp", "signIn", "passwordReset", "profileUpdate", "resourceOwner"):
        assert validate_user_flow_type(kind, 1) == kind
    assert error(validate_user_flow_type, "signUp", 4).field == "userFlowTypeVersion"
    assert error(validate_user_flow_type, "signUp", True).field == "userFlowTypeVersion"
    assert error(validate_user_flow_type, "login").field == "userFlowType"
    assert error(user_flow_name, "my flow").field == "id"


def test_attribute_data_types_and_providers() -> None:
    for data_type in ("string", "boolean", "int64", "stringCollection", "dateTime"):
        assert validate_attribute_data_type(data_type.upper()) == data_type
    assert error(validate_attribute_data_type, "float").field == "dataType"
    assert validate_identity_provider_type("github") == "GitHub"
    assert validate_identity_provider_type("AppleManaged") == "AppleManaged"
    assert IDENTITY_PROVIDER_TYPES["OpenIdConnect"].endswith("openIdConnectIdentityProvider")
    assert IDENTITY_PROVIDER_TYPES["WeChat"].endswith("socialIdentityProvider")
    assert error(validate_identity_provider_type, "MySpace").field == "identityProviderType"


# -- users ------------------------------------------------------------------------------------

def test_upn_rules() -> None:
    for good in ("j.smith@contoso.onmicrosoft.com", "O'Brien_#1!^~-x@contoso.com"):
        assert validate_upn(good) == good
    assert validate_upn("a@Contoso.com", domains=["contoso.com"]) == "a@Contoso.com"
    for bad, words in [("josé@contoso.com", "cannot contain"), ("a b@contoso.com", "cannot"),
                       (".a@contoso.com", "dot"), ("a.@contoso.com", "dot"),
                       ("x" * 65 + "@contoso.com", "64"), ("nobody", "name@domain"),
                       ("a@" + "d" * 45 + ".com", "48")]:
        err = error(validate_upn, bad)
        assert err.field == "userPrincipalName" and words in err.message, (bad, err.message)
    assert "verified domain" in error(validate_upn, "a@x.com", domains=["contoso.com"]).message


def test_upn_first_characters_partition_users() -> None:
    assert len(set(UPN_FIRST_CHARACTERS)) == len(UPN_FIRST_CHARACTERS)
    assert "." not in UPN_FIRST_CHARACTERS  # a UPN cannot start with a dot
    # case-folded: every allowed first character is covered exactly once, ignoring case
    first = {c.lower() for c in UPN_ALLOWED_CHARACTERS if c != "."}
    assert set(UPN_FIRST_CHARACTERS) == first
    for char in UPN_FIRST_CHARACTERS:
        validate_upn(f"{char}x@contoso.com")


def test_usernames() -> None:
    assert validate_username("jsmith_01-x") == "jsmith_01-x"
    for bad in ("_x", "-x", "j.smith", "j smith", "x" * 65, ""):
        assert error(validate_username, bad).field == "issuerAssignedId"


def test_password_complexity() -> None:
    for good in ("Passw0rd", "password1!", "PASSWORD!!1", "Aa1" + "x" * 61, "pa ss W0rd"):
        assert validate_password(good) == good
    for bad, words in [("Sh0rt!", "8 to 64"), ("Aa1" + "x" * 62, "8 to 64"),
                       ("abcdefghij", "three of"), ("ABCDEFG123", "three of"),
                       ("Pässw0rd!", "character B2C does not accept"), ("", "required")]:
        err = error(validate_password, bad)
        assert err.field == "passwordProfile.password" and words in err.message
        assert not bad or bad not in err.message  # a password is never echoed
    assert validate_password("weak", strong=False) == "weak"
    assert set("@#$%^&*-_+=[]{}|\\:',.?/`~\"();!") == set(PASSWORD_SYMBOLS)


def test_build_local_account() -> None:
    body = build_local_account("contoso.onmicrosoft.com", display_name="John Smith",
                               email="j.smith@yahoo.com", password="Passw0rd!",
                               given_name="John", surname="Smith",
                               extra={"extension_25883231668a43a780b25685c3f874bc_Shoe": 42})
    assert body == {
        "accountEnabled": True,
        "displayName": "John Smith",
        "identities": [{"signInType": "emailAddress", "issuer": "contoso.onmicrosoft.com",
                        "issuerAssignedId": "j.smith@yahoo.com"}],
        "passwordProfile": {"password": "Passw0rd!", "forceChangePasswordNextSignIn": False},
        "passwordPolicies": "DisablePasswordExpiration",
        "givenName": "John",
        "surname": "Smith",
        "extension_25883231668a43a780b25685c3f874bc_Shoe": 42,
    }
    both = build_local_account("contoso.onmicrosoft.com", display_name="J", email="j@x.com",
                               username="jsmith", password="weak", force_change=True,
                               disable_strong_password=True)
    assert [i["signInType"] for i in both["identities"]] == ["emailAddress", "userName"]
    assert both["passwordPolicies"] == "DisablePasswordExpiration, DisableStrongPassword"
    assert both["passwordProfile"]["forceChangePasswordNextSignIn"] is True


def test_build_local_account_rejections() -> None:
    common = {"display_name": "J", "password": "Passw0rd!"}
    assert error(build_local_account, "contoso.onmicrosoft.com", **common).field == "identities"
    assert error(build_local_account, "contoso", email="j@x.com", **common).field == "issuer"
    assert error(build_local_account, "contoso.onmicrosoft.com", email="nope",
                 **common).field == "issuerAssignedId"
    assert error(build_local_account, "contoso.onmicrosoft.com", username="j.smith",
                 **common).field == "issuerAssignedId"
    assert error(build_local_account, "contoso.onmicrosoft.com", email="j@x.com",
                 display_name=" ", password="Passw0rd!").field == "displayName"
    assert error(build_local_account, "contoso.onmicrosoft.com", email="j@x.com",
                 display_name="J", password="weak").field == "passwordProfile.password"
    assert error(build_local_account, "contoso.onmicrosoft.com", email="j@x.com",
                 extra={"identities": []}, **common).field == "identities"


def test_validate_local_account_rules() -> None:
    body = build_local_account("contoso.onmicrosoft.com", display_name="J", email="j@x.com",
                               password="Passw0rd!")
    err = error(validate_local_account, {**body, "passwordPolicies": ""})
    assert err.field == "passwordPolicies" and err.suggestion == "DisablePasswordExpiration"
    err = error(validate_local_account, {**body, "passwordPolicies": "NeverExpire"})
    assert err.field == "passwordPolicies"
    assert error(validate_local_account, {k: v for k, v in body.items()
                                          if k != "passwordProfile"}).field == "passwordProfile"
    assert error(validate_local_account, {**body, "accountEnabled": "yes"}).field == (
        "accountEnabled")
    assert error(validate_local_account, {**body, "identities": [{"signInType": "userName"}]}
                 ).field == "identities"
    assert error(validate_local_account, {**body, "userPrincipalName": "é@x.com"}).field == (
        "userPrincipalName")
    social = {"displayName": "F", "identities": [
        {"signInType": "federated", "issuer": "facebook.com", "issuerAssignedId": "5489561"}]}
    assert validate_local_account(social) == social  # no password needed for social accounts
