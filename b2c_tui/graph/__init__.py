"""The Microsoft Graph client for B2C and External ID tenants (no Textual, no pandas)."""

from __future__ import annotations

from typing import TYPE_CHECKING

# First: keeps httpx's command-line client from loading with httpx (see the module).
from . import _httpx_cli  # noqa: F401
from .batch import BatchRequest, BatchResult
from .core import GraphCore, GraphResponse
from .errors import (
    AuthError,
    GraphError,
    NetworkError,
    NotFoundError,
    OutcomeUnknownError,
    ReadOnlyError,
    ThrottledError,
    UnsupportedQueryError,
    UntrustedHostError,
    ValidationError,
)
from .paging import Page, PageIterator
from .retry import RetryEvent, RetryPolicy

if TYPE_CHECKING:
    from .client import GraphClient


def __getattr__(name: str) -> object:
    # The client pulls in every resource family; load it on first use.
    if name == "GraphClient":
        from .client import GraphClient

        return GraphClient
    raise AttributeError(name)


__all__ = [
    "AuthError",
    "BatchRequest",
    "BatchResult",
    "GraphClient",
    "GraphCore",
    "GraphError",
    "GraphResponse",
    "NetworkError",
    "NotFoundError",
    "OutcomeUnknownError",
    "Page",
    "PageIterator",
    "ReadOnlyError",
    "RetryEvent",
    "RetryPolicy",
    "ThrottledError",
    "UnsupportedQueryError",
    "UntrustedHostError",
    "ValidationError",
]
