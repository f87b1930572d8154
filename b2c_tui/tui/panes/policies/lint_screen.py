"""Lint findings: file, line, rule and message, errors first; ``enter`` opens the file (or the
tenant's policy) in the viewer at the finding's line.

The screen only lists; opening is the pane's (``open_finding``), which knows where the
policies came from (a folder read for the lint, or the tenant).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ....policies.lint import ERROR, Finding
from ...safe_text import safe
from ...widgets.footer import BindingsFooter

SEVERITY_MARK = {ERROR: "✗"}
WARNING_MARK = "⚠"


def where(finding: Finding) -> str:
    """``SignUpOrSignin.xml:12:5`` (a tenant policy: its id)."""
    name = finding.file.removeprefix("tenant:")
    if name.lower().endswith(".xml"):
        name = Path(name).name
    if finding.line is not None:
        name += f":{finding.line}" + (f":{finding.column}" if finding.column else "")
    return name


def finding_line(finding: Finding, width: int) -> Text:
    """One finding: severity glyph and word, place, rule, message."""
    error = finding.severity == ERROR
    text = Text(f"{SEVERITY_MARK.get(finding.severity, WARNING_MARK)} {finding.severity:<7} ",
                style="bold" if error else "")
    text.append(f"{safe(where(finding)):<{width}} ", style="bold")
    text.append(f"[{finding.rule}] ", style="dim")
    text.append(safe(finding.message))
    return text


def ordered(findings: Sequence[Finding]) -> list[Finding]:
    """Errors first, then by file and line (the domain's order within each)."""
    return sorted(findings, key=lambda f: (f.severity != ERROR, f.file, f.line or 0,
                                           f.column or 0))


class LintScreen(ModalScreen[None]):
    """The findings of one lint run (see the module docs)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="policy_lint.close"),
        Binding("question_mark", "app.help", "Help", key_display="?", id="app.help"),
        Binding("colon", "app.goto_prompt", "Go to", key_display=":", id="app.goto"),
    ]

    def __init__(self, findings: Sequence[Finding], title: str, files: int,
                 open_finding: Callable[[Finding], None]) -> None:
        super().__init__(id="policy-lint")
        self.findings = ordered(findings)
        self.title_text = title
        self.files = files
        self.open_finding = open_finding

    def compose(self) -> ComposeResult:
        errors = sum(1 for f in self.findings if f.severity == ERROR)
        title = Text(safe(self.title_text), style="bold")
        title.append(f"  {self.files} file(s): {errors} error(s), "
                     f"{len(self.findings) - errors} warning(s)", style="dim")
        if self.findings:
            title.append("  · enter opens the file at the line", style="dim italic")
        yield Static(title, id="policy-lint-title")
        if self.findings:
            width = min(44, max(len(where(f)) for f in self.findings))
            yield OptionList(*(Option(finding_line(f, width), id=str(i))
                               for i, f in enumerate(self.findings)), id="policy-lint-list")
        else:
            yield Static(Text("✓ No findings: the policies lint clean.", style="bold"),
                         id="policy-lint-clean")
        yield BindingsFooter()

    def on_mount(self) -> None:
        for listing in self.query(OptionList):
            listing.highlighted = 0
            listing.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.open_finding(self.findings[int(event.option.id)])

    def action_close(self) -> None:
        self.dismiss(None)
