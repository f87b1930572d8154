"""Identity provider columns: social, Apple, built-in and OpenID Connect providers.

The collection is polymorphic: ``kind`` is the record's type (``socialIdentityProvider``,
``appleManagedIdentityProvider``, ``builtInIdentityProvider``, ``openIdConnectIdentityProvider``)
and a column a type does not have is empty. Client secrets come back masked from Graph and are
marked secret here anyway: never selected, shown nor exported.
"""

from __future__ import annotations

from ._values import odata_kind
from .columns import Column

IDENTITY_PROVIDER_COLUMNS: tuple[Column, ...] = (
    Column("displayName", "Name", width=26),
    Column("identityProviderType", "Type", width=16),
    Column("kind", "Kind", select=("@odata.type",), get=odata_kind, width=30),
    Column("clientId", "Client id", width=36),
    Column("id", "Id", width=28),
)

IDENTITY_PROVIDER_OPTIONAL_COLUMNS: tuple[Column, ...] = (
    Column("state", "State", width=10),
    Column("developerId", "Apple developer id"),
    Column("serviceId", "Apple service id"),
    Column("keyId", "Apple key id"),
    Column("metadataUrl", "Metadata URL", width=40),
    Column("domainHint", "Domain hint"),
    Column("responseType", "Response type"),
    Column("responseMode", "Response mode"),
    Column("scope", "Scope"),
    Column("clientSecret", "Client secret", secret=True),
    Column("certificateData", "Apple certificate", secret=True),
)
