"""OData queries that know what Azure AD B2C tenants can answer.

B2C tenants have none of Graph's "advanced queries": no ``$count``, ``$search``, ``ne``, ``not``,
``endsWith``, and no ``$filter`` together with ``$orderby``. Graph answers some of those with a
400, others *silently wrong* (``$count=true`` returns 200 without a count), so every query is
checked here and refused with :class:`UnsupportedQueryError` before any request is sent::

    q = (Query("users").select("id", "displayName", "identities")
         .filter(F.startswith("displayName", "Jo")).top(999))
    q.params()            # {"$select": "id,displayName,identities", "$filter": ..., "$top": "999"}
    q.to_query_string()   # strict RFC 3986: ' -> %27, # -> %23, space -> %20

A hand-typed query goes through the same rules: ``check_b2c("$filter=mail ne 'x'")`` or
``Query.parse(...)``. Words inside string literals never count: ``displayName eq 'not ne'`` is fine.
Filter expressions and literals (``F``, ``Filter``, ``format_literal``) live in
:mod:`b2c_tui.graph.query_expr` and are re-exported here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import KW_ONLY, dataclass, replace
from typing import Any
from urllib.parse import unquote_plus

from .encoding import encode_query
from .errors import UnsupportedQueryError
from .query_expr import (
    MESSAGES,
    F,
    Filter,
    extension_attribute_name,
    format_literal,
    parse_extension_attribute,
    parse_literal,
    refuse_in_filter,
    strip_literals,
    validate_property,
)

__all__ = [
    "F", "Filter", "Query", "ResourceRules", "check_b2c", "extension_attribute_name",
    "format_literal", "parse_extension_attribute", "parse_literal", "refuse_in_filter",
    "register_rules", "rules_for", "strip_literals", "validate_property",
]


# -- per-resource rules ---------------------------------------------------------------------

@dataclass(frozen=True)
class ResourceRules:
    """What one collection accepts on top of the refusals common to every B2C query."""

    name: str
    max_top: int | None = None
    #: Users: a smaller page when signInActivity is selected or filtered (behaviour.md says
    #: 500; older user-list docs said 120 and that larger $top values are clamped, not refused).
    max_top_sign_in_activity: int | None = None
    skip: bool = True
    orderby: tuple[str, ...] | None = None  # the sortable properties; None = any
    filter_with_orderby: bool = False
    ne: bool = False


DEFAULT_RULES = ResourceRules("default")
_RULES: dict[str, ResourceRules] = {}


def register_rules(rules: ResourceRules) -> None:
    """Add or replace the rules for a collection (keyed case-insensitively by ``rules.name``)."""
    _RULES[rules.name.lower()] = rules


for _rules in (
    ResourceRules("users", 999, 500, skip=False,
                  orderby=("displayName", "userPrincipalName")),
    ResourceRules("applications", 999, skip=False),
    ResourceRules("servicePrincipals", 999, skip=False),
    ResourceRules("groups", 999, skip=False),
    ResourceRules("deletedItems", 999, skip=False),
    ResourceRules("directoryAudits", skip=False, filter_with_orderby=True),
    ResourceRules("userFlowAttributes", ne=True),  # documented: $filter eq, ne
):
    register_rules(_rules)


def rules_for(resource: str | None) -> ResourceRules:
    """Rules by name (``"users"``) or path (``/directory/deletedItems/microsoft.graph.user``)."""
    if not resource:
        return DEFAULT_RULES
    parts = [p for p in resource.split("?")[0].split("/") if p and "." not in p and "{" not in p]
    return _RULES.get(parts[-1].lower(), DEFAULT_RULES) if parts else DEFAULT_RULES


# -- checking a whole query -----------------------------------------------------------------

_OPTIONS = ("select", "filter", "orderby", "top", "skip", "expand", "count", "search",
            "format", "skiptoken", "deltatoken")
_ORDER = ("$select", "$filter", "$orderby", "$top", "$skip", "$expand")


def _canonical(key: str) -> str:
    bare = key.strip()
    bare = bare[1:] if bare.startswith("$") else bare
    return f"${bare.lower()}" if bare.lower() in _OPTIONS else key.strip()


def _pairs(source: Mapping[str, Any] | str) -> tuple[str | None, list[tuple[str, str]]]:
    """(path if a URL was given, decoded key/value pairs). ``+`` decodes to a space, as in Graph."""
    if isinstance(source, str):
        text = source.strip()
        path, sep, query = text.partition("?")
        if not sep and "=" not in text:  # a bare path or URL
            path, query = text, ""
        elif not sep or "=" in path:  # no URL in front: the '?' (if any) is inside a value
            path, query = "", text.removeprefix("?")
        pieces = [p.partition("=") for p in query.split("&") if p]
        return path or None, [(unquote_plus(k), unquote_plus(v)) for k, _, v in pieces]
    pairs = []
    for key, value in source.items():
        if value is None:
            continue
        text = ("true" if value else "false") if isinstance(value, bool) else str(value)
        pairs.append((key, text))
    return None, pairs


def _whole(key: str, text: str, minimum: int) -> int:
    if not re.fullmatch(r"[0-9]+", text.strip()) or int(text) < minimum:
        raise UnsupportedQueryError(f"{key} must be a whole number of at least {minimum}.")
    return int(text)


def _parse_orderby(text: str) -> tuple[tuple[str, bool], ...]:
    specs = []
    for part in text.split(","):
        words = part.split()
        if not words or len(words) > 2 or (len(words) == 2 and words[1].lower() not in
                                           ("asc", "desc")):
            raise UnsupportedQueryError(
                f"$orderby {part.strip()!r} is not 'property' or 'property asc|desc'.")
        specs.append((validate_property(words[0]), len(words) == 2 and words[1].lower() == "desc"))
    return tuple(specs)


def check_b2c(
    params: Mapping[str, Any] | str, *, resource: str | None = None, max_top: int | None = None
) -> dict[str, str]:
    """Check raw query options (a dict, a query string or a whole URL) against B2C's rules.

    Returns them with canonical keys (``$filter``...) in a stable order, or raises
    :class:`UnsupportedQueryError` saying what to do instead. ``resource`` picks the collection's
    rules (a URL's path is used when no resource is given); ``max_top`` overrides its page limit.
    """
    path, pairs = _pairs(params)
    if path and re.search(r"/\$count\b", path, re.I):
        raise UnsupportedQueryError(MESSAGES["count"])
    rules = rules_for(resource or path)
    opts: dict[str, str] = {}
    for key, value in pairs:
        name = _canonical(key)
        if name in opts:
            raise UnsupportedQueryError(f"The query option {name} is given twice; keep one.")
        opts[name] = value
    for refused in ("$count", "$search"):
        if refused in opts:
            raise UnsupportedQueryError(MESSAGES[refused[1:]])
    where = opts.get("$filter")
    if where is not None:
        if not where.strip():
            raise UnsupportedQueryError("$filter is empty; drop it or write an expression.")
        refuse_in_filter(where, allow_ne=rules.ne)
        if "$orderby" in opts and not rules.filter_with_orderby:
            raise UnsupportedQueryError(MESSAGES["filter+orderby"])
    for prop in opts["$select"].split(",") if "$select" in opts else ():
        validate_property(prop.strip())
    for prop, _desc in _parse_orderby(opts["$orderby"]) if "$orderby" in opts else ():
        if rules.orderby is not None and prop.lower() not in {p.lower() for p in rules.orderby}:
            raise UnsupportedQueryError(
                f"Without advanced queries, {rules.name} can only be sorted by "
                f"{' or '.join(rules.orderby)}; sort by {prop} locally instead.")
    if "$skip" in opts:
        if not rules.skip:
            raise UnsupportedQueryError(
                f"Graph does not support $skip on {rules.name}; page with @odata.nextLink "
                "instead (the client follows it for you).")
        _whole("$skip", opts["$skip"], 0)
    if "$top" in opts:
        top = _whole("$top", opts["$top"], 1)
        limit = _page_limit(opts, rules, max_top)
        why = " when signInActivity is requested" if limit != (max_top or rules.max_top) else ""
        if limit and top > limit:
            raise UnsupportedQueryError(
                f"$top={top} is above the largest page {rules.name} allow{why} ({limit}); use "
                f"$top={limit} or less and the client pages through the rest.")
    ordered = {k: opts[k] for k in _ORDER if k in opts}
    ordered.update((k, v) for k, v in opts.items() if k not in ordered)
    return ordered


def _page_limit(opts: Mapping[str, str], rules: ResourceRules, max_top: int | None) -> int | None:
    """The largest $top: an explicit override, else the collection's (smaller for users when
    signInActivity is selected or filtered on)."""
    if max_top:
        return max_top
    mentions = (opts.get("$select", "") + strip_literals(opts.get("$filter", ""))).lower()
    if rules.max_top_sign_in_activity and "signinactivity" in mentions:
        return rules.max_top_sign_in_activity
    return rules.max_top


def _split_top_level(text: str) -> tuple[str, ...]:
    """Split ``a,b($select=x,y),c`` on the commas outside parentheses."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += (ch == "(") - (ch == ")")
        if ch == "," and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
    parts.append(text[start:].strip())
    return tuple(p for p in parts if p)


