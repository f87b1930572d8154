"""Paging for the small collections (applications, service principals, grants, deleted
items, audit entries): filter, select, ``$top`` and a cursor over a stable sequence key.

Items come as ``(key, record)`` in key order; the ``$skiptoken`` holds the last key served,
so objects created between two pages never shift what the next page returns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import orjson

from .http import Request, Response, json_response, raw_json_response
from .odata import Query, ResourceSpec, context, next_link, parse_query, project


def page(
    request: Request,
    spec: ResourceSpec,
    items: Iterable[tuple[Any, dict[str, Any]]],
    *,
    query: Query | None = None,
    descending: bool = False,
    entity_set: str | None = None,
    shape: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> Response:
    """One page of ``items`` (ascending keys, or descending when ``descending``)."""
    q = query or parse_query(request, spec)
    token = q.token if isinstance(q.token, dict) else {}
    after = token.get("k")
    picked: list[dict[str, Any]] = []
    last: Any = None
    more = False
    for key, rec in items:
        if after is not None and (key >= after if descending else key <= after):
            continue
        if q.predicate is not None and not q.predicate(rec):
            continue
        if len(picked) == q.top:
            more = True
            break
        picked.append(rec)
        last = key
    values = [project(shape(r) if shape else r, q.select) for r in picked]
    body: dict[str, Any] = {
        "@odata.context": context(
            request, spec, q.select if q.select_given else None, entity_set=entity_set
        )
    }
    if more:
        body["@odata.nextLink"] = next_link(request, {"k": last})
    body["value"] = values
    return raw_json_response(200, orjson.dumps(body))


def entity(
    request: Request,
    spec: ResourceSpec,
    rec: dict[str, Any],
    *,
    status: int = 200,
    select: tuple[str, ...] | None = None,
    entity_set: str | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """A single entity with its ``@odata.context``."""
    body = {"@odata.context": context(request, spec, select, entity=True, entity_set=entity_set)}
    body.update(project(rec, select or spec.default_select))
    return json_response(status, body, headers)
