"""What the policies pane's workflows share: the tenant as policies name it, the backup journal,
running work in the pane's workers, and saying how it went in one line.

Every workflow opens a dialog or a screen with plain values, runs the Graph work and the
parsing in a worker of the pane (never in a key handler), and reports back to that dialog or
screen. The domain (:mod:`b2c_tui.policies`) does the work itself: dry runs, backups first,
uploads in order, restores, deletes.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, ClassVar

from ....graph.errors import B2CTuiError
from ....policies.backups import BackupJournal
from ....policies.settings import PolicySettings, load_settings, settings_path
from ....policies.tenant import TenantContext, tenant_context
from ...kit.workflows import PaneWorkflows
from ...safe_text import safe

if TYPE_CHECKING:
    from .pane import PoliciesPane
    from .state import TenantPolicies

log = logging.getLogger(__name__)

#: worker groups: reads are cancelled when the pane is left, writes always finish and report
READ_GROUP = "policies-read"
WRITE_GROUP = "policies-write"


def say_error(exc: BaseException) -> str:
    """One line for an error: the domain's and Graph's messages as they are (they name the
    file or the policy), anything unexpected by its type only (and logged)."""
    if isinstance(exc, B2CTuiError):
        return safe(str(exc))
    log.error("policies workflow failed: %s", type(exc).__name__, exc_info=exc)
    return f"Unexpected error ({type(exc).__name__}); see the log file."


class Flows(PaneWorkflows):
    """The base of the pane's workflow helpers (one instance per pane)."""

    pane: PoliciesPane
    read_group: ClassVar[str] = READ_GROUP
    write_group: ClassVar[str] = WRITE_GROUP

    @property
    def state(self) -> TenantPolicies | None:
        return self.pane.state

    @property
    def read_only(self) -> bool:
        return self.pane.context.read_only

    @property
    def profile(self) -> str | None:
        return self.pane.context.connection.profile_name

    def settings_hint(self) -> str:
        """Where the profile's settings file is (the dialogs' placeholder)."""
        return str(settings_path(self.profile))

    def settings(self, path: object | None) -> PolicySettings:
        """The settings file given, or the profile's (file reads: call it in a worker)."""
        return load_settings(path if path is None else str(path), profile=self.profile)

    async def tenant(self) -> TenantContext:
        """The tenant's names and ids (already read with the policies, usually)."""
        if self.state is not None:
            return self.state.context
        return await tenant_context(self.client, self.pane.context.tenant)

    def journal(self, context: TenantContext) -> BackupJournal:
        """This tenant's policy backups (per tenant, under the data folder)."""
        return BackupJournal(context.domain, profile=self.profile)
