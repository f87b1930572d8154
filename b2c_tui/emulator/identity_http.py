"""HTTP helpers shared by the identity, trust-framework and conditional-access route modules.

Small collections (identity providers, user flows, keysets, policies...) are served from
lists: ``$select`` projects, ``$top`` pages with an opaque ``$skiptoken`` and, where a route
passes a filter, ``$filter`` applies. Changes are audited through :meth:`Store.audit`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from typing import Any

from . import odata
from .audit_log import target
from .filter import FilterSpec, compile_filter, parse_filter
from .http import GraphError, Request, Response, json_response

log = logging.getLogger(__name__)

#: Throttling families (see the router): B2C/External ID identity APIs share one budget,
#: Conditional Access has its own (1 request/s per tenant, 429 without Retry-After).
FAMILY_IDENTITY = "identity"
FAMILY_TRUST_FRAMEWORK = FAMILY_IDENTITY  # the throttle counts policies and keysets here
FAMILY_CA = "conditional_access"
BOTH = ("v1.0", "beta")
BETA = ("beta",)
MAX_PAGE = 999

Filter = Callable[[dict[str, Any]], bool]
_SIMPLE = re.compile(r"^\s*([\w/.]+)\s+(eq|ne|has)\s+'((?:[^']|'')*)'\s*$", re.IGNORECASE)
_LAMBDA = re.compile(
    r"^\s*([\w./]+)/any\(\s*(\w+)\s*:\s*\2/(\w+)\s+eq\s+'((?:[^']|'')*)'\s*\)\s*$", re.IGNORECASE
)


def collection(
    request: Request,
    items: Iterable[dict[str, Any]],
    fragment: str,
    *,
    filter_spec: FilterSpec | None = None,
    simple_filter: tuple[str, ...] = (),
    lambdas: dict[str, str] | None = None,
    context: bool = True,
    render: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> Response:
    """A collection response with ``$select``/``$top``/``$skiptoken`` (and ``$filter``).

    ``filter_spec`` enables the B2C ``$filter`` subset on the (already rendered) items;
    ``simple_filter`` names properties that also take ``eq``/``ne``/``has`` comparisons
    joined by ``and`` (the non-directory APIs allow ``ne``); ``lambdas`` maps lower-cased
    collection paths (type casts included) to item keys for ``path/any(x:x/prop eq 'v')``
    clauses. Without any of them, ``$filter`` is refused. ``render``, when given, turns each
    filtered item into its response form.
    """
    records = list(items)
    raw_filter = request.arg("$filter")
    if raw_filter and raw_filter.strip():
        pred = _filter(raw_filter, filter_spec, simple_filter, lambdas or {})
        records = [r for r in records if pred(r)]
    offset = 0
    token = request.arg("$skiptoken")
    if token:
        state = odata.decode_token(token)
        offset = int(state.get("o", 0)) if isinstance(state, dict) else 0
    top = _top(request)
    page = records[offset : offset + top] if top else records[offset:]
    select = _select(request)
    body: dict[str, Any] = {}
    if context:
        suffix = f"({','.join(select)})" if select else ""
        body["@odata.context"] = request.context_url(fragment + suffix)
    if top and offset + top < len(records):
        body["@odata.nextLink"] = odata.next_link(request, {"o": offset + top})
    if render is not None:
        page = [render(record) for record in page]
    body["value"] = [project(record, select) for record in page]
    return json_response(200, body)


def entity(
    request: Request,
    record: dict[str, Any],
    fragment: str | None,
    *,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    """One entity, ``$select`` applied, with ``@odata.context`` when ``fragment`` is given."""
    select = _select(request) if request.method == "GET" else None
    body: dict[str, Any] = {}
    if fragment is not None:
        body["@odata.context"] = request.context_url(fragment)
    body.update(project(record, select))
    return json_response(status, body, headers)


def project(record: dict[str, Any], select: tuple[str, ...] | None) -> dict[str, Any]:
    """``record`` restricted to ``select`` (case-insensitive), keeping ``@odata.type``."""
    if not select:
        return record
    lower = {key.lower(): key for key in record}
    out = {k: v for k, v in record.items() if k == "@odata.type"}
    for name in select:
        key = lower.get(name.lower())
        if key is not None:
            out[key] = record[key]
    return out


def not_found(kind: str, key: str) -> GraphError:
    """404 for a missing object of these families."""
    return GraphError(404, "ResourceNotFound", f"The {kind} '{key}' was not found.")


def bad_request(message: str, code: str = "BadRequest") -> GraphError:
    """400 with Graph's generic code."""
    return GraphError(400, code, message)


