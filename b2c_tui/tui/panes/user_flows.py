"""B2C user flows (``:flows``): the built-in ``B2C_1_`` policies, what they offer and collect.

A description over the kit. The list (beta, no ``$select``: the documented list takes only
``$expand``) shows type, version and languages; the detail view reads the flow with its
identity providers and attribute assignments expanded. Two lists inside a flow open from the
list or the detail view: ``p`` its identity providers (add from the tenant's, remove) and
``a`` the user attributes it collects (add, edit the label, input type, choices, optional and
verified; remove; ``shift+up``/``shift+down`` reorder, saved with ``setOrder``). Languages are
shown as the contract has them (customisation on or off, the default language); the contract
documents no language operations, so they are not edited here. Graph has no update of a flow's
type or version: a flow is created and deleted. In an Entra External ID tenant the pane says
that these flows do not exist there.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from ...frames.columns import Column
from ...frames.user_flows import USER_FLOW_COLUMNS
from ...graph.client import GraphClient
from ...graph.errors import ValidationError
from ...graph.paging import PageIterator
from ...graph.resources.b2c_user_flows import USER_INPUT_TYPES
from ...graph.validation import user_flow_name
from .. import kit
from ..kit.tenant import B2C, only_in
from ..safe_text import safe
from .flow_lists import (
    EVERY_ATTRIBUTE,
    attribute_choices,
    attribute_field,
    flow_id,
    not_in,
    provider_label,
    providers_sublist,
)

FLOW_TYPES = (("Sign up and sign in", "signUpOrSignIn"), ("Sign up", "signUp"),
              ("Sign in", "signIn"), ("Password reset", "passwordReset"),
              ("Profile editing", "profileUpdate"), ("Sign in with a password (ROPC)",
                                                      "resourceOwner"))
EXPAND = "userFlowIdentityProviders,userAttributeAssignments"
INPUTS = tuple((t, t) for t in USER_INPUT_TYPES)


def _list(client: GraphClient, select: Sequence[str], text: str) -> PageIterator:
    return client.b2c_user_flows.list()


# -- the choices of a choice input (userAttributeValues) as one line of text ---------------------
def format_choices(values: Any) -> str:
    """``[{"name": "Yes", "value": "true", "isDefault": true}, ...]`` -> ``Yes=true*; ...``."""
    if not isinstance(values, list):
        return ""
    out = []
    for item in values:
        if isinstance(item, Mapping):
            name, value = str(item.get("name", "")), str(item.get("value", ""))
            text = name if name == value else f"{name}={value}"
            out.append(text + ("*" if item.get("isDefault") else ""))
    return "; ".join(out)


def parse_choices(text: str) -> list[dict[str, Any]]:
    """``Yes=true*; No=false`` -> Graph's ``userAttributeValues`` (``*`` marks the default;
    a choice without ``=`` is its own value)."""
    out: list[dict[str, Any]] = []
    for part in (text or "").split(";"):
        part = part.strip()
        if not part:
            continue
        default = part.endswith("*")
        name, _, value = part.rstrip("*").partition("=")
        name, value = name.strip(), (value.strip() if _ else name.strip())
        if not name or not value:
            raise ValidationError(f"{part!r}: write each choice as label=value.",
                                  field="userAttributeValues")
        out.append({"name": name, "value": value, "isDefault": default})
    if sum(c["isDefault"] for c in out) > 1:
        raise ValidationError("Mark one default at most (with *).", field="userAttributeValues")
    return out


# -- the flow's identity providers and the attributes it collects -----------------------------
async def _provider_choices(client: GraphClient, flow: Mapping[str, Any],
                            items: Sequence[Mapping[str, Any]]) -> list[tuple[str, str]]:
    known = await client.identity_providers.list(version="beta").collect()
    # Local accounts are not a provider of a B2C flow (the methods policy says how they sign
    # in): built-in providers are not offered here.
    return not_in(items, [p for p in known
                          if "builtInIdentityProvider" not in str(p.get("@odata.type", ""))],
                  provider_label)


PROVIDERS = providers_sublist(lambda client: client.b2c_user_flows, _provider_choices,
                              remove_note="The provider stays in the tenant; this flow stops "
                                          "offering it.")


async def _assignments(client: GraphClient, flow: Mapping[str, Any]) -> list[dict[str, Any]]:
    return await client.b2c_user_flows.list_attribute_assignments(flow_id(flow)).collect()


async def _add_assignment(client: GraphClient, flow: Mapping[str, Any],
                          body: dict[str, Any]) -> Any:
    values = dict(body)
    attribute = values.pop("attribute")
    return await client.b2c_user_flows.add_attribute_assignment(
        flow_id(flow), {**values, "userAttribute": {"id": attribute}})


ASSIGNMENT_FIELDS = (
    kit.FieldSpec("displayName", "Label", required=True, max_length=256,
                  help="What the page shows beside the input."),
    kit.FieldSpec("userInputType", "Input type", "choice", choices=INPUTS),
    kit.FieldSpec("userAttributeValues", "Choices", check=parse_choices, show=format_choices,
                  placeholder="Yes=true*; No=false",
                  help="For radio, dropdown and checkbox inputs: label=value; * marks the "
                       "default."),
    kit.FieldSpec("isOptional", "Optional", "bool", placeholder="the user may leave it empty"),
    kit.FieldSpec("requiresVerification", "Verified", "bool",
                  placeholder="verify it by a code (email address only)"),
)
ASSIGNMENT_HINTS = (("userattributevalues", "userAttributeValues"),
                    ("input type", "userInputType"), ("emailbox", "userInputType"),
                    ("already assigned", "attribute"), ("attribute", "attribute"))

ATTRIBUTES = kit.SubList(
    name="attributes", key="a", title="User attributes", noun="user attribute",
    columns=(Column("displayName", "Label", width=22), Column("id", "Attribute", width=28),
             Column("userInputType", "Input", width=18),
             Column("isOptional", "Optional", kind="bool", width=8),
             Column("requiresVerification", "Verified", kind="bool", width=8),
             Column("userAttributeValues", "Choices", get=lambda r: format_choices(
                 r.get("userAttributeValues")), width=24)),
    load=_assignments,
    note="In the order the flow asks for them: shift+up / shift+down move one.",
    add=kit.SubAdd(kit.FormSpec("Collect a user attribute", (
        attribute_field("attribute"), *ASSIGNMENT_FIELDS), save_label="Add",
        hints=ASSIGNMENT_HINTS),
        send=_add_assignment, choices=attribute_choices, pick="attribute",
        none_left=EVERY_ATTRIBUTE),
    edit=kit.SubEdit(lambda item: kit.FormSpec(
        f"Edit {item.get('displayName') or item.get('id')} ({item.get('id')})",
        ASSIGNMENT_FIELDS, hints=ASSIGNMENT_HINTS),
                     send=lambda client, flow, key, patch:
                     client.b2c_user_flows.update_attribute_assignment(flow_id(flow), key, patch)),
    remove=kit.SubRemove(
        lambda client, flow, key: client.b2c_user_flows.remove_attribute_assignment(
            flow_id(flow), key), note="The flow stops asking for it; values stored on users "
                                      "stay."),
    reorder=lambda client, flow, keys: client.b2c_user_flows.set_attribute_order(
        flow_id(flow), keys),
)


# -- the flow ----------------------------------------------------------------------------------
def _check_version(value: Any) -> int:
    return int(value)


def _check_language(value: str) -> str:
    if value and not all(part.isalnum() and len(part) <= 8 for part in value.split("-")):
        raise ValidationError(f"{value!r} is not a language tag (en, de, pt-BR).",
                              field="defaultLanguageTag")
    return value


def _check_name(value: str) -> str:
    return user_flow_name(value)


CREATE_FIELDS = (
    kit.FieldSpec("id", "Name", required=True, check=_check_name, placeholder="SignUpSignIn",
                  help="Graph adds B2C_1_ in front: SignUpSignIn becomes B2C_1_SignUpSignIn."),
    kit.FieldSpec("userFlowType", "Type", "choice", choices=FLOW_TYPES),
    kit.FieldSpec("userFlowTypeVersion", "Version", "choice",
                  choices=(("3 (recommended)", "3"), ("1 (legacy)", "1")),
                  check=_check_version),
    kit.FieldSpec("isLanguageCustomizationEnabled", "Languages", "bool",
                  placeholder="customise the pages per language"),
    kit.FieldSpec("defaultLanguageTag", "Default language", check=_check_language,
                  placeholder="en", help="Used when the request names no ui_locales."),
)


def _listing(key: str) -> Callable[[Mapping[str, Any]], RenderableType]:
    """A section listing one expanded collection of the flow, one item a line."""

    def render(record: Mapping[str, Any]) -> RenderableType:
        items = record.get(key)
        if not isinstance(items, list) or not items:
            return Text("None.", style="dim")
        grid = Table.grid(padding=(0, 2))
        if key == "userAttributeAssignments":  # number, label, how it is asked (wraps)
            grid.add_column(no_wrap=True)
            grid.add_column(no_wrap=True, max_width=28)
            grid.add_column(ratio=1)
        for index, item in enumerate(items, 1):
            grid.add_row(*_row(key, index, item))
        return grid

    return render


def _row(kind: str, index: int, item: Mapping[str, Any]) -> tuple[Text, ...]:
    if kind == "userFlowIdentityProviders":
        return (Text(safe(item.get("displayName") or "")), Text(safe(item.get("id")), "dim"))
    how = [safe(item.get("userInputType")),
           "optional" if item.get("isOptional") else "required"]
    if item.get("requiresVerification"):
        how.append("verified")
    choices = format_choices(item.get("userAttributeValues"))
    if choices:
        how.append(choices)
    return (Text(f"{index}."), Text(safe(item.get("displayName") or ""), no_wrap=True,
                                    overflow="ellipsis"),
            Text(" · ".join(how)))


FLOWS = kit.PaneSpec(
    noun="user flow",
    columns=USER_FLOW_COLUMNS,
    list=_list,
    filter=kit.Filter(note="Graph cannot filter user flows: / filters the rows loaded (a tenant "
                           "has a few)."),
    get=lambda client, key: client.b2c_user_flows.get(key, expand=EXPAND),
    name_of=flow_id,
    sections=(
        kit.Section("User flow", kit.fields_table((
            ("Id", "id"), ("Type", "userFlowType"), ("Version", "userFlowTypeVersion"),
            ("Language customisation", "isLanguageCustomizationEnabled"),
            ("Default language", "defaultLanguageTag")))),
        kit.Section("Identity providers (p)", _listing("userFlowIdentityProviders")),
        kit.Section("User attributes, in order (a)", _listing("userAttributeAssignments")),
    ),
    create=kit.Create(kit.FormSpec(
        "New user flow", CREATE_FIELDS, save_label="Create",
        subtitle="Identity providers and attributes are added to it after.",
        hints=(("usertype", "userFlowType"), ("version", "userFlowTypeVersion"),
               ("already exists", "id"), ("name", "id"))),
        send=lambda client, body: client.b2c_user_flows.create(body)),
    delete=kit.Delete(lambda client, key: client.b2c_user_flows.delete(key),
                      note="Applications that start this flow can no longer sign users in with "
                           "it."),
    applies=only_in(B2C, reason="B2C user flows (B2C_1_…) exist only in Azure AD B2C tenants, "
                                "and this is {tenant}. Entra External ID tenants have their "
                                "sign-up flows under External ID flows (:external-flows)."),
    sublists=(PROVIDERS, ATTRIBUTES),
    secrets=frozenset({"clientSecret"}),
    object_kind="b2cIdentityUserFlow",
    collection_path="/identity/b2cUserFlows",
)


class UserFlowsPane(kit.KitPane):
    """B2C user flows, their identity providers and the attributes they collect."""

    spec: ClassVar[kit.PaneSpec] = FLOWS
    binding_prefix: ClassVar[str] = "flows"
