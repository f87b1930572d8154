"""Lint: the starter packs are clean in a tenant; broken copies give the right finding, at the
right file and line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from b2c_tui.policies.lint import Finding, lint_policies
from b2c_tui.policies.local import load_local
from b2c_tui.policies.plan import lint_folder
from b2c_tui.policies.settings import PolicySettings
from tests.helpers.policies import PACKS, STARTER, Demo


def edit(path: Path, old: str, new: str, count: int = 1) -> int:
    """Replace ``old`` in a file; the 1-based line of the first replacement."""
    text = path.read_text("utf-8-sig")
    assert old in text, f"{old!r} not in {path.name}"
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, count), "utf-8")
    return line


def rules(findings: list[Finding]) -> list[str]:
    return [f.rule for f in findings]


@pytest.mark.parametrize("pack", PACKS)
async def test_each_starter_pack_lints_clean_in_the_demo_tenant(demo: Demo, pack: str) -> None:
    prepared = await lint_folder(demo.client, STARTER / pack, demo.context)
    assert prepared.findings == []
    assert not demo.recorder.writes()


@pytest.mark.parametrize("pack", PACKS)
def test_offline_only_the_placeholders_are_left(pack: str) -> None:
    local = load_local(STARTER / pack)
    findings = lint_policies(local.policies, errors=local.errors)
    assert set(rules(findings)) == {"unreplaced-placeholder"}
    texts = {f.message.split(" ", 1)[0] for f in findings}
    assert "yourtenant.onmicrosoft.com" in texts


async def test_a_broken_copy_is_caught_with_the_right_findings(
        demo: Demo, pack_copy: Callable[[str], Path]) -> None:
    folder = pack_copy("SocialAndLocalAccounts")
    ext_line = edit(folder / "TrustFrameworkExtensions.xml",
                    "<PolicyId>B2C_1A_TrustFrameworkLocalization</PolicyId>",
                    "<PolicyId>B2C_1A_TrustFrameworkLocalisation</PolicyId>")
    tp_line = edit(folder / "TrustFrameworkBase.xml",
                   'TechnicalProfileReferenceId="SelfAsserted-LocalAccountSignin-Email"',
                   'TechnicalProfileReferenceId="SelfAsserted-Nope"')
    key_line = edit(folder / "TrustFrameworkBase.xml",
                    'StorageReferenceId="B2C_1A_TokenSigningKeyContainer"',
                    'StorageReferenceId="B2C_1A_NoSuchKeys"')
    tenant_line = edit(folder / "ProfileEdit.xml", 'TenantId="yourtenant.onmicrosoft.com"',
                       'TenantId="fabrikamb2c.onmicrosoft.com"')
    prepared = await lint_folder(demo.client, folder, demo.context)
    found = {(Path(f.file).name, f.line, f.rule) for f in prepared.findings}
    assert ("TrustFrameworkExtensions.xml", ext_line, "base-missing") in found
    assert ("TrustFrameworkBase.xml", key_line, "unknown-keyset") in found
    assert ("ProfileEdit.xml", tenant_line, "tenant-mismatch") in found
    # the broken base is cut off from the relying parties: checked again with the base back
    edit(folder / "TrustFrameworkExtensions.xml", "B2C_1A_TrustFrameworkLocalisation",
         "B2C_1A_TrustFrameworkLocalization")
    prepared = await lint_folder(demo.client, folder, demo.context)
    found = {(Path(f.file).name, f.line, f.rule) for f in prepared.findings}
    assert ("TrustFrameworkBase.xml", tp_line, "undefined-technical-profile") in found
    message = next(f.message for f in prepared.findings
                   if f.rule == "undefined-technical-profile")
    assert "SelfAsserted-Nope" in message and "B2C_1A_TrustFrameworkBase" in message


async def test_unknown_claim_content_definition_and_claims_exchange(
        pack_copy: Callable[[str], Path]) -> None:
    folder = pack_copy("LocalAccounts")
    rp = folder / "SignUpOrSignin.xml"
    claim_line = edit(rp, 'ClaimTypeReferenceId="displayName"', 'ClaimTypeReferenceId="nick"')
    base = folder / "TrustFrameworkBase.xml"
    cd_line = edit(base, 'ContentDefinitionReferenceId="api.signuporsignin"',
                   'ContentDefinitionReferenceId="api.nowhere"')
    cx_line = edit(base, 'TargetClaimsExchangeId="LocalAccountSigninEmailExchange"',
                   'TargetClaimsExchangeId="NoSuchExchange"')
    local = load_local(folder)
    found = {(Path(f.file).name, f.line, f.rule) for f in lint_policies(local.policies)}
    assert ("SignUpOrSignin.xml", claim_line, "undefined-claim-type") in found
    assert ("TrustFrameworkBase.xml", cd_line, "undefined-content-definition") in found
    assert ("TrustFrameworkBase.xml", cx_line, "undefined-claims-exchange") in found


def test_two_files_claiming_one_policy_id(pack_copy: Callable[[str], Path]) -> None:
    folder = pack_copy("LocalAccounts")
    copy = folder / "SignUpOrSignin2.xml"
    copy.write_bytes((folder / "SignUpOrSignin.xml").read_bytes())
    findings = lint_policies(load_local(folder).policies)
    duplicates = [f for f in findings if f.rule == "duplicate-policy-id"]
    assert {Path(f.file).name for f in duplicates} == {"SignUpOrSignin.xml", "SignUpOrSignin2.xml"}
    assert "SignUpOrSignin.xml, SignUpOrSignin2.xml" in duplicates[0].message


def test_a_base_chain_cycle(pack_copy: Callable[[str], Path]) -> None:
    folder = pack_copy("LocalAccounts")
    base = folder / "TrustFrameworkBase.xml"
    text = base.read_text("utf-8-sig").replace(
        'PublicPolicyUri="http://yourtenant.onmicrosoft.com/B2C_1A_TrustFrameworkBase">',
        'PublicPolicyUri="http://yourtenant.onmicrosoft.com/B2C_1A_TrustFrameworkBase">\n'
        "  <BasePolicy><TenantId>yourtenant.onmicrosoft.com</TenantId>"
        "<PolicyId>B2C_1A_TrustFrameworkExtensions</PolicyId></BasePolicy>", 1)
    base.write_text(text, "utf-8")
    findings = lint_policies(load_local(folder).policies)
    cycle = [f for f in findings if f.rule == "base-cycle"]
    assert {Path(f.file).name for f in cycle} == {
        "TrustFrameworkBase.xml", "TrustFrameworkLocalization.xml",
        "TrustFrameworkExtensions.xml"}
    assert "undefined-technical-profile" not in rules(findings)  # no noise from the cycle


def test_malformed_and_unsafe_files_are_findings_not_crashes(tmp_path: Path) -> None:
    (tmp_path / "Bad.xml").write_text(
        '<TrustFrameworkPolicy PolicyId="B2C_1A_Bad"><oops></TrustFrameworkPolicy>')
    (tmp_path / "NoId.xml").write_text("<TrustFrameworkPolicy/>")
    (tmp_path / "Dtd.xml").write_text('<!DOCTYPE x [<!ENTITY a "b">]><x/>')
    (tmp_path / "Other.xml").write_text("<configuration/>")
    local = load_local(tmp_path)
    findings = lint_policies(local.policies, errors=local.errors)
    assert {(Path(f.file).name, f.rule, f.severity) for f in findings} == {
        ("Bad.xml", "xml-malformed", "error"), ("Dtd.xml", "xml-unsafe", "error"),
        ("NoId.xml", "policy-id-missing", "error"), ("Other.xml", "not-a-policy", "warning")}
    bad = next(f for f in findings if f.rule == "xml-malformed")
    assert bad.line == 1 and bad.column is not None


def test_duplicate_definitions_in_one_file(pack_copy: Callable[[str], Path]) -> None:
    folder = pack_copy("LocalAccounts")
    base = folder / "TrustFrameworkBase.xml"
    text = base.read_text("utf-8-sig")
    block = text[text.index('      <ClaimType Id="email">'):]
    block = block[: block.index("</ClaimType>") + len("</ClaimType>")]
    base.write_text(text.replace(block, block + "\n" + block.replace("email", "Email"), 1),
                    "utf-8")
    findings = [f for f in lint_policies(load_local(folder).policies)
                if f.rule == "duplicate-definition"]
    assert len(findings) == 1 and "ClaimType Email is defined twice" in findings[0].message


def test_file_name_and_public_uri_warnings(pack_copy: Callable[[str], Path]) -> None:
    folder = pack_copy("LocalAccounts")
    (folder / "ProfileEdit.xml").rename(folder / "ChangePhoneNumber.xml")
    edit(folder / "PasswordReset.xml", "onmicrosoft.com/B2C_1A_PasswordReset\"",
         "onmicrosoft.com/B2C_1A_Reset\"")
    findings = lint_policies(load_local(folder).policies)
    warned = {(Path(f.file).name, f.rule, f.severity) for f in findings
              if f.severity == "warning"}
    assert warned == {("ChangePhoneNumber.xml", "policy-id-file-name", "warning"),
                      ("PasswordReset.xml", "public-policy-uri", "warning")}


def test_placeholders_are_reported_where_they_are(pack_copy: Callable[[str], Path]) -> None:
    folder = pack_copy("LocalAccounts")
    line = edit(folder / "SignUpOrSignin.xml", '<OutputClaim ClaimTypeReferenceId="email" />',
                '<OutputClaim ClaimTypeReferenceId="email" DefaultValue="{Settings:Domain}" />')
    settings = PolicySettings({"Tenant": "contosob2c.onmicrosoft.com",
                               "IdentityExperienceFrameworkAppId": "a",
                               "ProxyIdentityExperienceFrameworkAppId": "b"})
    from b2c_tui.policies.plan import prepare

    effective, errors = prepare(load_local(folder), settings, None)
    findings = lint_policies(effective, errors=errors)
    assert [(Path(f.file).name, f.line, f.rule) for f in findings] == [
        ("SignUpOrSignin.xml", line, "unreplaced-placeholder")]
    assert findings[0].message.startswith("{Settings:Domain} is still a placeholder")


def test_b2c_size_limit_is_a_finding() -> None:
    text = (STARTER / "LocalAccounts" / "TrustFrameworkBase.xml").read_text("utf-8-sig")
    padded = text.replace("<BuildingBlocks>", "<BuildingBlocks>\n<!--" + "x" * 1_100_000 + "-->")
    from b2c_tui.policies.parser import parse_policy

    findings = lint_policies([parse_policy(padded, "Big.xml")])
    assert "policy-too-large" in rules(findings)
