"""Trust Framework policy XML checks for the demo tenant.

The emulator refuses uploads the way Azure AD B2C does: a malformed document, a PolicyId that
differs from the URL, a TenantId of another tenant or a missing base policy all give a 400 whose
message follows B2C's ``Validation failed: N validation error(s) found in policy ...`` wording.

Parsing is deliberately safe: documents carrying a DTD or entity declarations are refused before
they reach the parser, so entity expansion (billion laughs, external entities) cannot happen.
This module stands alone: the emulator may not import ``b2c_tui.policies``.
"""

from __future__ import annotations

import logging
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping
from dataclasses import dataclass

log = logging.getLogger(__name__)

NAMESPACE = "http://schemas.microsoft.com/online/cpim/schemas/2013/06"
POLICY_PREFIX = "B2C_1A_"
_ROOT = f"{{{NAMESPACE}}}TrustFrameworkPolicy"
_FORBIDDEN = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_ROOT_TAG = re.compile(r"<(?:\w+:)?TrustFrameworkPolicy\b[^>]*>", re.DOTALL)


class PolicyXmlError(ValueError):
    """A policy document was refused; ``errors`` are B2C-style sentences."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__(" ".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class PolicyHeader:
    """What the emulator needs from a policy document's root and ``BasePolicy``."""

    policy_id: str
    tenant_id: str
    public_policy_uri: str | None
    base_policy_id: str | None
    base_tenant_id: str | None


def decode_policy(body: bytes | str) -> str:
    """Decode an uploaded body to text (UTF-8 or UTF-16 by BOM), dropping any BOM."""
    if isinstance(body, str):
        return body.removeprefix("\ufeff")
    if body.startswith((b"\xff\xfe", b"\xfe\xff")):
        return body.decode("utf-16")
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PolicyXmlError([f"The policy file is not valid UTF-8 text ({exc.reason})."]) from exc


def parse_policy(text: str) -> PolicyHeader:
    """Parse a policy document safely and return its header.

    Raises :class:`PolicyXmlError` for DTDs/entities, malformed XML, a wrong root element or
    missing ``PolicyId``/``TenantId`` attributes.
    """
    if _FORBIDDEN.search(text):
        raise PolicyXmlError(["DTDs and entity declarations are not allowed in policy files."])
    try:
        # The declaration is dropped because the text is already decoded.
        root = ET.fromstring(_XML_DECL.sub("", text, count=1))
    except ET.ParseError as exc:
        line, col = exc.position
        raise PolicyXmlError(
            [f"The policy file contains invalid XML: {_reason(exc)} at line {line} col {col}."]
        ) from exc
    if root.tag != _ROOT:
        raise PolicyXmlError(
            [
                f"Schema validation error found at line 1 col 1: the root element "
                f"'{_local(root.tag)}' is not 'TrustFrameworkPolicy' in namespace '{NAMESPACE}'."
            ]
        )
    missing = [name for name in ("PolicyId", "TenantId") if not root.get(name)]
    if missing:
        raise PolicyXmlError(
            [f"The required attribute '{n}' is missing on 'TrustFrameworkPolicy'." for n in missing]
        )
    base = root.find(f"{{{NAMESPACE}}}BasePolicy")
    base_id = base_tenant = None
    if base is not None:
        base_id = (base.findtext(f"{{{NAMESPACE}}}PolicyId") or "").strip() or None
        base_tenant = (base.findtext(f"{{{NAMESPACE}}}TenantId") or "").strip() or None
    return PolicyHeader(
        policy_id=root.get("PolicyId", "").strip(),
        tenant_id=root.get("TenantId", "").strip(),
        public_policy_uri=root.get("PublicPolicyUri"),
        base_policy_id=base_id,
        base_tenant_id=base_tenant,
    )


