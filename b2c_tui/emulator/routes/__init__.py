"""Route modules of the emulator, one per resource family.

Each module listed in :data:`ROUTE_MODULES` exposes ``register(router, store)``. The app
imports them in order and skips (with a warning) any that does not import yet, so the
emulator starts while a family is still being written. Add a family by appending its module
name here.
"""

from __future__ import annotations

ROUTE_MODULES: tuple[str, ...] = (
    "users",
    "auth_methods",
    "applications",
    "deleted_items",
    "audit",
    "organization",
    "identity_providers",
    "user_flows",
    "external_flows",
    "b2c_auth_policy",
    "trust_framework",
    "keysets",
    "user_flow_attributes",
    "conditional_access",
)
