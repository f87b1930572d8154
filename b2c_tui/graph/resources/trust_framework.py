"""Custom policies (Trust Framework XML): list, read, create, upload (upsert), delete.

Endpoints (beta only): ``/trustFramework/policies``. The list gives ids only; a policy's XML
lives at ``/trustFramework/policies/{id}/$value`` and is read and written as
``application/xml``. Policy XML is tenant configuration that may embed anything an author put
in it, so it is never logged and never quoted in error messages.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable

from ..errors import ValidationError
from ..paging import PageIterator
from ..validation import validate_policy_id
from ._query import to_params
from .base import ResourceAPI, mutating, seg

BETA = "beta"
POLICIES = "/trustFramework/policies"
XML_TYPE = "application/xml"

# The root element's PolicyId attribute; an XML declaration, comments and other attributes may
# come first. This reads one attribute, it does not parse the document (b2c_tui.policies does).
_ROOT_POLICY_ID = re.compile(
    r"<(?:[\w.-]+:)?TrustFrameworkPolicy\b[^>]*?\sPolicyId\s*=\s*([\"'])(.*?)\1", re.DOTALL
)
#: Byte-order marks and the codec each announces (UTF-32 is not a policy encoding B2C takes).
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))


def _xml_bytes(xml: str | bytes) -> bytes:
    if isinstance(xml, str):
        return xml.encode("utf-8")
    if isinstance(xml, (bytes, bytearray)):
        return bytes(xml)
    raise ValidationError("Policy XML must be text or bytes.", field="xml")


def _as_text(data: bytes) -> str:
    """The document's text, decoded the way an XML parser would: by its byte-order mark
    (UTF-8, UTF-16 LE or BE), as UTF-16 when it starts ``<`` with a NUL byte beside it (no
    mark), else as UTF-8. Windows tools still write policies as UTF-16, whose bytes an ASCII
    pattern never matches."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data.decode(codec, errors="replace")
    if data[:2] == b"<\x00":
        return data.decode("utf-16-le", errors="replace")
    if data[:2] == b"\x00<":
        return data.decode("utf-16-be", errors="replace")
    return data.decode("utf-8", errors="replace")


def policy_id_of(xml: str | bytes) -> str:
    """The ``PolicyId`` attribute of a policy document's root element (validated); bytes in
    UTF-8 or UTF-16 (with or without a byte-order mark) are read as such."""
    text = xml if isinstance(xml, str) else _as_text(_xml_bytes(xml))
    match = _ROOT_POLICY_ID.search(text)
    if match is None:
        raise ValidationError(
            "This is not a Trust Framework policy: the root <TrustFrameworkPolicy> element with a "
            "PolicyId attribute was not found.", field="xml")
    return validate_policy_id(match.group(2))


class TrustFrameworkPoliciesAPI(ResourceAPI):
    """``/trustFramework/policies`` (beta)."""

    def list(self, *, select: Iterable[str] | None = None, prefetch: bool = True) -> PageIterator:
        """Pages of ``{"id": "B2C_1A_..."}`` records: ``GET /trustFramework/policies``."""
        return self._core.pages(
            POLICIES, version=BETA, params=to_params(select=select), prefetch=prefetch
        )

    async def get_xml(self, policy_id: str) -> str:
        """The policy document: ``GET /trustFramework/policies/{id}/$value`` (application/xml)."""
        policy_id = validate_policy_id(policy_id)
        response = await self._core.request(
            "GET", f"{POLICIES}/{seg(policy_id)}/$value", version=BETA,
            headers={"Accept": XML_TYPE},
        )
        return response.text

    @mutating
    async def create(self, xml: str | bytes) -> str:
        """Create a policy from its XML: ``POST /trustFramework/policies`` (201, XML back).

        The id is the document's ``PolicyId``; Graph refuses an id that already exists (use
        :meth:`upload` to overwrite)."""
        body = _xml_bytes(xml)
        policy_id_of(xml)
        response = await self._core.request(
            "POST", POLICIES, version=BETA, content=body, content_type=XML_TYPE,
            headers={"Accept": XML_TYPE},
        )
        return response.text

    @mutating
    async def upload(self, policy_id: str, xml: str | bytes) -> tuple[str, bool]:
        """Create or overwrite: ``PUT /trustFramework/policies/{id}/$value``.

        Returns ``(stored XML, created)``: ``created`` is true for 201 (a new policy), false for
        200 (an existing one was replaced). The document's ``PolicyId`` must equal ``policy_id``.
        """
        policy_id = validate_policy_id(policy_id)
        body = _xml_bytes(xml)
        inner = policy_id_of(xml)
        if inner.lower() != policy_id.lower():
            raise ValidationError(
                f"The document's PolicyId is {inner!r} but it is being uploaded as "
                f"{policy_id!r}; Graph requires them to match.", field="xml")
        response = await self._core.request(
            "PUT", f"{POLICIES}/{seg(policy_id)}/$value", version=BETA, content=body,
            content_type=XML_TYPE, headers={"Accept": XML_TYPE},
        )
        return response.text, response.status == 201

    @mutating
    async def delete(self, policy_id: str) -> None:
        """Delete a policy: ``DELETE /trustFramework/policies/{id}`` (no ``/$value``; 204)."""
        policy_id = validate_policy_id(policy_id)
        await self._core.request("DELETE", f"{POLICIES}/{seg(policy_id)}", version=BETA)
