"""The policy XML viewer and the diff view on a 1 MB policy.

The policy is the SocialAndLocalAccounts starter pack's ``TrustFrameworkBase.xml`` grown to
1 MB by repeating its technical profiles with renamed ids (:func:`grow_policy`). Under Pilot at
160x45, measured:

- first screen: from ``XmlView.load`` to the first frame showing the text (split into lines in
  a thread), and to the first frame with its colours (lexed in a thread);
- key -> next frame for the cursor keys, pages, line start/end, top/bottom, and ``n``/``N``
  through the matches of a search (p50 / p99 / max), with the compositor's paint time and
  ``render_line`` for a full screen; the event loop's longest stall while a search runs;
- the diff of two such policies with a few changes: ``diff_lines`` (difflib on the pieces left
  by patience anchoring) against ``SequenceMatcher(autojunk=False)`` over the whole texts,
  ``DiffView.set_texts`` to the first frame, and its keys;
- garbage is collected as in the explorer: start-up objects frozen once the app is up, then
  the app's quiet collector (:mod:`b2c_tui.tui.collector`: collections after frames, never
  between a key and its frame), with the collections seen during the keys reported;
- the baseline: a fixed Python loop timed between the series of keys in the same run (this
  machine's speed swings by +-30%), and the ratio of the keys' p99 to it;
- for reference, what the traps cost: Rich ``Syntax`` rendering the last screen (it tokenizes
  from the top) and Textual's ``TextArea`` to its first frame.

    python -m benchmarks.bench_xml_view              # full run: results/xml_view.json, RESULTS.md
    python -m benchmarks.bench_xml_view --no-record  # full run, prints the numbers only
    python -m benchmarks.bench_xml_view --smoke      # a smoke run (CI; also --quick): 200 KB

Results are written only when the machine is quiet (load average below 1.0 at the start),
unless ``--force``.
"""

from __future__ import annotations

import argparse
import asyncio
import difflib
import json
import os
import platform
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import textual
from rich.console import Console
from rich.syntax import Syntax
from textual import events
from textual.app import App, ComposeResult
from textual.widgets import TextArea

from b2c_tui.tui.collector import QuietCollector
from b2c_tui.tui.widgets.diff_view import DiffView, diff_lines
from b2c_tui.tui.widgets.xml_view import XmlView

from .bench_table import GcWatch
from .explorer_keys import baseline_ms
from .results_md import write_section

HERE = Path(__file__).parent
STARTER = HERE.parents[1] / "shared" / "policies" / "starterpack"
BASE = STARTER / "SocialAndLocalAccounts" / "TrustFrameworkBase.xml"
SIZE = (160, 45)
FIRST_SCREEN_FLOOR_MS = 100.0
KEY_FLOOR_MS = 16.0
QUIET_LOAD = 1.0


def grow_policy(size: int, base_path: Path = BASE) -> str:
    """A Trust Framework base policy grown to about ``size`` characters: its technical
    profiles repeated with renamed ids in one more claims provider."""
    base = base_path.read_text(encoding="utf-8")
    profiles = re.findall(r'^[ \t]*<TechnicalProfile Id="[^"]+">.*?</TechnicalProfile>\n', base,
                          re.S | re.M)
    parts, total, copy = [], len(base), 0
    while total < size:
        copy += 1
        suffix = f"-{copy:03d}"
        for profile in profiles:
            renamed = re.sub(r'Id="([^"]+)"', lambda m, s=suffix: f'Id="{m.group(1)}{s}"',
                             profile, count=1)
            parts.append(renamed)
            total += len(renamed)
    at = base.rfind("</ClaimsProviders>")
    return (base[:at] + "<ClaimsProvider>\n      <DisplayName>Copies</DisplayName>\n"
            "      <TechnicalProfiles>\n" + "".join(parts)
            + "      </TechnicalProfiles>\n    </ClaimsProvider>\n  " + base[at:])


def edited(text: str, every: int = 1500) -> str:
    """``text`` with a comment added to every ``every``-th line, 10 lines deleted and 7 added."""
    lines = text.split("\n")
    for index in range(500, len(lines), every):
        lines[index] += "  <!-- changed -->"
    del lines[4000:4010]
    lines[9000:9000] = ["      <Added/>"] * 7
    return "\n".join(lines)


