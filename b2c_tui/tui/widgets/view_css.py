"""The look the scrolling views share (the table, the XML viewer, the diff), as CSS rules for
their component classes ``<prefix>--header`` and ``<prefix>--cursor``.

One place, so the three read as one family under every theme (theme variables only), the way
:func:`~.xml_view.render.syntax_css` shares the XML colours.
"""

from __future__ import annotations


def view_css(prefix: str, *, cursor_style: str = "") -> str:
    """The view on the surface, a bold header line, and the block cursor, dimmed while the
    view is not focused; ``cursor_style`` adds declarations to the focused cursor (the table
    follows the theme's ``text-style``, the diff is bold). Goes inside the widget's rule."""
    return f"""
        background: $surface;
        color: $foreground;
        height: 1fr;
        & > .{prefix}--header {{ background: $panel; color: $foreground; text-style: bold; }}
        & > .{prefix}--cursor {{ background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground; }}
        &:focus > .{prefix}--cursor {{ background: $block-cursor-background;
            color: $block-cursor-foreground; {cursor_style} }}
    """
