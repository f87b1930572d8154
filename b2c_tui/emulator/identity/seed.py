"""Deterministic seed data for the identity, trust-framework and conditional-access families.

Everything derives from the store's seed, tenant and clock: identity providers, B2C and
External ID user flows, the B2C authentication methods policy, the three starter-pack policy
sets (uploaded base-first, ids prefixed per pack), policy keysets with keys that expire soon or
have expired relative to the clock, user-flow attributes (custom ones on the store's
b2c-extensions-app) and conditional access policies and templates.
"""

from __future__ import annotations

import functools
import json
import logging
import random
from datetime import timedelta
from importlib import resources
from typing import TYPE_CHECKING, Any

from . import policy_xml
from .conditional_access import normalise_ca_policy
from .keys import generated_key, new_kid
from .state import (
    IdentityState,
    Keyset,
    StoredPolicy,
    TrustFrameworkKey,
    default_input,
)

if TYPE_CHECKING:
    from ..store import Store

log = logging.getLogger(__name__)

DAY = 86_400
#: Starter packs, their id tag (LocalAccounts keeps the documented ids) and upload order.
PACKS: tuple[tuple[str, str], ...] = (
    ("LocalAccounts", ""),
    ("SocialAccounts", "Social_"),
    ("SocialAndLocalAccounts", "SocialAndLocal_"),
)
PACK_FILES = (
    "TrustFrameworkBase.xml",
    "TrustFrameworkLocalization.xml",
    "TrustFrameworkExtensions.xml",
    "SignUpOrSignin.xml",
    "ProfileEdit.xml",
    "PasswordReset.xml",
)


def build_state(store: Store) -> IdentityState:
    """Seed a fresh :class:`IdentityState` for ``store`` (see :attr:`Store.identity`)."""
    rng = random.Random(f"b2c-emulator:{store.seed}:identity")
    state = IdentityState(rng=rng, extension_app_id=extension_app_id(store))
    catalog = load_catalog()
    state.provider_types = list(catalog["availableProviderTypes"])
    _seed_identity_providers(state, catalog)
    _seed_attributes(state, catalog)
    _seed_user_flows(state, catalog)
    _seed_events_flows(state)
    state.b2c_auth_methods = {
        "id": "b2CAuthenticationMethodsPolicy",
        "isEmailPasswordAuthenticationEnabled": True,
        "isUserNameAuthenticationEnabled": False,
        "isPhoneOneTimePasswordAuthenticationEnabled": True,
    }
    _seed_keysets(state, int(store.anchor.timestamp()))  # seeded lazily: the creation time
    seed_policies(state, store.tenant_domain, store.tenant_id, ief_app_ids(store))
    _seed_conditional_access(state, catalog, store)
    return state


def extension_app_id(store: Store) -> str:
    """The appId of the store's b2c-extensions-app (custom attribute ids embed it)."""
    return store.apps.extensions_app_id


def ief_app_ids(store: Store) -> dict[str, str]:
    """Starter-pack placeholders -> appIds of the tenant's (Proxy)IdentityExperienceFramework."""
    by_name = {str(a.get("displayName")): str(a.get("appId")) for a in store.apps.apps.values()}
    out = {}
    for name in ("ProxyIdentityExperienceFramework", "IdentityExperienceFramework"):
        if name in by_name:
            out[f"{name}AppId"] = by_name[name]
    return out


