"""The base of a pane's workflow helpers: what every workflow of a pane needs from it.

A pane whose keys start workflows of several steps (the keys pane's rotation, the policies
pane's upload) keeps them in a helper object of its own rather than in the pane class. Each
workflow opens a dialog or a screen with plain values, runs the Graph work in a worker of the
pane (never in a key handler) and says how it went in one line; :class:`PaneWorkflows` holds
those shared parts, so a helper says only its steps.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from ...graph.client import GraphClient
    from .pane import KitPane


class PaneWorkflows:
    """The workflow helpers of one pane (one instance per pane): its client, its workers and
    its one-line notices. A subclass names its worker groups, and narrows ``pane`` to its own
    pane class to reach that pane's state."""

    pane: KitPane
    #: the worker group of reads (``run(..., write=False)``)
    read_group: ClassVar[str]
    #: the worker group of writes (``run(..., write=True)``)
    write_group: ClassVar[str]

    def __init__(self, pane: KitPane) -> None:
        self.pane = pane

    @property
    def client(self) -> GraphClient:
        """The pane's Graph client."""
        return self.pane.context.client

    def run(self, work: Awaitable[None], name: str, *, write: bool = False) -> None:
        """Run ``work`` in a worker of the pane, in the read or the write group."""
        self.pane.run_worker(work, name=name,
                             group=self.write_group if write else self.read_group,
                             exit_on_error=False)

    def say(self, message: str, title: str, *, error: bool = False) -> None:
        """One notice (plain text, never markup); an error stays longer."""
        self.pane.notify(message, title=title, severity="error" if error else "information",
                         markup=False, timeout=10 if error else 5)