def check_upload(
    header: PolicyHeader,
    *,
    url_id: str | None,
    tenant_domain: str,
    tenant_id: str,
    existing: Mapping[str, str | None],
) -> list[str]:
    """Return the B2C validation errors for uploading ``header`` (empty when acceptable).

    ``existing`` maps lower-cased ids of uploaded policies to the id of their base (or None);
    it is used for the base-exists and inheritance-cycle checks.
    """
    errors: list[str] = []
    pid = header.policy_id
    if not pid.upper().startswith(POLICY_PREFIX):
        errors.append(f"PolicyId '{pid}' must start with '{POLICY_PREFIX}'.")
    if url_id is not None and url_id.lower() != pid.lower():
        errors.append(
            f"The policy id '{url_id}' in the request URL does not match the PolicyId "
            f"'{pid}' in the policy xml."
        )
    if header.tenant_id.lower() != tenant_domain.lower():
        errors.append(
            f"TenantId in the policy xml '{header.tenant_id}' is not same as the one in login "
            f"tenant '{tenant_domain}'."
        )
    base = header.base_policy_id
    if base is not None:
        if header.base_tenant_id and header.base_tenant_id.lower() != tenant_domain.lower():
            errors.append(
                f"TenantId '{header.base_tenant_id}' of the base policy is not same as the one "
                f"in login tenant '{tenant_domain}'."
            )
        if base.lower() not in existing:
            errors.append(
                f"Policy with 'policyId': {base.upper()} cannot be found in the directory "
                f"'{tenant_id}'."
            )
        elif _creates_cycle(pid.lower(), base.lower(), existing):
            errors.append(f"Policy '{pid}' cannot inherit from '{base}': inheritance cycle.")
    return errors


def validation_message(policy_id: str, tenant_domain: str, errors: list[str]) -> str:
    """Format errors as B2C does: ``Validation failed: N validation error(s) found in ...``."""
    return (
        f'Validation failed: {len(errors)} validation error(s) found in policy '
        f'"{policy_id.upper()}" of tenant "{tenant_domain}".' + "".join(errors)
    )


def ensure_public_policy_uri(text: str, header: PolicyHeader, tenant_domain: str) -> str:
    """Add ``PublicPolicyUri`` to the root element when missing, as the service does."""
    if header.public_policy_uri:
        return text
    match = _ROOT_TAG.search(text)
    if match is None:
        return text
    tag = match.group(0)
    end = len(tag) - (2 if tag.endswith("/>") else 1)
    uri = f' PublicPolicyUri="http://{tenant_domain}/{header.policy_id}"'
    return text[: match.start()] + tag[:end] + uri + tag[end:] + text[match.end() :]


def rewrite_starter_policy(
    text: str, *, tenant_domain: str, rename: Callable[[str], str]
) -> str:
    """Adapt a starter-pack file to a tenant: its TenantIds and (renamed) policy ids.

    The edit is textual so comments and layout survive exactly as uploaded by a person would
    have them. Key container references (``StorageReferenceId``) are left alone.
    """
    text = text.removeprefix("\ufeff").replace("yourtenant.onmicrosoft.com", tenant_domain)

    def policy_attr(m: re.Match[str]) -> str:
        return f'{m.group(1)}"{rename(m.group(2))}"'

    def policy_elem(m: re.Match[str]) -> str:
        return f"<PolicyId>{rename(m.group(1))}</PolicyId>"

    def public_uri(m: re.Match[str]) -> str:
        return f"{m.group(1)}{rename(m.group(2))}\""

    text = re.sub(r'(\sPolicyId=)"(B2C_1A_[^"]+)"', policy_attr, text)
    text = re.sub(r"<PolicyId>\s*(B2C_1A_[^<\s]+)\s*</PolicyId>", policy_elem, text)
    return re.sub(r'(PublicPolicyUri="[^"]*/)(B2C_1A_[^"]+)"', public_uri, text)


def _creates_cycle(policy: str, base: str, existing: Mapping[str, str | None]) -> bool:
    seen: set[str] = set()
    current: str | None = base
    while current is not None and current not in seen:
        if current == policy:
            return True
        seen.add(current)
        parent = existing.get(current)
        current = parent.lower() if parent else None
    return False


def _reason(exc: ET.ParseError) -> str:
    return str(exc).split(":", 1)[0]


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]
