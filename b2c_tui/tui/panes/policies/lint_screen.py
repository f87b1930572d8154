"""Lint findings: file, line, rule and message, errors first; ``enter`` opens the file (or the
tenant's policy) in the viewer at the finding's line.

The screen only lists; opening is the pane's (``open_finding``), which knows where the
policies came from (a folder read for the lint, or the tenant).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import OptionList, Static

from ....policies.lint import ERROR, Finding
from ...safe_text import safe
from ...screens.listing import ListScreen, findings_title, modal_bindings
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


class LintScreen(ListScreen[Finding]):
    """The findings of one lint run (see the module docs)."""

    BINDINGS: ClassVar[list[BindingType]] = modal_bindings("policy_lint")

    def __init__(self, findings: Sequence[Finding], title: str, files: int,
                 open_finding: Callable[[Finding], None]) -> None:
        findings = ordered(findings)
        # The place column is as wide as the longest place, within reason.
        width = min(44, max((len(where(f)) for f in findings), default=0))
        super().__init__(findings, partial(finding_line, width=width), id="policy-lint")
        self.title_text = title
        self.files = files
        self.open_finding = open_finding

    def compose(self) -> ComposeResult:
        errors = sum(1 for f in self.items if f.severity == ERROR)
        yield Static(findings_title(safe(self.title_text), f"{self.files} file(s)", errors,
                                    len(self.items), "enter opens the file at the line"),
                     id="policy-lint-title")
        yield self.item_list_or(Text("✓ No findings: the policies lint clean.", style="bold"))
        yield BindingsFooter()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.open_finding(self.items[int(event.option.id)])
