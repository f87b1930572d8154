"""Placeholder substitution, the settings file, and prefixes for parallel policy sets."""

from __future__ import annotations

from pathlib import Path

import pytest

from b2c_tui.policies.inheritance import InheritanceGraph
from b2c_tui.policies.local import load_local
from b2c_tui.policies.parser import parse_policy
from b2c_tui.policies.plan import prepare
from b2c_tui.policies.settings import (
    PolicySettings,
    SettingsError,
    find_placeholders,
    load_settings,
    settings_path,
    substitute,
    validate_prefix,
)
from tests.helpers.policies import STARTER

VALUES = PolicySettings({"Tenant": "contosob2c.onmicrosoft.com",
                         "IdentityExperienceFrameworkAppId": "11111111-aaaa",
                         "ProxyIdentityExperienceFrameworkAppId": "22222222-bbbb",
                         "ApiUrl": "https://api.example.com/?a=1&b=2"})


def test_both_placeholder_styles_and_the_starter_pack_words() -> None:
    text = ('<X A="{Settings:apiurl}" B="{ApiUrl}" C="{apiurl}" T="yourtenant.onmicrosoft.com">'
            "ProxyIdentityExperienceFrameworkAppId IdentityExperienceFrameworkAppId "
            "{Context:CorrelationId} {OIDC:ClientId} {0} {tenant}</X>")
    out = substitute(text, VALUES)
    assert 'A="https://api.example.com/?a=1&amp;b=2"' in out  # escaped for XML
    assert 'B="https://api.example.com/?a=1&amp;b=2"' in out
    assert 'C="{apiurl}"' in out  # the IEFPolicies style matches the exact name
    assert 'T="contosob2c.onmicrosoft.com"' in out
    assert ">22222222-bbbb 11111111-aaaa " in out
    assert "{Context:CorrelationId} {OIDC:ClientId} {0} {tenant}</X>" in out  # B2C's own


def test_what_is_left_is_found_with_its_position() -> None:
    text = 'line one\n<X A="{Settings:Missing}" B="{Tenant}">yourtenant.onmicrosoft.com</X>'
    found = find_placeholders(text)
    assert [(p.text, p.line, p.column) for p in found] == [
        ("{Settings:Missing}", 2, 7), ("{Tenant}", 2, 30), ("yourtenant.onmicrosoft.com", 2, 40)]
    assert find_placeholders("{Context:CorrelationId} {0} {tenant} {RelyingPartyTenantId}") == []


def test_starter_pack_prepared_for_a_tenant_has_no_placeholders() -> None:
    effective, errors = prepare(load_local(STARTER / "SocialAndLocalAccounts"), VALUES, None)
    assert errors == []
    for policy in effective:
        assert find_placeholders(policy.text) == []
        assert policy.tenant_id == "contosob2c.onmicrosoft.com"


def test_settings_file_toml_json_and_errors(tmp_path: Path) -> None:
    toml = tmp_path / "contoso.toml"
    toml.write_text('Tenant = "contoso.onmicrosoft.com"\nPrefix = "Dev_"\nPort = 8443\n')
    loaded = load_settings(toml)
    assert loaded.lookup("tenant") == "contoso.onmicrosoft.com" and loaded.prefix == "Dev_"
    assert loaded.values["Port"] == "8443"
    json_file = tmp_path / "s.json"
    json_file.write_text('{"Tenant": "x.onmicrosoft.com"}')
    assert load_settings(json_file).values == {"Tenant": "x.onmicrosoft.com"}
    bad = tmp_path / "bad.toml"
    bad.write_text("Tenant = [1, 2]\n")
    with pytest.raises(SettingsError, match=r"bad\.toml: Tenant must be text"):
        load_settings(bad)
    broken = tmp_path / "broken.toml"
    broken.write_text("Tenant = \n")
    with pytest.raises(SettingsError, match=r"broken\.toml: cannot read the settings"):
        load_settings(broken)
    with pytest.raises(SettingsError, match="no such settings file"):
        load_settings(tmp_path / "missing.toml")


def test_profile_settings_live_in_the_config_folder() -> None:
    path = settings_path("contoso")
    assert path.parts[-2:] == ("policy-settings", "contoso.toml")
    assert settings_path(None).name == "demo.toml"
    assert load_settings(profile="nobody").values == {}  # absent: no settings, no error
    path.parent.mkdir(parents=True)
    path.write_text('Tenant = "from-file.onmicrosoft.com"\n')
    merged = load_settings(profile="contoso").with_defaults(
        {"Tenant": "default.onmicrosoft.com", "TenantId": "guid"})
    assert merged.values == {"Tenant": "from-file.onmicrosoft.com", "TenantId": "guid"}


def test_prefix_renames_the_set_consistently() -> None:
    local = load_local(STARTER / "LocalAccounts")
    effective, errors = prepare(local, VALUES, "Dev_")
    assert errors == []
    ids = sorted(p.policy_id for p in effective)
    assert ids == sorted("B2C_1A_Dev_" + p.policy_id.removeprefix("B2C_1A_")
                         for p in local.policies)
    graph = InheritanceGraph(effective)
    assert graph.problems == [] and len(graph.sets()) == 1
    rp = graph.get("B2C_1A_Dev_signup_signin")
    assert rp is not None and rp.base_policy_id == "B2C_1A_Dev_TrustFrameworkExtensions"
    assert rp.public_policy_uri == "http://contosob2c.onmicrosoft.com/B2C_1A_Dev_signup_signin"
    # only the ids changed: the rest of the document is as it was
    original = next(p for p in local.policies if p.policy_id == "B2C_1A_signup_signin")
    assert len(rp.text.splitlines()) == len(original.text.splitlines())


def test_a_base_outside_the_folder_keeps_its_id() -> None:
    text = (STARTER / "LocalAccounts" / "SignUpOrSignin.xml").read_text("utf-8-sig")
    rp = parse_policy(text, "SignUpOrSignin.xml")
    from b2c_tui.policies.settings import apply_prefix

    renamed = parse_policy(apply_prefix(rp, "Dev_", [rp.policy_id]), "x")
    assert renamed.policy_id == "B2C_1A_Dev_signup_signin"
    assert renamed.base_policy_id == "B2C_1A_TrustFrameworkExtensions"


@pytest.mark.parametrize("bad", ["", "Dev Ops", "a/b", "-x"])
def test_bad_prefixes_are_refused(bad: str) -> None:
    with pytest.raises(SettingsError, match="not a usable prefix"):
        validate_prefix(bad)


def test_prefix_without_the_b2c_part() -> None:
    assert validate_prefix("B2C_1A_Dev_") == "Dev_"
