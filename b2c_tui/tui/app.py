"""The explorer application: wiring only (panes, navigation, status line, prompts, palette)."""

from __future__ import annotations

import asyncio
import gc
import logging
from typing import Any, ClassVar

from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import ContentSwitcher, Header, OptionList
from textual.widgets.option_list import Option

from ..connection import Connection
from .commands import ExportCommands, PaneCommands, ProfileCommands, ThemeCommands
from .context import AppContext
from .kit.base import ComingPane, PaneInfo, ResourcePane
from .messages import OpenPane
from .registry import PANES, find_pane
from .safe_text import safe
from .screens.help import HelpScreen
from .screens.prompt import PromptScreen
from .settings import remember, remembered_theme
from .themes import DEFAULT_THEME, load_themes
from .timing import mark
from .widgets.export_bar import ExportBar
from .widgets.footer import BindingsFooter
from .widgets.status_line import StatusLine

log = logging.getLogger(__name__)


def _freeze_startup_objects() -> None:
    """Move what start-up allocated (Textual's, pandas' and numpy's own objects) out of the
    collector's way: a full collection walking them costs 50-90 ms, a visible stutter on a key.
    Loaded rows live in numpy arrays the collector never visits. Runs once; the CLI disabled
    the collector during start-up and this turns it back on."""
    if gc.isenabled() and gc.get_freeze_count():
        return
    gc.collect()
    gc.freeze()
    gc.enable()


class PaneList(OptionList):
    """The navigation: every resource pane, the tenant dashboard first."""

    DEFAULT_CSS = "PaneList { width: 24; height: 1fr; }"