def load_catalog() -> dict[str, Any]:
    """The static catalogue (built-in attributes, CA templates, provider types)."""
    text = _data().joinpath("identity_catalog.json").read_text("utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


def starter_pack_xml(pack: str, name: str) -> str | None:
    """The text of a starter-pack file shipped in the package, or None when the pack lacks it."""
    node = _data().joinpath("starterpack").joinpath(pack).joinpath(name)
    return node.read_text("utf-8-sig") if node.is_file() else None


def _data() -> Any:
    return resources.files("b2c_tui.emulator").joinpath("data")


def pack_policy_id(tag: str, policy_id: str) -> str:
    """``B2C_1A_TrustFrameworkBase`` -> ``B2C_1A_<tag>TrustFrameworkBase``."""
    return policy_id.replace(policy_xml.POLICY_PREFIX, policy_xml.POLICY_PREFIX + tag, 1)


def seed_policies(
    state: IdentityState,
    tenant_domain: str,
    tenant_id: str,
    placeholders: dict[str, str] | None = None,
) -> None:
    """Upload the three starter packs base-first, each file checked like an API upload.

    ``placeholders`` replaces the starter pack's app id placeholders (the Proxy one first:
    its name contains the other's).
    """
    for pack, tag in PACKS:
        for name in PACK_FILES:
            raw = starter_pack_xml(pack, name)
            if raw is None:
                continue
            for placeholder, app_id in (placeholders or {}).items():
                raw = raw.replace(placeholder, app_id)
            text = policy_xml.rewrite_starter_policy(
                raw, tenant_domain=tenant_domain, rename=functools.partial(pack_policy_id, tag)
            )
            header = policy_xml.parse_policy(text)
            errors = policy_xml.check_upload(
                header,
                url_id=None,
                tenant_domain=tenant_domain,
                tenant_id=tenant_id,
                existing=state.policy_bases(),
            )
            if errors:  # a packaging bug, not a user error
                raise RuntimeError(f"starter pack {pack}/{name} is invalid: {errors}")
            state.policies.set(
                header.policy_id, StoredPolicy(header.policy_id, text, header.base_policy_id)
            )


def _social(pid: str, kind: str, name: str, client_id: str) -> dict[str, Any]:
    return {
        "@odata.type": "#microsoft.graph.socialIdentityProvider",
        "id": pid,
        "displayName": name,
        "identityProviderType": kind,
        "clientId": client_id,
        "clientSecret": f"seeded-{kind.lower()}-secret",
    }


def _builtin(pid: str, kind: str, name: str) -> dict[str, Any]:
    return {
        "@odata.type": "#microsoft.graph.builtInIdentityProvider",
        "id": pid,
        "displayName": name,
        "identityProviderType": kind,
        "state": None,
    }


def _seed_identity_providers(state: IdentityState, catalog: dict[str, Any]) -> None:
    rng = state.rng
    google_client = f"{rng.randrange(10**11, 10**12)}-{rng.randbytes(16).hex()}"
    oidc_client = state.new_guid()
    oidc = {"@odata.type": "#microsoft.graph.openIdConnectIdentityProvider",
            "id": f"Fabrikam-OIDC-{oidc_client}", "clientId": oidc_client}
    providers = [
        _builtin("EmailPassword-OAUTH", "EmailPassword", "Email with password"),
        _builtin("EmailOtpSignup-OAUTH", "EmailOtpSignup", "Email one-time passcode"),
        _social("Facebook-OAUTH", "Facebook", "Facebook", str(rng.randrange(10**14, 10**15))),
        _social("Google-OAUTH", "Google", "Google", f"{google_client}.apps.googleusercontent.com"),
        _social("Microsoft-OAUTH", "Microsoft", "Microsoft Account", state.new_guid()),
        _social("GitHub-OAUTH", "GitHub", "GitHub für Zoë's Team", rng.randbytes(10).hex()),
        oidc | catalog["oidcProvider"],
    ]
    for provider in providers:
        state.identity_providers.set(provider["id"], provider)


def _seed_attributes(state: IdentityState, catalog: dict[str, Any]) -> None:
    for attr_id, name, description, data_type in catalog["builtInAttributes"]:
        state.attributes.set(attr_id, _attribute(attr_id, name, description, "builtIn", data_type))
    for name, description, data_type in catalog["customAttributes"]:
        attr_id = state.extension_attribute_id(name)
        state.attributes.set(attr_id, _attribute(attr_id, name, description, "custom", data_type))


def _attribute(attr_id: str, name: str, description: str, kind: str, dtype: str) -> dict[str, Any]:
    return {
        "id": attr_id,
        "displayName": name,
        "description": description,
        "userFlowAttributeType": kind,
        "dataType": dtype,
    }


def _seed_user_flows(state: IdentityState, catalog: dict[str, Any]) -> None:
    for flow_id, kind, version, languages, tag, providers, attrs in catalog["b2cUserFlows"]:
        state.b2c_user_flows.set(flow_id, {
            "id": flow_id,
            "userFlowType": kind,
            "userFlowTypeVersion": version,
            "isLanguageCustomizationEnabled": languages,
            "defaultLanguageTag": tag,
            "identityProviders": list(providers),
            "attributes": [state.extension_attribute_id(a[4:]) if a.startswith("ext:") else a
                           for a in attrs],
        })


def _seed_events_flows(state: IdentityState) -> None:
    colour = state.extension_attribute_id("Lieblingsfarbe")
    flows = (
        ("Woodgrove Drive User Flow", "For onboarding consumers to the Woodgrove Drive "
         "application", ["EmailPassword-OAUTH", "Google-OAUTH", "Facebook-OAUTH"],
         ["email", "displayName", colour]),
        ("Anmeldung für Zoë's Café", "Passwortlose Registrierung mit E-Mail-Einmalcode",
         ["EmailOtpSignup-OAUTH"], ["email", "city", "country"]),
    )
    for name, description, providers, attributes in flows:
        flow_id = state.new_guid()
        state.events_flows.set(
            flow_id,
            {
                "@odata.type": "#microsoft.graph.externalUsersSelfServiceSignUpEventsFlow",
                "id": flow_id,
                "displayName": name,
                "description": description,
                "priority": 500,
                "conditions": {"applications": {"includeAllApplications": False,
                                                "includeApplications": []}},
                "identityProviders": list(providers),
                "attributes": list(attributes),
                "inputs": [default_input(state, attr) for attr in attributes],
                "isSignUpAllowed": True,
            },
        )


def _seed_keysets(state: IdentityState, now: int) -> None:
    rng = state.rng

    def rsa(use: str, nbf_days: int, exp_days: int | None) -> TrustFrameworkKey:
        exp = now + exp_days * DAY if exp_days is not None else None
        return generated_key(rng, use=use, kty="RSA", nbf=now + nbf_days * DAY, exp=exp, now=now)

    def secret(nbf_days: int, exp_days: int | None) -> TrustFrameworkKey:
        exp = now + exp_days * DAY if exp_days is not None else None
        return TrustFrameworkKey(
            kid=new_kid(rng), use="sig", kty="oct", nbf=now + nbf_days * DAY, exp=exp,
            secret={"k": "seeded"},
        )

    keysets = {
        # An old signing key rotated out 35 days ago, and the current one.
        "B2C_1A_TokenSigningKeyContainer": [rsa("sig", -400, -35), rsa("sig", -35, 330)],
        "B2C_1A_TokenEncryptionKeyContainer": [rsa("enc", -200, 165)],
        "B2C_1A_FacebookSecret": [secret(-340, 25)],  # expires within 30 days
        "B2C_1A_GoogleSecret": [secret(-358, 7)],  # expires within a week
        "B2C_1A_RestApiClientCertificate": [rsa("sig", -395, -3)],  # already expired
        "B2C_1A_AADAppSecret": [secret(-100, None)],  # never expires
    }
    for keyset_id, keys in keysets.items():
        state.keysets.set(keyset_id, Keyset(keyset_id, keys))


def _seed_conditional_access(
    state: IdentityState, catalog: dict[str, Any], store: Store
) -> None:
    from ..clock import iso

    state.ca_templates = [_ca_template(template) for template in catalog["caTemplates"]]
    anchor = store.anchor
    for index, spec in enumerate(catalog["caPolicies"]):
        created = anchor - timedelta(days=400 - 90 * index, hours=index * 5)
        policy = normalise_ca_policy(spec)
        policy["id"] = state.new_guid()
        policy["createdDateTime"] = iso(created)
        policy["modifiedDateTime"] = iso(created + timedelta(days=30)) if index else None
        state.ca_policies.set(policy["id"], policy)


def _ca_template(spec: dict[str, Any]) -> dict[str, Any]:
    policy = normalise_ca_policy(spec)
    details = {key: policy[key] for key in ("sessionControls", "conditions", "grantControls")}
    return {key: spec[key] for key in ("name", "description", "id", "scenarios")} | {
        "details": details
    }
