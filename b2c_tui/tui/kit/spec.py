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

    from ...changes import Change
    from ...frames.columns import Column
    from ...graph.client import GraphClient
    from ...graph.paging import PageIterator
    from ..context import AppContext

Record = Mapping[str, Any]
#: ``(client, $select properties, filter text)`` -> the client's async page iterator
Lister = Callable[["GraphClient", Sequence[str], str], "PageIterator"]
#: ``(client) -> (a page's records -> awaitable)``: made once per listing (a refresh makes a
#: new one, so what it caches lives as long as the listing), called on each page before it
#: lands, to add what other requests say about its records under :data:`JOINED` keys.
Join = Callable[["GraphClient"], Callable[[list[dict[str, Any]]], Awaitable[None]]]
#: Prefix of the keys a :data:`Join` adds to records: columns and sections read them, forms
#: never send them, the detail view's raw JSON leaves them out (it shows what Graph sent).
JOINED = "@joined."
#: Where a write's answer carries a warning for the user (see :class:`Create`).
NOTE = JOINED + "note"


@dataclass(frozen=True)
class Operation:
    """A key and what it does. ``name`` is the action (``action_<name>`` on the pane);
    ``write`` ones change the tenant: hidden and refused when it is open read-only.
    ``needs_row``: only with a row under the cursor; ``needs_selection``: only with rows
    selected (the key follows the selection). ``in_detail``: offered in the detail view too.
    ``action``: what the key runs when it is not ``action_<name>`` (an action with
    parameters, such as the kit's ``open_sublist('providers')``)."""

    name: str
    key: str
    label: str
    write: bool = False
    needs_row: bool = False
    in_detail: bool = False
    show: bool = True
    key_display: str | None = None
    action: str | None = None
    needs_selection: bool = False

    def binding(self, prefix: str, action: str | None = None) -> Binding:
        """The Textual binding for this operation (id ``<prefix>.<name>``)."""
        return Binding(self.key, action or self.action or self.name, self.label,
                       show=self.show, key_display=self.key_display, id=f"{prefix}.{self.name}")


@dataclass(frozen=True)
class FieldSpec:
    """One form field. ``kind``: ``text``, ``password``, ``integer``, ``datetime`` (ISO 8601
    text), ``bool`` or ``choice`` (``choices`` as ``(label, value)``). ``check`` turns the
    typed value into the value sent (or raises :class:`~b2c_tui.graph.errors.ValidationError`).
    ``patchable``: an edit may change it (edit forms show the others read-only; inline edits
    are offered only on patchable fields). ``from_cell`` turns what the table holds for the
    property (flattened: lists as ``a; b``) back into the property's value, for the journal's
    old value (identity when ``None``)."""

    name: str
    label: str
    kind: str = "text"
    help: str = ""
    placeholder: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    #: a secret Graph never reads back (a client secret): the form never fills it from the
    #: record, and an edit left empty keeps the secret as it is
    write_only: bool = False
    #: how the record's value fills the field when it is not text (a list of choices as
    #: ``a=1; b=2``); an edit then sends the field when its text changed
    show: Callable[[Any], Any] | None = None
    required: bool = False
    max_length: int | None = None
    check: Callable[[Any], Any] | None = None
    patchable: bool = True
    #: what a create form starts with (else empty, unticked, or the first choice)
    default: Any = None
    from_cell: Callable[[Any], Any] | None = None


@dataclass(frozen=True)
class FormSpec:
    """A create or edit form: fields in order, and where Graph's messages belong
    (``hints``: ``(text in Graph's message, field)``)."""

    title: str
    fields: tuple[FieldSpec, ...]
    subtitle: str = ""
    save_label: str = "Save"
    hints: tuple[tuple[str, str], ...] = ()
    #: checks across fields, after each field's own (``values -> values``; raise
    #: ``ValidationError(field=...)``): "redirect URIs are required for a web app"
    check: Callable[[dict[str, Any]], dict[str, Any]] | None = None


@dataclass(frozen=True)
class Pick:
    """The first step of a create whose form depends on a kind (an identity provider's type):
    ``choices`` come from Graph when ``n`` is pressed (``(label, value)``), the chosen value
    goes into the body as ``field``, and ``form_for(value)`` is the form that follows."""

    title: str
    label: str
    choices: Callable[[GraphClient], Awaitable[Sequence[tuple[str, str]]]]
    form_for: Callable[[str], FormSpec]
    field: str = "kind"
    help: str = ""


@dataclass(frozen=True)
class Create:
    """``n``: a form whose values (a dict by field name) become the request body. ``send``
    returns the created object; a create that takes several requests and got only part of
    the way puts what did not happen under ``record[NOTE]`` (the pane says it)."""

    form: FormSpec
    send: Callable[[GraphClient, dict[str, Any]], Awaitable[Any]]
    #: a kind chosen first (among what Graph offers); the form is then the kind's
    pick: Pick | None = None


