"""Contract: custom policies (Trust Framework XML, beta) against the documented examples."""

from __future__ import annotations

import codecs
import logging
from pathlib import Path

import httpx
import pytest

from b2c_tui.graph import ValidationError
from b2c_tui.graph.resources.trust_framework import policy_id_of

from .harness import CONTRACT_DIR, Recorder, documented_body, example, make_client, replay

COVERS = [
    "trustframework-list-trustframeworkpolicies",
    "trustframework-post-trustframeworkpolicy",
    "trustframework-put-trustframeworkpolicy",
    "trustframeworkpolicy-delete",
    "trustframeworkpolicy-get",
]

BASE_ID = "B2C_1A_SocialAndLocalAccounts_Base"
PUT = "trustframework-put-trustframeworkpolicy"


def request_xml(op_file: str, index: int = 0) -> str:
    body = example(op_file, index)["request"]["body"]
    assert isinstance(body, str)
    return body


async def test_list_policies_returns_ids() -> None:
    r = await replay("trustframework-list-trustframeworkpolicies",
                     lambda c: c.policies.list().collect())
    assert r.result == documented_body("trustframework-list-trustframeworkpolicies")["value"]


async def test_get_xml_returns_the_document_text() -> None:
    r = await replay("trustframeworkpolicy-get", lambda c: c.policies.get_xml("B2C_1A_Test"))
    assert r.result == documented_body("trustframeworkpolicy-get")
    assert r.request.headers["accept"] == "application/xml"


async def test_create_posts_the_xml_verbatim() -> None:
    xml = request_xml("trustframework-post-trustframeworkpolicy")
    r = await replay("trustframework-post-trustframeworkpolicy", lambda c: c.policies.create(xml))
    assert r.body == xml.encode()
    assert r.result == documented_body("trustframework-post-trustframeworkpolicy")


async def test_upload_replaces_existing_policy() -> None:
    op = "trustframework-put-trustframeworkpolicy"
    xml = request_xml(op)
    r = await replay(op, lambda c: c.policies.upload(BASE_ID, xml))
    assert r.body == xml.encode()
    assert r.result == (documented_body(op), False)  # 200: it existed


async def test_upload_reports_created_on_201() -> None:
    xml = request_xml("trustframework-put-trustframeworkpolicy")
    recorder = Recorder(httpx.Response(201, headers={"Content-Type": "application/xml"},
                                       content=xml.encode()))
    async with make_client(recorder) as client:
        stored, created = await client.policies.upload(BASE_ID, xml.encode())
    assert created is True and stored == xml
    assert recorder.requests[0].method == "PUT"
    assert recorder.requests[0].url.path.endswith(f"/beta/trustFramework/policies/{BASE_ID}/$value")


async def test_delete_policy() -> None:
    r = await replay("trustframeworkpolicy-delete", lambda c: c.policies.delete(BASE_ID))
    assert r.result is None


# -- validation happens before any request -------------------------------------------------

@pytest.mark.parametrize("bad", ["", "CustomPolicy", "B2C_1_SignUp", "B2C_1A_", "B2C_1A_a/b",
                                 "../B2C_1A_x"])
async def test_bad_policy_ids_are_refused_before_sending(bad: str) -> None:
    recorder = Recorder()
    async with make_client(recorder) as client:
        with pytest.raises(ValidationError):
            await client.policies.get_xml(bad)
        with pytest.raises(ValidationError):
            await client.policies.delete(bad)
        with pytest.raises(ValidationError):
            await client.policies.upload(bad, request_xml(PUT))
    assert recorder.requests == []


async def test_upload_refuses_a_document_for_another_policy() -> None:
    xml = request_xml("trustframework-put-trustframeworkpolicy")
    recorder = Recorder()
    async with make_client(recorder) as client:
        with pytest.raises(ValidationError) as info:
            await client.policies.upload("B2C_1A_Other", xml)
    assert recorder.requests == []
    assert "TrustFrameworkPolicy" not in str(info.value)  # the XML is never quoted


@pytest.mark.parametrize("xml", ["<notAPolicy/>", "", "<TrustFrameworkPolicy PolicyId='B2C_1_x'/>"])
async def test_create_refuses_a_document_without_a_custom_policy_id(xml: str) -> None:
    recorder = Recorder()
    async with make_client(recorder) as client:
        with pytest.raises(ValidationError):
            await client.policies.create(xml)
    assert recorder.requests == []


async def test_policy_xml_is_never_logged(caplog: pytest.LogCaptureFixture) -> None:
    xml = request_xml("trustframework-put-trustframeworkpolicy").replace(
        "<!---PolicyContent-->", "<!-- marker-7f3a -->")
    recorder = Recorder(httpx.Response(200, headers={"Content-Type": "application/xml"},
                                       content=xml.encode()))
    with caplog.at_level(logging.DEBUG):
        async with make_client(recorder) as client:
            await client.policies.upload(BASE_ID, xml)
    assert "marker-7f3a" not in caplog.text


STARTERPACK = sorted((CONTRACT_DIR.parent / "policies" / "starterpack").rglob("*.xml"))


@pytest.mark.parametrize("path", STARTERPACK, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_policy_id_is_read_from_real_policy_files(path: Path) -> None:
    assert policy_id_of(path.read_bytes()).startswith("B2C_1A_")


ENCODED = {
    "utf-8": lambda text: text.encode("utf-8"),
    "utf-8 with BOM": lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
    "utf-16 LE with BOM": lambda text: text.encode("utf-16"),  # Python writes LE + BOM
    "utf-16 BE with BOM": lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
    "utf-16 LE without BOM": lambda text: text.encode("utf-16-le"),
    "utf-16 BE without BOM": lambda text: text.encode("utf-16-be"),
}


@pytest.mark.parametrize("encoding", ENCODED)
def test_policy_id_is_read_from_utf16_bytes(encoding: str) -> None:
    """Windows tools (PowerShell's Out-File) write policies as UTF-16: the id is still found
    (an ASCII pattern over the raw bytes never matched them)."""
    text = ('<?xml version="1.0" encoding="utf-16"?>\n<!-- a comment first -->\n'
            '<TrustFrameworkPolicy xmlns="http://schemas.microsoft.com/online/cpim/schemas/'
            '2013/06" TenantId="contoso.onmicrosoft.com" PolicyId="B2C_1A_Wide">\n'
            "</TrustFrameworkPolicy>\n")
    assert policy_id_of(ENCODED[encoding](text)) == "B2C_1A_Wide"


async def test_upload_accepts_utf16_bytes_and_sends_them_as_given() -> None:
    xml = request_xml(PUT)
    data = xml.encode("utf-16")
    recorder = Recorder(httpx.Response(200, headers={"Content-Type": "application/xml"},
                                       content=xml.encode()))
    async with make_client(recorder) as client:
        await client.policies.upload(BASE_ID, data)
    assert recorder.bodies == [data]
