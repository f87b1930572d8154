"""OData query options as a B2C tenant answers them: ``$select``, ``$filter``, ``$orderby``,
``$top``, ``$skiptoken`` and the refusals of advanced queries.

A :class:`ResourceSpec` describes one entity set (its properties, default property set,
page sizes, what may be filtered and sorted, and the :class:`~.dialect.Dialect` of the family
that serves it); :func:`parse_query` turns a request's options into a :class:`Query` or raises
Graph's error. Paging tokens are opaque (base64url JSON).
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from ..http import GraphError, Request
from .dialect import DIRECTORY, Dialect
from .filter import (
    FilterSpec,
    Node,
    Predicate,
    compile_filter,
    parse_filter,
    prop,
    simple_problem,
)

EXTENSION_ATTR = re.compile(r"^extension_[0-9a-fA-F]{32}_\w+$")
COUNT_UNSUPPORTED = "$count is not currently supported."
SEARCH_NEEDS_HEADER = (
    "Request with $search query parameter only works through MSGraph with a special request "
    "header: 'ConsistencyLevel: eventual'"
)
SEARCH_UNSUPPORTED_B2C = "$search is not currently supported in Azure AD B2C tenants."
SKIP_NOT_ALLOWED = (
    "The query specified in the URI is not valid. Query option 'Skip' is not allowed. To allow "
    "it, set the 'AllowedQueryOptions' property on EnableQueryAttribute or "
    "QueryValidationSettings."
)
SORT_WITH_FILTER = "Sorting not supported for current query."
BAD_TOKEN = (
    "The specified page token value has expired and can no longer be included in your request."
)


@dataclass(slots=True)
class ResourceSpec:
    """How one entity set answers query options."""

    entity_set: str  # "users" (for @odata.context)
    type_name: str  # "User"
    properties: tuple[str, ...]  # canonical names of every returnable property
    default_select: tuple[str, ...] | None  # None: every property by default
    filter: FilterSpec | None  # None: $filter is refused
    orderby: tuple[str, ...] = ()
    orderby_with_filter: bool = False
    page_default: int | None = 100  # None: the whole collection unless $top is given
    page_max: int = 999
    oversize_error: bool = True  # False: clamp $top to page_max
    not_in_collection: tuple[str, ...] = ()
    extension_attributes: bool = False
    allow_skip: bool = False
    dialect: Dialect = DIRECTORY
    lookup: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.lookup = {p.lower(): p for p in self.properties}

    def canonical(self, name: str) -> str | None:
        """Canonical casing of a property name, or None when unknown."""
        found = self.lookup.get(name.lower())
        if found is None and self.extension_attributes and EXTENSION_ATTR.match(name):
            return name
        return found


@dataclass(slots=True)
class Query:
    """Parsed query options of a list (or get) request."""

    select: tuple[str, ...] | None
    select_given: bool
    filter: Node | None
    predicate: Predicate | None
    orderby: tuple[str, bool] | None  # (property, descending)
    top: int | None  # None: no paging (lenient dialects without $top)
    token: Any


def lenient_spec(
    entity_set: str, type_name: str, dialect: Dialect, filters: FilterSpec | None = None
) -> ResourceSpec:
    """A collection of a lenient dialect: no fixed property list, every item unless
    ``$top`` asks for pages, ``$filter`` refused unless ``filters`` are given."""
    return ResourceSpec(
        entity_set, type_name, (), None, filters, page_default=None, dialect=dialect
    )


def text_filters(
    type_name: str, names: Iterable[str], collections: Mapping[str, str] | None = None
) -> FilterSpec:
    """The identity services' ``$filter``: ``eq``/``ne``/``has`` on ``names`` compared as
    text, and ``path/any(x:x/prop eq 'v')`` over ``collections`` (path -> record key)."""
    props = {name.lower(): prop(name, "eq ne has", "text") for name in names}
    for path, key in (collections or {}).items():
        props[path.lower()] = prop(key, "any", "opencoll")
    return FilterSpec(type_name, props, simple=True)


def refuse_advanced(request: Request) -> None:
    """Refuse ``$count``/``$search``: advanced queries do not exist in B2C tenants."""
    if request.args("$count"):
        raise GraphError(400, "Request_BadRequest", COUNT_UNSUPPORTED)
    if request.args("$search"):
        message = (
            SEARCH_UNSUPPORTED_B2C if request.header("consistencylevel") else SEARCH_NEEDS_HEADER
        )
        raise GraphError(400, "Request_UnsupportedQuery", message)


def parse_select(
    request: Request, spec: ResourceSpec, *, collection: bool
) -> tuple[str, ...] | None:
    """``$select`` as canonical names (None when absent); 400 on unknown properties.

    In a lenient dialect the names are taken as given (matched when projecting)."""
    raw = request.arg("$select")
    if raw is None or not raw.strip():
        return None
    if not spec.dialect.strict_select:
        return tuple(part.strip() for part in raw.split(",") if part.strip())
    out: list[str] = []
    for part in raw.split(","):
        name = part.strip()
        if not name:
            continue
        if name == "*":
            return spec.properties
        canonical = spec.canonical(name)
        if canonical is None:
            raise GraphError(
                400,
                "BadRequest",
                f"Could not find a property named '{name}' on type "
                f"'microsoft.graph.{spec.type_name[:1].lower()}{spec.type_name[1:]}'.",
            )
        if collection and canonical in spec.not_in_collection:
            raise GraphError(
                501,
                "NotImplemented",
                f"This operation target is not yet supported. Property '{canonical}' can only "
                "be selected on a single entity.",
            )
        if canonical not in out:
            out.append(canonical)
    return tuple(out)


def parse_top(request: Request, spec: ResourceSpec) -> int | None:
    """``$top`` with the resource's default/max; Graph's 400 for an invalid page size."""
    raw = request.arg("$top")
    if raw is None:
        return spec.page_default
    try:
        top = int(raw.strip())
    except ValueError:
        raise GraphError(
            400, "BadRequest", f"Invalid value '{raw}' for $top query option found."
        ) from None
    if top < 1 or top > spec.page_max:
        if top >= 1 and not spec.oversize_error:
            return spec.page_max
        dialect = spec.dialect
        raise GraphError(
            400,
            dialect.page_size_code,
            dialect.page_size_message.format(top=top, max=spec.page_max),
        )
    return top


def parse_orderby(request: Request, spec: ResourceSpec) -> tuple[str, bool] | None:
    """``$orderby`` (one property, asc/desc) if the resource sorts on it by default."""
    raw = request.arg("$orderby")
    if raw is None or not raw.strip():
        return None
    parts = raw.strip().split()
    if (
        len(parts) > 2
        or "," in raw
        or (len(parts) == 2 and parts[1].lower() not in ("asc", "desc"))
    ):
        raise GraphError(400, "Request_UnsupportedQuery", f"Unsupported sort specified '{raw}'.")
    name = spec.canonical(parts[0])
    if name is None or name not in spec.orderby:
        raise GraphError(
            400,
            "Request_UnsupportedQuery",
            f"Sorting by '{parts[0]}' is not supported for '{spec.type_name}' without advanced "
            "query parameters, which are not available in this tenant.",
        )
    return name, len(parts) == 2 and parts[1].lower() == "desc"


def parse_query(request: Request, spec: ResourceSpec) -> Query:
    """Parse and check every query option of a list request."""
    checks = spec.dialect.checks_query_options
    if checks:
        refuse_advanced(request)
        if request.args("$skip") and not spec.allow_skip:
            raise GraphError(400, "Request_BadRequest", SKIP_NOT_ALLOWED)
        if request.args("$expand"):
            raise GraphError(
                400,
                "Request_UnsupportedQuery",
                "$expand is not supported by this emulated resource.",
            )
    select = parse_select(request, spec, collection=True)
    node: Node | None = None
    predicate: Predicate | None = None
    raw_filter = request.arg("$filter")
    if raw_filter is not None and raw_filter.strip():
        node, predicate = parse_query_filter(raw_filter, spec)
    orderby = parse_orderby(request, spec) if checks else None
    if orderby is not None and node is not None and not spec.orderby_with_filter:
        raise GraphError(400, "Request_UnsupportedQuery", SORT_WITH_FILTER)
    top = parse_top(request, spec)
    raw_token = request.arg("$skiptoken")
    token = decode_token(raw_token) if raw_token else None
    return Query(
        select=select if select is not None else spec.default_select,
        select_given=select is not None,
        filter=node,
        predicate=predicate,
        orderby=orderby,
        top=top,
        token=token,
    )


def parse_query_filter(raw: str, spec: ResourceSpec) -> tuple[Node, Predicate]:
    """``$filter`` as an AST and a predicate, with the refusals of the spec's dialect."""
    dialect, filters = spec.dialect, spec.filter
    invalid = dialect.bad_request(dialect.no_filter_message.format(filter=raw))
    if filters is None:
        raise invalid
    if not filters.simple:
        node = parse_filter(raw, dialect.extra_operators)
        return node, compile_filter(node, filters)
    try:
        node = parse_filter(raw, dialect.extra_operators)
    except GraphError:
        raise invalid from None
    problem = simple_problem(node, filters)
    if problem == "" or (problem is not None and dialect.unknown_filter_property is None):
        raise invalid
    if problem is not None:
        raise dialect.bad_request(str(dialect.unknown_filter_property).format(name=problem))
    return node, compile_filter(node, filters)


