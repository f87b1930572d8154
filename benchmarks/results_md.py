"""RESULTS.md: each benchmark owns one ``## Title`` section and rewrites only that one."""

from __future__ import annotations

from pathlib import Path

RESULTS_MD = Path(__file__).parent / "RESULTS.md"


def replace_section(text: str, section: str, title: str) -> str:
    """``text`` with its ``title`` section replaced by ``section`` (appended when missing);
    every other section is kept as it was."""
    section = section.rstrip("\n") + "\n"
    out: list[str] = []
    skipping = found = False
    for line in text.splitlines(keepends=True):
        if line.rstrip() == title:
            skipping = found = True
            out.append(section)
        elif skipping and line.startswith("## "):
            skipping = False
            out.append("\n" + line)
        elif not skipping:
            out.append(line)
    if not found:
        head = "".join(out).rstrip("\n") or "# Benchmark results"
        return head + "\n\n" + section
    return "".join(out)


def write_section(section: str, path: Path = RESULTS_MD) -> None:
    """Write ``section`` (starting with its ``## Title`` line) into RESULTS.md in place of the
    section of that title, leaving the others alone."""
    title = section.split("\n", 1)[0].rstrip()
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    path.write_text(replace_section(old, section, title), encoding="utf-8")
