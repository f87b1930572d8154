"""How ``b2c-tui audit show`` writes what it found: a table for people, CSV for spreadsheets,
JSON for programs. Tenant text reaches a terminal only with control characters made visible;
CSV cells are guarded against formulas and have control characters escaped (as exports do)."""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

import orjson
import pyarrow as pa
import pyarrow.compute as pc

#: The table's columns: (archive column, heading, width; ``None``: the rest of the line).
TABLE_COLUMNS = (("activityDateTime", "Time (UTC)", 19), ("category", "Category", 14),
                 ("activityDisplayName", "Activity", 34), ("result", "Result", 7),
                 ("initiatedBy", "Initiated by", 28), ("targets", "Targets", None))


def _text(value: Any) -> str:
    from ..frames.export import plain

    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return str(value.strftime("%Y-%m-%d %H:%M:%S"))
    return plain(value, limit=10_000)


def write_table(found: Any, out: IO[str], folder: Path) -> None:
    """Aligned columns, newest first; a last line says how many matched and were shown."""
    table = found.table
    names = [name for name, _, _ in TABLE_COLUMNS]
    rows = zip(*(table.column(n).to_pylist() for n in names), strict=True)
    heading = "  ".join(f"{title:<{width}}" if width else title
                        for _, title, width in TABLE_COLUMNS)
    out.write(heading.rstrip() + "\n")
    for row in rows:
        cells = []
        for value, (_, _, width) in zip(row, TABLE_COLUMNS, strict=True):
            text = _text(value)
            if width:
                text = text if len(text) <= width else text[:width - 1] + "…"
                text = f"{text:<{width}}"
            cells.append(text)
        out.write("  ".join(cells).rstrip() + "\n")
    shown = table.num_rows
    note = f"{shown:,} of {found.matched:,} matching entries" if shown < found.matched \
        else f"{found.matched:,} matching entries"
    out.write(f"-- {note} in the archive ({_text(folder)})\n")


def write_csv(table: pa.Table, out: IO[str]) -> None:
    """The view's columns as CSV (the export's bytes rules: quoted, CRLF, guard, escapes)."""
    from ..frames._export_arrow import CsvTableWriter, header_arrays, iso_text, safe_text

    arrays = []
    for column in table.columns:
        if pa.types.is_list(column.type):
            column = pc.binary_join(column, "; ")
        elif pa.types.is_timestamp(column.type):
            naive = pc.cast(column, pa.timestamp("us")).combine_chunks()
            column = iso_text(naive.to_numpy(zero_copy_only=False), fractions=True, utc=True)
        elif not pa.types.is_string(column.type):
            column = pc.cast(column, pa.string())
        arrays.append(safe_text(column, guard=True, escape=True))
    buffer = pa.BufferOutputStream()
    writer = CsvTableWriter(buffer, len(arrays))
    writer.write(header_arrays(table.column_names, guard=True, escape=True))
    if table.num_rows:
        writer.write(arrays)
    writer.close()
    out.write(buffer.getvalue().to_pybytes().decode("utf-8"))


def write_json_entries(archive: Any, table: pa.Table, out: IO[str]) -> None:
    """The whole archived entries of ``table``'s rows, as one JSON array in its order (JSON
    escapes C0 controls; DEL and C1 are written as ``\\u00XX`` too)."""
    ids = table.column("id").to_pylist()
    days = sorted({t.date() for t in table.column("activityDateTime").to_pylist() if t})
    by_id = {e.get("id"): e for e in archive.entries(ids, days=days)}
    out.write("[")
    for index, entry_id in enumerate(ids):
        entry = by_id.get(entry_id)
        if entry is None:
            continue
        text = orjson.dumps(entry).decode("utf-8")
        text = "".join(f"\\u{ord(c):04x}" if 0x7F <= ord(c) <= 0x9F else c for c in text)
        out.write(("\n  " if index == 0 else ",\n  ") + text)
    out.write("\n]\n")
