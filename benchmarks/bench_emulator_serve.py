"""Emulator serving cost: server CPU per 999-user page vs the client's cost to decode it.

The demo tenant (100,000 users) runs under uvicorn in a child process on loopback; the parent
pages through every user (``$top=999``): a cold pass (pages generated and serialized on
demand) then three warm passes (joined pages cached), reading the child's CPU time around
each. The same is measured for the listings a partitioned export makes (issue 17):
``startswith(userPrincipalName,'3')`` and ``startswith(displayName,'a')``, with Graph's
default properties and with the explorer's ``$select``, against the unfiltered ``$select``
listing; the filtered ones should cost what the unfiltered ones do. The client's cost is
measured on the very same page bytes: ``orjson.loads`` and
``json.loads`` (both build the Python objects), best of 3; and, around each pass, the
client process's own CPU to fetch (httpx) and decode (orjson) every page. The server's CPU
comes from its own ``time.process_time()`` (a bench-only ``/__cpu`` probe wrapped around the
app). A cold pass happens once per process, so the whole measurement is repeated with fresh
children (``--runs``) and each figure is the median over the runs (all runs are in the JSON).

    python -m benchmarks.bench_emulator_serve            # full run, writes results
    python -m benchmarks.bench_emulator_serve --quick    # 20,000 users, one run (smoke run)
"""

from __future__ import annotations

import argparse
import datetime
import importlib.util
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import orjson

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "emulator_serve.json"
RESULTS_MD = HERE / "RESULTS.md"
MODULE = "python -m benchmarks.bench_emulator_serve"


def _child(users: int) -> None:
    """Child process: serve a demo tenant, announce the URL on stdout."""
    from b2c_tui.emulator import create_emulator
    from b2c_tui.emulator.server import serve

    emulator = create_emulator(users=users, throttling=False)
    graph = emulator.asgi

    async def with_cpu_probe(scope: dict[str, Any], receive: Any, send: Any) -> None:
        # bench-only side door: the child's own CPU clock (finer than /proc's 10 ms ticks)
        if scope["type"] == "http" and scope["path"] == "/__cpu":
            usage = resource.getrusage(resource.RUSAGE_SELF)
            body = f"{usage.ru_utime} {usage.ru_stime} {time.process_time()}".encode()
            await send(
                {
                    "type": "http.response.start",
                    "status": 200,
                    "headers": [(b"content-length", str(len(body)).encode())],
                }
            )
            await send({"type": "http.response.body", "body": body})
            return
        await graph(scope, receive, send)

    emulator.asgi = with_cpu_probe  # type: ignore[method-assign]

    def ready(url: str) -> None:
        sys.stdout.write(f"READY {url}\n")
        sys.stdout.flush()

    serve("127.0.0.1", 0, emulator=emulator, ready=ready, banner=False)


def _cpu_seconds(client: httpx.Client, base: str) -> tuple[float, float, float]:
    """The server process's (user, system, total) CPU seconds, via the bench-only probe."""
    user, system, total = client.get(f"{base}/__cpu").text.split()
    return float(user), float(system), float(total)


#: The explorer's $select (b2c_tui.graph.resources.users.USER_SELECT).
SELECT = (
    "id,displayName,givenName,surname,userPrincipalName,mail,otherMails,identities,"
    "creationType,accountEnabled,createdDateTime,userType"
)
#: name -> query of the listings measured besides the unfiltered default one.
LISTINGS = {
    "select": f"$select={SELECT}",
    "upn_prefix": "$filter=startswith(userPrincipalName,'3')",
    "upn_prefix_select": f"$filter=startswith(userPrincipalName,'3')&$select={SELECT}",
    "name_prefix": "$filter=startswith(displayName,'a')",
    "name_prefix_select": f"$filter=startswith(displayName,'a')&$select={SELECT}",
}


