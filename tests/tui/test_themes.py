"""Themes ship as package data (found through importlib.resources), the top-level themes/
folder stays identical to them, every one loads, and an admin's own theme wins."""

from __future__ import annotations

from pathlib import Path

from b2c_tui import paths
from b2c_tui.tui.themes import DEFAULT_THEME, built_in_theme_files, load_theme_file, load_themes

ROOT = Path(__file__).resolve().parents[2]


def test_package_themes_and_the_readable_folder_are_identical() -> None:
    shipped = {f.name: f.read_text(encoding="utf-8") for f in built_in_theme_files()}
    readable = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "themes").glob("*.toml")}
    assert shipped and shipped == readable


def test_every_built_in_theme_loads() -> None:
    names = {load_theme_file(f).name for f in built_in_theme_files()}
    assert DEFAULT_THEME in names and len(names) == len(built_in_theme_files())


def test_an_admins_own_theme_wins() -> None:
    folder = paths.themes_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "mine.toml").write_text('name = "b2c-dark"\nprimary = "#ff0000"\n')
    themes = {t.name: t for t in load_themes()}
    assert str(themes["b2c-dark"].primary).lower() in ("#ff0000", "#f00")
