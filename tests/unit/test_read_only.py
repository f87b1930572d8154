"""Read-only mode blocks every mutating method; the methods are enumerated from the client,
so a new method cannot slip past: any method NOT marked mutating must send only GETs."""

from __future__ import annotations

import inspect
import json
from typing import Any

import httpx
import pytest

from b2c_tui.graph import BatchRequest, GraphClient, PageIterator, ReadOnlyError, RetryPolicy
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
    args, kwargs = [], {}
    for pname, param in inspect.signature(method).parameters.items():
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            continue
        if param.default is param.empty:
            if param.kind == param.POSITIONAL_ONLY:
                args.append(sample(pname, param.annotation))
            else:
                kwargs[pname] = sample(pname, param.annotation)
    result = method(*args, **kwargs)
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
        self.sent: list[tuple[str, str, bytes]] = []  # method, full URL, body

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.methods.append((request.method, request.url.path))
        self.sent.append((request.method, str(request.url), await request.aread()))
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


@pytest.mark.parametrize(("family", "name"), [op[:2] for op in operations() if op[2]])
async def test_what_a_mutating_operation_sends_is_refused_raw_too(family: str, name: str) -> None:
    """Replay, through ``core.request`` on a read-only client, every request the operation
    sends on a writable one (the same method, URL and body): each is refused, nothing sent,
    and the flag cannot be switched off on the way."""
    writable = Recorder()
    try:
        await invoke(getattr(getattr(client(writable, read_only=False), family), name))
    except (B2CTuiError, LookupError, ValueError):  # sample refused, or the stub answer unparsed
        pass
    writes = [(m, u, b) for m, u, b in writable.sent if m not in ("GET", "HEAD")]
    if not writes:
        pytest.skip(f"the sample input for {family}.{name} is refused before sending (its "
                    "read-only refusal is covered above)")
    recorder = Recorder()
    ro = client(recorder, read_only=True)
    with pytest.raises(AttributeError):
        ro.core.read_only = False  # type: ignore[misc]
    for method, url, body in writes:
        with pytest.raises(ReadOnlyError):
            await ro.core.request(method, url, content=body or None, reads_only=True,
                                  content_type="application/json")
    assert recorder.methods == []


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


# -- below the resource methods: the raw request path, $batch, and the flag itself -------------

CHANGE = {"displayName": "x"}


def read_only_core() -> tuple[Any, Recorder]:
    recorder = Recorder()
    return client(recorder, read_only=True).core, recorder


@pytest.mark.parametrize("method", ["POST", "PATCH", "PUT", "DELETE", "patch", "MERGE"])
async def test_raw_request_refuses_every_change(method: str) -> None:
    core, recorder = read_only_core()
    with pytest.raises(ReadOnlyError) as info:
        await core.request(method, "/users/00000000-0000-0000-0000-000000000001", json=CHANGE)
    assert recorder.methods == []
    assert info.value.method == method.upper()
    assert info.value.path == "/v1.0/users/00000000-0000-0000-0000-000000000001"
    assert method.upper() in str(info.value) and "/users/" in str(info.value)


async def test_the_old_reads_only_flag_is_no_bypass() -> None:
    core, recorder = read_only_core()
    with pytest.raises(ReadOnlyError):
        await core.request("POST", "/users", json=CHANGE, reads_only=True)
    with pytest.raises(ReadOnlyError):
        await core.request("DELETE", "/users/x", reads_only=True)
    assert recorder.methods == []


@pytest.mark.parametrize("path", ["/$batch", "/%24batch", "https://graph.microsoft.com/beta/$batch"])
async def test_raw_batch_with_a_change_inside_is_refused(path: str) -> None:
    core, recorder = read_only_core()
    body = {"requests": [
        {"id": "1", "method": "GET", "url": "/users/a"},
        {"id": "2", "method": "PATCH", "url": "/users/b", "body": CHANGE,
         "headers": {"Content-Type": "application/json"}},
    ]}
    with pytest.raises(ReadOnlyError) as info:
        await core.request("POST", path, json=body, reads_only=True)
    assert (info.value.method, info.value.path) == ("PATCH", "/users/b")
    with pytest.raises(ReadOnlyError):  # the same body as raw bytes
        await core.request("POST", path, content=json.dumps(body),
                           content_type="application/json")
    with pytest.raises(ReadOnlyError):  # not a batch body at all
        await core.request("POST", path, content=b"not json")
    assert recorder.methods == []


async def test_batch_of_reads_is_still_allowed_on_a_read_only_client() -> None:
    core, recorder = read_only_core()
    await core.request("POST", "/$batch", json={"requests": [
        {"id": "1", "method": "GET", "url": "/users/a"}]})
    assert recorder.methods == [("POST", "/v1.0/$batch")]


async def test_batch_checks_every_request_before_sending_the_first_chunk() -> None:
    core, recorder = read_only_core()
    requests = [BatchRequest("GET", f"/users/{i}") for i in range(45)]
    requests.append(BatchRequest("DELETE", "/users/last"))
    with pytest.raises(ReadOnlyError) as info:
        await core.batch(requests)
    assert (info.value.method, info.value.path) == ("DELETE", "/users/last")
    assert recorder.methods == []  # not even the first 20 reads


async def test_read_only_cannot_be_switched_off_on_a_live_client() -> None:
    recorder = Recorder()
    ro = client(recorder, read_only=True)
    with pytest.raises(AttributeError):
        ro.core.read_only = False  # type: ignore[misc]
    with pytest.raises(AttributeError):
        ro.read_only = False  # type: ignore[misc]
    assert ro.read_only and ro.core.read_only
    with pytest.raises(ReadOnlyError):
        await ro.users.delete("00000000-0000-0000-0000-000000000001")
    with pytest.raises(ReadOnlyError):
        await ro.core.request("DELETE", "/users/00000000-0000-0000-0000-000000000001")
    assert recorder.methods == []


async def test_a_read_only_demo_connection_refuses_raw_changes() -> None:
    from b2c_tui.connection import connect

    conn = connect(demo=True, read_only=True, demo_users=5)
    try:
        first = (await conn.client.users.list(top=1).collect(1))[0]
        with pytest.raises(ReadOnlyError):
            await conn.client.core.request("DELETE", f"/users/{first['id']}")
        with pytest.raises(ReadOnlyError):
            await conn.client.core.batch([BatchRequest("PATCH", f"/users/{first['id']}",
                                                       body=CHANGE)])
        assert await conn.client.users.get(first["id"])  # still there
    finally:
        await conn.aclose()
