"""Small helpers the resource families share for shaping what Graph sends back."""

from __future__ import annotations

from typing import Any


def entity(body: Any) -> dict[str, Any]:
    """The record of a single-entity answer, as a dict.

    Graph puts a single entity at the top level; a few documented samples (email method, software
    OATH method, authenticationEventsFlow) wrap it as ``{"value": {...}}``. Such a wrapper (a
    ``value`` object and nothing else but ``@odata.*`` annotations) is unwrapped, so callers get
    the record either way. Anything that is not an object becomes ``{}``.
    """
    if not isinstance(body, dict):
        return {}
    inner = body.get("value")
    if isinstance(inner, dict) and all(k == "value" or k.startswith("@odata.") for k in body):
        return inner
    return body


def odata_type(body: Any) -> str:
    """``#microsoft.graph.socialIdentityProvider`` -> ``socialidentityprovider`` (docs samples
    write it with and without ``#`` and in varying case); ``""`` when absent."""
    if not isinstance(body, dict):
        return ""
    value = body.get("@odata.type")
    if not isinstance(value, str):
        return ""
    return value.lstrip("#").removeprefix("microsoft.graph.").lower()
