"""The kit's page wrappers (:mod:`b2c_tui.tui.kit.pages`) and :func:`~b2c_tui.tui.kit.form.
send_form`: what the panes that use them rely on, without an app."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from b2c_tui.frames.columns import Column
from b2c_tui.graph.errors import ValidationError
from b2c_tui.graph.paging import Page
from b2c_tui.tui.kit.form import FAILED, send_form
from b2c_tui.tui.kit.pages import JoinedPages, LocalFilterPages, PagesThrough


class FakePages:
    """Two pages of records, then the end; remembers ``prefetch`` and ``aclose``."""

    def __init__(self, *pages: list[dict[str, Any]]) -> None:
        self.pages = [Page(items, "next" if n < len(pages) else None, n)
                      for n, items in enumerate(pages, 1)]
        self.prefetch = True
        self.closed = False

    def __aiter__(self) -> FakePages:
        return self

    async def __anext__(self) -> Page:
        if not self.pages:
            raise StopAsyncIteration
        return self.pages.pop(0)

    @property
    def exhausted(self) -> bool:
        return not self.pages

    async def aclose(self) -> None:
        self.closed = True


async def drain(pages: Any) -> list[Page]:
    return [page async for page in pages]


async def test_pages_through_hand_on_each_changed_page_and_the_inner_state() -> None:
    class Upper(PagesThrough):
        async def change(self, page: Page) -> Page:
            return Page([{"id": r["id"].upper()} for r in page.items], page.next_link,
                        page.number)

    inner = FakePages([{"id": "a"}], [{"id": "b"}])
    pages = Upper(inner)
    assert not pages.exhausted
    got = await drain(pages)
    assert [p.items for p in got] == [[{"id": "A"}], [{"id": "B"}]]
    assert [p.has_more for p in got] == [True, False]
    assert pages.exhausted
    await pages.aclose()
    assert inner.closed


async def test_local_filter_keeps_matching_rows_and_passes_prefetch_on() -> None:
    inner = FakePages([{"id": "1", "displayName": "Alice"}, {"id": "2", "displayName": "Bob"}],
                      [{"id": "3", "displayName": "alison"}])
    pages = LocalFilterPages(inner, "ALI", [Column("displayName", "Name")])
    pages.prefetch = False  # the kit holds the next page back until page 1 is on screen
    assert inner.prefetch is False and pages.prefetch is False
    got = await drain(pages)
    assert [[r["id"] for r in p.items] for p in got] == [["1"], ["3"]]


async def test_joined_pages_join_each_page_with_records() -> None:
    joined: list[list[str]] = []

    async def join(records: list[dict[str, Any]]) -> None:
        joined.append([r["id"] for r in records])
        for record in records:
            record["@joined.x"] = 1

    got = await drain(JoinedPages(FakePages([{"id": "a"}], [], [{"id": "b"}]), join))
    assert joined == [["a"], ["b"]]  # an empty page asks nothing
    assert [r.get("@joined.x") for p in got for r in p.items] == [1, 1]


class FakeDialog:
    def __init__(self) -> None:
        self.failed: BaseException | None = None
        self.finished = False

    def fail(self, exc: BaseException) -> None:
        self.failed = exc

    def finish(self) -> None:
        self.finished = True


async def test_send_form_closes_the_dialog_with_the_answer() -> None:
    dialog = FakeDialog()

    async def call() -> dict[str, str]:
        return {"id": "x"}

    assert await send_form(dialog, call, "create thing") == {"id": "x"}  # type: ignore[arg-type]
    assert dialog.finished and dialog.failed is None


@pytest.mark.parametrize("error", [ValidationError("No.", field="name"), RuntimeError("bug")])
async def test_send_form_keeps_the_dialog_open_on_failure(
        error: Exception, caplog: pytest.LogCaptureFixture) -> None:
    dialog = FakeDialog()

    async def call() -> None:
        raise error

    with caplog.at_level(logging.ERROR):
        assert await send_form(dialog, call, "create thing") is FAILED  # type: ignore[arg-type]
    assert dialog.failed is error and not dialog.finished
    # Graph's refusals are the dialog's to show; anything else is a bug, logged too.
    assert ("create thing failed: RuntimeError" in caplog.text) == isinstance(error, RuntimeError)
