"""The symbol index: what is under the cursor, go to definition along the base chain, find
uses across the policy set."""

from __future__ import annotations

import pytest

from b2c_tui.policies.index import PolicyIndex, SymbolKey
from b2c_tui.policies.local import load_local
from b2c_tui.policies.model import Definition, Policy, Reference, SymbolKind
from tests.helpers.policies import STARTER


@pytest.fixture(scope="module")
def index() -> PolicyIndex:
    return PolicyIndex(load_local(STARTER / "SocialAndLocalAccounts").policies)


def position_of(policy: Policy, needle: str, offset: int = 0) -> tuple[int, int]:
    """1-based (line, column) of ``needle`` (plus ``offset`` characters) in the policy text."""
    at = policy.text.index(needle) + offset
    line = policy.text.count("\n", 0, at) + 1
    return line, at - (policy.text.rfind("\n", 0, at) + 1) + 1


def text_at(index: PolicyIndex, location) -> str:  # type: ignore[no-untyped-def]
    policy = index.get(location.policy_id)
    assert policy is not None
    line = policy.text.splitlines()[location.line - 1]
    return line[location.column - 1:location.end_column - 1]


def test_reference_at_finds_the_value_under_the_cursor(index: PolicyIndex) -> None:
    rp = index.get("B2C_1A_signup_signin")
    assert rp is not None
    needle = 'ClaimTypeReferenceId="identityProvider"'
    line, column = position_of(rp, needle, len('ClaimTypeReferenceId="'))
    for col in (column, column + 4, column + len("identityProvider")):  # start, middle, after
        ref = index.reference_at(rp.policy_id, line, col)
        assert isinstance(ref, Reference)
        assert (ref.kind, ref.id) == (SymbolKind.CLAIM_TYPE, "identityProvider")
    assert index.reference_at(rp.policy_id, line, column - 3) is None  # on the attribute name


def test_definition_follows_the_chain_into_the_base(index: PolicyIndex) -> None:
    rp = index.get("B2C_1A_signup_signin")
    assert rp is not None
    ref = next(r for r in rp.references if r.id == "SignUpOrSignIn")
    where = index.definition_of(ref)
    assert where is not None and where.policy_id == "B2C_1A_TrustFrameworkBase"
    assert text_at(index, where) == "SignUpOrSignIn"
    base = index.get("B2C_1A_TrustFrameworkBase")
    assert base is not None
    assert base.text.splitlines()[where.line - 1].strip().startswith("<UserJourney ")


def test_the_nearest_definition_wins_and_all_are_listed(index: PolicyIndex) -> None:
    # the extensions re-declare the login-NonInteractive profile the base defines
    ext = index.get("B2C_1A_TrustFrameworkExtensions")
    assert ext is not None
    key = SymbolKey(SymbolKind.TECHNICAL_PROFILE, "login-NonInteractive")
    found = index.definitions_of(key, chain=index.chain("B2C_1A_signup_signin"))
    assert [d.location.policy_id for d in found] == [
        "B2C_1A_TrustFrameworkExtensions", "B2C_1A_TrustFrameworkBase"]
    assert index.definition_of(key, chain=["B2C_1A_TrustFrameworkBase"]).policy_id == (  # type: ignore[union-attr]
        "B2C_1A_TrustFrameworkBase")


def test_ids_match_case_insensitively_like_b2c(index: PolicyIndex) -> None:
    base = index.get("B2C_1A_TrustFrameworkBase")
    assert base is not None
    ref = next(r for r in base.references if r.id == "surName")
    where = index.definition_of(ref)
    assert where is not None and text_at(index, where) == "surname"


def test_a_base_policy_reference_goes_to_that_policy(index: PolicyIndex) -> None:
    rp = index.get("B2C_1A_signup_signin")
    assert rp is not None
    ref = next(r for r in rp.references if r.kind is SymbolKind.POLICY)
    where = index.definition_of(ref)
    assert where is not None and where.policy_id == "B2C_1A_TrustFrameworkExtensions"
    assert text_at(index, where) == "B2C_1A_TrustFrameworkExtensions"


def test_a_keyset_has_no_definition_in_policies(index: PolicyIndex) -> None:
    base = index.get("B2C_1A_TrustFrameworkBase")
    assert base is not None
    ref = next(r for r in base.references if r.kind is SymbolKind.KEYSET)
    assert index.definition_of(ref) is None


def test_uses_cover_the_whole_set(index: PolicyIndex) -> None:
    base = index.get("B2C_1A_TrustFrameworkBase")
    assert base is not None
    definition = next(d for d in base.definitions if d.kind is SymbolKind.CLAIM_TYPE
                      and d.id == "identityProvider")
    uses = index.uses_of(definition)
    policies = {u.policy_id for u in uses}
    assert {"B2C_1A_TrustFrameworkBase", "B2C_1A_signup_signin"} <= policies
    assert all(text_at(index, u).lower() == "identityprovider" for u in uses)
    expected = sum(1 for p in index.policies for r in p.references
                   if r.kind is SymbolKind.CLAIM_TYPE and r.id.lower() == "identityprovider")
    assert len(uses) == expected
    only_rp = index.uses_of(definition, chain=["B2C_1A_signup_signin"])
    assert {u.policy_id for u in only_rp} == {"B2C_1A_signup_signin"}


def test_symbol_at_finds_definitions_too(index: PolicyIndex) -> None:
    base = index.get("B2C_1A_TrustFrameworkBase")
    assert base is not None
    line, column = position_of(base, '<ClaimType Id="email"', len('<ClaimType Id="'))
    symbol = index.symbol_at(base.policy_id, line, column)
    assert isinstance(symbol, Definition) and symbol.id == "email"
    assert index.reference_at(base.policy_id, line, column) is None
    uses = index.uses_of(symbol, include_definitions=True)
    assert any(u == symbol.location for u in uses) and len(uses) > 5


def test_claims_exchange_targets_prefer_their_own_journey(index: PolicyIndex) -> None:
    base = index.get("B2C_1A_TrustFrameworkBase")
    assert base is not None
    target = next(r for r in base.references if r.attribute == "TargetClaimsExchangeId")
    assert target.scope is not None
    found = index.definitions_of(target)
    assert found and found[0].scope == target.scope


def test_a_1_mb_policy_resolves_every_reference() -> None:
    from b2c_tui.policies.parser import parse_policy
    from benchmarks.bench_policies import synthetic_policy

    text = synthetic_policy()
    policy = parse_policy(text, "TrustFrameworkBase.xml")
    assert policy.size >= 1_000_000 and len(policy.references) > 5000
    index = PolicyIndex([policy])
    unresolved = [r for r in policy.references
                  if r.kind not in (SymbolKind.KEYSET, SymbolKind.POLICY)
                  and index.definition_of(r) is None]
    assert unresolved == []
    last = policy.references[-1]
    assert index.reference_at(policy.policy_id, last.location.line, last.location.column) == last
