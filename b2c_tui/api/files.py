"""Writing frames to files the way the explorer exports them.

A plain ``df.to_csv("users.csv")`` writes tenant text as it is: a display name of
``=HYPERLINK(...)`` becomes a live formula when the file is opened in a spreadsheet (CSV
injection), and an interrupted write leaves a half file that looks complete. :func:`to_csv`
goes through the explorer's CSV export instead (:func:`b2c_tui.frames.export.export_frame_csv`):
text starting with ``=``, ``+``, ``-``, ``@``, TAB or CR gets a leading ``'``, every field is
quoted, secret columns are dropped, and the file (0600) appears only once it is complete.
:func:`to_parquet` keeps the dtypes (no guard needed: Parquet cells are never evaluated) with
the same secret-column rule and the same all-or-nothing write.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from ..frames.columns import Column
from ..frames.export import check_export_path, export_frame_csv, exportable
from ..paths import atomic_file


def to_csv(df: pd.DataFrame, path: str | os.PathLike[str], *, overwrite: bool = False,
           guard: bool = True, excel: bool = False) -> Path:
    """Write ``df`` as CSV with the explorer's guarantees (see the module's docstring); the
    header is the frame's column names. ``guard=False`` writes text untouched (for files read
    by programs, not spreadsheets); ``excel=True`` adds a BOM so Excel reads UTF-8. An existing
    file is replaced only with ``overwrite=True``. Returns the file's path."""
    result = export_frame_csv(df, path, overwrite=overwrite, guard=guard, excel=excel)
    assert result.path is not None  # a completed export always has its path
    return result.path


def to_parquet(df: pd.DataFrame, path: str | os.PathLike[str], *,
               overwrite: bool = False) -> Path:
    """Write ``df`` as Parquet (pyarrow), dtypes kept, secret columns dropped; written to a
    hidden temporary file (0600) and moved into place only when complete. An existing file is
    replaced only with ``overwrite=True``. Returns the file's path."""
    target = check_export_path(path, overwrite=overwrite)
    keep = [c.key for c in exportable([Column(str(c), str(c)) for c in df.columns])]
    with atomic_file(target, replace=overwrite) as handle:
        df[keep].to_parquet(handle, engine="pyarrow", index=False)
    return target
