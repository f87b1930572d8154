"""examples/tenant-tour.ipynb runs headless (nbclient) against the demo tenant, and its
outputs say what the tour promises."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

NOTEBOOK = Path(__file__).resolve().parents[2] / "examples" / "tenant-tour.ipynb"


def text_of(cell: Any) -> str:
    """A cell's outputs as text: stream pieces as written (under load the kernel may split one
    print() across two stream outputs), each rich output on lines of its own."""
    text = ""
    for output in cell.get("outputs", []):
        if output["output_type"] == "stream":
            text += output["text"]
        elif "data" in output:
            if text and not text.endswith("\n"):
                text += "\n"
            text += output["data"].get("text/plain", "") + "\n"
    return text


@pytest.fixture(scope="module")
def cells() -> dict[str, Any]:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CI", "true")  # headless: no progress bars in the outputs
        nbclient.NotebookClient(notebook, timeout=180, kernel_name="python3").execute()
    by_tag: dict[str, Any] = {}
    for cell in notebook.cells:
        for tag in cell.get("metadata", {}).get("tags", []):
            by_tag[tag] = cell
    return {"all": notebook.cells, **by_tag}


def number(pattern: str, text: str) -> int:
    found = re.search(pattern, text)
    assert found, f"{pattern!r} not in {text!r}"
    return int(found.group(1))


def test_every_cell_ran_cleanly(cells: dict[str, Any]) -> None:
    for cell in cells["all"]:
        for output in cell.get("outputs", []):
            assert output["output_type"] != "error", output
            assert output.get("name") != "stderr", output["text"]


def test_the_tour_opens_the_demo_tenant(cells: dict[str, Any]) -> None:
    assert "(demo)" in text_of(cells["connect"])


def test_users_by_creation_month(cells: dict[str, Any]) -> None:
    text = text_of(cells["by-month"])
    assert number(r"(\d+) users, created over", text) > 400
    assert len(re.findall(r"^20\d\d-\d\d\s+\d+$", text, re.M)) == 6
    dtypes = text_of(cells["dtypes"])
    assert re.search(r"createdDateTime\s+datetime64\[ns, UTC\]", dtypes)
    assert re.search(r"accountEnabled\s+bool", dtypes)
    assert re.search(r"loyaltyNumber\s+string", dtypes)


def test_phones_needing_the_space_fix(cells: dict[str, Any]) -> None:
    text = text_of(cells["phone-fix"])
    broken = number(r"(\d+) of \d+ methods need the space fix", text)
    assert broken > 0 and re.search(r"\+\d+ \d{6,}", text)
    assert f"phones-to-fix.csv {broken} rows" in text_of(cells["to-csv"])


def test_keys_expiring(cells: dict[str, Any]) -> None:
    text = text_of(cells["keys-expiring"])
    assert number(r"(\d+) of \d+ keys expire before", text) > 0
    assert "B2C_1A_" in text


def test_audit_failures(cells: dict[str, Any]) -> None:
    text = text_of(cells["audit-failures"])
    assert number(r"(\d+) failed operations", text) > 0


def test_the_dry_run_edit(cells: dict[str, Any]) -> None:
    text = text_of(cells["dry-run"])
    assert "Dry run: 2 would update, 1 invalid" in text
    assert "LN-2026-0001" in text and "cannot be empty" in text
    assert text_of(cells["dry-run-rows"]).count("would update") == 2
