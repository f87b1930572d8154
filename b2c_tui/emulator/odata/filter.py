"""The ``$filter`` subset Graph supports in B2C tenants: parse, check, evaluate.

Grammar (no advanced queries): ``eq``, ``ge``/``le``/``gt``/``lt`` where the property allows
them, ``startswith(prop,'x')``, ``prop in ('a','b')``, ``and``/``or``, parentheses and
``coll/any(c:c/prop eq 'x' and ...)`` lambdas. ``ne``, ``not``, ``endsWith`` and ``$count``
are refused with Graph's ``Request_UnsupportedQuery`` message, unless a dialect allows an
operator (the identity services take ``ne`` and ``has``). String literals use single quotes
with ``''`` for a quote; comparisons on strings are case-insensitive like Entra ID's.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..clock import parse_iso
from ..http import GraphError

Node = tuple[Any, ...]
Predicate = Callable[[dict[str, Any]], bool]

_TOKEN = re.compile(
    r"\s*(?:(?P<str>'(?:[^']|'')*')"
    r"|(?P<dt>\d{4}-\d{2}-\d{2}T[0-9:.]+(?:Z|[+-]\d{2}:\d{2})?)"
    r"|(?P<guid>[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})"
    r"|(?P<num>-?\d+(?:\.\d+)?)"
    r"|(?P<name>[A-Za-z_$@][\w$./@-]*)"
    r"|(?P<op>[(),:]))"
)
_ADVANCED = {"ne", "not", "endswith", "contains", "has"}
ADVANCED_HINT = (
    " is not supported because the required parameters might be missing. Try adding $count=true "
    "query parameter and ConsistencyLevel:eventual header. Refer to "
    "https://aka.ms/graph-docs/advanced-queries for more information"
)


@dataclass(slots=True)
class Prop:
    """A filterable property: canonical path, allowed operators, literal kind."""

    path: tuple[str, ...]
    ops: frozenset[str]
    #: str | bool | datetime | int | coll (any() lambda over objects) | strcoll (over strings)
    #: | text (compared as text, null as '': the identity services) | opencoll (any() lambda
    #: over objects whose properties are compared as text, whatever their name)
    kind: str = "str"
    inner: dict[str, Prop] = field(default_factory=dict)
    #: Checks an any() lambda body and returns the body to evaluate (identities needs issuer
    #: and issuerAssignedId, and ignores the issuer of local accounts).
    check: Callable[[Node], Node] | None = None


def prop(
    path: str,
    ops: str,
    kind: str = "str",
    inner: dict[str, Prop] | None = None,
    check: Callable[[Node], Node] | None = None,
) -> Prop:
    """Shorthand: ``prop("displayName", "eq in startswith")``."""
    return Prop(tuple(path.split("/")), frozenset(ops.split()), kind, inner or {}, check)


@dataclass(slots=True)
class FilterSpec:
    """What a resource allows in ``$filter``; keys are lower-cased property paths."""

    type_name: str  # "User", "Application", ...
    props: dict[str, Prop]
    extension_attributes: bool = False
    #: Only ``prop op 'text'`` and ``coll/any(x:x/prop eq 'text')`` clauses joined by ``and``
    #: (the identity services); anything else is refused as an invalid clause.
    simple: bool = False


def filter_table(table: dict[str, str]) -> dict[str, Prop]:
    """Props from ``{"createdDateTime": "eq ge le in/datetime", ...}`` (operators, then the
    kind after a slash when it is not ``str``), keyed by lower-cased path."""
    props: dict[str, Prop] = {}
    for name, text in table.items():
        ops, _, kind = text.partition("/")
        props[name.lower()] = prop(name, ops, kind or "str")
    return props


def unsupported(prop_name: str, type_name: str) -> GraphError:
    """Graph's error for a clause a property does not support."""
    return GraphError(
        400,
        "Request_UnsupportedQuery",
        f"Unsupported or invalid query filter clause specified for property '{prop_name}' of "
        f"resource '{type_name}'.",
    )


def invalid(message: str = "Invalid filter clause") -> GraphError:
    """Graph's error for a filter that does not parse."""
    return GraphError(400, "BadRequest", message)


