"""The policy XML viewer: :class:`XmlView`, the :class:`XmlResolver` protocol its host
implements for go to definition and find uses, and :class:`TextResolver`, an in-memory one."""

from __future__ import annotations

from .resolver import Location, TextResolver, XmlResolver
from .view import XmlView

__all__ = ["Location", "TextResolver", "XmlResolver", "XmlView"]
