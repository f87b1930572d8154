"""Trust Framework policies (custom policies): what an upload must be for B2C to take it, and
what storing, replacing and deleting one change.

Uploads are refused like B2C does (see :mod:`.policy_xml`): malformed XML, a PolicyId other
than the URL's, another tenant's TenantId, or a base policy that is not uploaded yet. Deleting
a base that others inherit from is allowed: the docs do not say otherwise.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, NamedTuple

from ..clock import seeded_uuid
from ..http import GraphError
from . import policy_xml
from .rules import RESOURCE, audit
from .state import IdentityState, StoredPolicy, fingerprint

if TYPE_CHECKING:
    from ..store import Store

log = logging.getLogger(__name__)

CATEGORY = RESOURCE


class Upload(NamedTuple):
    """An uploaded document: its Content-Type and bytes."""

    content_type: str
    body: bytes


def create_policy(store: Store, upload: Upload) -> StoredPolicy:
    """Store an uploaded policy that does not exist yet (409 when it does)."""
    state = store.identity
    policy = accept_upload(state, store, upload, url_id=None)
    if policy.id in state.policies:
        raise GraphError(
            409, "AADB2C", f"A policy with id '{policy.id}' already exists in tenant "
            f"'{store.tenant_domain}'. Use PUT on /trustFramework/policies/{policy.id}/$value "
            "to replace it."
        )
    state.policies.set(policy.id, policy)
    audit(store, "Upload policy", CATEGORY, policy.id, policy.id, "Policy")
    return policy


def put_policy(store: Store, upload: Upload, url_id: str) -> tuple[StoredPolicy, bool]:
    """Store or replace the policy at ``url_id``; returns it and whether it existed."""
    state = store.identity
    policy = accept_upload(state, store, upload, url_id=url_id)
    existed = policy.id in state.policies
    state.policies.set(policy.id, policy)
    stored = state.policies.get(policy.id)
    assert stored is not None
    activity = "Update policy" if existed else "Upload policy"
    audit(store, activity, CATEGORY, stored.id, stored.id, "Policy")
    return stored, existed


def delete_policy(store: Store, policy: StoredPolicy) -> None:
    """Delete a policy and audit it."""
    store.identity.policies.pop(policy.id)
    audit(store, "Delete policy", CATEGORY, policy.id, policy.id, "Policy")


def accept_upload(
    state: IdentityState, store: Store, upload: Upload, *, url_id: str | None
) -> StoredPolicy:
    """Check an uploaded document: the policy to store, or B2C's 400 ``AADB2C`` (with a
    correlation id) for a document it would refuse."""
    content_type = upload.content_type.lower()
    if "json" in content_type:
        raise GraphError(
            415, "UnsupportedMediaType", "Policies are uploaded as XML: use Content-Type "
            "application/xml."
        )
    label = url_id or "unknown"
    try:
        text = policy_xml.decode_policy(upload.body)
        header = policy_xml.parse_policy(text)
    except policy_xml.PolicyXmlError as exc:
        raise _refusal(store, label, exc.errors) from None
    errors = policy_xml.check_upload(
        header,
        url_id=url_id,
        tenant_domain=store.tenant_domain,
        tenant_id=store.tenant_id,
        existing=state.policy_bases(),
    )
    if errors:
        raise _refusal(store, header.policy_id, errors)
    text = policy_xml.ensure_public_policy_uri(text, header, store.tenant_domain)
    log.info("accepted policy %s (%s)", header.policy_id, fingerprint(text))
    policy_id = state.policies.canonical(header.policy_id) or header.policy_id
    return StoredPolicy(policy_id, text, header.base_policy_id)


def _refusal(store: Store, policy_id: str, errors: list[str]) -> GraphError:
    message = policy_xml.validation_message(policy_id, store.tenant_domain, errors)
    log.info("refused policy upload %s: %d error(s)", policy_id, len(errors))
    correlation = seeded_uuid(store.rng)
    return GraphError(400, "AADB2C", message, inner={"correlationId": correlation})
