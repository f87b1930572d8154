"""Turn whatever a caller passes as a query into the params the core sends."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Protocol, runtime_checkable


@runtime_checkable
class QueryLike(Protocol):
    def params(self) -> dict[str, str]: ...


#: What the listing methods take as ``query``: a :class:`~b2c_tui.graph.query.Query`, a plain
#: mapping of OData parameters, or nothing.
QueryArg = QueryLike | Mapping[str, Any] | None


def to_params(
    query: QueryArg = None,
    *,
    select: Iterable[str] | None = None,
    top: int | None = None,
    **extra: Any,
) -> dict[str, str]:
    """Merge a :class:`~b2c_tui.graph.query.Query` (or a plain mapping) with shortcuts."""
    params: dict[str, str] = {}
    if isinstance(query, QueryLike):
        params.update(query.params())
    elif query:
        params.update({str(k): str(v) for k, v in query.items()})
    if select:
        params["$select"] = ",".join(select)
    if top is not None:
        params["$top"] = str(top)
    for key, value in extra.items():
        if value is not None:
            params[key] = str(value)
    return params
