"""Identity providers (``:idps``): social, Apple, OpenID Connect and built-in sign-in options.

A description over the kit. The list is read from beta, where a B2C tenant shows every kind
(its OpenID Connect providers exist only there, and v1.0 leaves built-in ones out); it is a
few rows, so ``/`` filters what is loaded. ``n`` first offers the types Graph says this tenant
can add (``availableProviderTypes``), then that type's form. Client secrets and Apple keys are
write-only: never in the list, masked in the detail view, and the edit form leaves them empty
(typing one sets a new secret; leaving it empty keeps the old). Built-in providers cannot be
changed or deleted, and the pane says so on them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, ClassVar

from rich.console import Group, RenderableType
from rich.text import Text

from ...frames.columns import Column
from ...frames.identity_providers import IDENTITY_PROVIDER_COLUMNS
from ...graph.client import GraphClient
from ...graph.errors import ValidationError
from ...graph.paging import PageIterator
from ...graph.validation import IDENTITY_PROVIDER_TYPES
from .. import kit
from ..safe_text import safe

VERSION = "beta"  # where B2C keeps its OpenID Connect providers
SOCIAL, APPLE, OIDC, BUILT_IN = ("socialIdentityProvider", "appleManagedIdentityProvider",
                                  "openIdConnectIdentityProvider", "builtInIdentityProvider")
KINDS = {SOCIAL: "Social", APPLE: "Apple", OIDC: "OpenID Connect", BUILT_IN: "Built-in"}
SECRETS = frozenset({"clientSecret", "certificateData"})
BUILT_IN_NOTE = "Built-in: Graph does not change or delete built-in identity providers."
SECRET_HELP = "Write-only: never shown, not even after it is saved."
#: The edit form's help for a secret (the create form's says it is write-only).
KEEP_HELP = "Write-only: never shown. Left empty, the current one is kept."


def kind_of(record: Mapping[str, Any]) -> str:
    """``socialIdentityProvider``... from the record's ``@odata.type``."""
    return str(record.get("@odata.type") or "").lstrip("#").removeprefix("microsoft.graph.")


def _list(client: GraphClient, select: Sequence[str], text: str) -> PageIterator:
    # No $select: the collection is polymorphic (clientId is not on every type) and small.
    return client.identity_providers.list(version=VERSION)


async def _available(client: GraphClient) -> list[tuple[str, str]]:
    types = await client.identity_providers.available_provider_types()
    labels = {APPLE: "Apple", OIDC: "OpenID Connect (any OIDC provider)"}
    out = []
    for name in types:
        kind = IDENTITY_PROVIDER_TYPES.get(name, "").rsplit(".", 1)[-1]
        if kind:  # a type this tenant offers that the explorer cannot create is left out
            out.append((labels.get(kind, name), name))
    return out


def _read_key_file(path: str) -> str:
    if not path:
        return path
    file = Path(path).expanduser()
    try:
        text = file.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError(f"Cannot read {file}: {exc.__class__.__name__}.",
                              field="certificateData") from exc
    if "PRIVATE KEY" not in text:
        raise ValidationError(f"{file} is not a .p8 private key (no PRIVATE KEY block).",
                              field="certificateData")
    return text


def _scope(value: str) -> str:
    if value and "openid" not in value.split():
        raise ValidationError("The scope must contain openid.", field="scope")
    return value


def _https(value: str) -> str:
    if value and not (value.startswith("https://")
                      and value.rstrip("/").endswith(".well-known/openid-configuration")):
        raise ValidationError("Use the https URL ending in .well-known/openid-configuration.",
                              field="metadataUrl")
    return value


NAME = kit.FieldSpec("displayName", "Name", required=True, max_length=256,
                     help="What the sign-in page's button says.")
CLIENT_ID = kit.FieldSpec("clientId", "Client id", required=True,
                          help="The app's id at the provider.")
SECRET = kit.FieldSpec("clientSecret", "Client secret", "password", required=True,
                       write_only=True, help=SECRET_HELP)
CLAIMS = (("userId", "User id claim", "sub", True), ("displayName", "Name claim", "name", True),
          ("givenName", "Given name claim", "given_name", False),
          ("surname", "Surname claim", "family_name", False),
          ("email", "Email claim", "email", False))
