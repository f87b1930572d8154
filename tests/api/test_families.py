"""Every facade method: its columns, in order, and their dtypes (against the demo tenant)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
import pytest

from b2c_tui.api import Tenant
from b2c_tui.connection import open_demo

S, TS, B, NB, INT, F = "string", "timestamp", "bool", "boolean", "Int64", "Float64"


def kind(dtype: Any) -> str:
    if isinstance(dtype, pd.StringDtype):
        assert dtype.storage == "pyarrow" and dtype.na_value is pd.NA, dtype
        return S
    if str(dtype) == "datetime64[ns, UTC]":
        return TS
    if isinstance(dtype, np.dtype) and dtype == np.dtype(bool):
        return B
    return str(dtype)


@pytest.fixture(scope="module")
def tenant() -> Iterator[Tenant]:
    with Tenant(open_demo(users=300, throttling=False)) as demo:
        yield demo


EXPECTED: list[tuple[str, dict[str, Any], list[tuple[str, str]]]] = [
    ("users", {}, [
        ("id", S), ("displayName", S), ("signInName", S), ("mail", S), ("creationType", S),
        ("accountEnabled", B), ("createdDateTime", TS), ("loyaltyNumber", S),
        ("membershipTier", S), ("marketingConsent", NB), ("Lieblingsfarbe", S)]),
    ("identity_providers", {}, [
        ("id", S), ("displayName", S), ("identityProviderType", S), ("kind", S),
        ("clientId", S)]),
    ("user_flows", {}, [
        ("id", S), ("userFlowType", S), ("userFlowTypeVersion", F),
        ("isLanguageCustomizationEnabled", B), ("defaultLanguageTag", S)]),
    ("external_flows", {}, [
        ("id", S), ("displayName", S), ("signUpAllowed", NB), ("identityProviders", S),
        ("attributes", S), ("applications", S), ("priority", INT)]),
    ("auth_methods_policy", {}, [
        ("id", S), ("isEmailPasswordAuthenticationEnabled", B),
        ("isUserNameAuthenticationEnabled", B),
        ("isPhoneOneTimePasswordAuthenticationEnabled", B)]),
    ("policies", {}, [("id", S)]),
    ("policies", {"xml": True}, [
        ("id", S), ("basePolicy", S), ("deploymentMode", S), ("tenantId", S), ("xml", S)]),
    ("keysets", {}, [("id", S), ("keyCount", INT), ("use", S), ("kty", S), ("lastExpiry", TS)]),
    ("keys", {}, [
        ("id", S), ("keyset", S), ("use", S), ("kty", S), ("status", S), ("notBefore", TS),
        ("expires", TS), ("x5t", S)]),
    ("applications", {}, [
        ("id", S), ("displayName", S), ("appId", S), ("signInAudience", S),
        ("createdDateTime", TS), ("redirectUris", S), ("secretsExpire", TS)]),
    ("service_principals", {}, [
        ("id", S), ("displayName", S), ("appId", S), ("servicePrincipalType", S),
        ("accountEnabled", B), ("appOwnerOrganizationId", S)]),
    ("grants", {}, [
        ("id", S), ("clientId", S), ("resourceId", S), ("consentType", S), ("principalId", S),
        ("scope", S)]),
    ("user_flow_attributes", {}, [
        ("id", S), ("displayName", S), ("dataType", S), ("userFlowAttributeType", S),
        ("description", S)]),
    ("conditional_access", {}, [
        ("id", S), ("displayName", S), ("state", S), ("grant", S), ("users", S),
        ("applications", S), ("createdDateTime", TS), ("modifiedDateTime", TS)]),
    ("conditional_access_templates", {}, [
        ("id", S), ("name", S), ("scenarios", S), ("description", S)]),
    ("deleted_items", {}, [
        ("id", S), ("type", S), ("displayName", S), ("deletedDateTime", TS),
        ("purgeAfter", TS), ("userPrincipalName", S), ("appId", S)]),
    ("audit", {}, [
        ("id", S), ("activityDateTime", TS), ("activityDisplayName", S), ("result", S),
        ("resultReason", S), ("category", S), ("initiatedBy", S), ("targets", S),
        ("loggedByService", S)]),
    ("quota", {}, [
        ("id", S), ("displayName", S), ("tenantType", S), ("used", INT), ("total", INT),
        ("usedPercent", F)]),
]


@pytest.mark.parametrize(("method", "kwargs", "expected"), EXPECTED,
                         ids=[f"{m}{'-' + '-'.join(k) if k else ''}" for m, k, _ in EXPECTED])
def test_columns_and_dtypes(tenant: Tenant, method: str, kwargs: dict[str, Any],
                            expected: list[tuple[str, str]]) -> None:
    df = getattr(tenant, method)(**kwargs)
    assert [(c, kind(df[c].dtype)) for c in df.columns] == expected
    assert len(df) > 0, f"the demo tenant has {method}"
    assert df["id"].notna().all()


async def test_async_twins_give_the_same_frames(tenant: Tenant) -> None:
    for method, kwargs, _ in EXPECTED:
        if method == "audit":  # new audit entries may appear between the two calls
            continue
        sync = getattr(tenant, method)(**kwargs)
        twin = await getattr(tenant, f"{method}_async")(**kwargs)
        pd.testing.assert_frame_equal(sync, twin, obj=method)


def test_auth_methods_of_many_users(tenant: Tenant) -> None:
    users = tenant.users(limit=80)
    methods = tenant.auth_methods(users)
    assert [(c, kind(methods[c].dtype)) for c in methods.columns] == [
        ("id", S), ("userId", S), ("kind", S), ("type", S), ("value", S), ("needsFix", B),
        ("suggestedFix", S)]
    assert set(methods["userId"]) <= set(users["id"]) and methods["userId"].nunique() > 10
    broken = methods[methods["needsFix"]]
    assert len(broken) and (broken["kind"] == "phone").all()
    # the fix is the number with a space after the country code, as Graph wants it
    assert all(fix.replace(" ", "") == value and " " in fix
               for value, fix in zip(broken["value"], broken["suggestedFix"], strict=True))
    one = tenant.auth_methods(users["id"].iloc[0])
    assert set(one["userId"]) <= {users["id"].iloc[0]}


def test_auth_methods_of_missing_users(tenant: Tenant) -> None:
    from b2c_tui.graph.errors import NotFoundError

    real = tenant.users(limit=5)["id"].tolist()
    missing = "00000000-0000-0000-0000-000000000001"
    with pytest.warns(RuntimeWarning, match="1 of 6 users could not be read"):
        methods = tenant.auth_methods([*real, missing])
    assert missing not in set(methods["userId"])
    with pytest.raises(NotFoundError):
        tenant.auth_methods(missing)


def test_keys_have_validity_as_timestamps(tenant: Tenant) -> None:
    keys = tenant.keys()
    dated = keys.dropna(subset=["expires"])  # a key may have no expiry
    assert len(dated) and (dated["expires"] > dated["notBefore"]).all()
    one = keys["keyset"].iloc[0]
    assert set(tenant.keys(one)["keyset"]) == {one}
    sets = tenant.keysets()
    counted = keys.groupby("keyset").size()
    assert dict(zip(sets["id"], sets["keyCount"], strict=True)) == counted.to_dict()


def test_policies_read_their_base_chain(tenant: Tenant) -> None:
    policies = tenant.policies(xml=True)
    by_id = dict(zip(policies["id"], policies["basePolicy"], strict=True))
    assert pd.isna(by_id["B2C_1A_TrustFrameworkBase"])
    assert by_id["B2C_1A_TrustFrameworkLocalization"] == "B2C_1A_TrustFrameworkBase"
    assert policies["xml"].str.contains("<TrustFrameworkPolicy").all()
    xml = dict(zip(policies["id"], policies["xml"], strict=True))
    assert tenant.policy_xml("B2C_1A_TrustFrameworkBase") == xml["B2C_1A_TrustFrameworkBase"]


def test_deleted_items_of_one_type(tenant: Tenant) -> None:
    users = tenant.deleted_items("user")
    assert set(users["type"]) == {"user"} and users["userPrincipalName"].notna().all()
    both = tenant.deleted_items()
    assert set(users["id"]) <= set(both["id"])
    assert ((both["purgeAfter"] - both["deletedDateTime"]) == pd.Timedelta(days=30)).all()


def test_audit_filters_in_graph(tenant: Tenant) -> None:
    failures = tenant.audit(result="failure")
    assert len(failures) and set(failures["result"]) == {"failure"}
    recent = tenant.audit(limit=3)
    assert len(recent) == 3
    assert recent["activityDateTime"].is_monotonic_decreasing
    middle = recent["activityDateTime"].iloc[1]
    since = tenant.audit(since=middle.strftime("%Y-%m-%dT%H:%M:%SZ"))
    assert len(since) >= 2 and (since["activityDateTime"] >= middle.floor("s")).all()
    with pytest.raises(ValueError, match="since must be a date"):
        tenant.audit(since="last tuesday")


def test_secrets_are_never_selected(tenant: Tenant) -> None:
    from b2c_tui.graph.errors import UnsupportedQueryError

    with pytest.raises(UnsupportedQueryError, match="secret"):
        tenant.identity_providers(select=["displayName", "clientSecret"])
    providers = tenant.identity_providers(select=["displayName", "clientId"])
    assert list(providers.columns) == ["id", "displayName", "clientId"]
    keys = tenant.keys()
    assert not {"d", "p", "q", "dp", "dq", "qi", "k"} & set(keys.columns)
