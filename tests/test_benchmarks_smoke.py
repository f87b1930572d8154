"""Benchmarks run on their own; CI runs each in its quick mode so they keep working."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = sorted(p.stem for p in (ROOT / "benchmarks").glob("bench_*.py"))


@pytest.mark.parametrize("name", BENCHMARKS)
def test_benchmark_quick_run(name: str) -> None:
    out = subprocess.run([sys.executable, "-m", f"benchmarks.{name}", "--quick"], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]


def test_results_sections_are_replaced_in_place_or_appended(tmp_path: Path) -> None:
    from benchmarks.results_md import write_section

    path = tmp_path / "RESULTS.md"
    path.write_text("# Benchmark results\n\n## A\n\nold a\n\n## B\n\nold b\n", encoding="utf-8")
    write_section("## A\n\nnew a\n", path)
    write_section("## C\n\nnew c\n", path)
    assert path.read_text(encoding="utf-8") == (
        "# Benchmark results\n\n## A\n\nnew a\n\n## B\n\nold b\n\n## C\n\nnew c\n")
    write_section("## B\n\nnew b\n", path)
    assert "old" not in path.read_text(encoding="utf-8")
    assert path.read_text(encoding="utf-8").count("## ") == 3
