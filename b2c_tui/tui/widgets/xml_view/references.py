"""Go to definition, find uses, back, copy and the editor for :class:`~.view.XmlView` (mixed
into it). The resolver runs in a worker thread; a result that arrives after the document
changed is dropped. Nothing here changes a policy: the editor gets a private copy."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, TypeVar, cast

from textual.app import SuspendNotSupported

from .display import visible
from .document import Document
from .editor import editor_command, run_editor, write_scratch
from .resolver import Location, Reference, answers_at_once, attribute_at

if TYPE_CHECKING:
    from .view import XmlView

#: Jumps remembered for ``back``.
HISTORY_LIMIT = 100
#: what the resolver answers (a definition's place, or every use)
Answer = TypeVar("Answer")


class XmlReferences:
    """``action_definition``, ``action_uses``, ``action_back``, ``action_copy``,
    ``action_editor`` and the jump history."""

    @property
    def _view(self) -> XmlView:
        return cast("XmlView", self)

    # -- definitions, uses, history ---------------------------------------------------------
    def remember(self) -> None:
        """Push the cursor's place onto the history ``back`` returns along."""
        view = self._view
        doc = view.document
        if doc is None:
            return
        here = Location(doc.policy_id, *view.cursor, label=doc.line(view._line).strip()[:80])
        history = view._history
        if not history or history[-1] != here:
            history.append(here)
            del history[:-HISTORY_LIMIT]
            view.refresh_bindings()

    def jump_to(self, location: Location, *, remember: bool = True) -> None:
        """Go to ``location``: here if it is in the policy shown, otherwise post
        :class:`OpenLocation` for the host to open it."""
        view = self._view
        doc = view.document
        origin = Location(doc.policy_id, *view.cursor) if doc else None
        if remember:
            self.remember()
        if doc is not None and location.policy_id in ("", doc.policy_id):
            view.goto(location.line, location.column)
        else:
            view.post_message(view.OpenLocation(view, location, origin))

    def action_back(self) -> None:
        """Return to where the last jump started (in this policy or another)."""
        view = self._view
        doc = view.document
        here = (doc.policy_id, *view.cursor) if doc else None
        while view._history:
            location = view._history.pop()
            if (location.policy_id, location.line, location.column) != here:
                break
        else:
            view.refresh_bindings()
            return
        view.refresh_bindings()
        if doc is not None and location.policy_id == doc.policy_id:
            view.goto(location.line, location.column)
        else:
            view.post_message(view.OpenLocation(view, location, None, back=True))

    def _reference(self) -> Reference | None:
        view = self._view
        doc = view.document
        return attribute_at(doc.line(view._line), view._column) if doc else None

    def _resolve(self, ask: Callable[[str, int, int], Answer],
                 found: Callable[[Document, Reference | None, Answer], None]) -> None:
        """Ask the resolver about the cursor's place in a thread (``ask``: one of its
        methods); ``found(doc, ref, answer)`` hears the answer."""
        view = self._view
        doc = view.document
        if doc is None:
            return
        ref = self._reference()
        view.offload(partial(ask, doc.policy_id, *self._asked_at(ref)),
                     partial(found, doc, ref), group="xml-resolve",
                     exclusive=True, failed=self._resolve_failed)

    def _asked_at(self, ref: Reference | None) -> tuple[int, int]:
        """Where the resolver is asked about: on an attribute (its name, ``=`` or quotes
        included, as :func:`attribute_at` reads it), the start of its value, so that a
        resolver that knows only the values' spans answers about the same id."""
        line, column = self._view.cursor
        return (line, ref.column + 1) if ref is not None else (line, column)

    def action_definition(self) -> None:
        """Ask the resolver where the id under the cursor is defined, and go there."""
        view = self._view
        resolver, doc = view.resolver, view.document
        if resolver is None or doc is None:
            return
        if answers_at_once(resolver, doc.policy_id):
            ref = self._reference()
            try:
                location = resolver.definition(doc.policy_id, *self._asked_at(ref))
            except Exception as error:  # said in one line, as the thread's failures are
                self._resolve_failed(error)
                return
            self._definition_found(doc, ref, location)
            return
        self._resolve(resolver.definition, self._definition_found)

    def _definition_found(self, doc: Document, ref: Reference | None,
                          location: Location | None) -> None:
        view = self._view
        if view.document is not doc:
            return
        if location is not None:
            self.jump_to(location)
            return
        if ref is not None and ref.attribute == "StorageReferenceId":
            note = (f"{visible(ref.value)} is a policy key: keysets live in the tenant (the keys "
                    "pane), not in a policy")
        elif ref is not None and ref.is_reference:
            note = f"No definition of {visible(ref.value)!r} in this policy or its bases"
        else:
            note = ("Not on a reference: put the cursor on a ReferenceId, "
                    "TechnicalProfileReferenceId, ClaimTypeReferenceId, "
                    "ContentDefinitionReferenceId or StorageReferenceId value")
        view.notify(note, severity="warning", markup=False)

    def action_uses(self) -> None:
        """List every use of the id under the cursor, inline under its line (see
        :mod:`.uses_panel`); pick one to go there."""
        resolver = self._view.resolver
        if resolver is not None:
            self._resolve(resolver.uses, self._uses_found)

    def _uses_found(self, doc: Document, ref: Reference | None,
                    locations: list[Location]) -> None:
        view = self._view
        if view.document is not doc:
            return
        name = ref.value if ref is not None else ""
        if not locations:
            view.notify(f"No uses of {visible(name)!r}" if name else
                        "Not on an id or a reference", severity="warning", markup=False)
            return
        view.open_uses(name, list(locations))

    def _resolve_failed(self, error: BaseException) -> None:
        self._view.notify(f"Cannot resolve: {visible(error)}", severity="error", markup=False)

    # -- copy and the editor ----------------------------------------------------------------
    def action_copy(self) -> None:
        """Copy the whole policy XML (as given) to the clipboard."""
        view = self._view
        doc = view.document
        if doc is None:
            return
        view.app.copy_to_clipboard(doc.original)
        view.notify(f"Copied {visible(doc.policy_id) or 'the XML'} ({doc.line_count:,} lines)",
                    timeout=2, markup=False)

    def action_editor(self) -> None:
        """Open a scratch copy in ``$VISUAL``/``$EDITOR``; post :class:`EditorClosed`."""
        view = self._view
        doc = view.document
        if doc is None:
            return
        command = editor_command()
        if command is None:
            view.notify("Set $EDITOR (or $VISUAL) to open the XML in an editor",
                        severity="warning")
            return
        try:
            path = write_scratch(doc.policy_id, doc.original)
        except OSError as exc:
            view.notify(f"Cannot write a copy for the editor: {visible(exc)}", severity="error",
                        markup=False)
            return
        app = view.app
        try:
            try:
                with app.suspend():
                    code = run_editor(command, path, attached=True)
            except SuspendNotSupported:
                if not app.is_headless:
                    path.unlink(missing_ok=True)
                    view.notify("This terminal cannot hand over to an editor",
                                severity="error")
                    return
                code = run_editor(command, path, attached=False)
            with open(path, encoding="utf-8", newline="") as edited:
                changed = edited.read() != doc.original
        except (OSError, UnicodeDecodeError) as exc:
            view.notify(f"Editor {visible(command[0])!r} failed: {visible(exc)}",
                        severity="error", markup=False)
            return
        if not changed:
            path.unlink(missing_ok=True)
        if code != 0:
            view.notify(f"The editor exited with code {code}", severity="warning")
        elif changed:
            view.notify(f"Edited copy saved to {visible(path)}", markup=False, timeout=4)
        view.post_message(view.EditorClosed(view, doc.policy_id, path, changed, code))
