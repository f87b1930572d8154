"""File and folder paths typed in a dialog: completion as you type, and checks before use.

:class:`PathSuggester` completes what has been typed from the file system, the way a shell's
Tab does (``→`` accepts the grey completion): a unique entry completes whole (folders with a
trailing ``/``), several complete to what they share. The listing runs in a thread: a slow or
network folder never holds the screen. ``~`` stays as typed.

:class:`PathFormDialog` is a :class:`~.form.FormDialog` whose fields named in ``path_fields``
get the completion.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from textual.suggester import Suggester
from textual.widget import Widget
from textual.widgets import Input

from ...graph.errors import ValidationError
from .form import FormDialog, FormField

T = TypeVar("T")
#: Entries listed per folder at most (a huge folder still answers quickly).
LIST_LIMIT = 2000


def complete_path(typed: str, *, suffixes: Iterable[str] = ()) -> str | None:
    """The completion of ``typed`` (a path being typed), or ``None``: the entries of its folder
    that start with its last part (folders, and files ending in ``suffixes`` when given)."""
    if not typed:
        return None
    head, sep, stem = typed.rpartition(os.sep)
    folder = Path(os.path.expanduser(head + sep)) if sep else Path(".")
    wanted = tuple(s.lower() for s in suffixes)
    names: list[str] = []
    try:
        with os.scandir(folder) as entries:
            for count, entry in enumerate(entries):
                if count >= LIST_LIMIT:
                    break
                if not entry.name.startswith(stem) or (entry.name.startswith(".")
                                                       and not stem.startswith(".")):
                    continue
                is_dir = entry.is_dir()
                if is_dir:
                    names.append(entry.name + os.sep)
                elif not wanted or entry.name.lower().endswith(wanted):
                    names.append(entry.name)
    except OSError:
        return None
    if not names:
        return None
    # Names in one folder, compared by character (what a shell's Tab completes to).
    shared = os.path.commonprefix(names)  # noqa: RUF071
    if len(shared) <= len(stem):
        return None
    return typed[: len(typed) - len(stem)] + shared


class PathSuggester(Suggester):
    """Completes paths from the file system (see the module docs)."""

    def __init__(self, *, suffixes: Iterable[str] = ()) -> None:
        # Paths are case-sensitive, and the folder changes under us: no cache.
        super().__init__(use_cache=False, case_sensitive=True)
        self.suffixes = tuple(suffixes)

    async def get_suggestion(self, value: str) -> str | None:
        return await asyncio.to_thread(complete_path, value, suffixes=self.suffixes)


def existing_path(value: str, label: str, *, field: str, folder: bool | None = None) -> Path:
    """``value`` as an existing path (``~`` expanded), or a ``ValidationError`` for ``field``
    saying what is wrong. ``folder``: must be a folder (``True``) or a file (``False``)."""
    text = value.strip()
    if not text:
        raise ValidationError(f"{label} is required.", field=field)
    path = Path(os.path.expanduser(text))
    if not path.exists():
        raise ValidationError(f"{text}: no such file or folder.", field=field)
    if folder is True and not path.is_dir():
        raise ValidationError(f"{text}: not a folder.", field=field)
    if folder is False and not path.is_file():
        raise ValidationError(f"{text}: not a file.", field=field)
    return path


class PathFormDialog(FormDialog[T]):
    """A form whose ``path_fields`` complete file and folder names (``→`` accepts)."""

    path_fields: ClassVar[dict[str, tuple[str, ...]]] = {}
    """Field name -> file suffixes offered besides folders (``()``: every file)."""

    def __init__(self, title: str, fields: list[FormField], **kwargs: Any) -> None:
        super().__init__(title, fields, **kwargs)

    def make_control(self, spec: FormField) -> Widget:
        widget = super().make_control(spec)
        if spec.name in self.path_fields and isinstance(widget, Input):
            widget.suggester = PathSuggester(suffixes=self.path_fields[spec.name])
        return widget
