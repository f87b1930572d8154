"""Reading policy files: every bad input is one clear message naming the file, and hostile XML
is refused without being expanded."""

from __future__ import annotations

import codecs
import time
from pathlib import Path

import pytest

from b2c_tui.policies.model import PolicyKind, SymbolKind
from b2c_tui.policies.parser import parse_policy, read_policy
from b2c_tui.policies.xmlsafe import MAX_POLICY_BYTES, PolicyParseError
from tests.helpers.policies import STARTER

HEAD = ('<TrustFrameworkPolicy xmlns="http://schemas.microsoft.com/online/cpim/schemas/2013/06" '
        'TenantId="contosob2c.onmicrosoft.com" PolicyId="B2C_1A_Test">')


def policy(body: str = "", head: str = HEAD) -> str:
    return f'<?xml version="1.0" encoding="utf-8"?>\n{head}\n{body}\n</TrustFrameworkPolicy>\n'


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_malformed_xml_names_the_file_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, "Broken.xml", policy("<BasePolicy>\n  <PolicyId>x</Policy>").encode())
    with pytest.raises(PolicyParseError) as caught:
        read_policy(path)
    error = caught.value
    assert error.rule == "xml-malformed"
    start = "  <PolicyId>x</Policy>".index("</Policy>") + 1
    assert error.line == 4 and start <= (error.column or 0) < start + len("</Policy>")
    assert str(error).startswith(f"{path}:4:{error.column}: malformed XML: mismatched tag")


def test_a_billion_laughs_is_refused_without_expanding(tmp_path: Path) -> None:
    lol = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    bomb = f'<?xml version="1.0"?>\n<!DOCTYPE t [<!ENTITY l0 "lol">{lol}]>\n{HEAD}&l9;' \
           "</TrustFrameworkPolicy>"
    path = write(tmp_path, "Bomb.xml", bomb.encode())
    started = time.perf_counter()
    with pytest.raises(PolicyParseError) as caught:
        read_policy(path)
    assert time.perf_counter() - started < 5  # a guard against a hang, not a benchmark
    assert caught.value.rule == "xml-unsafe"
    assert str(caught.value).startswith(f"{path}:2: the file contains a DTD")


def test_an_external_entity_is_never_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    xxe = (f'<?xml version="1.0"?>\n<!DOCTYPE t [<!ENTITY x SYSTEM "file://{secret}">]>\n'
           f"{HEAD}<Note>&x;</Note></TrustFrameworkPolicy>")
    path = write(tmp_path, "Xxe.xml", xxe.encode())
    with pytest.raises(PolicyParseError) as caught:
        read_policy(path)
    assert caught.value.rule == "xml-unsafe"
    assert "TOP-SECRET" not in str(caught.value)


def test_an_undeclared_entity_is_a_plain_error(tmp_path: Path) -> None:
    path = write(tmp_path, "Entity.xml", policy("<Note>&passwd;</Note>").encode())
    with pytest.raises(PolicyParseError) as caught:
        read_policy(path)
    assert caught.value.rule == "xml-malformed"
    assert "undefined entity" in str(caught.value) and str(path) in str(caught.value)


def test_utf8_with_a_bom_parses_with_positions_of_the_text(tmp_path: Path) -> None:
    text = policy('<BasePolicy><TenantId>t</TenantId><PolicyId>B2C_1A_Base</PolicyId>'
                  "</BasePolicy>")
    parsed = read_policy(write(tmp_path, "Bom.xml", codecs.BOM_UTF8 + text.encode()))
    assert parsed.bom and parsed.policy_id == "B2C_1A_Test"
    assert not parsed.text.startswith("\ufeff")
    where = parsed.header_locations["BasePolicy.PolicyId"]
    line = parsed.text.splitlines()[where.line - 1]
    assert line[where.column - 1:where.end_column - 1] == "B2C_1A_Base"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_a_bom_parses(tmp_path: Path, codec: str) -> None:
    bom = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
    text = policy("<!-- é -->").replace('encoding="utf-8"', 'encoding="utf-16"')
    parsed = read_policy(write(tmp_path, "Wide.xml", bom + text.encode(codec)))
    assert parsed.encoding == "utf-16" and parsed.policy_id == "B2C_1A_Test"


def test_utf16_without_a_bom_is_explained(tmp_path: Path) -> None:
    path = write(tmp_path, "NoBom.xml", policy().encode("utf-16-le"))
    with pytest.raises(PolicyParseError) as caught:
        read_policy(path)
    assert caught.value.rule == "encoding"
    assert "UTF-16 without a byte-order mark" in str(caught.value) and str(path) in str(
        caught.value)