class B2CApp(App[None]):
    """b2c-tui: a terminal explorer for Azure AD B2C and Entra External ID tenants."""

    TITLE = "b2c-tui"
    CSS_PATH = "app.tcss"
    COMMANDS: ClassVar[set[Any]] = App.COMMANDS | {
        PaneCommands, ExportCommands, ProfileCommands, ThemeCommands,
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("colon", "goto_prompt", "Go to", id="app.goto"),
        Binding("slash", "filter_prompt", "Filter", id="app.filter"),
        Binding("r", "reload", "Refresh", id="app.reload"),
        Binding("e", "export", "Export", id="app.export"),
        Binding("ctrl+x", "cancel_export", "Cancel export", id="app.cancel_export"),
        Binding("ctrl+b", "toggle_nav", "Panes", id="app.toggle_nav"),
        Binding("q", "quit", "Quit", id="app.quit"),
    ]

    def __init__(self, connection: Connection, *, theme: str | None = None,
                 start: str | None = None) -> None:
        """``start``: the pane to open first (a name as ``:`` takes it; the first of
        :data:`~.registry.PANES`, the tenant dashboard, by default)."""
        super().__init__()
        self.context = AppContext(connection)
        # An explicit theme wins; else the one chosen last time (remembered on change).
        self._wanted_theme = theme or remembered_theme() or DEFAULT_THEME
        self._remember_theme = False
        first = find_pane(start) if start else None
        self.start_pane = first.id if first is not None else PANES[0].id
        self.current_pane: str = self.start_pane

    # -- composition -------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        with Horizontal(id="body"):
            yield PaneList(*(Option(p.title, id=p.id) for p in PANES), id="nav")
            yield ContentSwitcher(id="panes")
        yield ExportBar(id="export-bar")
        yield StatusLine(id="status")
        yield BindingsFooter()

    def on_mount(self) -> None:
        for theme in load_themes():
            self.register_theme(theme)
        if self._wanted_theme in self.available_themes:
            self.theme = self._wanted_theme
        self._remember_theme = True
        self._apply_connection()
        self.context.client.core.add_listener(self._on_throttle)
        self.show_pane(self.current_pane)
        self.call_after_refresh(mark, "first_frame")
        # Fallback when no rows ever arrive (a Graph error, an empty tenant).
        self.set_timer(5.0, _freeze_startup_objects)

    def _apply_connection(self) -> None:
        conn = self.context.connection
        status = self.query_one(StatusLine)
        status.tenant = conn.tenant
        status.cloud = conn.cloud
        status.mode = "demo" if conn.demo else ("production" if conn.production else "live")
        status.read_only = conn.read_only
        self.sub_title = conn.label + ("  read-only" if conn.read_only else "")
        self.screen.set_class(conn.production, "-production")

    def watch_theme(self, theme: str) -> None:
        if self._remember_theme:
            remember(theme=theme)

    def _on_throttle(self, event: Any) -> None:
        # Called from the client inside a worker: the status line updates on the next refresh.
        self.query_one(StatusLine).on_throttle(event)

    # -- panes -------------------------------------------------------------------------------
    def _build_pane(self, info: PaneInfo) -> ResourcePane:
        if info.pane is None:
            return ComingPane(self.context, info)
        return info.pane(self.context, info)

    def show_pane(self, pane_id: str) -> None:
        """Make ``pane_id`` current, building it on first visit; leaving cancels its work."""
        info = find_pane(pane_id)
        if info is None:
            self.notify(f"No pane called {safe(pane_id)!r}", severity="warning", markup=False)
            return
        switcher = self.query_one(ContentSwitcher)
        previous = self.pane(self.current_pane)
        if previous is not None and info.id != self.current_pane:
            previous.pane_hidden()
        pane = self.pane(info.id)
        if pane is None:
            pane = self._build_pane(info)
            switcher.mount(pane)
        self.current_pane = info.id
        switcher.current = pane.id
        nav = self.query_one(PaneList)
        nav.highlighted = [p.id for p in PANES].index(info.id)
        self.query_one(StatusLine).rows = ""
        self.call_after_refresh(pane.pane_shown)
        self.call_after_refresh(pane.focus_default)
        self.refresh_bindings()

    def pane(self, pane_id: str) -> ResourcePane | None:
        try:
            return self.query_one(f"#pane-{pane_id}", ResourcePane)
        except Exception:
            return None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "nav" and event.option.id:
            self.show_pane(event.option.id)

    def on_open_pane(self, event: OpenPane) -> None:
        """A pane asked for another one (and may hand it a subject, such as a user)."""
        self.open_pane(event.pane_id, event.subject)

    def open_pane(self, pane_id: str, subject: object | None = None) -> None:
        """Show ``pane_id`` and hand it ``subject`` (see :class:`OpenPane`)."""
        self.show_pane(pane_id)
        pane = self.pane(pane_id)
        if subject is not None and pane is not None:
            pane.receive(subject)

    def on_resource_pane_status(self, event: ResourcePane.Status) -> None:
        status = self.query_one(StatusLine)
        status.rows = event.rows
        status.message = event.message
        if event.rows and not gc.isenabled():
            self.call_after_refresh(_freeze_startup_objects)

    # -- actions -----------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        pane = self.pane(self.current_pane)
        if action == "filter_prompt":
            return bool(pane and pane.can_filter) or None
        if action == "export":
            return bool(pane and pane.can_export) or None
        if action == "cancel_export":
            return self.query_one(ExportBar).running
        return True

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    def action_goto_prompt(self) -> None:
        def chosen(value: str | None) -> None:
            if value and find_pane(value) is not None:
                while len(self.screen_stack) > 1:  # `:` from the detail view: leave it
                    self.pop_screen()
            if value:
                self.show_pane(value)

        names = [p.id for p in PANES] + [a for p in PANES for a in p.aliases]
        self.push_screen(PromptScreen(":", placeholder="pane name (users, policies, keys…)",
                                      suggestions=names), chosen)

    def action_filter_prompt(self) -> None:
        pane = self.pane(self.current_pane)
        if pane is None or not pane.can_filter:
            return

        def chosen(value: str | None) -> None:
            if value is not None:
                pane.apply_filter(value)

        self.push_screen(PromptScreen("/", pane.filter_text, pane.filter_hint), chosen)

    def action_reload(self) -> None:
        pane = self.pane(self.current_pane)
        if pane is not None:
            pane.reload()

    def action_export(self, kind: str = "") -> None:
        pane = self.pane(self.current_pane)
        if pane is not None and pane.can_export:
            pane.start_export(kind)

    def action_cancel_export(self) -> None:
        self.query_one(ExportBar).request_cancel()

    @work(exclusive=True, group="profile")
    async def action_switch_profile(self, name: str) -> None:
        """Open another tenant profile ('' for the demo tenant) off the event loop."""
        from ..connection import connect
        from ..graph.errors import B2CTuiError

        def device_code(prompt: object) -> None:
            self.call_from_thread(self.notify, safe(str(prompt)), title="Sign in", timeout=60,
                                  markup=False)

        try:
            connection = await asyncio.to_thread(
                connect, name or None, demo=not name, device_code_callback=device_code
            )
        except B2CTuiError as exc:
            self.notify(safe(str(exc)), title="Cannot open tenant", severity="error",
                        markup=False)
            return
        await self.switch_connection(connection)
        self.notify(f"Opened {safe(connection.label)}", markup=False)

    def action_toggle_nav(self) -> None:
        nav = self.query_one(PaneList)
        nav.display = not nav.display

    def action_goto(self, pane_id: str) -> None:
        self.show_pane(pane_id)

    def action_set_theme(self, name: str) -> None:
        self.theme = name

    async def switch_connection(self, connection: Connection) -> None:
        """Open another tenant: every pane is rebuilt against it."""
        old = self.context.connection
        for pane in list(self.query(ResourcePane)):
            await pane.remove()  # unmounting cancels the pane's (and its widgets') workers
        self.context = AppContext(connection)
        self.context.client.core.add_listener(self._on_throttle)
        self._apply_connection()
        self.show_pane(self.start_pane)
        await old.aclose()

    def _fatal_error(self) -> None:
        """The crash report, without secrets.

        Textual's own (``App._fatal_error``) renders a rich traceback with ``show_locals=True``:
        a crash inside a request printed the ``Authorization: Bearer …`` header held in a local.
        Textual has no public switch for it (checked in 8.0 to 8.2), so this override of the
        private hook draws the traceback without locals and redacts what remains (exception
        messages) with :func:`b2c_tui.graph.redact.redact`. Everything else is as Textual does.
        """
        import rich
        from rich.segment import Segment, Segments
        from rich.traceback import Traceback

        from ..graph.redact import redact

        self.bell()
        traceback = Traceback(show_locals=False, width=None, suppress=[rich])
        segments = [Segment(redact(s.text), s.style, s.control)
                    for s in self.console.render(traceback, self.console.options)]
        self._exit_renderables.append(Segments(segments))
        self._close_messages_no_wait()

    async def on_unmount(self) -> None:
        await self.context.connection.aclose()