class Frames:
    """Times of the frames the screen composes (headless, so nothing is written), and what
    ``probe`` said at each."""

    def __init__(self, app: App[Any], probe: Callable[[], Any] = lambda: None) -> None:
        self.times: list[tuple[float, Any]] = []
        self.paint: list[float] = []
        self.event = asyncio.Event()
        display, refresh = app._display, app.screen._compositor_refresh

        def on_display(screen: Any, renderable: Any) -> None:
            if renderable is not None:
                self.times.append((time.perf_counter(), self.probe()))
                self.event.set()
            display(screen, renderable)

        def on_refresh() -> None:
            t = time.perf_counter()
            refresh()
            self.paint.append(time.perf_counter() - t)

        self.probe = probe
        app._display = on_display  # type: ignore[method-assign]
        app.screen._compositor_refresh = on_refresh  # type: ignore[method-assign]

    async def until(self, t0: float, done: Callable[[Any], bool], timeout: float = 30.0
                    ) -> float:
        """Seconds from ``t0`` to the first frame after it whose probe satisfies ``done``."""
        deadline = time.perf_counter() + timeout
        while True:
            for at, seen in self.times:
                if at >= t0 and done(seen):
                    return at - t0
            self.event.clear()
            await asyncio.wait_for(self.event.wait(), max(0.001, deadline - time.perf_counter()))


async def press(app: App[Any], frames: Frames, key: str) -> float:
    """Send ``key`` as the terminal would; ms until the next frame. The plans only press keys
    that change the screen, so a frame always follows."""
    await asyncio.sleep(0.02)  # let the previous frame (and any colouring) settle
    t0 = time.perf_counter()
    assert app._driver is not None
    char = key if len(key) == 1 else None
    app._driver.send_message(events.Key(key, char))
    return (await frames.until(t0, lambda _seen: True, timeout=5.0)) * 1000


