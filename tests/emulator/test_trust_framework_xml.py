"""Unit tests of the emulator's policy XML checks (no HTTP)."""

from __future__ import annotations

import functools

import pytest

from b2c_tui.emulator.identity import policy_xml
from b2c_tui.emulator.identity.seed import PACKS, pack_policy_id, starter_pack_xml

TENANT = "contosob2c.onmicrosoft.com"
TENANT_ID = "11111111-2222-4333-8444-555555555555"


def doc(policy_id: str = "B2C_1A_Test", tenant: str = TENANT, base: str | None = None) -> str:
    base_xml = (
        f"<BasePolicy><TenantId>{tenant}</TenantId><PolicyId>{base}</PolicyId></BasePolicy>"
        if base
        else ""
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<TrustFrameworkPolicy xmlns="{policy_xml.NAMESPACE}" PolicySchemaVersion="0.3.0.0" '
        f'TenantId="{tenant}" PolicyId="{policy_id}">{base_xml}</TrustFrameworkPolicy>'
    )


def check(
    text: str, *, url_id: str | None = None, existing: dict[str, str | None] | None = None
) -> list[str]:
    header = policy_xml.parse_policy(text)
    return policy_xml.check_upload(
        header, url_id=url_id, tenant_domain=TENANT, tenant_id=TENANT_ID, existing=existing or {}
    )


def test_header_is_read() -> None:
    header = policy_xml.parse_policy(doc(base="B2C_1A_Base"))
    assert header.policy_id == "B2C_1A_Test"
    assert header.tenant_id == TENANT
    assert header.base_policy_id == "B2C_1A_Base"
    assert header.public_policy_uri is None


@pytest.mark.parametrize(
    "text",
    [
        "<TrustFrameworkPolicy",
        "not xml at all",
        f'<TrustFrameworkPolicy xmlns="{policy_xml.NAMESPACE}"><a></b></TrustFrameworkPolicy>',
        f'<TrustFrameworkPolicy xmlns="{policy_xml.NAMESPACE}">&undefined;</TrustFrameworkPolicy>',
    ],
)
def test_malformed_xml_is_refused(text: str) -> None:
    with pytest.raises(policy_xml.PolicyXmlError, match="invalid XML"):
        policy_xml.parse_policy(text)


def test_entity_expansion_is_refused_before_parsing() -> None:
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        f'<TrustFrameworkPolicy xmlns="{policy_xml.NAMESPACE}" TenantId="{TENANT}" '
        'PolicyId="B2C_1A_X">&lol2;</TrustFrameworkPolicy>'
    )
    with pytest.raises(policy_xml.PolicyXmlError, match="DTD"):
        policy_xml.parse_policy(bomb)


def test_wrong_root_and_missing_attributes() -> None:
    with pytest.raises(policy_xml.PolicyXmlError, match="root element"):
        policy_xml.parse_policy("<Policy/>")
    with pytest.raises(policy_xml.PolicyXmlError, match="PolicyId"):
        policy_xml.parse_policy(f'<TrustFrameworkPolicy xmlns="{policy_xml.NAMESPACE}" '
                                f'TenantId="{TENANT}"/>')


def test_upload_checks() -> None:
    assert check(doc()) == []
    assert "does not match" in check(doc(), url_id="B2C_1A_Other")[0]
    assert check(doc(), url_id="b2c_1a_test") == []  # ids are case-insensitive
    assert "is not same as the one in login tenant" in check(doc(tenant="other.com"))[0]
    missing = check(doc(base="B2C_1A_Base"))
    assert missing == [
        f"Policy with 'policyId': B2C_1A_BASE cannot be found in the directory '{TENANT_ID}'."
    ]
    assert check(doc(base="B2C_1A_Base"), existing={"b2c_1a_base": None}) == []
    assert "must start with" in check(doc(policy_id="Test"))[0]


def test_inheritance_cycle_is_refused() -> None:
    existing: dict[str, str | None] = {"b2c_1a_test": None, "b2c_1a_child": "B2C_1A_Test"}
    errors = check(doc(base="B2C_1A_Child"), existing=existing)
    assert errors and "cycle" in errors[0]


def test_validation_message_is_b2c_shaped() -> None:
    message = policy_xml.validation_message("B2C_1A_Test", TENANT, ["A.", "B."])
    assert message == (
        f'Validation failed: 2 validation error(s) found in policy "B2C_1A_TEST" of tenant '
        f'"{TENANT}".A.B.'
    )


def test_public_policy_uri_is_added_once() -> None:
    text = doc()
    header = policy_xml.parse_policy(text)
    added = policy_xml.ensure_public_policy_uri(text, header, TENANT)
    assert f'PublicPolicyUri="http://{TENANT}/B2C_1A_Test"' in added
    again = policy_xml.parse_policy(added)
    assert policy_xml.ensure_public_policy_uri(added, again, TENANT) == added


def test_decode_handles_boms_and_refuses_bad_utf8() -> None:
    assert policy_xml.decode_policy("\ufeff<a/>".encode()) == "<a/>"
    assert policy_xml.decode_policy("<a/>".encode("utf-16")) == "<a/>"
    with pytest.raises(policy_xml.PolicyXmlError, match="UTF-8"):
        policy_xml.decode_policy(b"\xff\xff<a/>")


def test_starter_packs_ship_with_the_package_and_rewrite_consistently() -> None:
    for pack, tag in PACKS:
        base = starter_pack_xml(pack, "TrustFrameworkBase.xml")
        ext = starter_pack_xml(pack, "TrustFrameworkExtensions.xml")
        assert base and ext
        rename = functools.partial(pack_policy_id, tag)
        ext_text = policy_xml.rewrite_starter_policy(ext, tenant_domain=TENANT, rename=rename)
        header = policy_xml.parse_policy(ext_text)
        assert header.tenant_id == TENANT
        assert header.policy_id == f"B2C_1A_{tag}TrustFrameworkExtensions"
        assert header.base_policy_id == f"B2C_1A_{tag}TrustFrameworkLocalization"
        assert header.public_policy_uri == f"http://{TENANT}/{header.policy_id}"
        # Key containers are shared by the packs and keep their names.
        assert "B2C_1A_TokenSigningKeyContainer" in policy_xml.rewrite_starter_policy(
            base, tenant_domain=TENANT, rename=rename
        )
