"""Custom policy (Trust Framework) columns. Graph lists ids only; the XML is read per policy
(``GET .../{id}/$value``) when asked for, and the base policy and tenant are read from it.

The XML is parsed with defusedxml (no entities, no external references): a policy document is
tenant configuration anyone with policy rights wrote. A document that does not parse leaves the
derived columns empty; the ``xml`` column keeps the text as Graph sent it.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from .columns import Column


@lru_cache(maxsize=256)
def _root(xml: str) -> Any:
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        return fromstring(xml.encode("utf-8"))
    except (ParseError, DefusedXmlException, ValueError):
        return None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def base_policy(record: Mapping[str, Any]) -> str | None:
    """The ``<BasePolicy><PolicyId>`` of the record's ``xml`` (``None`` for a root policy)."""
    xml = record.get("xml")
    root = _root(xml) if isinstance(xml, str) and xml else None
    if root is None:
        return None
    for element in root:
        if _local(element.tag) == "BasePolicy":
            for child in element:
                if _local(child.tag) == "PolicyId" and child.text:
                    return child.text.strip()
    return None


def root_attribute(name: str) -> Any:
    """A getter for an attribute of the document's root ``<TrustFrameworkPolicy>``."""

    def get(record: Mapping[str, Any]) -> str | None:
        xml = record.get("xml")
        root = _root(xml) if isinstance(xml, str) and xml else None
        return None if root is None else root.get(name)

    return get


POLICY_COLUMNS: tuple[Column, ...] = (Column("id", "Policy id", width=44),)

#: Columns filled when the XML is loaded (``Tenant.policies(xml=True)``).
POLICY_XML_COLUMNS: tuple[Column, ...] = (
    Column("basePolicy", "Base policy", get=base_policy, width=40),
    Column("deploymentMode", "Deployment mode", get=root_attribute("DeploymentMode"), width=12),
    Column("tenantId", "Tenant", get=root_attribute("TenantId"), width=32),
    Column("xml", "XML", width=40),
)
