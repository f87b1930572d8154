"""Policy keys: listing without secrets, health, checks before sending, certificates read
locally, the create-then-add order with its rollback, rotation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from b2c_tui.graph.errors import GraphError, ReadOnlyError, ValidationError
from b2c_tui.graph.resources.keysets import Secret
from b2c_tui.policies.key_material import (
    KeyMaterialError,
    KeySpec,
    add_key,
    plan_add_key,
    rotation_plan,
)
from b2c_tui.policies.keys import expected_active, key_health, key_rows, load_key_report
from b2c_tui.policies.tenant import fetch_policies
from tests.helpers.policies import Demo, certificate, open_demo_tenant

NOW = datetime(2026, 3, 1, tzinfo=UTC)
DAY = 86_400
PRIVATE = ("k", "d", "p", "q", "dp", "dq", "qi")


def stamp(days: float) -> int:
    return int((NOW + timedelta(days=days)).timestamp())


@pytest.fixture(scope="module")
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


# -- listing and health -----------------------------------------------------------------------
async def test_listing_has_no_secret_material_and_marks_the_active_key(demo: Demo) -> None:
    report = await load_key_report(demo.client)
    assert report.rows and all(set(r.as_dict()).isdisjoint(PRIVATE) for r in report.rows)
    for keyset in report.keysets:
        assert all(set(key).isdisjoint(PRIVATE) for key in keyset["keys"])
    signing = [r for r in report.rows if r.keyset_id == "B2C_1A_TokenSigningKeyContainer"]
    assert [r.status for r in signing] == ["expired", "active"]
    active = await demo.client.keysets.get_active_key("B2C_1A_TokenSigningKeyContainer")
    assert next(r for r in signing if r.active).kid == active["kid"]


async def test_health_of_the_demo_tenant(demo: Demo) -> None:
    policies, _ = await fetch_policies(demo.client)
    report = await load_key_report(demo.client, policies=policies)
    found = {(p.rule, p.keyset_id) for p in report.problems}
    assert ("keyset-no-active-key", "B2C_1A_RestApiClientCertificate") in found
    assert ("key-expiring", "B2C_1A_GoogleSecret") in found
    assert ("key-expiring", "B2C_1A_FacebookSecret") in found
    assert ("key-expired", "B2C_1A_TokenSigningKeyContainer") in found
    assert ("keyset-unused", "B2C_1A_AADAppSecret") in found
    assert ("keyset-unused", "B2C_1A_TokenSigningKeyContainer") not in found
    facebook = next(p for p in report.problems if p.keyset_id == "B2C_1A_FacebookSecret")
    assert "B2C_1A_Social_TrustFrameworkBase" in facebook.policies
    assert report.problems[0].severity == "error"


def test_health_rules_on_their_own() -> None:
    keysets = [
        {"id": "B2C_1A_Rotating", "keys": [
            {"kid": "old", "kty": "RSA", "use": "sig", "nbf": stamp(-300), "exp": stamp(10)},
            {"kid": "next", "kty": "RSA", "use": "sig", "nbf": stamp(5), "exp": stamp(400)}]},
        {"id": "B2C_1A_Ending", "keys": [
            {"kid": "only", "kty": "oct", "use": "sig", "nbf": stamp(-300), "exp": stamp(29)}]},
        {"id": "B2C_1A_Later", "keys": [
            {"kid": "future", "kty": "RSA", "use": "enc", "nbf": stamp(3)}]},
        {"id": "B2C_1A_Empty", "keys": []},
    ]
    references = {"B2C_1A_Rotating": ["B2C_1A_Base"], "b2c_1a_ending": ["B2C_1A_Base"],
                  "B2C_1A_Gone": ["B2C_1A_Ext", "B2C_1A_RP"]}
    problems = key_health(keysets, {}, NOW, references)
    found = {(p.rule, p.keyset_id) for p in problems}
    assert found == {
        ("key-expiring", "B2C_1A_Ending"),  # no successor; Rotating has one lined up
        ("keyset-no-active-key", "B2C_1A_Later"), ("keyset-no-active-key", "B2C_1A_Empty"),
        ("keyset-missing", "B2C_1A_Gone"),
        ("keyset-unused", "B2C_1A_Later"), ("keyset-unused", "B2C_1A_Empty"),
    }
    missing = next(p for p in problems if p.rule == "keyset-missing")
    assert missing.policies == ("B2C_1A_Ext", "B2C_1A_RP")
    assert key_health(keysets, {}, NOW, references, warn_days=5) != problems
    rows = key_rows(keysets, {"B2C_1A_Rotating": "old"}, NOW)
    assert [(r.keyset_id, r.kid, r.status, r.days_to_expiry) for r in rows] == [
        ("B2C_1A_Empty", None, "no keys", None), ("B2C_1A_Ending", "only", "active", 29),
        ("B2C_1A_Later", "future", "not yet valid", None),
        ("B2C_1A_Rotating", "old", "active", 10), ("B2C_1A_Rotating", "next", "not yet valid", 400)]
    judged = key_rows(keysets, {}, NOW)  # no getActiveKey answers: B2C's rule picks
    assert [r.kid for r in judged if r.active] == ["only", "old"]


def test_the_active_key_is_the_one_activated_last() -> None:
    keys = [{"kid": "a", "nbf": stamp(-10), "exp": stamp(10)},
            {"kid": "b", "nbf": stamp(-5), "exp": stamp(10)},
            {"kid": "c", "nbf": stamp(1), "exp": stamp(10)},
            {"kid": "d"}]
    assert expected_active(keys, NOW)["kid"] == "b"  # type: ignore[index]
    assert expected_active([{"kid": "x", "exp": stamp(-1)}], NOW) is None


# -- checks before sending --------------------------------------------------------------------
def test_prefix_is_added_and_the_create_then_add_order_planned() -> None:
    plan = plan_add_key([], "ApiKey", KeySpec("generate", use="enc", kty="RSA"), now=NOW)
    assert plan.keyset_id == "B2C_1A_ApiKey" and plan.create
    assert plan.steps == ("create the keyset B2C_1A_ApiKey (empty)",
                          "generate a RSA enc key in B2C_1A_ApiKey")


def test_rsa_and_secrets_do_not_mix() -> None:
    keysets = [{"id": "B2C_1A_Signing", "keys": [{"kid": "1", "kty": "RSA"}]}]
    with pytest.raises(KeyMaterialError, match="B2C_1A_Signing holds RSA keys; a secret"):
        plan_add_key(keysets, "b2c_1a_signing", KeySpec("secret", secret=Secret("s")), now=NOW)
    plan = plan_add_key(keysets, "B2C_1A_Signing", KeySpec("generate", kty="RSA"), now=NOW)
    assert not plan.create


def test_bad_windows_and_empty_secrets_are_refused() -> None:
    with pytest.raises(ValidationError, match="expire"):
        plan_add_key([], "X", KeySpec("generate", nbf=NOW, exp=NOW - timedelta(days=1)))
    with pytest.raises(ValidationError, match="empty"):
        plan_add_key([], "X", KeySpec("secret", secret=Secret("")))
    with pytest.raises(ValidationError):
        plan_add_key([], "bad id!", KeySpec("generate"))


def test_pfx_with_a_wrong_password_names_the_file(tmp_path: Path,
                                                 rsa_key: rsa.RSAPrivateKey) -> None:
    pfx = certificate(tmp_path, "api", starts=NOW - timedelta(days=1),
                      ends=NOW + timedelta(days=300), password="right", key=rsa_key)
    spec = KeySpec("pkcs12", path=pfx, password=Secret("Typo-Pa55"))
    with pytest.raises(KeyMaterialError) as caught:
        plan_add_key([], "Api", spec, now=NOW)
    assert str(pfx) in str(caught.value) and "wrong password" in str(caught.value)
    assert "Typo-Pa55" not in str(caught.value)
    good = plan_add_key([], "Api", KeySpec("pkcs12", path=pfx, password=Secret("right")),
                        now=NOW)
    assert good.certificate is not None and good.certificate.has_private_key


def test_a_certificate_not_valid_yet_is_explained(tmp_path: Path,
                                                  rsa_key: rsa.RSAPrivateKey) -> None:
    cer = certificate(tmp_path, "later", starts=NOW + timedelta(days=10),
                      ends=NOW + timedelta(days=400), key=rsa_key)
    with pytest.raises(KeyMaterialError) as caught:
        plan_add_key([], "Partner", KeySpec("certificate", path=cer), now=NOW)
    message = str(caught.value)
    assert message.startswith(f"{cer}: the certificate is not valid until 2026-03-11")
    assert "in 10 day(s)" in message
    staged = plan_add_key([], "Partner", KeySpec("certificate", path=cer, allow_future=True),
                          now=NOW)
    assert "valid 2026-03-11 to" in staged.steps[-1]


def test_expired_and_non_rsa_certificates_are_refused(tmp_path: Path,
                                                      rsa_key: rsa.RSAPrivateKey) -> None:
    old = certificate(tmp_path, "old", starts=NOW - timedelta(days=400),
                      ends=NOW - timedelta(days=1), key=rsa_key)
    with pytest.raises(KeyMaterialError, match="expired on 2026-02-28"):
        plan_add_key([], "Old", KeySpec("certificate", path=old), now=NOW)
    curve = certificate(tmp_path, "ec", starts=NOW - timedelta(days=1),
                        ends=NOW + timedelta(days=10), key=ec.generate_private_key(ec.SECP256R1()))
    with pytest.raises(KeyMaterialError, match="not RSA"):
        plan_add_key([], "Ec", KeySpec("certificate", path=curve), now=NOW)
    junk = tmp_path / "junk.cer"
    junk.write_bytes(b"not a certificate")
    with pytest.raises(KeyMaterialError, match=r"junk\.cer: not an X\.509 certificate"):
        plan_add_key([], "Junk", KeySpec("certificate", path=junk), now=NOW)


# -- sending ----------------------------------------------------------------------------------
async def test_create_then_add_in_that_order(demo: Demo, tmp_path: Path,
                                             rsa_key: rsa.RSAPrivateKey) -> None:
    now = datetime.now(UTC)
    pfx = certificate(tmp_path, "rest", starts=now - timedelta(days=1),
                      ends=now + timedelta(days=200), password="pw", key=rsa_key)
    plan = plan_add_key([], "RestClient", KeySpec("pkcs12", path=pfx, password=Secret("pw")))
    result = await add_key(demo.client, plan)
    assert result.created and result.keyset_id == "B2C_1A_RestClient"
    assert [(m, p.rsplit("/", 1)[-1]) for m, p in demo.recorder.writes()] == [
        ("POST", "keySets"), ("POST", "uploadPkcs12")]
    assert result.key["x5t"] == plan.certificate.thumbprint  # type: ignore[union-attr]
    assert set(result.key).isdisjoint(PRIVATE)


async def test_a_refused_key_removes_the_keyset_it_created(demo: Demo) -> None:
    def refuse(request: httpx.Request) -> httpx.Response | None:
        if request.url.path.endswith("/generateKey"):
            return httpx.Response(400, json={"error": {"code": "BadRequest",
                                                       "message": "Key generation failed."}})
        return None

    demo.recorder.rules.append(refuse)
    plan = plan_add_key([], "Doomed", KeySpec("generate", kty="RSA"))
    with pytest.raises(GraphError) as caught:
        await add_key(demo.client, plan)
    assert "The empty keyset B2C_1A_Doomed created for it was deleted again" in str(caught.value)
    assert [m for m, _ in demo.recorder.writes()] == ["POST", "POST", "DELETE"]
    ids = [k["id"] for k in await demo.client.keysets.list().collect()]
    assert "B2C_1A_Doomed" not in ids


async def test_read_only_adds_no_key() -> None:
    demo = await open_demo_tenant(read_only=True)
    try:
        plan = plan_add_key([], "Nope", KeySpec("generate"))
        with pytest.raises(ReadOnlyError, match="create the keyset B2C_1A_Nope"):
            await add_key(demo.client, plan)
        assert demo.recorder.writes() == []
    finally:
        await demo.client.aclose()


async def test_rotation_stages_a_successor_that_takes_over(demo: Demo) -> None:
    keyset = await demo.client.keysets.get("B2C_1A_TokenEncryptionKeyContainer")
    now = datetime.now(UTC)
    plan = rotation_plan(keyset, now=now, activate_in_days=7)
    assert plan.spec.nbf is not None and plan.spec.nbf > now
    assert plan.current_exp is not None and plan.spec.nbf < plan.current_exp
    assert (plan.spec.use, plan.spec.kty) == ("enc", "RSA")
    assert "B2C keeps using the current key" in plan.explanation
    result = await add_key(demo.client, plan_add_key([keyset], plan.keyset_id, plan.spec))
    assert not result.created and result.key["nbf"] == int(plan.spec.nbf.timestamp())
    active = await demo.client.keysets.get_active_key(plan.keyset_id)
    assert active["kid"] == plan.current_kid  # not yet: it activates on its start date


def test_rotation_close_to_expiry_starts_before_the_old_key_ends() -> None:
    keyset = {"id": "B2C_1A_S", "keys": [
        {"kid": "k", "kty": "oct", "use": "sig", "nbf": stamp(-300), "exp": stamp(2)}]}
    plan = rotation_plan(keyset, now=NOW, activate_in_days=7)
    assert plan.spec.nbf is not None and plan.spec.nbf < NOW + timedelta(days=2)
    assert plan.spec.kty == "OCT" and "upload the secret the other side issues" in (
        plan.explanation)
