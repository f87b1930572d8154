"""The users pane: the tenant's users, find-user, the detail view and the user workflows.

:mod:`.pane` describes the view over the kit and wires its keys; :mod:`.flows` runs the write
workflows (create, edit, password, delete, bulk delete); :mod:`.detail` is the user's detail
view (overview, identities, extension attributes, raw JSON).
"""

from __future__ import annotations

from .pane import UsersPane

__all__ = ["UsersPane"]
