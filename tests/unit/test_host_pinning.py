"""The bearer token goes to the profile's Graph host and nowhere else."""

from __future__ import annotations

import httpx
import pytest

from b2c_tui.graph import GraphCore, UntrustedHostError
from b2c_tui.graph.errors import ConfigError, GraphError
from b2c_tui.graph.profiles import parse_profile

TOKEN = "pinned-token-value-0123456789"


class Tokens:
    async def token(self, *, force_refresh: bool = False) -> str:
        return TOKEN


class Server:
    """Answers the first page with a nextLink of our choosing; records who got what."""

    def __init__(self, next_link: str) -> None:
        self.next_link = next_link
        self.seen: list[tuple[str, str | None]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append((f"{request.url.scheme}://{request.url.netloc.decode()}",
                          request.headers.get("authorization")))
        if len(self.seen) == 1:
            return httpx.Response(200, json={"value": [{"id": "1"}],
                                             "@odata.nextLink": self.next_link})
        return httpx.Response(200, json={"value": [{"id": "2"}]})


def core_for(server: Server, graph_url: str = "https://graph.microsoft.com") -> GraphCore:
    return GraphCore(Tokens(), graph_url=graph_url, transport=httpx.MockTransport(server))


@pytest.mark.parametrize("link", [
    "https://evil.example.com/v1.0/users?$skiptoken=2",
    "https://graph.microsoft.com.evil.example/v1.0/users?$skiptoken=2",
    "http://graph.microsoft.com/v1.0/users?$skiptoken=2",  # a downgrade to plain http
    "https://graph.microsoft.com:8443/v1.0/users?$skiptoken=2",  # another port
    "https://graph.microsoft.us/v1.0/users?$skiptoken=2",  # another cloud
])
async def test_next_link_on_another_host_is_refused_without_the_token(link: str) -> None:
    server = Server(link)
    core = core_for(server)
    with pytest.raises(UntrustedHostError) as info:
        await core.pages("/users").collect()
    assert server.seen == [("https://graph.microsoft.com", f"Bearer {TOKEN}")]
    err = info.value
    assert isinstance(err, GraphError) and err.code == "UntrustedHost"
    assert "https://graph.microsoft.com" in str(err)
    assert TOKEN not in str(err) and "skiptoken" not in str(err)


async def test_next_link_on_the_same_host_is_followed() -> None:
    server = Server("https://GRAPH.microsoft.com:443/v1.0/users?$skiptoken=2")
    assert len(await core_for(server).pages("/users").collect()) == 2
    assert [who for who, _ in server.seen] == ["https://graph.microsoft.com"] * 2


async def test_absolute_url_on_another_host_is_refused_before_sending() -> None:
    server = Server("")
    core = core_for(server)
    for method in ("GET", "POST"):
        with pytest.raises(UntrustedHostError):
            await core.request(method, "https://evil.example.com/v1.0/users", json={})
    assert server.seen == []


async def test_national_cloud_profile_is_pinned_to_its_own_graph_host() -> None:
    server = Server("https://graph.microsoft.com/v1.0/users?$skiptoken=2")
    core = core_for(server, graph_url="https://graph.microsoft.us")
    with pytest.raises(UntrustedHostError):
        await core.pages("/users").collect()
    assert [who for who, _ in server.seen] == ["https://graph.microsoft.us"]
    assert core.trusted_hosts == ["https://graph.microsoft.us"]


@pytest.mark.parametrize("url", ["http://graph.microsoft.com", "http://10.0.0.5:8080",
                                 "http://emulator.example.com"])
def test_plain_http_graph_url_is_refused_unless_loopback(url: str) -> None:
    with pytest.raises(ConfigError, match="plain-http"):
        GraphCore(None, graph_url=url)
    with pytest.raises(ConfigError, match="plain-http"):
        parse_profile("p", {"tenant": "t.onmicrosoft.com", "client_id": "c", "auth": "token",
                            "token_env": "T", "graph_url": url})


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080", "http://localhost:9000",
                                 "http://[::1]:8443", "http://127.0.0.2"])
async def test_plain_http_is_fine_on_this_machine(url: str) -> None:
    server = Server(f"{url}/v1.0/users?$skiptoken=2")
    core = core_for(server, graph_url=url)
    assert len(await core.pages("/users").collect()) == 2
    parse_profile("p", {"tenant": "t.onmicrosoft.com", "auth": "token", "token_env": "T",
                        "graph_url": url})


def test_the_pinned_host_cannot_be_changed() -> None:
    core = GraphCore(None)
    with pytest.raises(AttributeError):
        core._pin._origins = frozenset()  # type: ignore[misc]
