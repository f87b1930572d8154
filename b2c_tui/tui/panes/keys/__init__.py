"""The policy keys pane (``:keys``): keysets, their keys and key health.

Modules: :mod:`.pane` (the description and its keys), :mod:`.rows` (rows from the domain's key
report, public members only), :mod:`.flows` (new keyset, add key, rotation, delete, health),
:mod:`.forms` (the key and rotation dialogs), :mod:`.health` (the health screen).
"""

from __future__ import annotations

from .pane import KeysPane

__all__ = ["KeysPane"]