class _Parser:
    def __init__(self, text: str, allow: frozenset[str] = frozenset()) -> None:
        self.allow = allow
        self.tokens: list[tuple[str, str]] = []
        pos = 0
        text = text.strip()
        while pos < len(text):
            m = _TOKEN.match(text, pos)
            if not m or m.end() == pos:
                raise invalid(f"Syntax error at position {pos} in '{text}'.")
            kind = m.lastgroup or "op"
            self.tokens.append((kind, m.group(kind)))
            pos = m.end()
            while pos < len(text) and text[pos].isspace():
                pos += 1
        self.i = 0

    def peek(self, ahead: int = 0) -> tuple[str, str] | None:
        j = self.i + ahead
        return self.tokens[j] if j < len(self.tokens) else None

    def take(self, value: str | None = None) -> tuple[str, str]:
        tok = self.peek()
        if tok is None or (value is not None and tok[1].lower() != value):
            raise invalid(f"Syntax error: expected '{value}'." if value else "Unexpected end.")
        self.i += 1
        return tok

    def parse(self) -> Node:
        node = self.expr()
        if self.peek() is not None:
            raise invalid(f"Syntax error: unexpected '{self.peek()[1]}'.")  # type: ignore[index]
        return node

    def expr(self) -> Node:
        return self.chain("or", self.term)

    def term(self) -> Node:
        return self.chain("and", self.factor)

    def chain(self, op: str, operand: Callable[[], Node]) -> Node:
        """``operand (op operand)*``, grouped to the left."""
        left = operand()
        while (tok := self.peek()) and tok[1].lower() == op:
            self.i += 1
            left = (op, left, operand())
        return left

    def factor(self) -> Node:
        tok = self.take()
        kind, text = tok
        low = text.lower()
        if text == "(":
            node = self.expr()
            self.take(")")
            return node
        if kind != "name":
            raise invalid(f"Syntax error at '{text}'.")
        if low == "not":
            raise GraphError(400, "Request_UnsupportedQuery", "Operator 'not'" + ADVANCED_HINT)
        if low.endswith("/any") or low.endswith("/all"):
            coll = text[: -len("/any")]
            if low.endswith("/all"):
                raise unsupported(coll, "")
            self.take("(")
            var = self.take()[1]
            self.take(":")
            inner = self.expr()
            self.take(")")
            return ("any", coll, var, inner)
        nxt = self.peek()
        if nxt and nxt[1] == "(":  # function call
            if low in _ADVANCED:
                name = "endsWith" if low == "endswith" else low
                raise GraphError(
                    400, "Request_UnsupportedQuery", f"Operator '{name}'" + ADVANCED_HINT
                )
            if low != "startswith":
                raise invalid(f"An unknown function with name '{text}' was found.")
            self.take("(")
            prop_path = self.take()[1]
            self.take(",")
            value = self.literal()
            self.take(")")
            return ("startswith", prop_path, value)
        if "/$count" in low:
            raise GraphError(400, "Request_BadRequest", "$count is not currently supported.")
        op_tok = self.take()
        op = op_tok[1].lower()
        if op in _ADVANCED and op not in self.allow:
            raise GraphError(400, "Request_UnsupportedQuery", f"Operator '{op}'" + ADVANCED_HINT)
        if op == "in":
            self.take("(")
            values = [self.literal()]
            while self.peek() and self.peek()[1] == ",":  # type: ignore[index]
                self.i += 1
                values.append(self.literal())
            self.take(")")
            return ("in", text, values)
        if op not in ("eq", "ge", "le", "gt", "lt") and op not in self.allow:
            raise invalid(f"Syntax error: unknown operator '{op_tok[1]}'.")
        return (op, text, self.literal())

    def literal(self) -> Any:
        kind, text = self.take()
        if kind == "str":
            return text[1:-1].replace("''", "'")
        if kind == "dt":
            return parse_iso(text)
        if kind in ("guid",):
            return text
        if kind == "num":
            return float(text) if "." in text else int(text)
        low = text.lower()
        if low in ("true", "false"):
            return low == "true"
        if low == "null":
            return None
        raise invalid(f"Syntax error: '{text}' is not a valid literal.")


def parse_filter(text: str, allow: frozenset[str] = frozenset()) -> Node:
    """Parse a ``$filter`` expression into a small tuple AST, refusing advanced operators
    other than those in ``allow``."""
    return _Parser(text, allow).parse()


def _fold(value: Any) -> Any:
    return value.casefold() if isinstance(value, str) else value


def _resolve(spec: FilterSpec, name: str, scope: dict[str, Prop] | None = None) -> Prop:
    table = scope if scope is not None else spec.props
    found = table.get(name.lower())
    if found is not None:
        return found
    if scope is None and spec.extension_attributes and name.lower().startswith("extension_"):
        return Prop((name,), frozenset({"eq", "in"}), "any")
    type_name = spec.type_name[:1].lower() + spec.type_name[1:]
    raise GraphError(
        400,
        "BadRequest",
        f"Could not find a property named '{name}' on type 'microsoft.graph.{type_name}'.",
    )


def _getter(p: Prop) -> Callable[[dict[str, Any]], Any]:
    path = p.path
    if len(path) == 1:
        key = path[0]
        if key.startswith("extension_"):
            low = key.lower()
            return lambda r: next((v for k, v in r.items() if k.lower() == low), None)
        return lambda r: r.get(key)

    def get(r: dict[str, Any]) -> Any:
        cur: Any = r
        for part in path:
            if not isinstance(cur, dict):
                return None
            cur = cur.get(part)
        return cur

    return get


def _coerce(p: Prop, value: Any) -> Any:
    if p.kind == "datetime" and isinstance(value, str):
        return parse_iso(value)
    return _fold(value)


