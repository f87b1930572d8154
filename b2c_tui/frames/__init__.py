"""Graph records -> pandas DataFrames (no Textual)."""

from __future__ import annotations

from .records import flatten, records_frame

__all__ = ["flatten", "records_frame"]
