"""OData ``$filter`` expressions and literals, for :mod:`b2c_tui.graph.query`.

Values are always formatted by :func:`format_literal` (strings single-quoted with embedded quotes
doubled), property names are checked by :func:`validate_property`, and raw text is scanned by
:func:`refuse_in_filter` for the operators B2C tenants lack, ignoring words inside literals.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Literal

from .errors import UnsupportedQueryError, ValidationError

_SEGMENT = r"[A-Za-z_][A-Za-z0-9_]*"
_PROPERTY = re.compile(rf"{_SEGMENT}(?:/{_SEGMENT})*")
_EXTENSION = re.compile(r"extension_([0-9A-Fa-f]{32})_([A-Za-z0-9_]+)")
_DATETIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:\d\d)")


def validate_property(name: str) -> str:
    """Check a property name or path: ``displayName``, ``c/issuer``, ``extension_<hex>_x``."""
    if not isinstance(name, str) or not _PROPERTY.fullmatch(name):
        raise UnsupportedQueryError(
            f"{name!r} is not a property name: use letters, digits and '_', with '/' between "
            "the parts of a path (identities/any)."
        )
    for part in name.split("/"):
        if part.lower().startswith("extension_") and not _EXTENSION.fullmatch(part):
            raise UnsupportedQueryError(
                f"{part!r} is not a directory extension name; the form is "
                "extension_<app id without dashes>_<name> (see extension_attribute_name())."
            )
    return name


def extension_attribute_name(app_id: str, name: str) -> str:
    """``extension_<appId without dashes>_<name>``: the property of a custom user attribute.

    ``app_id`` is the appId of the tenant's ``b2c-extensions-app`` (dashes optional).
    """
    hex_id = app_id.strip().replace("-", "").lower()
    if not re.fullmatch(r"[0-9a-f]{32}", hex_id):
        raise ValidationError(
            f"{app_id!r} is not an application id; use the appId (a GUID) of the tenant's "
            "b2c-extensions-app.", field="app_id")
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", name or ""):
        raise ValidationError(
            f"{name!r} is not an attribute name; start with a letter and use letters, digits "
            "and '_'.", field="name")
    return f"extension_{hex_id}_{name}"


def parse_extension_attribute(prop: str) -> tuple[str, str] | None:
    """``extension_<hex>_<name>`` -> ``(hex app id, name)``; ``None`` for any other property."""
    match = _EXTENSION.fullmatch(prop)
    return (match.group(1).lower(), match.group(2)) if match else None


# -- literals -------------------------------------------------------------------------------

def format_literal(value: Any) -> str:
    """A Python value as an OData literal: ``'o''brien'``, ``true``, ``null``, ``42``,
    ``2024-05-01T00:00:00Z`` (naive datetimes are taken as UTC)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise UnsupportedQueryError(f"{value!r} cannot be sent in a filter.")
        return repr(value)
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        text = aware.astimezone(UTC).isoformat().replace("+00:00", "Z")
        return text
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)  # str, UUID: Graph's ids are strings, so they are quoted
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise UnsupportedQueryError(
            "The value contains characters that cannot be sent (an unpaired surrogate)."
        ) from None
    return "'" + text.replace("'", "''") + "'"


def parse_literal(text: str) -> Any:
    """Inverse of :func:`format_literal` (strings, booleans, null, numbers, dates)."""
    if len(text) >= 2 and text[0] == text[-1] == "'":
        body = text[1:-1]
        if re.search(r"(?<!')'(?!')", body.replace("''", "")):
            raise ValueError(f"Unescaped quote in literal {text!r}")
        return body.replace("''", "'")
    lowered = text.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if lowered == "null":
        return None
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if re.fullmatch(r"\d{4}-\d\d-\d\d", text):
        return date.fromisoformat(text)
    if _DATETIME.fullmatch(text):
        return datetime.fromisoformat(text)
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"Not an OData literal: {text!r}") from None


# -- filter expressions ---------------------------------------------------------------------

@dataclass(frozen=True)
class Filter:
    """A ``$filter`` expression. Combine with ``&`` / ``|`` (or :meth:`F.and_` / :meth:`F.or_`)."""

    text: str
    kind: Literal["atom", "and", "or", "raw"] = "atom"

    def __str__(self) -> str:
        return self.text

    def __and__(self, other: Filter) -> Filter:
        return F.and_(self, other)

    def __or__(self, other: Filter) -> Filter:
        return F.or_(self, other)

    def __invert__(self) -> Filter:
        raise UnsupportedQueryError(MESSAGES["not"])

    def _operand(self, joiner: str) -> str:
        same = self.kind == joiner or self.kind == "atom"
        return self.text if same else f"({self.text})"


def _comparison(op: str, note: str = "") -> Callable[[str, Any], Filter]:
    """The builder of ``prop <op> value`` (the value quoted and escaped, the name checked)."""

    def compare(prop: str, value: Any) -> Filter:
        return Filter(f"{validate_property(prop)} {op} {format_literal(value)}")

    compare.__name__ = compare.__qualname__ = op
    compare.__doc__ = f"``prop {op} value``{note}."
    return compare


