"""The identity families' seed: deterministic per seed, relative to the clock, packaged."""

from __future__ import annotations

from datetime import UTC, datetime

from b2c_tui.emulator.clock import ManualClock
from b2c_tui.emulator.identity_seed import load_catalog, starter_pack_xml, state_for
from b2c_tui.emulator.store import Store


def snapshot(store: Store) -> dict[str, object]:
    state = state_for(store)
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
    state = state_for(Store(seed=1, users=10, clock=later))
    now = int(later().timestamp())
    facebook = state.keysets.get("b2c_1a_facebooksecret")
    assert facebook is not None and facebook.keys[0].exp is not None
    assert 0 < facebook.keys[0].exp - now <= 30 * 86_400
    expired = state.keysets.get("B2C_1A_RestApiClientCertificate")
    assert expired is not None and expired.active_key(now) is None


def test_state_is_built_once_and_kept_in_store_extras() -> None:
    store = Store(seed=3, users=10, clock=ManualClock())
    state = state_for(store)
    assert state_for(store) is state and store.extras["identity"] is state


def test_packaged_data_loads() -> None:
    assert starter_pack_xml("SocialAccounts", "PasswordReset.xml") is None  # not in that pack
    assert starter_pack_xml("LocalAccounts", "PasswordReset.xml")
    catalog = load_catalog()
    assert len(catalog["caTemplates"]) >= 4 and "OpenIdConnect" in catalog["availableProviderTypes"]


def test_every_identity_route_module_loads() -> None:
    from b2c_tui.emulator.app import create_emulator

    emu = create_emulator(clock=ManualClock(), users=10)
    mine = {"identity_providers", "user_flows", "external_flows", "b2c_auth_policy",
            "trust_framework", "keysets", "user_flow_attributes", "conditional_access"}
    assert mine <= set(emu.loaded_routes)