def _fetch_all(client: httpx.Client, base: str, query: str = "") -> list[bytes]:
    pages: list[bytes] = []
    url: str | None = f"{base}/v1.0/users?$top=999" + (f"&{query}" if query else "")
    while url:
        response = client.get(url)
        response.raise_for_status()
        pages.append(response.content)
        url = orjson.loads(response.content).get("@odata.nextLink")
    return pages


def _decode_cost(pages: list[bytes], loads: Any, repeat: int = 3) -> float:
    """Best-of-``repeat`` CPU seconds to decode every page, per page."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        for page in pages:
            loads(page)
        best = min(best, time.process_time() - start)
    return best / len(pages)


def run(users: int) -> dict[str, Any]:
    """Serve ``users`` users in a child process and measure both sides."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.bench_emulator_serve", "--child", str(users)],
        stdout=subprocess.PIPE,
        cwd=HERE.parent,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().decode().strip()
        if not line.startswith("READY "):
            raise RuntimeError(f"emulator child failed: {line!r}")
        base = line.split(" ", 1)[1]
        with httpx.Client(timeout=60) as client:
            client.get(f"{base}/v1.0/organization").raise_for_status()
            passes: dict[str, dict[str, float]] = {}
            pages: list[bytes] = []
            for name, rounds in (("cold", 1), ("warm", 3)):
                passes[name], pages = _measure(client, base, "", rounds)
            listings: dict[str, dict[str, dict[str, float]]] = {}
            for listing, query in LISTINGS.items():
                listings[listing] = {
                    name: _measure(client, base, query, rounds)[0]
                    for name, rounds in (("cold", 1), ("warm", 3))
                }
        users_seen = sum(len(orjson.loads(p)["value"]) for p in pages)
        return {
            "users": users,
            "users_listed": users_seen,
            "page_size": 999,
            "mean_page_bytes": sum(map(len, pages)) / len(pages),
            "passes": passes,
            "listings": listings,
            "client_orjson_loads_cpu_s_per_page": _decode_cost(pages, orjson.loads),
            "client_json_loads_cpu_s_per_page": _decode_cost(pages, json.loads),
            "date": datetime.date.today().isoformat(),
            "python": platform.python_version(),
            "machine": f"{platform.machine()} {os.cpu_count()} cpu",
            "http": f"uvicorn ({_http_impl()}), loopback, HTTP/1.1 keep-alive",
        }
    finally:
        proc.terminate()
        proc.wait(10)


def _measure(
    client: httpx.Client, base: str, query: str, rounds: int
) -> tuple[dict[str, float], list[bytes]]:
    """Page through a listing ``rounds`` times; CPU and wall time per page, and the pages."""
    (user0, sys0, cpu0), wall0 = _cpu_seconds(client, base), time.perf_counter()
    mine0 = time.process_time()
    pages: list[bytes] = []
    for _ in range(rounds):
        pages = _fetch_all(client, base, query)
    mine1 = time.process_time()
    (user1, sys1, cpu1), wall1 = _cpu_seconds(client, base), time.perf_counter()
    count = len(pages) * rounds
    return {
        "pages": count,
        "server_cpu_s_per_page": (cpu1 - cpu0) / count,
        "server_user_cpu_s_per_page": (user1 - user0) / count,
        "server_system_cpu_s_per_page": (sys1 - sys0) / count,
        "wall_s_per_page": (wall1 - wall0) / count,
        # the client's side of the same pages: httpx receiving, orjson decoding
        "client_cpu_s_per_page": (mine1 - mine0) / count,
    }, pages


def _http_impl() -> str:
    """The HTTP implementation uvicorn picks by default (``http="auto"``)."""
    return "httptools" if importlib.util.find_spec("httptools") else "h11"


