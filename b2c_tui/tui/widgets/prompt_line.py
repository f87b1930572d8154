"""``PromptLine``: what a one-line prompt does, whatever it looks like (the app's ``:`` and
``/`` prompt, the XML viewer's search and go to line): ``enter`` returns the text typed, ``Esc``
returns ``None``; ``check`` may refuse a value with a message, and the prompt then stays open
with the text as typed (:meth:`PromptLine.refused` shows the message)."""

from __future__ import annotations

from collections.abc import Callable

from textual.screen import ModalScreen
from textual.widgets import Input


class PromptLine(ModalScreen[str | None]):
    """A one-line prompt (see the module docs); a subclass composes it from ``kind`` (what
    is asked), ``value`` (the text it starts with) and ``placeholder``, and binds ``Esc`` to
    ``cancel``."""

    def __init__(self, kind: str, value: str = "", placeholder: str = "",
                 check: Callable[[str], str | None] | None = None) -> None:
        super().__init__()
        self.kind = kind
        self.value = value
        self.placeholder = placeholder
        self.check = check

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        problem = self.check(event.value) if self.check else None
        if problem:
            self.refused(problem)
            return
        self.dismiss(event.value)

    def refused(self, problem: str) -> None:
        """Say why the value typed was refused (the prompt stays open)."""
        self.notify(problem, severity="warning", markup=False)

    def action_cancel(self) -> None:
        self.dismiss(None)