def require(body: dict[str, Any], names: Iterable[str], type_name: str) -> None:
    """400 when any of ``names`` is missing or empty in ``body``."""
    missing = [name for name in names if body.get(name) in (None, "")]
    if missing:
        raise bad_request(
            f"The following required properties are missing for '{type_name}': "
            + ", ".join(missing)
            + "."
        )


def refuse_unknown(body: dict[str, Any], allowed: Iterable[str], type_name: str) -> None:
    """400 for properties that the type does not have (OData annotations are ignored)."""
    known = {name.lower() for name in allowed}
    for name in body:
        if "@" in name:
            continue
        if name.lower() not in known:
            raise bad_request(
                f"Property '{name}' does not exist on type '{type_name}' or is not writable."
            )


def audit(
    store: Any,
    activity: str,
    category: str,
    obj_id: str,
    name: str | None,
    type_: str,
    *,
    modified: dict[str, tuple[Any, Any]] | None = None,
    service: str = "B2C",
) -> None:
    """Record a successful change in the tenant's audit log."""
    store.audit(
        activity, category, target(obj_id, name, type_, modified=modified), service=service
    )
    log.debug("audited %s on %s %s", activity, type_, obj_id)


def _top(request: Request) -> int | None:
    raw = request.arg("$top")
    if raw is None:
        return None
    try:
        top = int(raw)
    except ValueError:
        raise bad_request(f"Invalid value '{raw}' for $top query option found.") from None
    if not 1 <= top <= MAX_PAGE:
        raise bad_request(f"Invalid page size specified: '{top}'. Must be between 1 and 999.")
    return top


def _select(request: Request) -> tuple[str, ...] | None:
    raw = request.arg("$select")
    if not raw or not raw.strip():
        return None
    return tuple(part.strip() for part in raw.split(",") if part.strip())


def _filter(
    raw: str, spec: FilterSpec | None, simple: tuple[str, ...], lambdas: dict[str, str]
) -> Filter:
    if simple or lambdas:
        preds: list[Filter] = []
        for clause in re.split(r"\s+and\s+", raw.strip(), flags=re.IGNORECASE):
            if (m := _SIMPLE.match(clause)) and simple:
                preds.append(_simple_predicate(m, simple))
            elif (m := _LAMBDA.match(clause)) and m.group(1).lower() in lambdas:
                preds.append(_lambda_predicate(m, lambdas[m.group(1).lower()]))
            else:
                preds = []
                break
        if preds:
            return lambda r: all(pred(r) for pred in preds)
    if spec is None:
        raise bad_request(f"Invalid filter clause: '{raw}' is not supported for this resource.")
    return compile_filter(parse_filter(raw), spec)


def _lambda_predicate(match: re.Match[str], key: str) -> Filter:
    prop_name, want = match.group(3), match.group(4).replace("''", "'").casefold()

    def test(record: dict[str, Any]) -> bool:
        items = record.get(key) or []
        return any(str(item.get(prop_name, "")).casefold() == want for item in items)

    return test


def _simple_predicate(match: re.Match[str], allowed: tuple[str, ...]) -> Filter:
    name, op, literal = match.group(1), match.group(2).lower(), match.group(3).replace("''", "'")
    key = next((a for a in allowed if a.lower() == name.lower()), None)
    if key is None:
        raise bad_request(f"Could not find a property named '{name}' that supports filtering.")
    want = literal.casefold()

    def value(record: dict[str, Any]) -> str:
        return str(record.get(key) or "").casefold()

    if op == "has":  # flags enums serialise as "a,b,c"
        return lambda r: want in [part.strip() for part in value(r).split(",")]
    if op == "ne":
        return lambda r: value(r) != want
    return lambda r: value(r) == want