FORMS: dict[str, tuple[kit.FieldSpec, ...]] = {
    SOCIAL: (NAME, CLIENT_ID, SECRET),
    APPLE: (NAME,
            kit.FieldSpec("developerId", "Developer id", required=True, help="Apple team id."),
            kit.FieldSpec("serviceId", "Service id", required=True),
            kit.FieldSpec("keyId", "Key id", required=True),
            kit.FieldSpec("certificateData", "Private key (.p8 file)", required=True,
                          write_only=True, check=_read_key_file, placeholder="~/AuthKey_ABC123.p8",
                          help="The file is read when you save; the key is never shown.")),
    OIDC: (NAME, CLIENT_ID,
           kit.FieldSpec("clientSecret", "Client secret", "password", write_only=True,
                         help="Needed for the code response type. " + SECRET_HELP),
           kit.FieldSpec("metadataUrl", "Metadata URL", required=True, check=_https,
                         patchable=False,
                         placeholder="https://login.example.com/.well-known/openid-configuration"),
           kit.FieldSpec("scope", "Scope", required=True, check=_scope,
                         placeholder="openid profile"),
           kit.FieldSpec("responseType", "Response type", "choice",
                         choices=(("code", "code"), ("id_token", "id_token"))),
           kit.FieldSpec("responseMode", "Response mode", "choice",
                         choices=(("form_post", "form_post"), ("query", "query"))),
           kit.FieldSpec("domainHint", "Domain hint", help="Skips the provider choice page."),
           *(kit.FieldSpec(f"claim_{name}", label, required=required, placeholder=example)
             for name, label, example, required in CLAIMS)),
}
HINTS = (("clientsecret", "clientSecret"), ("secret", "clientSecret"),
         ("clientid", "clientId"), ("metadataurl", "metadataUrl"), ("scope", "scope"),
         ("developerid", "developerId"), ("serviceid", "serviceId"), ("keyid", "keyId"),
         ("certificatedata", "certificateData"), ("claimsmapping", "claim_userId"),
         ("already exists", "displayName"), ("displayname", "displayName"))


def _body(kind: str, values: dict[str, Any]) -> dict[str, Any]:
    """The fields typed, as Graph wants them (OIDC claims folded into ``claimsMapping``)."""
    claims = {name: values.pop(f"claim_{name}") for name, *_ in CLAIMS
              if values.get(f"claim_{name}") not in (None, "")}
    for name, *_ in CLAIMS:
        values.pop(f"claim_{name}", None)
    if claims:
        values["claimsMapping"] = claims
    return {"@odata.type": f"#microsoft.graph.{kind}", **values}


def _form_for_type(provider_type: str) -> kit.FormSpec:
    kind = IDENTITY_PROVIDER_TYPES[provider_type].rsplit(".", 1)[-1]
    name = provider_type if kind == SOCIAL else KINDS[kind]
    return kit.FormSpec(f"New {name} identity provider", FORMS[kind], save_label="Create",
                        subtitle="Graph names it (Google-OAUTH, Apple-Managed-OIDC…).", hints=HINTS)


async def _create(client: GraphClient, body: dict[str, Any]) -> dict[str, Any]:
    provider_type = body.pop("providerType")
    kind = IDENTITY_PROVIDER_TYPES[provider_type].rsplit(".", 1)[-1]
    if kind == SOCIAL:
        body["identityProviderType"] = provider_type
    return await client.identity_providers.create(_body(kind, body), version=VERSION)


def _edit_form(record: Mapping[str, Any]) -> kit.FormSpec:
    kind = kind_of(record)
    title = f"Edit {record.get('displayName') or record.get('id')} " \
            f"({KINDS.get(kind, kind).lower()} identity provider)"
    fields = tuple(replace(f, help=KEEP_HELP if f.check is None else
                           f"{f.help} Left empty, the current one is kept.")
                   if f.write_only else f for f in FORMS.get(kind, (NAME,)))
    return kit.FormSpec(title, fields, hints=HINTS,
                        subtitle="Secrets are never shown: type one only to replace it.")


def _editable(record: Mapping[str, Any]) -> dict[str, Any]:
    """The record as the edit form reads it (OIDC claims as fields of their own)."""
    claims = record.get("claimsMapping")
    if not isinstance(claims, Mapping):
        return dict(record)
    return {**record, **{f"claim_{k}": v for k, v in claims.items()}}


