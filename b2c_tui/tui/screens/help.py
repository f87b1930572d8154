"""The help screen: every binding of the app, the panes and the table, with its id."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.keys import format_key
from textual.screen import ModalScreen
from textual.widgets import Static

from ..keys import as_binding


def _bindings(owner: type, *, own_only: bool = False) -> list[Binding]:
    """The bindings ``owner`` offers, one per key (the most derived class wins, as in
    Textual), leaving out the ones with no description (Textual's internal ``help_quit``);
    ``own_only`` leaves out the ones Textual itself declares."""
    out: list[Binding] = []
    taken: set[str] = set()
    for klass in owner.__mro__:
        if own_only and not klass.__module__.startswith("b2c_tui."):
            continue
        for item in vars(klass).get("BINDINGS", []) or []:
            binding = as_binding(item)
            if binding is None or not binding.description:
                continue
            keys = [k.strip() for k in binding.key.split(",")]
            free = [k for k in keys if k not in taken]
            if not free:
                continue
            taken.update(keys)
            if free != keys:
                binding = replace(binding, key=",".join(free), key_display=None)
            out.append(binding)
    return out


def binding_sections(app_class: type, *, own_only: bool = False
                     ) -> list[tuple[str, list[Binding]]]:
    """(section title, bindings) for the app, each implemented pane, the detail view, the
    table widget and forms; ``own_only`` leaves out the ones Textual itself defines."""
    # Here, not at the top: the panes import the screens package.
    from ..dialogs.form import FormDialog
    from ..kit.review import ReviewScreen
    from ..kit.sublist import EVERY_OPERATION, sublist_screen_for
    from ..panes.users.detail import UserDetailScreen
    from ..registry import PANES
    from ..widgets.table import VirtualTable
    from .journal import JournalScreen

    sections = [("Everywhere", _bindings(app_class, own_only=own_only))]
    for pane in PANES:
        if pane.pane is not None:
            sections.append((pane.title, _bindings(pane.pane, own_only=own_only)))
    sections.append(("Detail view (users)", _bindings(UserDetailScreen, own_only=own_only)))
    # Their footer keys (moving around is as in every view, and listed once, under Tables).
    sections.extend((title, [b for b in _bindings(owner, own_only=own_only) if b.show])
                    for title, owner in _screen_sections())
    sections.append(("Lists inside an object (a flow's providers, attributes…)",
                     _bindings(sublist_screen_for(EVERY_OPERATION), own_only=own_only)))
    sections.append(("Tables", _bindings(VirtualTable, own_only=own_only)))
    sections.append(("Dialogs", _bindings(FormDialog, own_only=own_only)))
    sections.append(("Pending edits (v)", _bindings(ReviewScreen, own_only=own_only)))
    sections.append(("Journal (ctrl+z)", _bindings(JournalScreen, own_only=own_only)))
    return sections


def _screen_sections() -> list[tuple[str, type]]:
    """The screens panes open beyond the detail view (the policy viewer, the diff...)."""
    from ..panes.keys.health import KeyHealthScreen
    from ..panes.policies.backups_screen import BackupsScreen
    from ..panes.policies.diff_screen import PolicyDiffScreen
    from ..panes.policies.upload_screen import UploadScreen
    from ..panes.policies.viewer import PolicyViewerScreen
    from ..widgets.xml_view import XmlView

    return [("Policy viewer", XmlView), ("Policy viewer screen", PolicyViewerScreen),
            ("Policy diff", PolicyDiffScreen), ("Policy upload (dry run)", UploadScreen),
            ("Policy backups", BackupsScreen), ("Key health", KeyHealthScreen)]


KEY_MAP_NOTE = (
    "The same key does the same thing in every view: E edits, e exports, d deletes, n creates, "
    "Esc goes back, ? and : work everywhere. / searches the list: on Users it is a "
    "server-side find that Graph runs when you press Enter (name prefix, whole sign-in email "
    "or user name, id, UPN, +phone); elsewhere it filters. i (or F2) edits the cell under "
    "the cursor in place: the edit stays pending (marked ✎) until ctrl+s commits; v reviews "
    "them; ctrl+z opens the journal, where u undoes a change. Keys that change the tenant are "
    "hidden when it was opened read-only, and say why if pressed.\n")
NAMED = {"enter": "enter", "escape": "esc", "space": "space"}


def key_label(binding: Binding) -> str:
    """How a person types the binding: ``?`` not ``question_mark``, ``/`` not ``slash``,
    ``^b`` not ``ctrl+b``, ``↑`` not ``up`` (Textual's ``format_key``)."""
    if binding.key_display:
        return binding.key_display
    labels = []
    for key in binding.key.split(","):
        key = key.strip()
        labels.append(NAMED.get(key) or format_key(key).replace("ctrl+", "^"))
    return " ".join(labels)


def render_sections(sections: Iterable[tuple[str, list[Binding]]]) -> Text:
    text = Text()
    for title, bindings in sections:
        if not bindings:
            continue
        text.append(f"{title}\n", style="bold underline")
        for b in bindings:
            text.append(f"  {key_label(b):<14}", style="bold")
            text.append(f"{b.description:<34}")
            text.append(f"{b.id or ''}\n", style="dim")
        text.append("\n")
    return text


class HelpScreen(ModalScreen[None]):
    """``?``: every key binding, grouped, with its id, and the key map's rules."""

    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="help.close"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Static(Text("Key bindings", style="bold"), id="help-title")
            yield Static(Text(KEY_MAP_NOTE, style="italic"), id="help-note")
            yield Static(render_sections(binding_sections(type(self.app))), id="help-text")

    def action_dismiss(self, result: None = None) -> None:  # type: ignore[override]
        self.dismiss(result)
