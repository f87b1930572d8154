"""Applications (``:apps``): app registrations with their service principals, redirect URIs,
audience, secrets and certificates (expiring ones marked), and the permissions granted.

A description over the kit (:mod:`.listing` for the list and its ``$batch`` join, :mod:`.detail`
for the detail view, :mod:`.create` for registering an app as B2C needs it); what is specific
here is the client secrets (:mod:`.secrets`): ``a`` adds one and shows its value once, ``X``
removes one. The b2c-extensions-app cannot be deleted from here: B2C keeps users' custom
attributes on it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from ....frames.columns import Column
from ... import kit
from ...kit.detail import DetailScreen
from ...kit.spec import JOINED
from .create import CREATE
from .detail import RESOURCES, sections
from .listing import FILTER_NOTE, GRANTS, columns, join_principals, list_apps
from .secrets import SecretFlows

EXTENSIONS_APP = "b2c-extensions-app"
KEEP_EXTENSIONS = "The b2c-extensions-app holds users' custom attributes: not deleted here."
DELETE_NOTE = ("It moves to Deleted items with its service principal (restorable for 30 days); "
               "its secrets stop working at once.")


def _extensions_app(record: Mapping[str, Any]) -> str | None:
    name = str(record.get("displayName") or "")
    return KEEP_EXTENSIONS if name.startswith(EXTENSIONS_APP) else None


APPLICATIONS = kit.PaneSpec(
    noun="application",
    columns=(),  # made per listing by ApplicationsPane.columns (marks depend on the time)
    list=list_apps,
    filter=kit.Filter(server=True, note=FILTER_NOTE),
    join=join_principals,
    create=CREATE,
    delete=kit.Delete(lambda client, key: client.applications.delete(key), note=DELETE_NOTE,
                      refuse=_extensions_app),
    actions=(
        kit.Operation("add_secret", "a", "Add secret", write=True, needs_row=True, in_detail=True),
        kit.Operation("remove_secret", "X", "Remove secret", write=True, needs_row=True,
                      in_detail=True),
    ),
)


class ApplicationsPane(kit.KitPane):
    """App registrations, a ``$batch``-joined page at a time."""

    spec: ClassVar[kit.PaneSpec] = APPLICATIONS
    binding_prefix: ClassVar[str] = "applications"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.secrets = SecretFlows(self)
        #: what the listing joined to each app, kept across refreshes for the detail view
        self.joined: dict[str, dict[str, Any]] = {}
        super().__init__(*args, **kwargs)

    def columns(self) -> Sequence[Column]:
        return columns(self.context.now())

    def sections(self) -> Sequence[kit.Section]:
        return sections(self.context.now())

    def page_loaded(self, items: list[dict[str, Any]]) -> None:
        super().page_loaded(items)
        for item in items:
            self.joined[str(item.get("id"))] = {k: v for k, v in item.items()
                                                if k.startswith(JOINED)}

    async def fetch_record(self, key: str) -> dict[str, Any]:
        """The app as Graph has it now, with what the listing joined and the names of the
        APIs its grants are on (one ``$batch``)."""
        apps = self.context.client.applications
        record = await apps.get(key)
        record.update(self.joined.get(key, {}))
        resources = sorted({str(g.get("resourceId")) for g in record.get(GRANTS) or ()})
        if resources:
            found = await apps.service_principals_of(resources, select=["id", "displayName"],
                                                     by="id")
            record[RESOURCES] = {r: str(sp.get("displayName")) for r, sp in
                                 zip(resources, found, strict=True) if sp}
        return record

    def changed(self, key: str) -> None:
        """A secret was added or removed: the list and an open detail view show it."""
        self.reload_at(key)
        for screen in self.app.screen_stack:
            if isinstance(screen, DetailScreen) and screen.object_id == key:
                self.load_detail(screen)

    def _target(self) -> Mapping[str, Any] | None:
        screen = self.app.screen
        if isinstance(screen, DetailScreen) and screen.record is not None:
            return screen.record
        return self.current_record()

    def action_add_secret(self) -> None:
        record = self._target()
        if record is not None and not self.context.read_only:
            self.secrets.add(record)

    def action_remove_secret(self) -> None:
        record = self._target()
        if record is not None and not self.context.read_only:
            self.secrets.remove(record)
