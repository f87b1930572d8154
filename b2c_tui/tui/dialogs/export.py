"""The export dialog: where to, which rows, which format. It returns an :class:`ExportRequest`;
the pane runs the export."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from ...frames.export import ExportError, ExportExistsError, check_export_path
from ...graph.errors import ValidationError
from .form import FormDialog, FormField


@dataclass(frozen=True)
class ExportRequest:
    """What the user asked for."""

    path: Path
    whole: bool
    format: str = "csv"
    excel: bool = False
    overwrite: bool = False


def default_path(view: str, fmt: str = "csv") -> str:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    return str(Path.cwd() / f"b2c-{view}-{stamp}.{fmt}")


class ExportDialog(FormDialog[ExportRequest]):
    """``e``: export the current view to CSV (or JSON Lines)."""

    save_label: ClassVar[str] = "Export"

    def __init__(self, view: str, *, loaded: int, has_more: bool, kind: str = "") -> None:
        # The default is the view as shown (its rows, its sort) whether or not Graph has more
        # pages: it must not change under the user's hands between two exports.
        scope = "all" if kind == "all" else "loaded"
        more = " (more exist on Graph)" if has_more else ""
        fields = [
            FormField("path", "File", value=default_path(view),
                      help="The full path of a new file; its folder must exist."),
            FormField("scope", "Rows", kind="choice", value=scope, choices=(
                (f"The {loaded:,} rows loaded{more}", "loaded"),
                ("The whole collection, streamed page by page", "all"),
            )),
            FormField("format", "Format", kind="choice", value="csv",
                      choices=(("CSV", "csv"), ("JSON Lines", "jsonl"))),
            FormField("excel", "For Excel", kind="bool", value=False,
                      placeholder="UTF-8 with BOM"),
            FormField("overwrite", "Replace", kind="bool", value=False,
                      placeholder="replace the file if it exists"),
        ]
        super().__init__(f"Export {view}", fields,
                         subtitle="Columns and order as shown; secrets are never exported.")

    def build(self, values: dict[str, Any]) -> ExportRequest:
        raw = str(values["path"]).strip()
        if not raw:
            raise ValidationError("Where should the file go?", field="path")
        path = Path(raw).expanduser()
        overwrite = bool(values["overwrite"])
        try:
            check_export_path(path, overwrite=overwrite)
        except ExportExistsError:
            raise ValidationError(
                f"{path.name} already exists: tick Replace to overwrite it, or choose another "
                "name.", field="path") from None
        except ExportError as exc:
            raise ValidationError(str(exc), field="path") from None
        return ExportRequest(path, values["scope"] == "all", str(values["format"]),
                             bool(values["excel"]), overwrite)
