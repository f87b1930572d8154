"""JSON batching: up to 20 requests per ``POST /$batch``, inner 429s retried, ``dependsOn``.

Graph answers a batch in any order and throttles each inner request on its own; SDKs leave the
inner 429s to the caller. We resend throttled (and 503/504) inner requests after the longest
``retry-after`` among them, together with the requests that failed only because they depended
on them (424), and give results back in the order the caller asked.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from .encoding import Params, join_url
from .errors import GraphError, InvalidResponseError
from .response import GraphResponse
from .retry import RETRY_STATUSES, Retrier, RetryEvent, parse_retry_after, status_reason

MAX_BATCH = 20


class BatchSender(Protocol):
    """What ``$batch`` needs from the core: send one POST, refuse changes on a read-only
    client before anything is sent, and the shared retry policy that waits out inner 429s."""

    retrier: Retrier

    def check_writes(self, requests: Iterable[tuple[str, str]]) -> None: ...

    async def request(
        self, method: str, path: str, *, version: str | None = ..., json: Any = ...
    ) -> GraphResponse: ...


@dataclass
class BatchRequest:
    """One request inside a batch; ``url`` is relative to the version root ("/users/{id}")."""

    method: str
    url: str
    body: Any = None
    headers: Mapping[str, str] | None = None
    params: Params | None = None
    id: str | None = None
    depends_on: list[str] = field(default_factory=list)


@dataclass
class BatchResult:
    """The answer to one :class:`BatchRequest`."""

    id: str
    status: int
    headers: dict[str, str]
    body: Any
    request: BatchRequest

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def error(self) -> GraphError | None:
        """The typed error for a failed request, ``None`` when it succeeded."""
        if self.ok:
            return None
        return GraphError.from_response(
            self.status, self.body, headers=self.headers,
            method=self.request.method.upper(), url=self.request.url.split("?", 1)[0],
        )


def _components(requests: list[BatchRequest]) -> list[list[int]]:
    """Group request indexes that depend on each other; they must share a batch."""
    index = {r.id.lower(): i for i, r in enumerate(requests) if r.id}
    parent = list(range(len(requests)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, req in enumerate(requests):
        for dep in req.depends_on:
            j = index.get(dep.lower())
            if j is None:
                raise ValueError(f"Batch request {req.id!r} depends on unknown id {dep!r}")
            parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(requests)):
        groups.setdefault(find(i), []).append(i)
    return list(groups.values())


def plan_batches(requests: list[BatchRequest]) -> list[list[int]]:
    """Pack requests into batches of at most 20, keeping dependency groups together."""
    batches: list[list[int]] = []
    current: list[int] = []
    for group in _components(requests):
        if len(group) > MAX_BATCH:
            raise ValueError(
                f"{len(group)} requests depend on each other; a batch holds {MAX_BATCH}"
            )
        if len(current) + len(group) > MAX_BATCH:
            batches.append(current)
            current = []
        current.extend(group)
    if current:
        batches.append(current)
    return batches


def _key(req: BatchRequest) -> str:
    return (req.id or "").lower()


def _wire(req: BatchRequest) -> dict[str, Any]:
    assert req.id is not None
    url = join_url(req.url if req.url.startswith("/") else "/" + req.url, req.params)
    item: dict[str, Any] = {"id": req.id, "method": req.method.upper(), "url": url}
    headers = dict(req.headers or {})
    if req.body is not None:
        item["body"] = req.body
        headers.setdefault("Content-Type", "application/json")
    if headers:
        item["headers"] = headers
    if req.depends_on:
        item["dependsOn"] = list(req.depends_on)
    return item


async def run_batch(
    core: BatchSender, requests: list[BatchRequest], *, version: str
) -> list[BatchResult]:
    """Send ``requests`` in as few batches as possible; retry throttled inner requests.

    On a read-only client every request is checked before the first batch is sent, so a
    change late in the list cannot follow reads already sent."""
    core.check_writes((r.method, r.url) for r in requests)
    seen: set[str] = set()
    for n, req in enumerate(requests, 1):
        req.id = req.id or str(n)
        if req.id.lower() in seen:
            raise ValueError(f"Duplicate batch request id {req.id!r}")
        seen.add(req.id.lower())
    results: dict[int, BatchResult] = {}
    for batch in plan_batches(requests):
        await _run_one(core, requests, batch, results, version)
    missing = [i for i in range(len(requests)) if i not in results]
    if missing:
        # Graph answered the batch but left requests out: what became of them is unknown.
        first = requests[missing[0]]
        raise InvalidResponseError(
            f"Graph's $batch answer left out {len(missing)} of {len(requests)} requests "
            f"(first: {first.method.upper()} {first.url}).", status=200, method="POST",
            url="/$batch")
    return [results[i] for i in range(len(requests))]


async def _run_one(
    core: BatchSender,
    requests: list[BatchRequest],
    batch: list[int],
    results: dict[int, BatchResult],
    version: str,
) -> None:
    retrier = core.retrier
    started = retrier.clock()
    todo = list(batch)
    attempt = 0
    while todo:
        attempt += 1
        by_id = {_key(requests[i]): i for i in todo}
        payload = {"requests": [_wire(requests[i]) for i in todo]}
        # Dependencies that already succeeded in an earlier round are dropped from dependsOn.
        for item in payload["requests"]:
            deps = [d for d in item.get("dependsOn", []) if d.lower() in by_id]
            if deps:
                item["dependsOn"] = deps
            else:
                item.pop("dependsOn", None)
        answer = await core.request("POST", "/$batch", version=version, json=payload)
        body = answer.json() or {}
        retry_ids: list[int] = []
        wait = 0.0
        worst = 0
        for resp in body.get("responses", []):
            i = by_id.get(str(resp.get("id", "")).lower())
            if i is None:
                continue
            headers = {str(k): str(v) for k, v in (resp.get("headers") or {}).items()}
            status = int(resp.get("status", 0))
            results[i] = BatchResult(requests[i].id or "", status, headers, resp.get("body"),
                                     requests[i])
            if status in RETRY_STATUSES:
                lower = {k.lower(): v for k, v in headers.items()}
                delay = parse_retry_after(lower.get("retry-after"))
                wait = max(wait, delay if delay is not None else retrier.backoff(attempt))
                worst = 429 if 429 in (worst, status) else status
                retry_ids.append(i)
        if retry_ids and attempt > 1:
            # Throttled again: each inner Retry-After is for that request alone, and the ones
            # resent together compete for the same budget; back off as well, growing.
            wait = max(wait, retrier.backoff(attempt - 1))
        if not retry_ids or wait > retrier.policy.max_retry_after or not retrier.may_retry(
            attempt, started, wait
        ):
            return  # what is still throttled is reported as such, per request
        retry_set = set(retry_ids)
        # Requests that failed only because a throttled one failed before them go again too.
        changed = True
        while changed:
            changed = False
            names = {_key(requests[i]) for i in retry_set}
            for i in todo:
                failed_dep = results.get(i) is not None and results[i].status == 424
                if failed_dep and i not in retry_set and any(
                    d.lower() in names for d in requests[i].depends_on
                ):
                    retry_set.add(i)
                    changed = True
        todo = sorted(retry_set)
        await retrier.wait(RetryEvent(worst, wait, attempt, "POST", "/$batch",
                                      f"{status_reason(worst)} inside $batch"))
