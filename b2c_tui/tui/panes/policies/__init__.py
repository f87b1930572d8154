"""The custom policies pane (``:policies``): the IEF workbench in the terminal.

Modules, by role: :mod:`.pane` (the description and its keys), :mod:`.state` (the tenant's
policies loaded, indexed and checked off the event loop; the tree rows), :mod:`.resolver` (go to
definition and find uses over the domain's index), :mod:`.sources` and :mod:`.viewer` (the XML
viewer screen), :mod:`.reads` (diff, lint) and :mod:`.writes` (upload with its dry run,
backups and restore, delete, download) with their screens (:mod:`.diff_screen`,
:mod:`.lint_screen`, :mod:`.upload_screen`, :mod:`.backups_screen`) and dialogs
(:mod:`.forms`).
"""

from __future__ import annotations

from .pane import PoliciesPane

__all__ = ["PoliciesPane"]
