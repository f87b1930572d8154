"""One key map for the whole explorer, and read-only refusals.

The same key does the same thing in every view (the help screen, ``?``, lists them):

=========  ===================================================================================
``?``      help (every key of the view you are in), everywhere, the detail view included
``:``      go to a pane by name, everywhere
``/``      search or filter the list; the footer says which: "Find user" on users is a
           server-side search Graph runs when you press Enter, "Filter" elsewhere
``Esc``    back: closes a dialog or the detail view, clears a filter, leaves a pane opened
           from another (auth methods -> users)
``enter``  open the row (detail view)
``n``      new object                ``E``  edit (list and detail view alike)
``d``      delete (with a confirmation naming it and its id)   ``D``  delete the selection
``e``      export the list (CSV or JSON Lines)                 ``r``  refresh
``s``      sort by the cursor's column   ``space`` select   ``c`` choose columns
``i``      edit the cell in place (``F2`` too)   ``v`` review pending edits
``ctrl+s`` commit pending edits (save, in dialogs)   ``ctrl+z`` the journal: undo
``q``      quit (asks first when edits are pending)   ``ctrl+b`` hide/show the pane list
=========  ===================================================================================

A *write* action (one that changes the tenant) is hidden from the footer when the tenant was
opened read-only; pressing its key anyway says why in one line instead of doing nothing.
:class:`WriteGuard` does both for a pane or a screen from its ``write_actions``.

In an ordered list inside an object (a user flow's attributes), ``shift+up`` and
``shift+down`` move the item under the cursor; the other keys there are the same as above.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import events
from textual.binding import Binding, BindingType

READ_ONLY_NOTE = "Read-only: {what} would change the tenant, and it was opened read-only."


def class_bindings(owner: type) -> list[Binding]:
    """The ``Binding`` objects a class declares, most derived first (as Textual applies them)."""
    out: list[Binding] = []
    for klass in owner.__mro__:
        for item in vars(klass).get("BINDINGS", []) or []:
            binding = as_binding(item)
            if binding is not None:
                out.append(binding)
    return out


def as_binding(item: BindingType) -> Binding | None:
    """A ``Binding`` from any of the forms ``BINDINGS`` accepts."""
    if isinstance(item, Binding):
        return item
    if isinstance(item, tuple) and len(item) >= 2:
        return Binding(item[0], item[1], item[2] if len(item) > 2 else "")
    return None


def binding_for_key(owner: type, key: str) -> Binding | None:
    """The binding of ``owner`` that ``key`` triggers, if any."""
    for binding in class_bindings(owner):
        if key in (k.strip() for k in binding.key.split(",")):
            return binding
    return None


def action_name(action: str) -> str:
    """``intent('edit')`` -> ``intent``; ``edit`` -> ``edit``."""
    return action.partition("(")[0]


class WriteGuard:
    """Mixed into a pane or a screen: its ``write_actions`` (action names, or ``intent``
    parameters) are hidden in read-only mode, and their keys refused with one line."""

    write_actions: ClassVar[frozenset[str]] = frozenset()

    def guard_read_only(self) -> bool:
        """Whether writes are refused here (the tenant was opened read-only)."""
        raise NotImplementedError

    def is_write(self, action: str, parameters: tuple[object, ...] = ()) -> bool:
        """Whether ``action`` (with ``parameters``) changes the tenant."""
        name = action_name(action)
        if name == "intent" and parameters:
            return str(parameters[0]) in self.write_actions
        if name == "intent" and "(" in action:
            return action.partition("(")[2].strip("')\"") in self.write_actions
        return name in self.write_actions

    def write_hidden(self, action: str, parameters: tuple[object, ...] = ()) -> bool:
        """For ``check_action``: ``True`` when the action must be hidden (read-only)."""
        return self.guard_read_only() and self.is_write(action, parameters)

    def on_key(self, event: events.Key) -> None:
        if not self.guard_read_only():
            return
        binding = binding_for_key(type(self), event.key)
        if binding is None or not self.is_write(binding.action):
            return
        event.stop()
        event.prevent_default()
        node: Any = self
        node.notify(READ_ONLY_NOTE.format(what=f"{binding.description or binding.action}"),
                    title="Read-only", severity="warning", markup=False)
