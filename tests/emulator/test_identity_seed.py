"""The identity families' seed: deterministic per seed, relative to the clock, packaged."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from b2c_tui.emulator import Emulator, ManualClock, Store, create_emulator
from b2c_tui.emulator.families import FAMILIES, Family
from b2c_tui.emulator.identity.seed import load_catalog, starter_pack_xml


def snapshot(store: Store) -> dict[str, object]:
    state = store.identity
    return {
        "idps": [dict(p) for p in state.identity_providers.values()],
        "flows": [dict(f) for f in state.events_flows.values()],
        "keys": [k.to_json() for k in state.keysets.values()],
        "policies": [(p.id, p.xml) for p in state.policies.values()],
        "ca": [dict(p) for p in state.ca_policies.values()],
    }


def test_same_seed_same_state_and_different_seed_differs() -> None:
    a = snapshot(Store(seed=7, users=10, clock=ManualClock()))
    b = snapshot(Store(seed=7, users=10, clock=ManualClock()))
    c = snapshot(Store(seed=8, users=10, clock=ManualClock()))
    assert a == b
    assert a["keys"] != c["keys"] and a["flows"] != c["flows"]


def test_key_expiries_are_relative_to_the_clock() -> None:
    later = ManualClock(datetime(2031, 6, 1, tzinfo=UTC))
    state = Store(seed=1, users=10, clock=later).identity
    now = int(later().timestamp())
    facebook = state.keysets.get("b2c_1a_facebooksecret")
    assert facebook is not None and facebook.keys[0].exp is not None
    assert 0 < facebook.keys[0].exp - now <= 30 * 86_400
    expired = state.keysets.get("B2C_1A_RestApiClientCertificate")
    assert expired is not None and expired.active_key(now) is None


def test_state_is_a_typed_part_of_the_store_built_once() -> None:
    store = Store(seed=3, users=10, clock=ManualClock())
    state = store.identity
    assert store.identity is state and state.identity_providers


def test_packaged_data_loads() -> None:
    assert starter_pack_xml("SocialAccounts", "PasswordReset.xml") is None  # not in that pack
    assert starter_pack_xml("LocalAccounts", "PasswordReset.xml")
    catalog = load_catalog()
    assert len(catalog["caTemplates"]) >= 4 and "OpenIdConnect" in catalog["availableProviderTypes"]


def test_every_family_is_registered(emu: Emulator) -> None:
    assert [type(f) for f in emu.families] == list(FAMILIES)
    names = {type(f).__name__ for f in emu.families}
    assert {"IdentityProviders", "B2CUserFlows", "AuthenticationEventsFlows", "KeySets",
            "B2CAuthenticationMethodsPolicy", "TrustFrameworkPolicies", "UserFlowAttributes",
            "ConditionalAccess"} <= names
    templates = {route.template for route in emu.router.routes}
    for family in emu.families:
        assert {template for _, template, _ in family.routes()} <= templates


def test_a_broken_family_fails_the_start_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    class Broken(Family):
        def __init__(self, store: Store) -> None:
            raise RuntimeError("this family cannot start")

    monkeypatch.setattr("b2c_tui.emulator.app.FAMILIES", (*FAMILIES, Broken))
    with pytest.raises(RuntimeError, match="cannot start"):
        create_emulator(clock=ManualClock(), users=10)


def test_the_seed_is_relative_to_the_tenants_creation_even_when_read_later() -> None:
    early = Store(seed=4, users=10, clock=ManualClock())
    clock = ManualClock()
    late = Store(seed=4, users=10, clock=clock)
    clock.advance(days=40)  # the identity services are first read long after
    assert snapshot(late) == snapshot(early)


def test_an_override_without_a_route_takes_its_route_away(emu: Emulator) -> None:
    from b2c_tui.emulator.families.base import route

    class Base(Family):
        @route("GET", "/things")
        def things(self, request: object) -> object:
            return None

        @route("GET", "/other")
        def other(self, request: object) -> object:
            return None

    class Narrower(Base):
        def things(self, request: object) -> object:  # no longer a route
            return None

    assert [t for _, t, _ in Base(emu.store).routes()] == ["/things", "/other"]
    assert [t for _, t, _ in Narrower(emu.store).routes()] == ["/other"]
