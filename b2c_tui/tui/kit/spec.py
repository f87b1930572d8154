"""The description a resource pane is made of: plain, frozen data.

See :mod:`b2c_tui.tui.kit` for how the pieces fit together.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from textual.binding import Binding

if TYPE_CHECKING:
    from rich.console import RenderableType

    from ...frames.columns import Column
    from ...graph.client import GraphClient
    from ...graph.paging import PageIterator

Record = Mapping[str, Any]
#: ``(client, $select properties, filter text)`` -> the client's async page iterator
Lister = Callable[["GraphClient", Sequence[str], str], "PageIterator"]


@dataclass(frozen=True)
class Operation:
    """A key and what it does. ``name`` is the action (``action_<name>`` on the pane);
    ``write`` ones change the tenant: hidden and refused when it is open read-only.
    ``needs_row``: only with a row under the cursor. ``in_detail``: offered in the detail
    view too."""

    name: str
    key: str
    label: str
    write: bool = False
    needs_row: bool = False
    in_detail: bool = False
    show: bool = True
    key_display: str | None = None

    def binding(self, prefix: str, action: str | None = None) -> Binding:
        """The Textual binding for this operation (id ``<prefix>.<name>``)."""
        return Binding(self.key, action or self.name, self.label, show=self.show,
                       key_display=self.key_display, id=f"{prefix}.{self.name}")


@dataclass(frozen=True)
class FieldSpec:
    """One form field. ``kind``: ``text``, ``password``, ``integer``, ``bool`` or ``choice``
    (``choices`` as ``(label, value)``). ``check`` turns the typed value into the value sent
    (or raises :class:`~b2c_tui.graph.errors.ValidationError`). ``patchable``: an edit may
    change it (edit forms show the others read-only; inline edits build on this flag)."""

    name: str
    label: str
    kind: str = "text"
    help: str = ""
    placeholder: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    required: bool = False
    max_length: int | None = None
    check: Callable[[Any], Any] | None = None
    patchable: bool = True


@dataclass(frozen=True)
class FormSpec:
    """A create or edit form: fields in order, and where Graph's messages belong
    (``hints``: ``(text in Graph's message, field)``)."""

    title: str
    fields: tuple[FieldSpec, ...]
    subtitle: str = ""
    save_label: str = "Save"
    hints: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Create:
    """``n``: a form whose values (a dict by field name) become the request body."""

    form: FormSpec
    send: Callable[[GraphClient, dict[str, Any]], Awaitable[Any]]


@dataclass(frozen=True)
class Edit:
    """``E``: a form over the record; only changed patchable fields are sent as the patch.
    ``refuse`` says why a record cannot be edited (``None``: it can)."""

    form: FormSpec
    send: Callable[[GraphClient, str, dict[str, Any]], Awaitable[Any]]
    refuse: Callable[[Record], str | None] = lambda record: None


@dataclass(frozen=True)
class Delete:
    """``d``: a confirmation naming the object and its id (with ``note``), then ``send``.
    ``refuse`` says why a record cannot be deleted (``None``: it can)."""

    send: Callable[[GraphClient, str], Awaitable[Any]]
    note: str = ""
    refuse: Callable[[Record], str | None] = lambda record: None


@dataclass(frozen=True)
class Filter:
    """What ``/`` does. ``server`` builds the list call's filter from the text (Graph
    filters); without it ``/`` filters the loaded rows and ``note`` says why ("Graph cannot
    filter this")."""

    label: str = "Filter"
    server: bool = False
    note: str = ""


@dataclass(frozen=True)
class Section:
    """A part of the detail view: a title and how the record renders under it."""

    title: str
    render: Callable[[Record], RenderableType]


@dataclass(frozen=True)
class PaneSpec:
    """Everything a resource pane is: see :mod:`b2c_tui.tui.kit`."""

    noun: str
    columns: tuple[Column, ...]
    list: Lister
    filter: Filter = field(default_factory=Filter)
    get: Callable[[GraphClient, str], Awaitable[dict[str, Any]]] | None = None
    name_of: Callable[[Record], str] = lambda r: str(r.get("displayName") or r.get("id") or "")
    sections: tuple[Section, ...] = ()
    create: Create | None = None
    edit: Edit | None = None
    delete: Delete | None = None
    actions: tuple[Operation, ...] = ()
    #: column keys whose cells may be edited in place (what the edit form may patch)
    patchable: frozenset[str] = frozenset()
    #: column key -> the tone of a cell from its shown text (``error``, ``warning``,
    #: ``success``, ``muted`` or ``None``); the text must say it too (a glyph)
    tones: Mapping[str, Callable[[str], str | None]] = field(default_factory=dict)

    def operations(self) -> tuple[Operation, ...]:
        """The standard operations this description allows, then its own."""
        ops = []
        if self.create is not None:
            ops.append(Operation("create", "n", f"New {self.noun}", write=True))
        if self.edit is not None:
            ops.append(Operation("edit", "E", "Edit", write=True, needs_row=True,
                                 in_detail=True))
        if self.delete is not None:
            ops.append(Operation("delete", "d", "Delete", write=True, needs_row=True,
                                 in_detail=True))
        return (*ops, *self.actions)
