"""Graph records -> pandas DataFrames (no Textual): column specs per family
(``frames/<family>.py`` over :mod:`~b2c_tui.frames.columns`), paged frames and exports."""

from __future__ import annotations
