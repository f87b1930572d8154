"""The one OData kit every Graph family of the emulator is served with.

``query`` parses and checks query options against a :class:`ResourceSpec`, ``filter`` parses
and evaluates ``$filter``, ``collection`` answers pages and entities, and ``dialect`` holds
what differs between the families of real Graph (error codes, ``$select`` leniency, the
operators allowed, the paging scheme) as data.
"""

from __future__ import annotations

from .collection import FROM_REQUEST, entity, page, page_body, value_list
from .dialect import AUTHENTICATION_METHODS, DIRECTORY, IDENTITY, Dialect
from .filter import FilterSpec, Prop, prop
from .query import (
    Query,
    ResourceSpec,
    context,
    decode_token,
    encode_token,
    lenient_spec,
    next_link,
    parse_query,
    parse_select,
    project,
    text_filters,
)

__all__ = [
    "AUTHENTICATION_METHODS",
    "DIRECTORY",
    "FROM_REQUEST",
    "IDENTITY",
    "Dialect",
    "FilterSpec",
    "Prop",
    "Query",
    "ResourceSpec",
    "context",
    "decode_token",
    "encode_token",
    "entity",
    "lenient_spec",
    "next_link",
    "page",
    "page_body",
    "parse_query",
    "parse_select",
    "project",
    "prop",
    "text_filters",
    "value_list",
]