def encode_token(state: Any) -> str:
    """An opaque ``$skiptoken`` for a cursor state (JSON-serializable)."""
    raw = orjson.dumps(state)
    return "RFNwdA" + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_token(token: str) -> Any:
    """Inverse of :func:`encode_token`; Graph's 400 when the token is not one of ours."""
    if not token.startswith("RFNwdA"):
        raise GraphError(400, "Request_BadRequest", BAD_TOKEN)
    body = token[6:]
    try:
        return orjson.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    except (binascii.Error, ValueError, orjson.JSONDecodeError):
        raise GraphError(400, "Request_BadRequest", BAD_TOKEN) from None


def next_link(request: Request, state: Any) -> str:
    """The absolute ``@odata.nextLink``: same path, every original option, new skiptoken."""
    kept = [
        part
        for part in request.query_string.split("&")
        if part and not part.lower().startswith(("$skiptoken=", "%24skiptoken="))
    ]
    kept.append(f"$skiptoken={encode_token(state)}")
    return f"{request.base_url}{request.full_path}?{'&'.join(kept)}"


def context(
    request: Request,
    spec: ResourceSpec,
    select: tuple[str, ...] | None,
    *,
    entity: bool = False,
    entity_set: str | None = None,
) -> str:
    """``@odata.context`` for a collection or entity, with the selection when given."""
    frag = entity_set or spec.entity_set
    if select:
        frag += "(" + ",".join(select) + ")"
    if entity:
        frag += "/$entity"
    return request.context_url(frag)


def project(
    record: dict[str, Any], select: tuple[str, ...] | None, dialect: Dialect = DIRECTORY
) -> dict[str, Any]:
    """The record restricted to ``select`` (extension attributes only when present).

    Strict dialects answer an absent property as null; lenient ones match names
    case-insensitively, leave absent ones out and keep ``@odata.type``."""
    if not dialect.strict_select:
        return _project_lenient(record, select)
    if select is None:
        return record
    out: dict[str, Any] = {}
    for name in select:
        if name in record:
            out[name] = record[name]
        elif name.startswith("extension_"):
            low = name.lower()
            for key, value in record.items():
                if key.lower() == low:
                    out[key] = value
                    break
        else:
            out[name] = None
    return out


def _project_lenient(record: dict[str, Any], select: tuple[str, ...] | None) -> dict[str, Any]:
    if not select:
        return record
    lower = {key.lower(): key for key in record}
    out = {k: v for k, v in record.items() if k == "@odata.type"}
    for name in select:
        key = lower.get(name.lower())
        if key is not None:
            out[key] = record[key]
    return out