def compile_filter(
    node: Node, spec: FilterSpec, scope: dict[str, Prop] | None = None, var: str | None = None
) -> Predicate:
    """Turn an AST into ``predicate(record) -> bool``, checking operators per property."""
    op = node[0]
    if op in ("and", "or"):
        left = compile_filter(node[1], spec, scope, var)
        right = compile_filter(node[2], spec, scope, var)
        if op == "and":
            return lambda r: left(r) and right(r)
        return lambda r: left(r) or right(r)
    if op == "any":
        _, coll, inner_var, inner = node
        p = _resolve(spec, coll, scope)
        if p.kind not in ("coll", "strcoll", "opencoll"):
            raise unsupported(coll, spec.type_name)
        get = _getter(p)
        if p.kind == "opencoll":
            body = _strip_var(inner, inner_var)
            item_prop = Prop((str(body[1]),), frozenset({"eq"}), "text")
            inner_pred = compile_filter(body, spec, {str(body[1]).lower(): item_prop}, inner_var)
            return lambda r: any(inner_pred(item) for item in (get(r) or ()))
        if p.kind == "strcoll":
            item_scope = {inner_var.lower(): Prop(("_",), p.ops)}
            item_pred = compile_filter(inner, spec, item_scope, inner_var)
            return lambda r: any(item_pred({"_": v}) for v in (get(r) or ()))
        body = _strip_var(inner, inner_var)
        if p.check is not None:
            body = p.check(body)
        inner_pred = compile_filter(body, spec, p.inner, inner_var)
        return lambda r: any(inner_pred(item) for item in (get(r) or ()))
    name = node[1]
    p = _resolve(spec, name, scope)
    if op not in p.ops:
        raise unsupported(name, spec.type_name)
    get = _getter(p)
    if p.kind == "text":
        return _text_predicate(op, get, str(node[2]).casefold())
    if op == "startswith":
        prefix = str(node[2]).casefold()
        return lambda r: isinstance(v := get(r), str) and v.casefold().startswith(prefix)
    if op == "in":
        wanted = {_coerce(p, v) for v in node[2]}
        return lambda r: _fold(get(r)) in wanted
    target = _coerce(p, node[2])
    if p.kind == "datetime":

        def value(r: dict[str, Any]) -> Any:
            v = get(r)
            return parse_iso(v) if isinstance(v, str) else v
    else:

        def value(r: dict[str, Any]) -> Any:
            return _fold(get(r))

    if op == "eq":
        return lambda r: value(r) == target
    if target is None:
        raise unsupported(name, spec.type_name)
    cmp = {"ge": "__ge__", "le": "__le__", "gt": "__gt__", "lt": "__lt__"}[op]
    return lambda r: (v := value(r)) is not None and getattr(v, cmp)(target)


def _text_predicate(op: str, get: Callable[[dict[str, Any]], Any], want: str) -> Predicate:
    """``eq``/``ne``/``has`` on a value compared as text (null as '') the way the identity
    services do; ``has`` tests one flag of a flags enum serialised as ``a,b,c``."""

    def text(r: dict[str, Any]) -> str:
        return str(get(r) or "").casefold()

    if op == "has":
        return lambda r: want in [part.strip() for part in text(r).split(",")]
    if op == "ne":
        return lambda r: text(r) != want
    return lambda r: text(r) == want


def simple_problem(node: Node, spec: FilterSpec) -> str | None:
    """For a :attr:`FilterSpec.simple` spec: None when every clause is one the identity
    services take, else the name of the first property they cannot filter on, or ``""``
    for the first clause of another form (left to right, as they read it)."""
    clauses: list[Node] = []

    def flatten(n: Node) -> None:
        if n[0] == "and":
            flatten(n[1])
            flatten(n[2])
        else:
            clauses.append(n)

    flatten(node)
    for clause in clauses:
        op = clause[0]
        if op in ("eq", "ne", "has") and isinstance(clause[2], str):
            found = spec.props.get(str(clause[1]).lower())
            if found is None or found.kind != "text":
                return str(clause[1])
        elif op == "any":
            found = spec.props.get(str(clause[1]).lower())
            body, var = clause[3], str(clause[2]).lower()
            if (
                found is None
                or found.kind != "opencoll"
                or body[0] != "eq"
                or not isinstance(body[2], str)
                or not str(body[1]).lower().startswith(var + "/")
                or "/" in str(body[1])[len(var) + 1 :]
            ):
                return ""
        else:
            return ""
    return None


def _strip_var(node: Node, var: str) -> Node:
    """``c/issuer`` -> ``issuer`` inside a lambda body."""
    if node[0] in ("and", "or"):
        return (node[0], _strip_var(node[1], var), _strip_var(node[2], var))
    prefix = var.lower() + "/"
    name = node[1]
    if not name.lower().startswith(prefix):
        raise invalid(f"The lambda variable '{var}' must prefix '{name}'.")
    return (node[0], name[len(prefix) :], *node[2:])
