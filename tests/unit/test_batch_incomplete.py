"""A ``$batch`` answer that leaves requests out is reported as Graph's error, not a crash."""

from __future__ import annotations

import httpx
import pytest

from b2c_tui.graph import BatchRequest, GraphCore
from b2c_tui.graph.errors import InvalidResponseError


async def test_a_batch_answer_missing_responses_raises_a_graph_error() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        # Graph answered only the first of the two requests.
        return httpx.Response(200, json={"responses": [
            {"id": "1", "status": 200, "headers": {}, "body": {"id": "a"}}]})

    core = GraphCore(None, transport=httpx.MockTransport(answer))
    with pytest.raises(InvalidResponseError) as missing:
        await core.batch([BatchRequest("GET", "/users/a"), BatchRequest("GET", "/users/b")])
    assert "left out 1 of 2" in str(missing.value) and "/users/b" in str(missing.value)
