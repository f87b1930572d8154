"""b2c-tui: a terminal explorer and pandas API for Azure AD B2C and Entra External ID tenants."""

from __future__ import annotations

__version__ = "0.1.0"
