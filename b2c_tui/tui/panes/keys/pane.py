"""The policy keys pane (``:keys``): every keyset with its keys, which one is active, days to
expiry; key health; and the key workflows.

A description over the kit. The rows come from the domain's key report (``getActiveKey`` asked
of every keyset, public members only: secrets and private key material are never read, shown
or exported). ``/`` filters the loaded rows (Graph cannot filter keysets). The workflows are in
:mod:`.flows`: ``n`` a new keyset with its first key, ``a`` add a key (generate RSA or a
secret, upload a secret, a certificate or a PKCS#12), ``R`` a guided rotation, ``d`` delete a
keyset (naming the policies that use it), ``h`` key health.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text

from ....frames.columns import Column
from ....policies.keys import ERROR, KeyReport, load_key_report
from ... import kit
from ...safe_text import safe
from .flows import KeyFlows
from .rows import days_tone, key_records, state_tone


def _keyset_keys(record: Mapping[str, Any]) -> Table:
    """Every key of the record's keyset: kid, use, type, validity, which one is active."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(header="Key id (● active)", max_width=32, no_wrap=True,
                    overflow="ellipsis")
    for head, width in (("Use", 3), ("Type", 4), ("Not before", 16), ("Expires", 16)):
        grid.add_column(header=head, min_width=width, no_wrap=True)
    grid.show_header = True
    active = record.get("activeKid")
    for key in record.get("keys") or []:
        mark = "● " if key.get("kid") == active else "  "
        grid.add_row(mark + safe(key.get("kid")), safe(key.get("use")), safe(key.get("kty")),
                     _date(key.get("nbf")), _date(key.get("exp")))
    if not record.get("keys"):
        grid.add_row(Text("no keys: every policy that uses it fails", style="italic"))
    return grid


def _date(stamp: Any) -> str:
    from datetime import UTC, datetime

    if not isinstance(stamp, (int, float)) or isinstance(stamp, bool):
        return "—"
    return f"{datetime.fromtimestamp(stamp, UTC):%Y-%m-%d %H:%M}"


KEYS = kit.PaneSpec(
    noun="key",
    # What matters first, so that 80 columns show it: the keyset, how its key stands.
    columns=(
        Column("keyset", "Keyset", width=34),
        Column("state", "State", width=15),
        Column("days", "Days", kind="number", width=5),
        Column("use", "Use", width=3),
        Column("kty", "Type", width=4),
        Column("exp", "Expires", kind="datetime", width=16),
        Column("nbf", "Not before", kind="datetime", width=16),
        Column("kid", "Key id", width=22),
        Column("x5t", "Thumbprint", width=28),
    ),
    filter=kit.Filter(note="Graph cannot filter keysets: / filters the loaded rows (keyset, key "
                           "id, state...)."),
    name_of=lambda r: " ".join(str(v) for v in (r.get("keyset"), r.get("kid")) if v),
    sections=(
        kit.Section("Key", kit.fields_table((
            ("Keyset", "keyset"), ("Key id", "kid"), ("Use", "use"), ("Type", "kty"),
            ("State", "state"), ("Days to expiry", "days"), ("Not before", "nbf"),
            ("Expires", "exp"), ("Thumbprint (x5t)", "x5t"), ("Active key", "activeKid")))),
        kit.Section("Keys of the keyset", _keyset_keys),
    ),
    actions=(
        kit.Operation("create", "n", "New keyset", write=True),
        kit.Operation("add_key", "a", "Add key", write=True, needs_row=True),
        kit.Operation("rotate", "R", "Rotate", write=True, needs_row=True, key_display="R"),
        kit.Operation("delete", "d,delete", "Delete keyset", write=True, needs_row=True,
                      key_display="d", in_detail=True),
        kit.Operation("health", "h", "Health"),
    ),
    tones={"days": days_tone, "state": state_tone},
)


class KeysPane(kit.KitPane):
    """Policy keysets and their keys (see the module docs)."""

    spec: ClassVar[kit.PaneSpec] = KEYS
    binding_prefix: ClassVar[str] = "keys"
    #: leaving the pane cancels its reads too (key health, a keyset's references)
    hide_cancels: ClassVar[frozenset[str]] = kit.KitPane.hide_cancels | {KeyFlows.read_group}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        #: the last key report (``None``: loading)
        self.report: KeyReport | None = None
        #: a keyset to put the cursor on once the rows arrive (after a change)
        self.pending_focus: str | None = None
        super().__init__(*args, **kwargs)
        self.flows = KeyFlows(self)

    async def all_rows(self) -> list[dict[str, Any]]:
        self.report = await load_key_report(self.context.client, now=self.context.now())
        return key_records(self.report)

    def reload(self) -> None:
        self.report = None
        super().reload()

    def page_loaded(self, items: list[dict[str, Any]]) -> None:
        super().page_loaded(items)
        if self.pending_focus is not None:
            self.select_keyset(self.pending_focus)
            self.pending_focus = None

    def status_note(self) -> str:
        report = self.report
        if report is None or self.filter_text:
            return super().status_note()
        errors = sum(1 for p in report.problems if p.severity == ERROR)
        warnings = len(report.problems) - errors
        health = (f" · ✗ {errors} error(s), ⚠ {warnings} warning(s): h for key health"
                  if report.problems else " · ✓ healthy")
        keys = sum(len(k.get("keys") or []) for k in report.keysets)
        return f"{len(report.keysets)} keyset(s), {keys} key(s){health}"

    # -- keys ------------------------------------------------------------------------------
    def keyset_of_cursor(self) -> str | None:
        record = self.current_record()
        return str(record["keyset"]) if record is not None else None

    def select_keyset(self, keyset_id: str) -> bool:
        """Put the cursor on the first row of ``keyset_id`` (``False``: not listed)."""
        table = self.table
        for row in range(table.row_count):
            key = table.row_key(row)
            if key == keyset_id or key.startswith(f"{keyset_id}/"):
                table.move_cursor(row=row)
                table.focus()
                return True
        return False

    def action_create(self) -> None:
        self.flows.new_keyset()

    def action_add_key(self) -> None:
        keyset = self.keyset_of_cursor()
        if keyset is not None:
            self.flows.add_key(keyset)

    def action_rotate(self) -> None:
        keyset = self.keyset_of_cursor()
        if keyset is not None:
            self.flows.rotate(keyset)

    def action_delete(self) -> None:
        keyset = self.keyset_of_cursor()
        if keyset is not None:
            self.flows.delete(keyset)

    def delete(self, record: Mapping[str, Any], detail: kit.DetailScreen | None = None) -> None:
        """``d`` in the detail view: the keyset of the key shown."""
        self.flows.delete(str(record["keyset"]), detail)

    def action_health(self) -> None:
        self.flows.health()
