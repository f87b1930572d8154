"""B2C user flow columns (``/identity/b2cUserFlows``, beta): the built-in ``B2C_1_`` policies."""

from __future__ import annotations

from ._values import joined, pluck
from .columns import Column

USER_FLOW_COLUMNS: tuple[Column, ...] = (
    Column("id", "Id", width=30),
    Column("userFlowType", "Type", width=16),
    Column("userFlowTypeVersion", "Version", kind="number", width=7),
    Column("isLanguageCustomizationEnabled", "Languages", kind="bool", width=9),
    Column("defaultLanguageTag", "Default language", width=8),
)

USER_FLOW_OPTIONAL_COLUMNS: tuple[Column, ...] = (
    # Only there when the flows are listed with $expand=identityProviders.
    Column("identityProviders", "Identity providers",
           get=lambda r: joined(pluck(r.get("identityProviders"), "id")), width=30),
)