@dataclass(frozen=True)
class Edit:
    """``E``: a form over the record; only changed patchable fields are sent as the patch.
    ``form_of(record)``, when the form depends on the record (a provider's type has its own
    fields; ``form`` then holds what every record has). ``complete(record, patch)`` adds what
    Graph wants beside the changes (the derived ``@odata.type``, properties the docs require
    on every update). ``refuse`` says why a record cannot be edited (``None``: it can)."""

    form: FormSpec
    send: Callable[[GraphClient, str, dict[str, Any]], Awaitable[Any]]
    refuse: Callable[[Record], str | None] = lambda record: None
    form_of: Callable[[Record], FormSpec] | None = None
    complete: Callable[[Record, dict[str, Any]], dict[str, Any]] = lambda record, patch: patch

    def form_for(self, record: Record) -> FormSpec:
        """The form over ``record``."""
        return self.form_of(record) if self.form_of is not None else self.form


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


#: ``(app context)`` -> why the resource does not exist in this tenant (``None``: it does)
Applies = Callable[["AppContext"], Awaitable["str | None"]]


@dataclass(frozen=True)
class SubAdd:
    """``n`` in a sub-list: a form (its ``pick`` field offers ``choices``: what may be added,
    from Graph, given the parent and the items it has) whose values ``send`` adds."""

    form: FormSpec
    send: Callable[[GraphClient, Record, dict[str, Any]], Awaitable[Any]]
    choices: Callable[[GraphClient, Record, Sequence[Record]],
                      Awaitable[Sequence[tuple[str, str]]]] | None = None
    pick: str = "id"
    #: what ``n`` says when every choice is in the list already
    none_left: str = "There is nothing left to add."


@dataclass(frozen=True)
class SubEdit:
    """``E`` in a sub-list: a form over the item (or ``item -> FormSpec``); ``send(client,
    parent, item key, patch)``."""

    form: FormSpec | Callable[[Record], FormSpec]
    send: Callable[[GraphClient, Record, str, dict[str, Any]], Awaitable[Any]]
    refuse: Callable[[Record], str | None] = lambda item: None

    def form_for(self, item: Record) -> FormSpec:
        """The form over ``item``."""
        return self.form if isinstance(self.form, FormSpec) else self.form(item)


@dataclass(frozen=True)
class SubRemove:
    """``d`` in a sub-list: a confirmation naming the item, its id and the parent, then
    ``send(client, parent, item key)``; the item leaves the list, the object stays."""

    send: Callable[[GraphClient, Record, str], Awaitable[Any]]
    note: str = ""
    refuse: Callable[[Record], str | None] = lambda item: None


@dataclass(frozen=True)
class SubList:
    """A list inside an object (a user flow's identity providers, its attributes, the
    applications it applies to), opened with ``key`` from the list or the detail view in a
    screen of its own (:mod:`.sublist`). ``load(client, parent)`` returns the items in order;
    ``key_of`` is an item's id in requests; ``reorder(client, parent, keys)`` sends a new
    order (``shift+up``/``shift+down`` move an item, one request per move)."""

    name: str
    key: str
    title: str
    noun: str
    columns: tuple[Column, ...]
    load: Callable[[GraphClient, Record], Awaitable[list[dict[str, Any]]]]
    key_of: Callable[[Record], str] = lambda item: str(item.get("id") or "")
    name_of: Callable[[Record], str] = lambda item: str(
        item.get("displayName") or item.get("id") or "")
    add: SubAdd | None = None
    edit: SubEdit | None = None
    remove: SubRemove | None = None
    reorder: Callable[[GraphClient, Record, list[str]], Awaitable[Any]] | None = None
    note: str = ""


def sublist_operations(sublists: Sequence[SubList]) -> tuple[Operation, ...]:
    """The keys that open ``sublists`` (from the list and the detail view)."""
    return tuple(Operation(sub.name, sub.key, sub.title, needs_row=True, in_detail=True,
                           action=f"open_sublist({sub.name!r})") for sub in sublists)


@dataclass(frozen=True)
class ObjectSpec:
    """A pane that is one object, not a list (a tenant-wide policy): ``get`` fetches it, its
    ``sections`` show it beside the raw JSON, ``edit`` (``E``) is a form over it saved with a
    PATCH (``send(client, object id, patch)``), ``e`` exports it as one row of ``columns``.
    See :class:`~.single.ObjectPane`."""

    noun: str
    get: Callable[[GraphClient], Awaitable[dict[str, Any]]]
    columns: tuple[Column, ...]
    sections: tuple[Section, ...] = ()
    edit: Edit | None = None
    name_of: Callable[[Record], str] = lambda r: str(r.get("displayName") or r.get("id") or "")
    secrets: frozenset[str] = frozenset()
    applies: Applies | None = None
    actions: tuple[Operation, ...] = ()

    def operations(self) -> tuple[Operation, ...]:
        """``E`` when the object can be edited, then its own operations."""
        edit = (Operation("edit", "E", "Edit", write=True, needs_row=True),) if self.edit else ()
        return (*edit, *self.actions)


