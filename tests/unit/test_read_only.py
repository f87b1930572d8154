"""Read-only mode blocks every mutating method; the methods are enumerated from the client,
so a new method cannot slip past: any method NOT marked mutating must send only GETs."""

from __future__ import annotations

import inspect
from typing import Any

import httpx
import pytest

from b2c_tui.graph import GraphClient, PageIterator, ReadOnlyError, RetryPolicy
from b2c_tui.graph.errors import B2CTuiError

POLICY_XML = (
    '<TrustFrameworkPolicy xmlns="http://schemas.microsoft.com/online/cpim/schemas/2013/06" '
    'PolicySchemaVersion="0.3.0.0" TenantId="contosob2c.onmicrosoft.com" '
    'PolicyId="B2C_1A_Test"></TrustFrameworkPolicy>'
)


def sample(name: str, annotation: Any) -> Any:
    text = str(annotation)
    lname = name.lower()
    if "xml" in lname:
        return POLICY_XML
    if "mapping" in text.lower() or "dict" in text.lower():
        return {"displayName": "x"}
    if any(k in text for k in ("Iterable", "list", "Sequence")):
        return ["00000000-0000-0000-0000-000000000001"]
    if text.startswith("int") or text == "int":
        return 1
    if text == "bool":
        return False
    if "bytes" in text:
        return b"x"
    if "phone" in lname:
        return "+1 2065550100"
    if "email" in lname:
        return "someone@example.com"
    if "policy" in lname or "keyset" in lname:
        return "B2C_1A_Test"
    if lname in ("use",):
        return "sig"
    if lname in ("kty",):
        return "RSA"
    return "00000000-0000-0000-0000-000000000001"


async def invoke(method: Any) -> None:
    kwargs = {}
    for pname, param in inspect.signature(method).parameters.items():
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            continue
        if param.default is param.empty:
            kwargs[pname] = sample(pname, param.annotation)
    result = method(**kwargs)
    if inspect.isawaitable(result):
        result = await result
    if isinstance(result, PageIterator):
        await result.collect()
    elif hasattr(result, "__anext__"):
        async for _ in result:
            pass


class Recorder(httpx.AsyncBaseTransport):
    def __init__(self) -> None:
        self.methods: list[tuple[str, str]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.methods.append((request.method, request.url.path))
        return httpx.Response(200, json={"value": [], "id": "x", "responses": []})


def client(transport: httpx.AsyncBaseTransport, read_only: bool) -> GraphClient:
    return GraphClient.create(None, transport=transport, read_only=read_only,
                              retry=RetryPolicy(max_attempts=1))


def operations() -> list[tuple[str, str, bool]]:
    c = client(Recorder(), False)
    return [(family, name, mut) for family, name, _, mut in c.operations()]


def test_the_client_has_many_mutating_operations() -> None:
    ops = operations()
    mutating = [op for op in ops if op[2]]
    assert len(ops) >= 60 and len(mutating) >= 35, (len(ops), len(mutating))


@pytest.mark.parametrize(("family", "name", "is_mut"), operations())
async def test_operation_respects_read_only(family: str, name: str, is_mut: bool) -> None:
    recorder = Recorder()
    ro = client(recorder, read_only=True)
    method = getattr(getattr(ro, family), name)
    if is_mut:
        with pytest.raises(ReadOnlyError):
            await invoke(method)
        assert recorder.methods == []
    else:
        try:
            await invoke(method)
        except B2CTuiError as exc:  # bad sample input is fine; a write attempt is not
            assert not isinstance(exc, ReadOnlyError), f"{family}.{name} tried to write"
        assert all(m in ("GET", "POST") for m, _ in recorder.methods)
        # A POST is only allowed as a $batch of GETs.
        assert all(p.endswith("/$batch") for m, p in recorder.methods if m == "POST")


@pytest.mark.parametrize(("family", "name", "is_mut"), [op for op in operations() if not op[2]])
async def test_unmarked_operations_only_read_on_a_writable_client(
    family: str, name: str, is_mut: bool
) -> None:
    """A method that forgot its @mutating marker would send a write here and fail."""
    recorder = Recorder()
    rw = client(recorder, read_only=False)
    try:
        await invoke(getattr(getattr(rw, family), name))
    except B2CTuiError:
        pass
    writes = [(m, p) for m, p in recorder.methods
              if m not in ("GET", "HEAD") and not p.endswith("/$batch")]
    assert writes == [], f"{family}.{name} is not marked @mutating but sent {writes}"