def test_bytes_that_are_not_utf8_point_at_the_line(tmp_path: Path) -> None:
    data = policy("<!-- caf\xe9 -->").encode("latin-1")
    path = write(tmp_path, "Latin.xml", data)
    with pytest.raises(PolicyParseError) as caught:
        read_policy(path)
    assert caught.value.rule == "encoding" and caught.value.line == 3


def test_a_declared_single_byte_encoding_is_honoured(tmp_path: Path) -> None:
    text = policy("<!-- caf\xe9 -->").replace('encoding="utf-8"', 'encoding="ISO-8859-1"')
    parsed = read_policy(write(tmp_path, "Latin.xml", text.encode("latin-1")))
    assert "café" in parsed.text


def test_a_5_mb_policy_parses(tmp_path: Path) -> None:
    claim = ('<ClaimType Id="c{n}"><DisplayName>Claim {n}</DisplayName>'
             "<DataType>string</DataType></ClaimType>\n")
    body = "<BuildingBlocks><ClaimsSchema>\n"
    body += "".join(claim.format(n=n) for n in range(60_000))
    body += "</ClaimsSchema></BuildingBlocks>"
    data = policy(body).encode()
    assert len(data) > 5 * 1024 * 1024
    parsed = read_policy(write(tmp_path, "Big.xml", data))
    assert sum(1 for d in parsed.definitions if d.kind is SymbolKind.CLAIM_TYPE) == 60_000


def test_an_oversized_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "Huge.xml"
    with path.open("wb") as handle:
        handle.truncate(MAX_POLICY_BYTES + 1)  # sparse: nothing is really written
    with pytest.raises(PolicyParseError) as caught:
        read_policy(path)
    assert caught.value.rule == "file-too-large"
    assert str(caught.value).startswith(f"{path}: the file is 16.0 MB")


def test_another_root_element_is_not_a_policy(tmp_path: Path) -> None:
    path = write(tmp_path, "Settings.xml", b"<configuration><a/></configuration>")
    with pytest.raises(PolicyParseError) as caught:
        read_policy(path)
    assert caught.value.rule == "not-a-policy" and "<configuration>" in str(caught.value)


def test_a_root_without_policy_id_is_an_error() -> None:
    with pytest.raises(PolicyParseError, match="no PolicyId") as caught:
        parse_policy(policy(head=HEAD.replace(' PolicyId="B2C_1A_Test"', "")), "x.xml")
    assert caught.value.rule == "policy-id-missing"


@pytest.mark.parametrize(("name", "kind"), [
    ("TrustFrameworkBase.xml", PolicyKind.BASE),
    ("TrustFrameworkLocalization.xml", PolicyKind.LOCALIZATION),
    ("TrustFrameworkExtensions.xml", PolicyKind.EXTENSIONS),
    ("SignUpOrSignin.xml", PolicyKind.RELYING_PARTY),
])
def test_kind_is_inferred_from_content(name: str, kind: PolicyKind) -> None:
    assert read_policy(STARTER / "SocialAndLocalAccounts" / name).kind is kind


def test_every_reference_spans_its_value_in_the_text() -> None:
    parsed = read_policy(STARTER / "SocialAndLocalAccounts" / "TrustFrameworkBase.xml")
    lines = parsed.text.splitlines()
    assert len(parsed.references) > 200
    for symbol in (*parsed.references, *parsed.definitions):
        where = symbol.location
        assert lines[where.line - 1][where.column - 1:where.end_column - 1] == symbol.id
    kinds = {r.kind for r in parsed.references}
    assert {SymbolKind.TECHNICAL_PROFILE, SymbolKind.CLAIM_TYPE, SymbolKind.CONTENT_DEFINITION,
            SymbolKind.KEYSET, SymbolKind.CLAIMS_EXCHANGE,
            SymbolKind.CLAIMS_TRANSFORMATION} <= kinds


def test_text_references_and_metadata_items_are_indexed() -> None:
    parsed = read_policy(STARTER / "SocialAndLocalAccounts" / "TrustFrameworkBase.xml")
    metadata = [r for r in parsed.references if r.attribute == "ContentDefinitionReferenceId"
                and r.element == "Item"]
    assert metadata and all(r.kind is SymbolKind.CONTENT_DEFINITION for r in metadata)
    preconditions = [r for r in parsed.references if r.element == "Value"]
    assert {r.id for r in preconditions} >= {"objectId"}
    assert all(r.kind is SymbolKind.CLAIM_TYPE for r in preconditions)
