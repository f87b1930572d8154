"""The demo tenant's token authority (an Entra ID v2.0 endpoint msal can talk to).

``core`` holds :class:`TokenAuthority` (state, registration, ASGI plumbing), ``grants`` the
endpoint logic and Entra-shaped errors, ``tokens`` the JWT helpers.
"""

from __future__ import annotations

from .core import DEMO_TENANT_DOMAIN, DEMO_TENANT_ID, TokenAuthority
from .grants import DEVICE_CODE_GRANT, PendingDeviceCode, RegisteredClient

__all__ = [
    "DEMO_TENANT_DOMAIN",
    "DEMO_TENANT_ID",
    "DEVICE_CODE_GRANT",
    "PendingDeviceCode",
    "RegisteredClient",
    "TokenAuthority",
]