def _complete(record: Mapping[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """Graph wants the derived type beside the changes, and the claims as a whole mapping."""
    values = dict(patch)
    if any(k.startswith("claim_") for k in values):
        for name, *_ in CLAIMS:
            values.setdefault(f"claim_{name}", record.get(f"claim_{name}"))
    return _body(kind_of(record), values)


def _built_in(record: Mapping[str, Any]) -> str | None:
    return BUILT_IN_NOTE if kind_of(record) == BUILT_IN else None


def _settings(record: Mapping[str, Any]) -> RenderableType:
    """What this kind of provider holds; secrets only as "set, never shown"."""
    kind = kind_of(record)
    rows: list[tuple[str, str]] = {
        SOCIAL: [("Client id", "clientId")],
        APPLE: [("Developer id", "developerId"), ("Service id", "serviceId"),
                ("Key id", "keyId")],
        OIDC: [("Client id", "clientId"), ("Metadata URL", "metadataUrl"), ("Scope", "scope"),
               ("Response type", "responseType"), ("Response mode", "responseMode"),
               ("Domain hint", "domainHint")],
        BUILT_IN: [("State", "state")],
    }.get(kind, [])
    parts: list[RenderableType] = [kit.fields_table(rows)(record)]
    for name in sorted(SECRETS):
        if name in record:
            label = "Client secret" if name == "clientSecret" else "Apple private key"
            parts.append(Text.assemble((f"{label}  ", "bold"),
                                       ("set, write-only: never shown (E sets a new one)",
                                        "italic")))
    claims = record.get("claimsMapping")
    if isinstance(claims, Mapping):
        parts.append(Text("Claims mapping", style="bold"))
        parts.append(Text("  ".join(f"{safe(k)} ← {kit.show_value(v).plain}"
                                    for k, v in claims.items() if not k.startswith("@"))))
    return Group(*parts)


#: The frames' columns, the kind in words (``Social``, not ``socialIdentityProvider``).
KIND_COLUMN = Column("kind", "Kind", select=("@odata.type",),
                     get=lambda r: KINDS.get(kind_of(r), kind_of(r)), width=15)
IDPS = kit.PaneSpec(
    noun="identity provider",
    columns=tuple(KIND_COLUMN if c.key == "kind" else c for c in IDENTITY_PROVIDER_COLUMNS),
    list=_list,
    filter=kit.Filter(note="Graph cannot filter identity providers: / filters the rows loaded "
                           "(a tenant has a handful)."),
    get=lambda client, key: client.identity_providers.get(key, version=VERSION),
    sections=(
        kit.Section("Identity provider", lambda r: kit.fields_table((
            ("Name", "displayName"), ("Id", "id"), ("Type", "identityProviderType"),
            ("Kind", "kindName")))({**r, "kindName": KINDS.get(kind_of(r), kind_of(r))})),
        kit.Section("Settings", _settings),
    ),
    create=kit.Create(kit.FormSpec("New identity provider", (NAME,)), send=_create,
                      pick=kit.Pick("New identity provider", "Provider type", _available,
                                    _form_for_type, field="providerType",
                                    help="The types Graph says this tenant can add.")),
    edit=kit.Edit(kit.FormSpec("Edit identity provider", (NAME,), hints=HINTS), form_of=_edit_form,
                  complete=_complete, refuse=_built_in,
                  send=lambda client, key, patch: client.identity_providers.update(
                  key, patch, version=VERSION)),
    delete=kit.Delete(lambda client, key: client.identity_providers.delete(key, version=VERSION),
                      note="User flows that offer it stop offering it; users who signed in with "
                           "it can no longer do so.", refuse=_built_in),
    secrets=SECRETS,
    object_kind="identityProvider",
    collection_path="/identity/identityProviders",
    # No cells edited in place (``patchable``): Graph wants each PATCH to carry the provider's
    # derived @odata.type, which only the edit form (Edit.complete) adds.
)


class IdentityProvidersPane(kit.KitPane):
    """Social, Apple, OpenID Connect and built-in identity providers."""

    spec: ClassVar[kit.PaneSpec] = IDPS
    binding_prefix: ClassVar[str] = "idps"

    def edit(self, record: Mapping[str, Any], detail: Any = None) -> None:
        # The form reads an OpenID Connect provider's claims as fields of their own.
        super().edit(_editable(record), detail)