def run_many(users: int, runs: int) -> dict[str, Any]:
    """:func:`run` ``runs`` times (fresh children); every figure is the median over runs."""
    results = [run(users) for _ in range(runs)]
    out = dict(results[-1])

    def median(get: Any) -> float:
        return statistics.median(get(r) for r in results)

    out["passes"] = {
        name: {key: median(lambda r, n=name, k=key: r["passes"][n][k]) for key in values}
        for name, values in results[-1]["passes"].items()
    }
    for key in ("client_orjson_loads_cpu_s_per_page", "client_json_loads_cpu_s_per_page"):
        out[key] = median(lambda r, k=key: r[k])
    out["listings"] = {
        listing: {
            name: {key: median(lambda r, li=listing, n=name, k=key: r["listings"][li][n][k])
                   for key in values}
            for name, values in passes.items()
        }
        for listing, passes in results[-1]["listings"].items()
    }
    out["runs"] = len(results)
    out["each_run"] = [
        {
            "cold_server_cpu_s_per_page": r["passes"]["cold"]["server_cpu_s_per_page"],
            "warm_server_cpu_s_per_page": r["passes"]["warm"]["server_cpu_s_per_page"],
            "client_orjson_loads_cpu_s_per_page": r["client_orjson_loads_cpu_s_per_page"],
            "client_fetch_and_decode_cpu_s_per_page":
                r["passes"]["cold"]["client_cpu_s_per_page"],
        }
        for r in results
    ]
    return out


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def report(result: dict[str, Any]) -> str:
    """One RESULTS.md line."""
    cold, warm = result["passes"]["cold"], result["passes"]["warm"]

    def cpu(p: dict[str, float]) -> str:
        return (
            f"{_ms(p['server_cpu_s_per_page'])} (user {_ms(p['server_user_cpu_s_per_page'])}"
            f" + kernel {_ms(p['server_system_cpu_s_per_page'])})"
        )

    runs = result.get("runs", 1)
    return (
        f"- `python -m benchmarks.bench_emulator_serve` ({result['date']}, {result['users']:,} "
        "users, 999/page, "
        f"{result['mean_page_bytes'] / 1024:.0f} KiB/page, {result['machine']}, median of "
        f"{runs} run{'s' if runs != 1 else ''}): server CPU per "
        f"page warm {cpu(warm)}, cold {cpu(cold)}; client decode per page orjson "
        f"{_ms(result['client_orjson_loads_cpu_s_per_page'])}, json "
        f"{_ms(result['client_json_loads_cpu_s_per_page'])}; client receive and decode "
        f"(httpx + orjson) per page {_ms(cold['client_cpu_s_per_page'])} cold, "
        f"{_ms(warm['client_cpu_s_per_page'])} warm. Server CPU per page, cold / warm: "
        + "; ".join(
            f"{name} {_ms(p['cold']['server_cpu_s_per_page'])} / "
            f"{_ms(p['warm']['server_cpu_s_per_page'])}"
            for name, p in result["listings"].items()
        )
        + "."
    )


def main(argv: list[str] | None = None) -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20,000 users, no result files")
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--runs", type=int, help="fresh emulators to measure (default 3; quick 1)")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.child)
        return
    runs = args.runs or (1 if args.quick else 3)
    result = run_many(20_000 if args.quick else args.users, runs)
    sys.stdout.write(json.dumps(result, indent=2) + "\n")
    line = report(result)
    sys.stdout.write(line + "\n")
    if args.quick:
        return
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    RESULTS_MD.write_text(_with_result_line(RESULTS_MD, line))


def _with_result_line(path: Path, line: str) -> str:
    """RESULTS.md with this benchmark's result line replaced (the prose around it kept)."""
    header = "## Emulator serving cost (bench_emulator_serve.py)\n\n"
    text = path.read_text() if path.exists() else "# Benchmark results\n\n"
    if header not in text:
        return text.rstrip("\n") + "\n\n" + header + line + "\n"
    head, _, rest = text.partition(header)
    section, sep, after = rest.partition("\n## ")
    kept = "\n".join(s for s in section.split("\n") if not s.startswith(f"- `{MODULE}`"))
    kept = "\n" + kept.lstrip("\n") if kept.strip() else ""
    return head + header + line + "\n" + kept + sep + after


if __name__ == "__main__":
    main()
