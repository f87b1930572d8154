"""The kit's knowledge of the tenant kind (read once from the organization; unknown when it
cannot be read, and then Graph is asked) and its masking of write-only properties."""

from __future__ import annotations

import json

from b2c_tui.graph.errors import GraphError
from b2c_tui.tui.context import AppContext
from b2c_tui.tui.kit.detail import WRITE_ONLY, json_text, mask_secrets
from b2c_tui.tui.kit.tenant import B2C, EXTERNAL_ID, only_in, tenant_type
from b2c_tui.tui.panes.external_flows import ExternalFlowsPane
from tests.helpers.identity_panes import SIZE, Spy, explorer, open_pane
from tests.helpers.pilot import demo_connection


async def test_the_tenant_kind_is_read_once_per_tenant() -> None:
    connection = demo_connection(5)
    context = AppContext(connection)
    spy = Spy(connection.client.organization, "tenant_type")
    assert await tenant_type(context) == B2C
    assert await tenant_type(context) == B2C
    assert len(spy.calls) == 1
    assert await only_in(B2C, reason="no")(context) is None
    reason = await only_in(EXTERNAL_ID, reason="Not here: this is {tenant}.")(context)
    assert reason == "Not here: this is an Azure AD B2C tenant."


async def test_an_unreadable_organization_leaves_the_answer_to_graph() -> None:
    connection = demo_connection(5)

    async def refused() -> str:
        raise GraphError("Insufficient privileges to complete the operation.", status=403,
                         code="Authorization_RequestDenied")

    connection.client.organization.tenant_type = refused  # type: ignore[method-assign]
    context = AppContext(connection)
    assert await tenant_type(context) is None
    assert await only_in(EXTERNAL_ID, reason="never said")(context) is None


async def test_a_pane_whose_tenant_kind_is_unknown_asks_graph() -> None:
    app = explorer()  # a B2C tenant, but the explorer cannot tell

    async def unknown() -> str | None:
        return None

    app.context.client.organization.tenant_type = unknown  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        pane = await open_pane(pilot, app, "external-flows", "external-flows")
        assert isinstance(pane, ExternalFlowsPane)
        assert pane.table.row_count == 2  # the demo tenant answers the API


def test_write_only_properties_are_masked_at_any_depth() -> None:
    record = {"id": "B2C_1_x", "clientSecret": "plain", "nested": {
        "providers": [{"id": "Google-OAUTH", "clientSecret": "******"},
                      {"id": "EmailPassword-OAUTH", "clientSecret": None}]}}
    shown = json.loads(json_text(mask_secrets(record, frozenset({"clientSecret"}))))
    assert shown["clientSecret"] == WRITE_ONLY
    providers = shown["nested"]["providers"]
    assert providers[0]["clientSecret"] == WRITE_ONLY and providers[1]["clientSecret"] is None
    assert "plain" not in json_text(mask_secrets(record, frozenset({"clientSecret"})))
    assert mask_secrets(record, frozenset()) == record  # nothing named: as is