class F:
    """Filter builders. Every value is quoted and escaped for you; names are checked."""

    eq = staticmethod(_comparison("eq", " (``None`` -> ``prop eq null``)"))

    @staticmethod
    def startswith(prop: str, prefix: str) -> Filter:
        """``startswith(prop,'prefix')``; Graph compares case-insensitively."""
        if not isinstance(prefix, str):
            raise UnsupportedQueryError("startswith needs a string prefix.")
        return Filter(f"startswith({validate_property(prop)},{format_literal(prefix)})")

    @staticmethod
    def in_(prop: str, values: Iterable[Any]) -> Filter:
        """``prop in ('a','b')``."""
        items = [format_literal(v) for v in values]
        if not items:
            raise UnsupportedQueryError(f"'in' on {prop!r} needs at least one value.")
        return Filter(f"{validate_property(prop)} in ({','.join(items)})")

    ge = staticmethod(_comparison("ge"))
    gt = staticmethod(_comparison("gt"))
    le = staticmethod(_comparison("le"))
    lt = staticmethod(_comparison("lt"))

    @staticmethod
    def and_(*parts: Filter) -> Filter:
        return F._join("and", parts)

    @staticmethod
    def or_(*parts: Filter) -> Filter:
        return F._join("or", parts)

    @staticmethod
    def any_(collection: str, predicate: Filter, var: str = "c") -> Filter:
        """``collection/any(var:predicate)``; write the predicate over ``var``: ``c/issuer``."""
        validate_property(var)
        return Filter(f"{validate_property(collection)}/any({var}:{predicate.text})")

    @staticmethod
    def identity(*, issuer: str | None = None, issuer_assigned_id: str | None = None) -> Filter:
        """Find a local or social account by sign-in name; Graph needs *both* values."""
        missing = [n for n, v in (("issuer", issuer), ("issuer_assigned_id", issuer_assigned_id))
                   if not v]
        if missing:
            raise UnsupportedQueryError(
                "Filtering users by identity needs both issuer (the tenant's "
                "<name>.onmicrosoft.com domain for local accounts, or e.g. facebook.com) and "
                f"issuer_assigned_id (the sign-in name); missing: {', '.join(missing)}."
            )
        inner = F.eq("c/issuerAssignedId", issuer_assigned_id) & F.eq("c/issuer", issuer)
        return F.any_("identities", inner, var="c")

    @staticmethod
    def raw(expression: str, *, allow_ne: bool = False) -> Filter:
        """A vetted hand-written expression; still scanned for what B2C refuses."""
        if not expression.strip():
            raise UnsupportedQueryError("An empty filter expression.")
        refuse_in_filter(expression, allow_ne=allow_ne)
        return Filter(expression.strip(), "raw")

    @staticmethod
    def _join(joiner: Literal["and", "or"], parts: Iterable[Filter]) -> Filter:
        items = list(parts)
        if not items:
            raise UnsupportedQueryError(f"'{joiner}' needs at least one expression.")
        if len(items) == 1:
            return items[0]
        return Filter(f" {joiner} ".join(p._operand(joiner) for p in items), joiner)


# -- scanning raw text for what B2C refuses ---------------------------------------------------

MESSAGES = {
    "count": "B2C tenants do not support $count (advanced queries are unavailable); page "
             "through the results and count them locally.",
    "search": "B2C tenants do not support $search; filter with startsWith on the beginning of "
              "displayName (or another property) or search locally.",
    "ne": "B2C tenants do not support 'ne' (not equals); filter for the values you want with "
          "eq or in, or filter locally.",
    "not": "B2C tenants do not support 'not'; rewrite the filter positively (eq, startsWith, "
           "in) or filter locally.",
    "endswith": "B2C tenants do not support 'endsWith'; use startsWith on the beginning of the "
                "value or filter locally.",
    "filter+orderby": "B2C tenants cannot combine $filter with $orderby; keep the filter and "
                      "sort the results locally.",
    "issuer": "Filtering identities by issuerAssignedId also needs c/issuer (both are "
              "required): identities/any(c:c/issuerAssignedId eq '...' and c/issuer eq "
              "'<tenant>.onmicrosoft.com').",
}
_WORD = r"(?<![\w/$.]){}(?![\w/])"
_REFUSED_IN_FILTER = {
    "ne": re.compile(_WORD.format("ne"), re.I),
    "not": re.compile(_WORD.format("not"), re.I),
    "endswith": re.compile(_WORD.format("endswith"), re.I),
    "count": re.compile(r"\$count\b", re.I),
    "search": re.compile(r"\$search\b", re.I),
}


_LITERAL = re.compile(r"'(?:[^']|'')*'")


def strip_literals(expression: str) -> str:
    """The expression with every string literal replaced by ``''`` (so words inside are gone)."""
    code = _LITERAL.sub("\x00", expression)
    if "'" in code:
        near = code[code.index("'"):].replace("\x00", "''")[:40]
        raise UnsupportedQueryError(
            f"The filter has an unterminated string literal near {near!r}; "
            "close it with ' and double any quote inside it ('o''brien')."
        )
    return code.replace("\x00", "''")


def refuse_in_filter(expression: str, *, allow_ne: bool = False) -> None:
    """Raise :class:`UnsupportedQueryError` if the expression uses what B2C cannot answer."""
    code = strip_literals(expression)
    for key, pattern in _REFUSED_IN_FILTER.items():
        if key == "ne" and allow_ne:
            continue
        if pattern.search(code):
            raise UnsupportedQueryError(MESSAGES[key])
    lowered = code.lower()
    if "/issuerassignedid" in lowered and not re.search(r"/issuer(?!assignedid)\b", lowered):
        raise UnsupportedQueryError(MESSAGES["issuer"])
