"""The keys that move around a scrolling view (the table, the XML viewer, the diff): the arrows
and the page keys, the same in every view, hidden from the footer (the help screen lists them
once, under Tables)."""

from __future__ import annotations

from textual.binding import Binding

MOVES = (("up", "cursor_up", "Up"), ("down", "cursor_down", "Down"),
         ("left", "{sideways}_left", "Left"), ("right", "{sideways}_right", "Right"),
         ("pageup", "page_up", "Page up"), ("pagedown", "page_down", "Page down"))


def movement_bindings(prefix: str, *, sideways: str = "cursor") -> list[Binding]:
    """``up``/``down`` move the cursor, ``left``/``right`` move it too (or scroll, with
    ``sideways="scroll"``), ``pageup``/``pagedown`` a page; ids ``<prefix>.<action>``."""
    bindings = []
    for key, action, description in MOVES:
        action = action.format(sideways=sideways)
        bindings.append(Binding(key, action, description, show=False, id=f"{prefix}.{action}"))
    return bindings
