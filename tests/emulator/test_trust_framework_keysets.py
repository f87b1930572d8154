"""Behaviour of /trustFramework/keySets: naming, key actions, expiry seeds, getActiveKey."""

from __future__ import annotations

import base64
from datetime import timedelta

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from b2c_tui.emulator import Emulator, ManualClock

KEYSETS = "/beta/trustFramework/keySets"
DAY = 86_400
PRIVATE = {"k", "d", "p", "q", "dp", "dq", "qi"}


@pytest.fixture(scope="module")
def certificate() -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Zoë's REST API")])
    start = ManualClock()() - timedelta(days=1)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(7)
            .not_valid_before(start).not_valid_after(start + timedelta(days=365))
            .sign(key, hashes.SHA256()))
    return key, cert


async def test_seeded_keysets_and_expiries(emu: Emulator, clock: ManualClock,
                                           client: httpx.AsyncClient) -> None:
    body = (await client.get(KEYSETS)).json()
    assert body["@odata.context"] == "https://graph.microsoft.com/beta/$metadata#trustFramework/keySets"
    keysets = {k["id"]: k["keys"] for k in body["value"]}
    assert {"B2C_1A_TokenSigningKeyContainer", "B2C_1A_TokenEncryptionKeyContainer",
            "B2C_1A_FacebookSecret"} <= set(keysets)
    now = int(clock().timestamp())
    keys = [key for ks in keysets.values() for key in ks]
    assert all(not PRIVATE & set(key) for key in keys)
    soon = [k for k in keys if k.get("exp") and now < k["exp"] <= now + 30 * DAY]
    expired = [k for k in keys if k.get("exp") and k["exp"] <= now]
    assert soon and expired
    assert keysets["B2C_1A_FacebookSecret"][0]["exp"] - now < 30 * DAY
    signing = keysets["B2C_1A_TokenSigningKeyContainer"]
    assert signing[0]["kty"] == "RSA" and signing[0]["e"] == "AQAB" and signing[0]["n"]
    assert {k["use"] for k in keysets["B2C_1A_TokenEncryptionKeyContainer"]} == {"enc"}


async def test_get_active_key_follows_the_clock(clock: ManualClock,
                                                client: httpx.AsyncClient) -> None:
    url = f"{KEYSETS}/B2C_1A_TokenSigningKeyContainer"
    keys = (await client.get(url)).json()["keys"]
    active = await client.get(f"{url}/getActiveKey")
    assert active.status_code == 200
    assert active.json()["@odata.context"].endswith("$metadata#microsoft.graph.trustFrameworkKey")
    current = max((k for k in keys if k["exp"] > clock().timestamp()), key=lambda k: k["nbf"])
    assert active.json()["kid"] == current["kid"]
    expired = await client.get(f"{KEYSETS}/B2C_1A_RestApiClientCertificate/getActiveKey")
    assert expired.status_code == 404
    clock.advance(days=400)
    assert (await client.get(f"{url}/getActiveKey")).status_code == 404


async def test_create_prefixes_and_conflicts(emu: Emulator, client: httpx.AsyncClient) -> None:
    r = await client.post(KEYSETS, json={"id": "keyset1"})
    assert r.status_code == 201
    assert r.headers["location"] == "/trustFramework/keySets('B2C_1A_keyset1')"
    assert {k: v for k, v in r.json().items() if k != "@odata.context"} == {
        "id": "B2C_1A_keyset1", "keys": []}
    assert (await client.post(KEYSETS, json={"id": "B2C_1A_keyset1"})).status_code == 409
    kept = await client.post(KEYSETS, json={"id": "B2C_1A_Already"})
    assert kept.json()["id"] == "B2C_1A_Already"
    assert (await client.get(f"{KEYSETS}('B2C_1A_keyset1')")).status_code == 200
    assert (await client.post(KEYSETS, json={"id": "bad id!"})).status_code == 400
    entry = emu.store.audit_log.entries[-1]
    assert (entry["activityDisplayName"], entry["category"], entry["loggedByService"]) == (
        "Create keyset", "Key", "B2C")


