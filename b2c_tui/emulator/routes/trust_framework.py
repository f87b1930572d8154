"""``/trustFramework/policies`` (beta): custom policies (Identity Experience Framework XML).

List (ids only), upload (POST, XML in and out), read and replace the XML at ``/$value``
(PUT answers 200 when the policy existed, 201 when it was created) and delete. Uploads are
refused like B2C does (see :mod:`..policy_xml`): malformed XML, a PolicyId other than the
URL's, another tenant's TenantId, or a base policy that is not uploaded yet. Deleting a base
that others inherit from is allowed: the docs do not say otherwise.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from .. import policy_xml
from ..http import GraphError, Request, Response, empty, graph_error, xml_response
from ..identity_http import BETA, FAMILY_TRUST_FRAMEWORK, audit, collection, entity, not_found
from ..identity_seed import state_for
from ..identity_state import IdentityState, StoredPolicy, fingerprint

log = logging.getLogger(__name__)

FRAGMENT = "trustFramework/policies"
CATEGORY = "PolicyManagement"


class UploadRefused(Exception):
    """An upload B2C would refuse; carries the 400 response."""

    def __init__(self, response: Response) -> None:
        super().__init__("policy upload refused")
        self.response = response


def register(router: Any, store: Any) -> None:
    """Register the Trust Framework policy routes on ``router``."""
    state = state_for(store)

    def lookup(request: Request) -> StoredPolicy:
        policy = state.policies.get(request.params["id"])
        if policy is None:
            raise not_found("policy", request.params["id"])
        return policy

    def list_policies(request: Request) -> Response:
        return collection(request, [{"id": p.id} for p in state.policies.values()], FRAGMENT)

    def get_policy(request: Request) -> Response:
        return entity(request, {"id": lookup(request).id}, f"{FRAGMENT}/$entity")

    def get_value(request: Request) -> Response:
        return xml_response(200, lookup(request).xml)

    def create_policy(request: Request) -> Response:
        try:
            policy = accept_upload(state, store, request, url_id=None)
        except UploadRefused as refused:
            return refused.response
        if policy.id in state.policies:
            raise GraphError(
                409, "AADB2C", f"A policy with id '{policy.id}' already exists in tenant "
                f"'{store.tenant_domain}'. Use PUT on /trustFramework/policies/{policy.id}/$value "
                "to replace it."
            )
        state.policies.set(policy.id, policy)
        audit(store, "Upload policy", CATEGORY, policy.id, policy.id, "Policy")
        location = f"/trustFramework/policies/{policy.id}/"
        return xml_response(201, policy.xml, {"Location": location})

    def put_value(request: Request) -> Response:
        try:
            policy = accept_upload(state, store, request, url_id=request.params["id"])
        except UploadRefused as refused:
            return refused.response
        existed = policy.id in state.policies
        state.policies.set(policy.id, policy)
        stored = state.policies.get(policy.id)
        assert stored is not None
        activity = "Update policy" if existed else "Upload policy"
        audit(store, activity, CATEGORY, stored.id, stored.id, "Policy")
        if existed:
            return xml_response(200, stored.xml)
        return xml_response(201, stored.xml, {"Location": f"/trustFramework/policies/{stored.id}/"})

    def delete_policy(request: Request) -> Response:
        policy = lookup(request)
        state.policies.pop(policy.id)
        audit(store, "Delete policy", CATEGORY, policy.id, policy.id, "Policy")
        return empty(204)

    base = "/trustFramework/policies"
    for method, template, handler in (
        ("GET", base, list_policies),
        ("POST", base, create_policy),
        ("GET", f"{base}/{{id}}", get_policy),
        ("DELETE", f"{base}/{{id}}", delete_policy),
        ("GET", f"{base}/{{id}}/$value", get_value),
        ("PUT", f"{base}/{{id}}/$value", put_value),
    ):
        router.add(method, template, handler, versions=BETA, family=FAMILY_TRUST_FRAMEWORK)


def accept_upload(
    state: IdentityState, store: Any, request: Request, *, url_id: str | None
) -> StoredPolicy:
    """Check an uploaded document; the policy to store, or :class:`UploadRefused`."""
    content_type = (request.header("content-type") or "").lower()
    if "json" in content_type:
        raise GraphError(
            415, "UnsupportedMediaType", "Policies are uploaded as XML: use Content-Type "
            "application/xml."
        )
    label = url_id or "unknown"
    try:
        text = policy_xml.decode_policy(request.body)
        header = policy_xml.parse_policy(text)
    except policy_xml.PolicyXmlError as exc:
        raise UploadRefused(_refusal(store, label, exc.errors)) from None
    errors = policy_xml.check_upload(
        header,
        url_id=url_id,
        tenant_domain=store.tenant_domain,
        tenant_id=store.tenant_id,
        existing=state.policy_bases(),
    )
    if errors:
        raise UploadRefused(_refusal(store, header.policy_id, errors))
    text = policy_xml.ensure_public_policy_uri(text, header, store.tenant_domain)
    log.info("accepted policy %s (%s)", header.policy_id, fingerprint(text))
    policy_id = state.policies.canonical(header.policy_id) or header.policy_id
    return StoredPolicy(policy_id, text, header.base_policy_id)


def _refusal(store: Any, policy_id: str, errors: list[str]) -> Response:
    message = policy_xml.validation_message(policy_id, store.tenant_domain, errors)
    log.info("refused policy upload %s: %d error(s)", policy_id, len(errors))
    correlation = str(uuid.UUID(int=store.rng.getrandbits(128), version=4))
    return graph_error(400, "AADB2C", message, inner={"correlationId": correlation})