@dataclass(frozen=True)
class PaneSpec:
    """Everything a resource pane is: see :mod:`b2c_tui.tui.kit`."""

    noun: str
    columns: tuple[Column, ...]
    #: the listing Graph pages; ``None``: the pane makes it, computed whole by its
    #: :meth:`~.pane.KitPane.all_rows` (every object is needed before the first row is known)
    #: or page by page by its own ``pages()`` (the audit log's sources)
    list: Lister | None = None
    filter: Filter = field(default_factory=Filter)
    get: Callable[[GraphClient, str], Awaitable[dict[str, Any]]] | None = None
    name_of: Callable[[Record], str] = lambda r: str(r.get("displayName") or r.get("id") or "")
    sections: tuple[Section, ...] = ()
    create: Create | None = None
    edit: Edit | None = None
    delete: Delete | None = None
    actions: tuple[Operation, ...] = ()
    #: properties never shown (write-only secrets): masked wherever they occur in the JSON
    secrets: frozenset[str] = frozenset()
    #: whether the resource exists in this tenant (see :mod:`.tenant`); a reason replaces the list
    applies: Applies | None = None
    #: lists inside an object (a flow's identity providers): see :mod:`.sublist`
    sublists: tuple[SubList, ...] = ()
    #: column keys whose cells may be edited in place (what the edit form may patch)
    patchable: frozenset[str] = frozenset()
    #: other requests joined to each page (use ``$batch``: one round trip a page, not one
    #: an object); see :data:`Join`
    join: Join | None = None
    #: fields for inline edits of columns the edit form does not have (looked up first)
    cell_fields: tuple[FieldSpec, ...] = ()
    #: the journal's kind of object: ``user``, ``application``... (see ``changes.KINDS``), or
    #: any name with ``collection_path``; ``""``: the noun
    object_kind: str = ""
    #: the Graph collection the objects live in (``/identity/userFlowAttributes``), for kinds
    #: ``changes.KINDS`` does not know: an object's path is it and the object's id (quoted)
    collection_path: str = ""

    def cell_field(self, key: str) -> FieldSpec | None:
        """The field that edits column ``key`` in place (``None``: not editable there)."""
        if key not in self.patchable:
            return None
        fields = (*self.cell_fields, *(self.edit.form.fields if self.edit else ()))
        found = next((f for f in fields if f.name == key), None)
        return found if found is not None and found.patchable else None

    def change(self, op: str, object_id: str, *, new: Mapping[str, Any] | None = None,
               old: Mapping[str, Any] | None = None, name: str = "") -> Change:
        """A journaled change of this pane's kind of object (``update`` or ``delete``)."""
        from ...changes import Change
        from ...graph.resources.base import seg

        kind = self.object_kind or self.noun
        path = f"{self.collection_path}/{seg(object_id)}" if self.collection_path else None
        if op == "delete":
            return Change.delete(kind, object_id, display_name=name, path=path)
        return Change.update(kind, object_id, new or {}, old=old, display_name=name, path=path)
    #: column key -> the tone of a cell from its shown text (``error``, ``warning``,
    #: ``success``, ``muted`` or ``None``); the text must say it too (a glyph)
    tones: Mapping[str, Callable[[str], str | None]] = field(default_factory=dict)

    def operations(self) -> tuple[Operation, ...]:
        """The standard operations this description allows, then its own, then the inline
        edit keys (when some column is patchable)."""
        return (*self._standard(), *self.actions, *(INLINE if self.patchable else ()))

    def _standard(self) -> tuple[Operation, ...]:
        ops = []
        if self.create is not None:
            ops.append(Operation("create", "n", f"New {self.noun}", write=True))
        if self.edit is not None:
            ops.append(Operation("edit", "E", "Edit", write=True, needs_row=True,
                                 in_detail=True))
        if self.delete is not None:
            ops.append(Operation("delete", "d", "Delete", write=True, needs_row=True,
                                 in_detail=True))
        return tuple(ops)


#: The inline edit keys (:mod:`.inline`): edit the cell, review and commit what is pending.
INLINE = (
    Operation("edit_cell", "i,f2", "Edit cell", write=True, needs_row=True, key_display="i"),
    Operation("review", "v", "Review"),
    Operation("commit", "ctrl+s", "Commit", write=True),
)