async def test_generate_key_and_upload_secret(emu: Emulator, clock: ManualClock,
                                              client: httpx.AsyncClient) -> None:
    await client.post(KEYSETS, json={"id": "Zoe"})
    url = f"{KEYSETS}/B2C_1A_Zoe"
    now = int(clock().timestamp())
    rsa_key = await client.post(f"{url}/generateKey", json={"use": "sig", "kty": "RSA",
                                                            "nbf": now, "exp": now + DAY})
    assert rsa_key.status_code == 200
    key = rsa_key.json()
    assert key["kty"] == "RSA" and key["use"] == "sig" and key["e"] == "AQAB"
    assert len(key["kid"]) == 43 and not PRIVATE & set(key)
    secret = await client.post(f"{url}/uploadSecret", json={
        "use": "enc", "k": "application-secret-to-be-uploaded", "nbf": now + 10,
        "exp": now + 2 * DAY})
    assert secret.status_code == 200
    assert secret.json()["kty"] == "oct" and "k" not in secret.json()
    stored = (await client.get(url)).json()["keys"]
    assert [k["kid"] for k in stored] == [key["kid"], secret.json()["kid"]]
    assert "application-secret-to-be-uploaded" not in (await client.get(KEYSETS)).text
    clock.advance(seconds=20)
    active = (await client.get(f"{url}/getActiveKey")).json()
    assert active["kid"] == secret.json()["kid"]  # the latest nbf wins
    for bad in ({"use": "sign", "kty": "RSA"}, {"use": "sig", "kty": "EC"},
                {"use": "sig", "kty": "oct", "nbf": now, "exp": now - 1}):
        assert (await client.post(f"{url}/generateKey", json=bad)).status_code == 400
    assert (await client.post(f"{url}/uploadSecret", json={"use": "sig"})).status_code == 400
    activities = [e["activityDisplayName"] for e in emu.store.audit_log.entries[-2:]]
    assert activities == ["Generate key", "Upload secret"]


async def test_upload_certificate_and_pkcs12(
    client: httpx.AsyncClient, certificate: tuple[rsa.RSAPrivateKey, x509.Certificate]
) -> None:
    key, cert = certificate
    await client.post(KEYSETS, json={"id": "RestApiCert"})
    url = f"{KEYSETS}/B2C_1A_RestApiCert"
    der = base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()
    r = await client.post(f"{url}/uploadCertificate", json={"key": der})
    assert r.status_code == 200
    body = r.json()
    assert body["kty"] == "RSA" and body["x5c"] == [der]
    assert body["nbf"] == int(cert.not_valid_before_utc.timestamp())
    assert body["exp"] == int(cert.not_valid_after_utc.timestamp())
    pfx = pkcs12.serialize_key_and_certificates(
        b"zoe", key, cert, None, serialization.BestAvailableEncryption(b"p\xc3\xa4ss"))
    blob = base64.b64encode(pfx).decode()
    ok = await client.post(f"{url}/uploadPkcs12", json={"key": blob, "password": "päss"})
    assert ok.status_code == 200 and not PRIVATE & set(ok.json())
    wrong = await client.post(f"{url}/uploadPkcs12", json={"key": blob, "password": "nope"})
    assert wrong.status_code == 400
    assert (await client.post(f"{url}/uploadCertificate", json={"key": "bm90IGEgY2VydA=="})
            ).status_code == 400


async def test_replace_and_delete(emu: Emulator, client: httpx.AsyncClient) -> None:
    await client.post(KEYSETS, json={"id": "keyset1"})
    url = f"{KEYSETS}/B2C_1A_keyset1"
    r = await client.put(url, json={"keys": [{"k": "secret", "kty": "oct", "use": "sig",
                                              "kid": "my-kid", "nbf": 1, "exp": 99}]})
    assert r.status_code == 200
    assert r.json()["keys"] == [{"kid": "my-kid", "use": "sig", "kty": "oct", "nbf": 1,
                                 "exp": 99}]
    assert (await client.put(url, json={"id": "other", "keys": []})).status_code == 400
    assert (await client.delete(url)).status_code == 204
    assert (await client.get(url)).status_code == 404
    assert (await client.post(f"{url}/generateKey", json={"use": "sig", "kty": "RSA"})
            ).status_code == 404
    activities = [e["activityDisplayName"] for e in emu.store.audit_log.entries[-3:]]
    assert activities == ["Create keyset", "Update keyset", "Delete keyset"]