def stats(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return {"n": len(values), "p50_ms": round(statistics.median(values), 2),
            "p99_ms": round(p99, 2), "max_ms": round(max(values), 2)}


class ViewApp(App[None]):
    def compose(self) -> ComposeResult:
        yield XmlView(id="xml")
        yield DiffView(id="diff")

    def on_mount(self) -> None:
        self.query_one(DiffView).display = False
        self.query_one(XmlView).focus()


async def settle(app: App[Any]) -> None:
    for _ in range(100):
        await asyncio.sleep(0.01)
        await app.workers.wait_for_complete()
        if not any(worker.is_running for worker in app.workers):
            await asyncio.sleep(0.05)
            return


async def ticker_stall(action: Callable[[], Any], done: Callable[[], bool]) -> tuple[float, float]:
    """Run ``action`` and tick every 1 ms until ``done()``: (seconds, longest loop stall ms)."""
    gaps: list[float] = []
    t0 = last = time.perf_counter()
    action()
    while not done():
        await asyncio.sleep(0.001)
        now = time.perf_counter()
        gaps.append(now - last)
        last = now
    return time.perf_counter() - t0, max(gaps, default=0.0) * 1000


async def measure_viewer(app: ViewApp, text: str, repeat: int) -> dict[str, Any]:
    view = app.query_one(XmlView)
    out: dict[str, Any] = {}

    def probe() -> tuple[bool, bool]:
        doc, hl = view.document, view.highlighter
        shown = doc is not None and not view.is_loading and doc.policy_id == "B2C_1A_Big"
        top = view.scroll_offset.y
        coloured = shown and hl is not None and all(
            hl.spans(line) is not None
            for line in range(top, min(view.line_count, top + view.page_size)))
        return shown, coloured

    frames = Frames(app, probe)
    t0 = time.perf_counter()
    view.load(text, "B2C_1A_Big")
    out["first_screen_ms"] = round(await frames.until(t0, lambda s: s[0]) * 1000, 2)
    out["first_colours_ms"] = round(await frames.until(t0, lambda s: s[1]) * 1000, 2)
    out["lines"] = view.line_count
    await settle(app)
    assert view.highlighter is not None
    out["lines_lexed_for_first_screen"] = view.highlighter.lexed_lines
    frames.paint.clear()
    keys: dict[str, list[float]] = {}
    # Start on the longest line in the middle, so every key below moves something.
    middle = view.line_count // 2
    doc = view.document
    assert doc is not None
    longest = max(range(middle, middle + 200), key=lambda i: len(doc.line(i)))
    view.move_cursor(longest, 0, center=True)
    await settle(app)
    plan = [("down", repeat), ("up", repeat), ("pagedown", repeat), ("pageup", repeat),
            ("right", repeat // 2), ("left", repeat // 2), ("end/home", repeat // 4),
            ("ctrl+end/ctrl+home", max(2, repeat // 10))]
    baselines = [baseline_ms()]
    for key, times in plan:
        baselines.append(baseline_ms())
        for _ in range(times):
            if "/" in key:
                first, second = key.split("/")
                keys.setdefault(first, []).append(await press(app, frames, first))
                keys.setdefault(second, []).append(await press(app, frames, second))
            else:
                keys.setdefault(key, []).append(await press(app, frames, key))
    # A search: found in a thread; the loop keeps ticking meanwhile.
    view.move_cursor(0, 0)
    seconds, stall = await ticker_stall(
        lambda: view.start_search("ClaimTypeReferenceId", jump=False),
        lambda: view.search_state.matches is not None)
    out["search"] = {"matches": len(view.search_state.matches or []),
                     "seconds": round(seconds, 3), "longest_loop_stall_ms": round(stall, 1)}
    for _ in range(repeat):
        keys.setdefault("n", []).append(await press(app, frames, "n"))
    for _ in range(repeat):
        keys.setdefault("N", []).append(await press(app, frames, "N"))
    baselines.append(baseline_ms())
    out["keys"] = {k: stats(v) for k, v in keys.items()}
    out["all_keys"] = stats([v for values in keys.values() for v in values])
    out["baseline_ms"] = round(statistics.median(baselines), 3)
    out["baseline_spread_ms"] = [round(min(baselines), 3), round(max(baselines), 3)]
    out["p99_over_baseline"] = round(out["all_keys"]["p99_ms"] / out["baseline_ms"], 2)
    out["compositor_paint"] = stats([p * 1000 for p in frames.paint])
    height = view.size.height
    renders = []
    for _ in range(repeat):
        t = time.perf_counter()
        for y in range(height):
            view.render_line(y)
        renders.append((time.perf_counter() - t) * 1000)
    out["render_line_full_screen"] = {**stats(renders), "lines": height}
    out["lines_lexed_in_all"] = view.highlighter.lexed_lines if view.highlighter else 0
    return out


async def measure_diff(app: ViewApp, old: str, new: str, repeat: int) -> dict[str, Any]:
    diff = app.query_one(DiffView)
    app.query_one(XmlView).display = False
    diff.display = True
    diff.focus()
    await settle(app)
    frames = Frames(app, lambda: diff.diff_layout is not None and diff.change_count > 0)
    t0 = time.perf_counter()
    diff.set_texts(old, new, old_label="tenant", new_label="local")
    out: dict[str, Any] = {"first_screen_ms": round(
        await frames.until(t0, lambda ready: bool(ready)) * 1000, 2)}
    out["changes"] = diff.change_count
    await settle(app)
    # Every line shown (unfolded), the cursor in the middle: every key below moves something.
    diff.action_toggle_fold()
    layout = diff.diff_layout
    assert layout is not None
    diff.action_first_row()
    await settle(app)
    for _ in range(layout.rows // 2 // max(1, diff.page_size)):
        diff.action_page_down()
    await settle(app)
    keys: dict[str, list[float]] = {}
    for key, times in (("down", repeat), ("pagedown", repeat), ("pageup", repeat),
                       ("right_square_bracket", repeat // 2),
                       ("left_square_bracket", repeat // 2), ("u", 4), ("z", 4)):
        for _ in range(times):
            keys.setdefault(key, []).append(await press(app, frames, key))
    out["keys"] = {k: stats(v) for k, v in keys.items()}
    out["all_keys"] = stats([v for values in keys.values() for v in values])
    return out


def diff_compute(old: str, new: str, *, reference: bool) -> dict[str, Any]:
    """``diff_lines`` against plain ``SequenceMatcher`` over the whole texts."""
    a, b = old.split("\n"), new.split("\n")
    t = time.perf_counter()
    ops = diff_lines(a, b)
    out: dict[str, Any] = {"diff_lines_ms": round((time.perf_counter() - t) * 1000, 1),
                           "changes": sum(op.tag != "equal" for op in ops)}
    if reference:
        t = time.perf_counter()
        matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
        plain = matcher.get_opcodes()
        out["sequence_matcher_whole_ms"] = round((time.perf_counter() - t) * 1000, 1)
        out["sequence_matcher_changes"] = sum(op[0] != "equal" for op in plain)
    return out


def rich_syntax_last_screen(text: str) -> float:
    """ms for Rich's Syntax to render the last 45 lines (it lexes from the top each time)."""
    lines = text.count("\n") + 1
    console = Console(width=SIZE[0], file=open(os.devnull, "w"), force_terminal=True)  # noqa: SIM115
    t = time.perf_counter()
    syntax = Syntax(text, "xml", line_numbers=True, line_range=(lines - 45, lines))
    console.render_lines(syntax, console.options)
    return round((time.perf_counter() - t) * 1000, 1)


class TextAreaApp(App[None]):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        yield TextArea(id="area")


async def text_area_first_frame(text: str) -> float:
    app = TextAreaApp(text)
    async with app.run_test(size=SIZE):
        area = app.query_one(TextArea)
        frames = Frames(app)
        t0 = time.perf_counter()
        area.load_text(text)
        return round(await frames.until(t0, lambda _seen: True) * 1000, 1)


async def drive(size: int, repeat: int, reference: bool) -> dict[str, Any]:
    text = grow_policy(size)
    other = edited(text)
    result: dict[str, Any] = {"policy_chars": len(text)}
    app = ViewApp()
    async with app.run_test(size=SIZE):
        await settle(app)
        # As the explorer does once it is up (b2c_tui.tui.collector).
        collector = QuietCollector()
        collector.start(app)
        watch = GcWatch()
        result["viewer"] = await measure_viewer(app, text, repeat)
        result["viewer"]["collections"] = {"full": watch.report(),
                                           "by_generation": list(collector.collections)}
        result["diff_view"] = await measure_diff(app, text, other, repeat)
        watch.close()
        collector.stop()
    result["diff_compute"] = diff_compute(text, other, reference=reference)
    if reference:
        result["reference"] = {"rich_syntax_last_screen_ms": rich_syntax_last_screen(text),
                               "text_area_first_frame_ms": await text_area_first_frame(text)}
    return result


def verdict(result: dict[str, Any]) -> list[str]:
    """The floors missed."""
    misses = []
    viewer = result["viewer"]
    if viewer["first_screen_ms"] > FIRST_SCREEN_FLOOR_MS:
        misses.append(f"first screen {viewer['first_screen_ms']} ms")
    for key, value in viewer["keys"].items():
        if value["p99_ms"] > KEY_FLOOR_MS:
            misses.append(f"key {key} p99 {value['p99_ms']} ms")
    return misses


def _cell(v: dict[str, float]) -> str:
    return f"{v['p50_ms']} / {v['p99_ms']} / {v['max_ms']} ms"


def markdown(result: dict[str, Any]) -> str:
    viewer, diff, compute = result["viewer"], result["diff_view"], result["diff_compute"]
    lines = [
        "## XML viewer", "",
        f"`python -m benchmarks.bench_xml_view` ({result['date']}, Python {result['python']}, "
        f"{result['machine']}, {result['cpus']} CPUs, textual {result['textual']}): the "
        f"SocialAndLocalAccounts base policy grown to {result['policy_chars']:,} characters "
        f"({viewer['lines']:,} lines) by repeating its technical profiles with renamed ids, in "
        f"an `XmlView` under Pilot at {SIZE[0]}x{SIZE[1]}. Key latency runs from the key event "
        "to the next composed frame (Textual paces frames at the explorer's TEXTUAL_FPS, "
        f"{os.environ.get('TEXTUAL_FPS', '60')} a second).", "",
        f"- first screen (`load` -> first frame with the text): **{viewer['first_screen_ms']} "
        f"ms**; with its colours: {viewer['first_colours_ms']} ms "
        f"({viewer['lines_lexed_for_first_screen']:,} lines lexed, of {viewer['lines']:,})",
        f"- search for `ClaimTypeReferenceId` ({viewer['search']['matches']:,} matches) in a "
        f"thread: {viewer['search']['seconds']} s, longest event-loop stall meanwhile "
        f"{viewer['search']['longest_loop_stall_ms']} ms",
        f"- `render_line` for a full screen ({viewer['render_line_full_screen']['lines']} "
        f"lines): {_cell(viewer['render_line_full_screen'])}; compositor paint "
        f"{_cell(viewer['compositor_paint'])}", "",
        "| key -> frame | p50 / p99 / max |", "|---|---:|",
    ]
    lines += [f"| `{key}` | {_cell(value)} |" for key, value in viewer["keys"].items()]
    lines += [f"| all {viewer['all_keys']['n']} keys | {_cell(viewer['all_keys'])} |", "",
              f"Baseline (a fixed 200,000-step Python loop timed between the series of keys): "
              f"{viewer['baseline_ms']} ms ({viewer['baseline_spread_ms'][0]}–"
              f"{viewer['baseline_spread_ms'][1]}); all keys' p99 / baseline "
              f"{viewer['p99_over_baseline']}x. Collections by the app's collector during the "
              f"keys (young, middle, full): {viewer['collections']['by_generation']}.", "",
              f"Diff of two such policies ({compute['changes']} changes): `diff_lines` "
              f"{compute['diff_lines_ms']} ms"]
    if "sequence_matcher_whole_ms" in compute:
        lines[-1] += (f", `SequenceMatcher(autojunk=False)` over the whole texts "
                      f"{compute['sequence_matcher_whole_ms']} ms")
    lines[-1] += (f"; `DiffView.set_texts` -> first frame {diff['first_screen_ms']} ms; "
                  f"its keys (all {diff['all_keys']['n']}) {_cell(diff['all_keys'])}.")
    if "reference" in result:
        ref = result["reference"]
        lines += ["", f"The traps, for reference: Rich `Syntax` renders the last screen in "
                  f"{ref['rich_syntax_last_screen_ms']} ms (it lexes from the top); "
                  f"`TextArea.load_text` takes {ref['text_area_first_frame_ms']} ms to its "
                  "first frame."]
    misses = verdict(result)
    lines += ["", f"Load average {result.get('load_before', '?')} before the run. Floors: "
              f"first screen <= {FIRST_SCREEN_FLOOR_MS:g} ms, every key's p99 <= "
              f"{KEY_FLOOR_MS:g} ms — " + ("MET" if not misses else
                                          "MISSED: " + "; ".join(misses))]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=1_000_000, help="policy size (characters)")
    parser.add_argument("--repeat", type=int, default=40, help="presses per key")
    parser.add_argument("--smoke", "--quick", action="store_true", dest="smoke",
                        help="a quick run (200 KB, few keys, no references); writes nothing")
    parser.add_argument("--no-record", action="store_true",
                        help="full run, but only print the results")
    parser.add_argument("--force", action="store_true",
                        help=f"record even when the load average is >= {QUIET_LOAD}")
    args = parser.parse_args(argv)
    if args.smoke:
        args.size, args.repeat = 200_000, 4
    load_before = os.getloadavg()[0]
    result = asyncio.run(drive(args.size, args.repeat, reference=not args.smoke))
    result.update(date=time.strftime("%Y-%m-%d"), python=platform.python_version(),
                  machine=f"{platform.machine()} {platform.system()}", cpus=os.cpu_count(),
                  textual=textual.__version__, load_before=round(load_before, 2))
    result["failures"] = verdict(result)
    print(json.dumps(result, indent=2))
    if not args.smoke and not args.no_record and load_before >= QUIET_LOAD and not args.force:
        print(f"not recorded: load average {load_before:.2f} >= {QUIET_LOAD} (--force records "
              "anyway)", file=sys.stderr)
        args.no_record = True
    if not args.smoke and not args.no_record:
        (HERE / "results").mkdir(exist_ok=True)
        (HERE / "results" / "xml_view.json").write_text(json.dumps(result, indent=2) + "\n")
        write_section(markdown(result))
    if args.no_record:
        print(markdown(result), file=sys.stderr)
    return 1 if result["failures"] and not args.smoke else 0


if __name__ == "__main__":
    sys.exit(main())
