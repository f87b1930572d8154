"""Dialects: where real Graph families answer the same OData question differently.

The directory family (users, applications, audit logs...) and the identity family (identity
providers, user flows, keysets, conditional access...) are separate services behind one Graph
endpoint. They disagree on error codes, on what an unknown ``$select`` name does, on whether
``ne`` is allowed and on how a ``$skiptoken`` pages. Those differences are data, one
:class:`Dialect` per family, read by the one OData kit in this package.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from ..http import GraphError


@dataclass(frozen=True, slots=True)
class Dialect:
    """How one family of Graph services answers OData requests."""

    name: str
    #: 404 for a missing object: code and message (``{key}``, ``{kind}`` filled in)
    not_found_code: str
    not_found_message: str
    #: code of a 400 for a body or argument the family refuses
    bad_request_code: str
    #: ``cursor``: the token holds the last key served (inserts never shift a page);
    #: ``offset``: the token holds a position in the filtered list
    paging: Literal["cursor", "offset"]
    #: strict: unknown ``$select`` names are a 400 and absent properties come back as null;
    #: lenient: names are matched case-insensitively and absent ones are left out
    strict_select: bool
    #: ``$count``, ``$search``, ``$skip``, ``$expand`` and ``$orderby`` are checked (B2C's
    #: refusals); otherwise the family's own routes deal with them or they are ignored
    checks_query_options: bool
    #: ``$filter`` operators allowed beyond B2C's default set (``ne``, ``has``)
    extra_operators: frozenset[str]
    #: 400 for a ``$top`` out of range: code and message (``{top}``, ``{max}`` filled in)
    page_size_code: str
    page_size_message: str
    #: 400 for a ``$filter`` on a collection that has no filterable properties
    no_filter_message: str = "Invalid filter clause: '{filter}' is not supported for this resource."
    #: 400 for a comparison on a property that does not support filtering (None: Graph's
    #: "Could not find a property named ..." of the directory)
    unknown_filter_property: str | None = None

    def not_found(self, key: str, kind: str = "") -> GraphError:
        """The family's 404 for the object ``key`` (a ``kind`` such as "identity provider")."""
        return GraphError(
            404, self.not_found_code, self.not_found_message.format(key=key, kind=kind)
        )

    def bad_request(self, message: str) -> GraphError:
        """The family's 400 with ``message``."""
        return GraphError(400, self.bad_request_code, message)


#: Entra ID's directory: users, applications, service principals, grants, deleted items,
#: audit logs, the organization.
DIRECTORY = Dialect(
    name="directory",
    not_found_code="Request_ResourceNotFound",
    not_found_message=(
        "Resource '{key}' does not exist or one of its queried reference-property objects are "
        "not present."
    ),
    bad_request_code="Request_BadRequest",
    paging="cursor",
    strict_select=True,
    checks_query_options=True,
    extra_operators=frozenset(),
    page_size_code="Request_BadRequest",
    page_size_message=(
        "Invalid page size specified: '{top}'. Must be between 1 and {max} inclusive."
    ),
)

#: The authentication methods API: directory rules, but its own spelling of a bad request.
AUTHENTICATION_METHODS = replace(
    DIRECTORY, name="authentication methods", bad_request_code="badRequest"
)

#: The B2C and External ID identity services (identity providers, user flows, user flow
#: attributes, Trust Framework policies and keysets) and conditional access.
IDENTITY = Dialect(
    name="identity",
    not_found_code="ResourceNotFound",
    not_found_message="The {kind} '{key}' was not found.",
    bad_request_code="BadRequest",
    paging="offset",
    strict_select=False,
    checks_query_options=False,
    extra_operators=frozenset({"ne", "has"}),
    page_size_code="BadRequest",
    page_size_message="Invalid page size specified: '{top}'. Must be between 1 and {max}.",
    unknown_filter_property="Could not find a property named '{name}' that supports filtering.",
)
