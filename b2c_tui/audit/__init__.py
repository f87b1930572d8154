"""The local audit archive: ``directoryAudits`` kept beyond the tenant's seven days.

An incremental, idempotent, resumable pull (:func:`pull`) writes Parquet files per tenant and
UTC day under the user's data folder; :class:`AuditArchive` answers the audit pane's filters
locally (pyarrow compute) and :func:`merge_views` joins the tenant's and the archive's entries,
each once. No Textual here.
"""

from __future__ import annotations

from .archive import ArchiveResult, AuditArchive, merge_views
from .pull import PullProgress, PullResult, audit_budget, pull
from .query import AuditFilter
from .schema import SCHEMA, VIEW_COLUMNS, flatten, to_table
from .store import SkippedFile

__all__ = [
    "SCHEMA", "VIEW_COLUMNS", "ArchiveResult", "AuditArchive", "AuditFilter", "PullProgress",
    "PullResult", "SkippedFile", "audit_budget", "flatten", "merge_views", "pull", "to_table",
]