# -- the builder ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Query:
    """An immutable OData query for one collection; every instance obeys B2C's rules.

    Builder methods return a new query and raise :class:`UnsupportedQueryError` at the step
    that breaks a rule (adding ``orderby`` to a filtered user query, ``top(1000)``...).
    """

    resource: str | None = None
    _: KW_ONLY
    max_top: int | None = None
    selected: tuple[str, ...] = ()
    where: Filter | None = None
    order: tuple[tuple[str, bool], ...] = ()
    page_size: int | None = None
    skip_count: int | None = None
    expanded: tuple[str, ...] = ()
    extra: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        check_b2c(self._options(), resource=self.resource, max_top=self.max_top)

    # building
    def on(self, resource: str | None) -> Query:
        """The same query aimed at another collection (its rules apply)."""
        return replace(self, resource=resource)

    def select(self, *props: str) -> Query:
        new = [validate_property(p) for p in props if p not in self.selected]
        return replace(self, selected=self.selected + tuple(dict.fromkeys(new)))

    def filter(self, expression: Filter | str) -> Query:
        """Add a condition; a second call is joined with ``and``. Strings are raw filters."""
        expr = (F.raw(expression, allow_ne=rules_for(self.resource).ne)
                if isinstance(expression, str) else expression)
        return replace(self, where=expr if self.where is None else self.where & expr)

    def orderby(self, *props: str, desc: bool = False) -> Query:
        """Sort by ``props`` (each may say ``"displayName desc"``)."""
        specs = _parse_orderby(",".join(props))
        specs = tuple((p, d or desc) for p, d in specs)
        return replace(self, order=self.order + specs)

    def top(self, n: int) -> Query:
        return replace(self, page_size=n)

    def skip(self, n: int) -> Query:
        return replace(self, skip_count=n)

    def expand(self, *props: str) -> Query:
        for prop in props:
            validate_property(prop.split("(", 1)[0])
        return replace(self, expanded=self.expanded + props)

    def count(self) -> Query:
        """Always refused: B2C tenants have no ``$count`` (count the pages locally)."""
        raise UnsupportedQueryError(MESSAGES["count"])

    def search(self, _text: str = "") -> Query:
        """Always refused: B2C tenants have no ``$search`` (use ``F.startswith``)."""
        raise UnsupportedQueryError(MESSAGES["search"])

    def param(self, name: str, value: str) -> Query:
        """Any other query option (checked like the rest)."""
        return replace(self, extra=(*self.extra, (name, value)))

    @classmethod
    def parse(cls, source: Mapping[str, Any] | str, *, resource: str | None = None,
              max_top: int | None = None) -> Query:
        """A query from raw options, a query string or a URL, checked like any other."""
        path, _ = _pairs(source)
        opts = check_b2c(source, resource=resource, max_top=max_top)
        return cls(
            resource or path, max_top=max_top,
            selected=tuple(p.strip() for p in opts.pop("$select", "").split(",") if p.strip()),
            where=Filter(opts.pop("$filter").strip(), "raw") if "$filter" in opts else None,
            order=_parse_orderby(opts.pop("$orderby")) if "$orderby" in opts else (),
            page_size=int(opts.pop("$top")) if "$top" in opts else None,
            skip_count=int(opts.pop("$skip")) if "$skip" in opts else None,
            expanded=_split_top_level(opts.pop("$expand", "")),
            extra=tuple(opts.items()),
        )

    # output
    @property
    def page_limit(self) -> int | None:
        """The largest ``$top`` this collection accepts with these options, if known."""
        return _page_limit(self._options(), rules_for(self.resource), self.max_top)

    def _options(self) -> dict[str, str]:
        opts: dict[str, str] = {}
        if self.selected:
            opts["$select"] = ",".join(self.selected)
        if self.where is not None:
            opts["$filter"] = self.where.text
        if self.order:
            opts["$orderby"] = ",".join(f"{p} desc" if d else p for p, d in self.order)
        if self.page_size is not None:
            opts["$top"] = str(self.page_size)
        if self.skip_count is not None:
            opts["$skip"] = str(self.skip_count)
        if self.expanded:
            opts["$expand"] = ",".join(self.expanded)
        for key, value in self.extra:
            if _canonical(key) in opts:
                raise UnsupportedQueryError(f"The query option {_canonical(key)} is given twice.")
            opts[_canonical(key)] = value
        return opts

    def params(self) -> dict[str, str]:
        """The options as a dict for httpx (or :func:`b2c_tui.graph.encoding.join_url`)."""
        return self._options()

    def to_query_string(self) -> str:
        """``$filter=...&$top=...``, every value percent-encoded per RFC 3986 (no leading ?)."""
        return encode_query(self._options())

    def __str__(self) -> str:
        """Readable, unencoded form for status lines and logs."""
        return "&".join(f"{k}={v}" for k, v in self._options().items())
