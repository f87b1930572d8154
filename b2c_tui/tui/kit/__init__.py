"""The resource pane kit: a pane is a *description*, not a copy of another pane.

How to add a pane
=================

A pane imports the kit as a namespace, ``from .. import kit``, and writes ``kit.PaneSpec``,
``kit.Create``, ``kit.Filter``...: the kit's words are short and generic (``Filter``, ``Section``,
``Delete``), and the prefix says at every use that this is the pane description's vocabulary,
not Graph's (``graph.query`` has a ``Filter`` too) or Textual's.

1. Columns. Use ``b2c_tui.frames.columns.Column`` specs (the frames layer has one tuple per
   resource family); a column's ``get`` flattens what Graph returns, ``kind`` sorts and formats
   it, ``secret`` keeps it out of the view and exports.
2. Listing. A function ``(client, select, filter_text) -> PageIterator`` returning the client's
   async page iterator (for a listing Graph does not page, computed whole, leave ``list``
   out and override the pane's ``async all_rows()``: the kit pages it as one). Say what ``/``
   does with :class:`Filter`: ``server=True`` when the function turns the text into a Graph
   ``$filter`` (refuse what Graph cannot answer by raising ``UnsupportedQueryError`` before any
   request), otherwise the kit filters the loaded rows and ``note`` tells the user why ("Graph
   cannot filter this"). What other requests say about the listed objects (an app's service
   principal) comes from ``PaneSpec.join``: made once per listing, run on each page before it
   lands (use ``$batch``: a round trip a page, not one an object), its keys prefixed
   :data:`~.spec.JOINED` (columns read them; forms never send them; the raw JSON leaves them
   out). Columns that depend on the pane's state (days left, relative to the tenant's clock
   ``context.now()``) come from overriding ``columns()``.
3. Detail. :class:`Section` s (``fields_table((label, property), ...)`` or any renderer of a
   record); the raw JSON is always shown beside them. ``get`` fetches the whole object when
   the listed record is not enough; override ``fetch_record(key)`` when the detail needs more
   than one request, and ``sections()`` when they depend on the pane's state.
4. Forms. :class:`FormSpec` with :class:`FieldSpec` s: kind, ``required``, ``max_length``,
   ``check`` (raise ``ValidationError(field=...)``), ``patchable`` (an edit may change it; the
   others are shown read-only), ``default`` (a create form's start). ``FormSpec.check`` checks
   across fields ("a web app needs a redirect URI"). Values in, a body (create) or the changed
   fields (edit) out; the dialog never calls Graph. ``hints`` place Graph's refusal beside the
   field it names, and the dialog keeps what was typed. A create that takes several requests
   and got part of the way returns the object with ``record[NOTE]`` saying what is missing.
   Inline edits (``i`` on a cell, ``v`` review, ``ctrl+s`` commit: :mod:`.inline`) come with
   ``PaneSpec.patchable`` (the column keys editable in place): each is edited by the patchable
   field of that name in ``PaneSpec.cell_fields`` or the edit form, with its rules
   (``from_cell`` turns a table cell back into the property's value when the listing is not
   kept whole). Override ``KitPane.cell_field`` for columns known only at run time.
5. Where the objects live, for the journal: ``object_kind`` (``user``, ``application``... from
   ``b2c_tui.changes.KINDS``), else any name with ``collection_path`` (where Graph keeps them:
   an object's path is it and the id). Inline commits and the kit's deletes are written to the
   tenant's journal before they are sent, so ``ctrl+z`` can undo them; a pane that changes
   objects must say this (a test checks).
6. Operations. :class:`Create`, :class:`Edit`, :class:`Delete` (each with ``send``, and
   ``refuse(record) -> reason`` for objects Graph will not change, e.g. built-in ones) give the
   keys ``n``, ``E``, ``d``; the delete confirmation names the object and its id, with
   ``note``. Your own keys are :class:`Operation` s in ``actions`` (an ``action_<name>``
   method on the pane); mark every one that changes the tenant ``write=True``: read-only
   tenants then hide it, and its key says why in one line. An operation on "one or a
   selection" acts on ``chosen_records()`` (the detail view's object, else the selection, else
   the row under the cursor); one on the selection only is ``needs_selection=True`` (its key
   follows the selection); after a change, ``reload_at(key)`` keeps the cursor on it.
7. The pane: ``class ThingsPane(kit.KitPane): spec = THINGS; binding_prefix = "things"``, plus
   methods for what is truly specific. Put it in :mod:`b2c_tui.tui.registry`. Panes never
   import each other: hand another pane a subject with ``OpenPane`` (:mod:`..messages`).

Cells can be coloured by what they say (a key that expires in a week): ``PaneSpec.tones`` maps a
column to a function of the cell's text returning ``error``, ``warning``, ``success`` or
``muted``; the text must say it too (a glyph), so it reads without colour.
More, when a resource needs it (:mod:`.sublist`, :mod:`.single`, :mod:`.tenant`):

- Form fields: ``write_only`` (a secret: never filled from the record; left empty on an edit,
  it is not sent) and ``show`` (how a non-text value fills the field, e.g. a list as text).
- A create whose form depends on a kind Graph offers (an identity provider's type) starts
  with a :class:`Pick`. An edit form that depends on the record is ``Edit.form_of(record)``;
  ``Edit.complete(record, patch)`` adds what Graph wants beside the changes (the derived
  ``@odata.type``, properties every update must carry).
- ``secrets``: write-only properties, masked wherever they occur in the detail view's JSON.
- ``applies``: whether the resource exists in this kind of tenant (:mod:`.tenant`:
  ``only_in(B2C, reason="...")``); elsewhere one sentence replaces the list and its write keys.
- ``sublists``: lists inside an object (a user flow's identity providers, its attributes),
  each a :class:`SubList` with its key, columns, ``load`` and optional :class:`SubAdd`,
  :class:`SubEdit`, :class:`SubRemove` and ``reorder``; opened from the list or the detail
  view in a screen of their own (:mod:`.sublist`) with the same keys (``n``, ``E``, ``d``,
  ``shift+up``/``shift+down`` to move).
- One object instead of a list (a tenant-wide policy): an :class:`ObjectSpec` and
  ``class ThingPane(ObjectPane)`` (:mod:`.single`): the object beside its JSON, ``E`` edits it
  with a PATCH, ``e`` exports it as one row.

Export (``e``), sort (``s``), refresh (``r``), paging into the virtual table, the detail view
(``enter``), ``?`` and ``:`` come with the kit. :mod:`b2c_tui.tui.panes.attributes` is a
complete example; :mod:`~b2c_tui.tui.panes.applications` (joins, a multi-request create, a
secret shown once), :mod:`~b2c_tui.tui.panes.conditional_access` (two listings, a create
form made at run time) and :mod:`~b2c_tui.tui.panes.deleted` (several typed listings, bulk
``$batch`` operations) use the rest.

Modules: :mod:`.spec` (the description), :mod:`.pane` (:class:`KitPane`), :mod:`.collection`
(paging, export), :mod:`.base` (every pane), :mod:`.detail`, :mod:`.form`, :mod:`.operations`,
:mod:`.pages` (listings computed whole, pages changed on their way: ``/`` on loaded rows,
joins); inline edits: :mod:`.inline` (edit, commit), :mod:`.pending` (the edits, by object id
and property), :mod:`.cell_editor`, :mod:`.review`.
"""

from __future__ import annotations

from .detail import DetailScreen, fields_table, show_value
from .form import SpecForm
from .pane import KitPane
from .single import ObjectPane
from .spec import (
    Create,
    Delete,
    Edit,
    FieldSpec,
    Filter,
    FormSpec,
    ObjectSpec,
    Operation,
    PaneSpec,
    Pick,
    Section,
    SubAdd,
    SubEdit,
    SubList,
    SubRemove,
)
from .sublist import SubListScreen

__all__ = ["Create", "Delete", "DetailScreen", "Edit", "FieldSpec", "Filter", "FormSpec",
           "KitPane", "ObjectPane", "ObjectSpec", "Operation", "PaneSpec", "Pick", "Section",
           "SpecForm", "SubAdd", "SubEdit", "SubList", "SubListScreen", "SubRemove",
           "fields_table", "show_value"]
