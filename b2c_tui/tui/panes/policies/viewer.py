"""The policy viewer screen: one policy's XML in :class:`XmlView`, with a header saying where it
sits (kind, base chain, set, size, problems).

Go to definition and find uses are answered by an :class:`~.resolver.IndexResolver`; a jump
into another policy (a base, or a sibling through find uses) arrives as
``XmlView.OpenLocation`` and the screen loads that policy from its :class:`PolicySource`;
``backspace`` walks back along the jumps, Esc closes the screen. ``o`` opens a private copy in
``$EDITOR`` (the widget's); when the copy comes back changed, the screen hands it to the pane
(``on_edited``), which shows the diff and offers the dry run: nothing is ever uploaded silently.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import ClassVar, Protocol

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.screen import ModalScreen
from textual.widgets import Static

from ...safe_text import safe
from ...screens.listing import modal_bindings
from ...widgets.footer import BindingsFooter
from ...widgets.xml_view import XmlResolver, XmlView
from .resolver import IndexResolver


class PolicySource(Protocol):
    """Where the viewer's policies come from (the tenant, a local folder, a backup)."""

    #: what the header calls it ("tenant contosob2c.onmicrosoft.com", a folder...)
    label: str
    resolver: XmlResolver | None

    def text_of(self, policy_id: str) -> str | None:
        """The XML of ``policy_id`` (``None``: not here)."""
        ...

    def describe(self, policy_id: str) -> Text:
        """One line about the policy: kind, chain, size, problems (safe text)."""
        ...


class PolicyViewerScreen(ModalScreen[None]):
    """One policy in the viewer (see the module docs). Modal, so that only its own keys (and
    ``?`` and ``:``) apply, not the app's export or refresh of the list behind it."""

    BINDINGS: ClassVar[list[BindingType]] = modal_bindings("policy_viewer")

    def __init__(self, source: PolicySource, policy_id: str, *, line: int = 1, column: int = 1,
                 on_edited: Callable[[str, Path], None] | None = None) -> None:
        super().__init__(id="policy-viewer")
        self.source = source
        self.start = (policy_id, line, column)
        self.on_edited = on_edited

    def compose(self) -> ComposeResult:
        policy_id, line, column = self.start
        yield Static(self.source.describe(policy_id), id="policy-viewer-header")
        view = XmlView(resolver=self.source.resolver, id="policy-xml")
        view.load(self.source.text_of(policy_id) or "", policy_id, line=line, column=column)
        yield view
        yield BindingsFooter()

    def on_mount(self) -> None:
        self.view.focus()
        self._warm(self.start[0])

    def _warm(self, policy_id: str) -> None:
        resolver = self.source.resolver
        if isinstance(resolver, IndexResolver):
            self.run_worker(partial(resolver.warm, policy_id), thread=True,
                            group="policy-warm", exit_on_error=False)

    @property
    def view(self) -> XmlView:
        return self.query_one(XmlView)

    def show(self, policy_id: str, line: int = 1, column: int = 1) -> bool:
        """Load ``policy_id`` at ``line``/``column``; ``False`` (and a note) if it is not
        in this source."""
        text = self.source.text_of(policy_id)
        if text is None:
            self.notify(f"{safe(policy_id)} is not in {safe(self.source.label)}",
                        severity="warning", markup=False)
            return False
        self.view.load(text, policy_id, line=line, column=column)
        self.query_one("#policy-viewer-header", Static).update(self.source.describe(policy_id))
        self._warm(policy_id)
        return True

    def on_xml_view_open_location(self, message: XmlView.OpenLocation) -> None:
        message.stop()
        where = message.location
        self.show(where.policy_id, where.line, where.column)

    def on_xml_view_editor_closed(self, message: XmlView.EditorClosed) -> None:
        message.stop()
        if message.changed and self.on_edited is not None:
            self.on_edited(message.policy_id, message.path)

    def action_close(self) -> None:
        self.dismiss(None)
