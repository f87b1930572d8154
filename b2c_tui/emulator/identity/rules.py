"""What every identity service does alike: check a create or update body (400
``BadRequest``) and record a change in the tenant's audit log."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from ..directory.audit_log import target
from ..http import GraphError
from ..odata import IDENTITY
from .state import CIDict, IdentityState

if TYPE_CHECKING:
    from ..store import Store

log = logging.getLogger(__name__)
bad = IDENTITY.bad_request
#: B2C's audit categories for changes to its resources (policies, user flows, identity
#: providers, attributes) and to its keys (the "Key" and "Resource" activity types).
RESOURCE = "Resource"
KEY = "Key"
V = TypeVar("V")


def require(body: dict[str, Any], names: Iterable[str], type_name: str) -> None:
    """400 when any of ``names`` is missing or empty in ``body``."""
    missing = [name for name in names if body.get(name) in (None, "")]
    if missing:
        raise bad(
            f"The following required properties are missing for '{type_name}': "
            + ", ".join(missing)
            + "."
        )


def refuse_unknown(body: dict[str, Any], allowed: Iterable[str], type_name: str) -> None:
    """400 for properties that the type does not have (OData annotations are ignored)."""
    known = {name.lower() for name in allowed}
    for name in body:
        if "@" in name:
            continue
        if name.lower() not in known:
            raise bad(f"Property '{name}' does not exist on type '{type_name}' or is not writable.")


def without_annotations(body: dict[str, Any]) -> dict[str, Any]:
    """``body`` without its OData annotations (``@odata.type``, ``x@odata.bind``...)."""
    return {k: v for k, v in body.items() if "@" not in k}


def audit(
    store: Store,
    activity: str,
    category: str,
    obj_id: str,
    name: str | None,
    type_: str,
    *,
    modified: dict[str, tuple[Any, Any]] | None = None,
    service: str = "B2C",
) -> None:
    """Record a successful change in the tenant's audit log."""
    store.audit(
        activity, category, target(obj_id, name, type_, modified=modified), service=service
    )
    log.debug("audited %s on %s %s", activity, type_, obj_id)


def add_new(items: CIDict[V], key: str, value: V, conflict: str) -> V:
    """Add ``value`` under ``key``; 409 ``Conflict`` saying ``conflict`` when it is taken."""
    if key in items:
        raise GraphError(409, "Conflict", conflict)
    items.set(key, value)
    return value


def known_providers(state: IdentityState, items: Any) -> list[str]:
    """The stored ids of the identity providers ``[{"id": ...}, ...]`` names; 400 for one
    the tenant has not configured."""
    out: list[str] = []
    for item in items or []:
        pid = item.get("id") if isinstance(item, dict) else None
        known = state.identity_providers.canonical(str(pid)) if pid else None
        if known is None:
            raise bad(f"Identity provider '{pid}' is not configured in this tenant.")
        out.append(known)
    return out
