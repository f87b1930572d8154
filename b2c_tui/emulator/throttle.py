"""Graph's throttling, modelled on the documented budgets (behaviour.md).

* ``directory`` (users, applications, servicePrincipals, grants, organization, deleted items):
  a token bucket of resource units per 10 s sized by tenant (S < 50 users: 3,500, M <= 500:
  5,000, L: 8,000), costs GET users/applications/grants 2 else 1, ``$select`` -1,
  ``$top`` < 20 -1, writes 1 RU (+4 creating a B2C user) and a write bucket of
  3,000 per 150 s; writes to applications 60 per minute.
* ``audit``: 5 requests per 10 s. ``conditional_access``: 1 request per second, 429 **without**
  Retry-After. ``identity`` (IdPs, user flows, attributes, policies, keysets): 200 per minute.

Buckets run on the store's injectable clock, so tests move time instead of sleeping.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from .http import GraphError, Request, Response

WRITE_METHODS = frozenset({"POST", "PATCH", "PUT", "DELETE"})


@dataclass(frozen=True, slots=True)
class RequestBudget:
    """A family throttled by request count: ``requests`` per ``window`` seconds."""

    name: str
    requests: int
    window: float
    limit: str  # the x-ms-throttle-scope's limit name
    retry_after: bool = True


#: Families throttled by request count (``directory`` is charged in resource units).
REQUEST_BUDGETS = {
    "audit": RequestBudget("audit", 5, 10.0, "Read"),
    # 1 request per second per tenant, and its 429 carries no Retry-After
    "conditional_access": RequestBudget("ca", 1, 1.0, "ReadWrite", retry_after=False),
    "identity": RequestBudget("identity", 200, 60.0, "ReadWrite"),
}
_READ_COST_2 = ("users", "applications", "oauth2permissiongrants", "me")


@dataclass(slots=True)
class Bucket:
    """A token bucket: ``capacity`` tokens refilled evenly over ``window`` seconds."""

    capacity: float
    window: float
    tokens: float
    stamp: float

    def _refill(self, now: float) -> None:
        if now > self.stamp:
            self.tokens = min(
                self.capacity, self.tokens + (now - self.stamp) * self.capacity / self.window
            )
            self.stamp = now

    def wait_for(self, cost: float, now: float) -> float:
        """Seconds until ``cost`` tokens are available (0 when they are now)."""
        self._refill(now)
        if self.tokens >= cost:
            return 0.0
        return (cost - self.tokens) * self.window / self.capacity

    def take(self, cost: float) -> None:
        """Spend tokens (call after :meth:`wait_for` returned 0)."""
        self.tokens -= cost

    def used_fraction(self) -> float:
        """How much of the budget is spent (0..1)."""
        return 1.0 - self.tokens / self.capacity


def tenant_size_budget(user_count: int) -> int:
    """Resource units per 10 s for the tenant's size class."""
    if user_count < 50:
        return 3_500
    if user_count <= 500:
        return 5_000
    return 8_000


def resource_units(request: Request, family: str, template: str) -> int:
    """Cost of a directory request in resource units."""
    first = template.strip("/").split("/", 1)[0].split("(", 1)[0].lower()
    if request.method in WRITE_METHODS:
        cost = 1
        if request.method == "POST" and template.rstrip("/").lower() == "/users":
            cost += 4
        return cost
    cost = 2 if first in _READ_COST_2 else 1
    if request.arg("$select"):
        cost -= 1
    if request.arg("$expand"):
        cost += 1
    top = request.arg("$top")
    if top is not None and top.strip().isdigit() and int(top) < 20:
        cost -= 1
    return max(cost, 1)


class Throttler:
    """Per-family buckets; :meth:`check` answers 429 or lets the request through."""

    def __init__(
        self,
        clock: Callable[[], datetime],
        *,
        user_count: Callable[[], int],
        tenant_id: str,
        enabled: bool = True,
    ) -> None:
        self.clock = clock
        self.enabled = enabled
        self.tenant_id = tenant_id
        self._user_count = user_count
        self._buckets: dict[str, Bucket] = {}
        self._base: datetime | None = None

    def _now(self) -> float:
        # seconds since the first call, from exact timedelta arithmetic: an epoch timestamp's
        # float loses the microseconds a Retry-After of 0.050 s relies on
        now = self.clock()
        if self._base is None:
            self._base = now
        return (now - self._base) / timedelta(seconds=1)

    def _bucket(self, name: str, capacity: float, window: float) -> Bucket:
        bucket = self._buckets.get(name)
        if bucket is None or bucket.capacity != capacity:
            bucket = Bucket(capacity, window, capacity, self._now())
            self._buckets[name] = bucket
        return bucket

    def reset(self) -> None:
        """Refill every bucket (tests)."""
        self._buckets.clear()

    def check(
        self,
        request: Request,
        family: str,
        template: str,
        app_id: str = "00000000-0000-0000-0000-000000000000",
    ) -> tuple[dict[str, str], Response | None]:
        """Charge ``request``; returns (headers to add, a 429 response or None)."""
        headers: dict[str, str] = {}
        if family == "directory":
            cost = resource_units(request, family, template)
            headers["x-ms-resource-unit"] = str(cost)
            if not self.enabled:
                return headers, None
            ru = self._bucket("ru", tenant_size_budget(self._user_count()), 10.0)
            needs: list[tuple[Bucket, float, str]] = [(ru, cost, "ResourceUnitLimitExceeded")]
            if request.method in WRITE_METHODS:
                needs.append((self._bucket("writes", 3_000, 150.0), 1, "WriteLimitExceeded"))
                if template.lower().startswith("/applications"):
                    needs.append((self._bucket("app_writes", 60, 60.0), 1, "WriteLimitExceeded"))
            return self._charge(
                needs, headers, app_id, "ReadWrite" if request.method in WRITE_METHODS else "Read"
            )
        budget = REQUEST_BUDGETS.get(family)
        if not self.enabled or budget is None:
            return headers, None
        bucket = self._bucket(budget.name, budget.requests, budget.window)
        return self._charge(
            [(bucket, 1, "RequestLimitExceeded")],
            headers,
            app_id,
            budget.limit,
            retry_after=budget.retry_after,
        )

    def _charge(
        self,
        needs: list[tuple[Bucket, float, str]],
        headers: dict[str, str],
        app_id: str,
        limit: str,
        *,
        retry_after: bool = True,
    ) -> tuple[dict[str, str], Response | None]:
        now = self._now()
        wait, reason = 0.0, ""
        for bucket, cost, why in needs:
            w = bucket.wait_for(cost, now)
            if w > wait:
                wait, reason = w, why
        if wait > 0:
            err_headers = {
                "x-ms-throttle-scope": f"Tenant_Application/{limit}/{app_id}/{self.tenant_id}",
                "x-ms-throttle-information": reason,
            }
            if retry_after:
                err_headers["Retry-After"] = _seconds(wait)
            err_headers.update(headers)
            return headers, GraphError(
                429, "TooManyRequests", "Please retry again later.", headers=err_headers
            ).response()
        for bucket, cost, _ in needs:
            bucket.take(cost)
        used = max(b.used_fraction() for b, _, _ in needs)
        if used > 0.8:
            headers["x-ms-throttle-limit-percentage"] = f"{min(used, 1.8):.1f}"
        return headers, None


def _seconds(wait: float) -> str:
    """Retry-After text: whole seconds when integral, else up to 3 decimals."""
    rounded = math.ceil(wait * 1000) / 1000
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:.3f}"
