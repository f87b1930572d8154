"""Column specs: which Graph properties a view needs and how a record becomes a cell value.

A :class:`Column` is plain data shared by the pandas API and the TUI: the paged frame uses it to
turn records into compact DataFrame columns, the virtual table uses it for headers, widths and
formatting. No Textual here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

#: Column kinds and what the paged frame stores for them.
KINDS = ("text", "bool", "datetime", "number")


@dataclass(frozen=True)
class Column:
    """One column of a resource view.

    ``select`` lists the Graph properties the column needs in ``$select`` (``(key,)`` when
    empty); ``get`` extracts the value from a record (``record.get(key)`` when ``None``).
    ``secret`` columns are never shown, selected nor exported.
    """

    key: str
    label: str
    select: tuple[str, ...] = ()
    get: Callable[[Mapping[str, Any]], Any] | None = None
    width: int | None = None
    kind: str = "text"
    secret: bool = False

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r} (one of {', '.join(KINDS)})")

    @property
    def properties(self) -> tuple[str, ...]:
        """The Graph properties this column needs."""
        return self.select or (self.key,)

    def value(self, record: Mapping[str, Any]) -> Any:
        """The column's value for ``record``, flattened (lists and objects become text)."""
        raw = self.get(record) if self.get is not None else record.get(self.key)
        return flatten_value(raw)


def visible(columns: Iterable[Column]) -> list[Column]:
    """``columns`` without the secret ones, in order."""
    return [c for c in columns if not c.secret]


def select_for(columns: Iterable[Column], *, with_id: bool = True) -> list[str]:
    """The ``$select`` list for ``columns``: ``id`` first, then each property once, in order.

    Secret columns contribute nothing: what is never shown is never fetched.
    """
    props: dict[str, None] = {"id": None} if with_id else {}
    for column in visible(columns):
        props.update(dict.fromkeys(column.properties))
    return list(props)


def flatten_value(value: Any) -> Any:
    """Scalars as they are; lists as ``a; b``; objects as ``k=v, ...`` (OData ``@`` keys dropped).

    Text from the tenant stays a plain ``str``: nothing here interprets it.
    """
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, (list, tuple)):
        return "; ".join(_text(flatten_value(v)) for v in value if v is not None)
    if isinstance(value, Mapping):
        return ", ".join(
            f"{k}={_text(flatten_value(v))}" for k, v in value.items() if not str(k).startswith("@")
        )
    return str(value)


def _text(value: Any) -> str:
    return "" if value is None else str(value)
