"""Collection pages and single entities, the way the spec's dialect serves them.

Items come as ``(key, record)`` pairs in the collection's order. A *cursor* dialect (the
directory) puts the last key served in the ``$skiptoken``, so objects created between two
pages never shift what the next page returns; an *offset* dialect (the identity services)
puts the position in the filtered list there, and without ``$top`` answers everything at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import orjson

from ..http import Request, Response, json_response, raw_json_response
from .query import Query, ResourceSpec, context, next_link, parse_query, parse_select, project

Shape = Callable[[dict[str, Any]], dict[str, Any]]
#: ``entity(select=FROM_REQUEST)``: the ``$select`` of a GET request.
FROM_REQUEST: tuple[str, ...] = ("<from the request>",)


def page(
    request: Request,
    spec: ResourceSpec,
    items: Iterable[tuple[Any, dict[str, Any]]],
    *,
    query: Query | None = None,
    descending: bool = False,
    entity_set: str | None = None,
    shape: Shape | None = None,
) -> Response:
    """One page of ``items`` (ascending keys, or descending when ``descending``).

    The filter sees the records as given; ``shape`` turns each record on the page into what
    is returned (before ``$select``)."""
    q = query or parse_query(request, spec)
    if spec.dialect.paging == "offset":
        picked, state = _offset_page(q, items)
    else:
        picked, state = _cursor_page(q, items, descending)
    return page_body(request, spec, q, picked, state, entity_set=entity_set, shape=shape)


def page_body(
    request: Request,
    spec: ResourceSpec,
    q: Query,
    picked: list[dict[str, Any]],
    state: Any,
    *,
    entity_set: str | None = None,
    shape: Shape | None = None,
) -> Response:
    """The response for the records of one page (``state``: the next page's cursor)."""
    values = [project(shape(r) if shape else r, q.select, spec.dialect) for r in picked]
    body: dict[str, Any] = {
        "@odata.context": context(
            request, spec, q.select if q.select_given else None, entity_set=entity_set
        )
    }
    if state is not None:
        body["@odata.nextLink"] = next_link(request, state)
    body["value"] = values
    return raw_json_response(200, orjson.dumps(body))


def _cursor_page(
    q: Query, items: Iterable[tuple[Any, dict[str, Any]]], descending: bool
) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    token = q.token if isinstance(q.token, dict) else {}
    after = token.get("k")
    picked: list[dict[str, Any]] = []
    last: Any = None
    for key, rec in items:
        if after is not None and (key >= after if descending else key <= after):
            continue
        if q.predicate is not None and not q.predicate(rec):
            continue
        if len(picked) == q.top:
            return picked, {"k": last}
        picked.append(rec)
        last = key
    return picked, None


def _offset_page(
    q: Query, items: Iterable[tuple[Any, dict[str, Any]]]
) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    records = [rec for _, rec in items if q.predicate is None or q.predicate(rec)]
    offset = int(q.token.get("o", 0)) if isinstance(q.token, dict) else 0
    if q.top is None:
        return records[offset:], None
    end = offset + q.top
    return records[offset:end], ({"o": end} if end < len(records) else None)


def entity(
    request: Request,
    spec: ResourceSpec,
    rec: dict[str, Any],
    *,
    status: int = 200,
    select: tuple[str, ...] | None = FROM_REQUEST,
    context_url: str | None = None,
    entity_set: str | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """A single entity with its ``@odata.context``.

    ``select`` defaults to the request's ``$select`` on a GET (none otherwise); the context
    names the selection unless ``context_url`` (a fragment after ``$metadata#``) is given."""
    if select is FROM_REQUEST:
        select = parse_select(request, spec, collection=False) if request.method == "GET" else None
    if context_url is not None:
        ctx = request.context_url(context_url)
    else:
        ctx = context(request, spec, select, entity=True, entity_set=entity_set)
    body = {"@odata.context": ctx}
    body.update(project(rec, select or spec.default_select, spec.dialect))
    return json_response(status, body, headers)


def value_list(request: Request, fragment: str, values: list[Any]) -> Response:
    """A bare collection (``{"@odata.context", "value"}``) with no paging or options."""
    return json_response(200, {"@odata.context": request.context_url(fragment), "value": values})
