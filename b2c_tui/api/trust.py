"""Trust Framework families of :class:`~b2c_tui.api.Tenant`: custom policies (ids, and their
XML on request) and policy keysets with their keys."""

from __future__ import annotations

import asyncio
from typing import Any

import pandas as pd

from ..frames.keysets import KEY_COLUMNS, KEYSET_COLUMNS
from ..frames.policies import POLICY_COLUMNS, POLICY_XML_COLUMNS
from .base import TenantBase
from .frames import Listing, records_frame
from .progress import Progress

POLICIES = Listing("Custom policies", POLICY_COLUMNS, POLICY_XML_COLUMNS)
KEYSETS = Listing("Policy keysets", KEYSET_COLUMNS, dtypes={"keyCount": "Int64"})
KEYS = Listing("Policy keys", KEY_COLUMNS)
#: Policy documents read at once (each is one request; Graph throttles bursts).
XML_CONCURRENCY = 4


class TrustMixin(TenantBase):
    """Custom policies and policy keys."""

    # -- custom policies -------------------------------------------------------------------
    def policies(self, *, xml: bool = False, limit: int | None = None,
                 progress: bool | None = None) -> pd.DataFrame:
        """Custom (Trust Framework) policy ids; ``xml=True`` also reads each document (one
        request a policy) and adds ``basePolicy``, ``deploymentMode``, ``tenantId`` and
        ``xml``."""
        return self._sync(self._policies, "Policies", progress, unit="documents", xml=xml,
                          limit=limit)

    async def policies_async(self, *, xml: bool = False, limit: int | None = None,
                             progress: bool | None = None) -> pd.DataFrame:
        """Async twin of :meth:`policies`."""
        return await self._async(self._policies, "Policies", progress, unit="documents",
                                 xml=xml, limit=limit)

    async def _policies(self, bar: Progress | None, *, xml: bool,
                        limit: int | None) -> pd.DataFrame:
        api = self.client.policies
        records = await api.list(prefetch=False).collect(limit)
        if not xml:
            return records_frame(records, POLICIES.columns)
        gate = asyncio.Semaphore(XML_CONCURRENCY)

        async def with_xml(record: dict[str, Any]) -> dict[str, Any]:
            async with gate:
                text = await api.get_xml(str(record.get("id")))
            if bar is not None:
                bar.add(1)
            return {**record, "xml": text}

        loaded = await asyncio.gather(*(with_xml(r) for r in records))
        return records_frame(loaded, (*POLICIES.columns, *POLICIES.optional))

    def policy_xml(self, policy_id: str) -> str:
        """One custom policy's XML document, as Graph stores it."""
        return self._sync(self._policy_xml, None, None, policy_id=policy_id)

    async def policy_xml_async(self, policy_id: str) -> str:
        """Async twin of :meth:`policy_xml`."""
        return await self._async(self._policy_xml, None, None, policy_id=policy_id)

    async def _policy_xml(self, _bar: Progress | None, *, policy_id: str) -> str:
        return await self.client.policies.get_xml(policy_id)

    # -- keysets and keys ------------------------------------------------------------------
    def keysets(self) -> pd.DataFrame:
        """Policy keysets: how many keys each holds, their uses and types, and when the last
        one expires."""
        return self._sync(self._keysets, None, None)

    async def keysets_async(self) -> pd.DataFrame:
        """Async twin of :meth:`keysets`."""
        return await self._async(self._keysets, None, None)

    async def _keysets(self, _bar: Progress | None) -> pd.DataFrame:
        records = await self.client.keysets.list().collect()
        return records_frame(records, KEYSETS.columns, KEYSETS.dtypes)

    def keys(self, keyset: str | None = None) -> pd.DataFrame:
        """Every policy key (of one ``keyset`` when given), one row per key: key id, keyset,
        use, type, status, ``notBefore`` and ``expires`` as timestamps, thumbprint. Private key
        material is never readable and never shown."""
        return self._sync(self._keys, None, None, keyset=keyset)

    async def keys_async(self, keyset: str | None = None) -> pd.DataFrame:
        """Async twin of :meth:`keys`."""
        return await self._async(self._keys, None, None, keyset=keyset)

    async def _keys(self, _bar: Progress | None, *, keyset: str | None) -> pd.DataFrame:
        api = self.client.keysets
        sets = [await api.get(keyset)] if keyset else await api.list().collect()
        records = [{**key, "id": key.get("kid"), "keyset": s.get("id")}
                   for s in sets for key in s.get("keys") or () if isinstance(key, dict)]
        return records_frame(records, KEYS.columns, KEYS.dtypes)
