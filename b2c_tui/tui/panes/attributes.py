"""User-flow attributes (``:attributes``): built-in and custom, with their data types.

A description over the kit: Graph creates custom attributes (the id becomes
``extension_<app>_<name>``), changes only their description, and deletes only custom ones;
built-in ones are read-only, and the pane says so when the cursor is on one. The users pane's
extension columns follow: a create or delete forgets the tenant's cached custom attributes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from ...frames.columns import Column
from ...graph.client import GraphClient
from ...graph.paging import PageIterator
from ...graph.resources.user_flow_attributes import PATH as ATTRIBUTES_PATH
from ...graph.resources.user_flow_attributes import check_attribute_body
from ...graph.validation import ATTRIBUTE_DATA_TYPES
from .. import kit

BUILT_IN = "Built-in: only custom attributes can be changed or deleted."
DESCRIPTION_MAX = 256


def _list(client: GraphClient, select: Sequence[str], text: str) -> PageIterator:
    return client.user_flow_attributes.list(select=select)


def _built_in(record: Mapping[str, Any]) -> str | None:
    return BUILT_IN if record.get("userFlowAttributeType") != "custom" else None


def _check_name(name: str) -> str:
    check_attribute_body({"displayName": name, "dataType": "string"})  # the name's rules
    return name


FIELDS = (
    kit.FieldSpec("displayName", "Name", required=True, patchable=False, check=_check_name,
                  placeholder="loyaltyNumber",
                  help="Letters, digits and _; the id becomes extension_<app>_<name>."),
    kit.FieldSpec("dataType", "Data type", "choice", patchable=False,
                  choices=tuple((t, t) for t in ATTRIBUTE_DATA_TYPES),
                  help="Fixed once created."),
    kit.FieldSpec("description", "Description", max_length=DESCRIPTION_MAX,
                  help="Shown to admins; the only thing Graph lets you change later."),
)
HINTS = (("displayname", "displayName"), ("name", "displayName"), ("datatype", "dataType"),
         ("description", "description"), ("already exists", "displayName"))

ATTRIBUTES = kit.PaneSpec(
    noun="attribute",
    columns=(
        Column("displayName", "Name", width=28),
        Column("userFlowAttributeType", "Kind", width=8),
        Column("dataType", "Data type", width=16),
        Column("description", "Description", width=40),
        Column("id", "Id", width=40),
    ),
    list=_list,
    filter=kit.Filter(note="Graph filters attributes by exact values only: / filters the rows "
                           "loaded (a tenant has a few dozen)."),
    get=lambda client, key: client.user_flow_attributes.get(key),
    sections=(kit.Section("Attribute", kit.fields_table((
        ("Name", "displayName"), ("Id", "id"), ("Kind", "userFlowAttributeType"),
        ("Data type", "dataType"), ("Description", "description")))),),
    create=kit.Create(kit.FormSpec("New custom attribute", FIELDS, save_label="Create",
                                   subtitle="Collected by user flows and stored on users.",
                                   hints=HINTS),
                      send=lambda client, body: client.user_flow_attributes.create(body)),
    edit=kit.Edit(kit.FormSpec("Edit attribute", FIELDS, hints=HINTS),
                  send=lambda client, key, patch: client.user_flow_attributes.update(key, patch),
                  refuse=_built_in),
    delete=kit.Delete(lambda client, key: client.user_flow_attributes.delete(key),
                      note="User flows stop collecting it; values stored on users are no longer "
                           "shown under this name.", refuse=_built_in),
    patchable=frozenset({"description"}),
    object_kind="userFlowAttribute",
    collection_path=ATTRIBUTES_PATH,
)


class AttributesPane(kit.KitPane):
    """Built-in and custom user-flow attributes."""

    spec: ClassVar[kit.PaneSpec] = ATTRIBUTES
    binding_prefix: ClassVar[str] = "attributes"

    def after_write(self) -> None:
        # The users pane's extension columns and forms follow the tenant's custom attributes.
        self.context.extensions = None
