"""What the two flow panes share: a flow's identity providers, and the attributes to collect.

B2C user flows (:mod:`.user_flows`) and External ID flows (:mod:`.external_flows`) offer the
tenant's identity providers and collect its user-flow attributes in the same way, through two
Graph families with the same operations. This module is not a pane (panes never import each
other): it holds the sub-list and the choices both describe.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from typing import Any, Protocol

from ...frames.columns import Column
from ...graph.client import GraphClient
from ...graph.paging import PageIterator
from .. import kit

Record = Mapping[str, Any]
#: ``(client, flow, its items) -> (label, id)`` of what may be added
Choices = Callable[[GraphClient, Record, Sequence[Record]], Awaitable[list[tuple[str, str]]]]
#: what ``n`` says when the flow collects every attribute already
EVERY_ATTRIBUTE = "The flow collects every user-flow attribute of the tenant already."


class FlowProviders(Protocol):
    """A Graph family's operations on a flow's identity providers."""

    def list_identity_providers(self, flow_id: str) -> PageIterator: ...

    def add_identity_provider(self, flow_id: str, provider_id: str) -> Awaitable[None]: ...

    def remove_identity_provider(self, flow_id: str, provider_id: str) -> Awaitable[None]: ...


def flow_id(record: Record) -> str:
    """The flow's id, as requests name it."""
    return str(record.get("id") or "")


def not_in(items: Sequence[Record], known: Iterable[Record],
           label: Callable[[Record], str]) -> list[tuple[str, str]]:
    """The ``known`` objects that are not among ``items`` (by id, in any case), as choices
    ``(label, id)``."""
    taken = {str(i.get("id", "")).lower() for i in items}
    return [(label(k), str(k["id"])) for k in known if str(k.get("id", "")).lower() not in taken]


def provider_label(provider: Record) -> str:
    """``Contoso Google (Google-OAUTH)``."""
    return f"{provider.get('displayName') or provider['id']} ({provider['id']})"


async def attribute_choices(client: GraphClient, flow: Record,
                            items: Sequence[Record]) -> list[tuple[str, str]]:
    """The tenant's user-flow attributes the flow does not collect yet, with their types."""
    known = await client.user_flow_attributes.list().collect()
    return not_in(items, known,
                  lambda a: f"{a.get('displayName') or a['id']} ({a.get('dataType', '?')})")


def attribute_field(name: str) -> kit.FieldSpec:
    """The form field that picks the attribute to collect (from :func:`attribute_choices`)."""
    return kit.FieldSpec(name, "Attribute", "choice", required=True,
                         help="User-flow attributes this flow does not collect yet.")


def providers_sublist(family: Callable[[GraphClient], FlowProviders], choices: Choices, *,
                      remove_note: str, note: str = "") -> kit.SubList:
    """``p``: the identity providers a flow offers (``family`` is the client's flows);
    ``n`` adds one of ``choices``, ``d`` removes one (the provider stays in the tenant)."""
    return kit.SubList(
        name="providers", key="p", title="Identity providers", noun="identity provider",
        columns=(Column("displayName", "Name", width=26),
                 Column("identityProviderType", "Type", width=16), Column("id", "Id", width=36)),
        load=lambda client, flow: family(client).list_identity_providers(flow_id(flow)).collect(),
        note=note,
        add=kit.SubAdd(kit.FormSpec("Offer an identity provider", (
            kit.FieldSpec("id", "Identity provider", "choice", required=True,
                          help="The tenant's providers this flow does not offer yet."),),
            save_label="Add", hints=(("", "id"),)),
            send=lambda client, flow, body: family(client).add_identity_provider(
                flow_id(flow), body["id"]),
            choices=choices,
            none_left="The flow offers every identity provider of the tenant already."),
        remove=kit.SubRemove(lambda client, flow, key: family(client).remove_identity_provider(
            flow_id(flow), key), note=remove_note),
    )
