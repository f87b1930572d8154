"""Partitions of a users listing by user principal name prefix, planned from a sample.

B2C has no ``$skip`` and no ``$count``: a collection can only be split by value.
``startswith(userPrincipalName,'a')`` for each character a UPN may begin with is a partition of
all users (``startswith`` ignores case, so one case of each letter is enough). How many users
each prefix holds is unknown: B2C's own local accounts have ``<object id>@<tenant>`` UPNs (16 hex
digits hold every user), other tenants have names (a few letters hold most users). So the plan
comes from a sample: the first page of the unfiltered listing (999 users in Graph's order, not
sorted by UPN). A prefix the sample says holds more than its share of users is split by its next
character; prefixes the sample never saw are probed in groups (``startswith(...) or
startswith(...)``, at most :data:`GROUP_SIZE` a request) rather than one request each. A sample
that is itself sorted by UPN says nothing about the distribution: then every first character is
probed alone and the partitions that turn out big are split as their first pages arrive
(:func:`split_partition`).

The characters cover printable ASCII (case-folded), a superset of what Entra allows in a UPN
(letters, digits and ``' . - _ ! # ^ ~``, plus ``$`` seen on synchronised accounts), so no user
falls between partitions; a first character the sample shows outside it is added.
"""

from __future__ import annotations

import itertools
import string
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .query_expr import F
from .validation import UPN_ALLOWED_CHARACTERS, UPN_FIRST_CHARACTERS

#: Characters a UPN prefix is extended with, documented UPN characters first ("@" ends the
#: local part), then the rest of printable ASCII, lower case only (``startswith`` ignores case).
PARTITION_CHARACTERS: str = "".join(dict.fromkeys(
    UPN_FIRST_CHARACTERS + ".@$" + "".join(
        c for c in string.printable[:94] if not c.isupper())))
#: Characters a UPN is known to hold (documented, plus "$" seen on synchronised accounts and
#: "@" ending the local part): a prefix of these must be listed, whatever Graph says of it.
_REQUIRED = frozenset(UPN_ALLOWED_CHARACTERS.lower() + "@$")
#: Prefixes of a group probed in one request (Graph limits how complex a filter may be).
GROUP_SIZE = 15
#: Sampled users a prefix needs before the sample is trusted to split it.
MIN_SAMPLE = 8
#: A prefix is split when the sample gives it more than this many times its fair share: the
#: sample's noise (about 1/sqrt(n) of a share) must not split prefixes that are merely average.
SPLIT_SLACK = 1.5
#: Prefixes are at most this long: a split costs a request per group of unseen characters.
MAX_DEPTH = 3


@dataclass
class Partition:
    """One query of the listing: users whose UPN starts with one of ``prefixes``.

    ``share`` is the fraction of the sample it holds (``None`` when unknown); ``depth`` the
    length of its prefixes. A group (several prefixes) is expected to be (nearly) empty."""

    prefixes: tuple[str, ...]
    share: float | None
    depth: int

    @property
    def is_group(self) -> bool:
        return len(self.prefixes) > 1

    def filter(self, prop: str = "userPrincipalName") -> str:
        """The ``$filter`` text of this partition."""
        parts = [F.startswith(prop, p) for p in self.prefixes]
        return str(parts[0] if len(parts) == 1 else F.or_(*parts))

    def priority(self) -> tuple[int, float]:
        """Sort key: the biggest known partitions first, unknown ones next, groups last."""
        if self.is_group:
            return (2, 0.0)
        if self.share is None:
            return (1, 0.0)
        return (0, -self.share)

    def __str__(self) -> str:
        return "|".join(self.prefixes)


def is_required(prefix: str) -> bool:
    """Whether users can have UPNs starting with ``prefix`` (so a refusal to list it is an
    error); prefixes with other characters are probed only to be sure."""
    return all(c in _REQUIRED for c in prefix)


def is_sorted(values: Sequence[str]) -> bool:
    """Whether ``values`` are in ascending order (then they are not a sample of the whole)."""
    return all(a <= b for a, b in itertools.pairwise(values))


def _groups(prefixes: Sequence[str], depth: int) -> list[Partition]:
    return [Partition(tuple(prefixes[i:i + GROUP_SIZE]), 0.0, depth)
            for i in range(0, len(prefixes), GROUP_SIZE)]


def plan_partitions(sample_upns: Iterable[str | None], target: int, *,
                    characters: str = PARTITION_CHARACTERS) -> list[Partition]:
    """Partitions covering every UPN, sized from a sample, biggest first.

    ``target`` is how many partitions may run at once: a prefix holding more than
    ``SPLIT_SLACK/target`` of the sample is split (while it has :data:`MIN_SAMPLE` users and
    is shorter than :data:`MAX_DEPTH`), so no partition is left running long after the others.
    """
    sample = [u.lower() for u in sample_upns if isinstance(u, str) and u]
    first = characters + "".join(sorted({u[0] for u in sample} - set(characters)))
    if len(sample) < MIN_SAMPLE or is_sorted(sample):
        return [Partition((c,), None, 1) for c in first]
    total = len(sample)
    share_limit = SPLIT_SLACK / max(1, target)

    def expand(prefix: str, members: list[str]) -> list[Partition]:
        share = len(members) / total
        if (share > share_limit and len(prefix) < MAX_DEPTH and len(members) >= MIN_SAMPLE
                and prefix not in members):  # a UPN equal to the prefix fits no child
            return children(prefix, members, characters)
        return [Partition((prefix,), share, len(prefix))]

    def children(prefix: str, members: list[str], chars: str) -> list[Partition]:
        by_next: dict[str, list[str]] = {}
        for upn in members:
            by_next.setdefault(upn[len(prefix)], []).append(upn)
        seen = [p for char, group in by_next.items() for p in expand(prefix + char, group)]
        return seen + _groups([prefix + c for c in chars if c not in by_next], len(prefix) + 1)

    return sorted(children("", sample, first), key=Partition.priority)


def split_partition(partition: Partition, page_upns: Iterable[str | None], *,
                    characters: str = PARTITION_CHARACTERS) -> list[Partition]:
    """The children of a partition whose first page came back full: a group becomes its single
    prefixes; a prefix becomes one partition per next character, ordered by what its first
    page shows (a page sorted by UPN shows nothing: then all children are probed alone)."""
    if partition.is_group:
        return [Partition((p,), None, partition.depth) for p in partition.prefixes]
    prefix = partition.prefixes[0]
    upns = [u.lower() for u in page_upns if isinstance(u, str) and u.lower().startswith(prefix)]
    depth = len(prefix) + 1
    if len(upns) < MIN_SAMPLE or is_sorted(upns):
        return [Partition((prefix + c,), None, depth) for c in characters]
    counts = Counter(u[len(prefix)] for u in upns if len(u) > len(prefix))
    seen = [Partition((prefix + c,), None, depth) for c, _ in counts.most_common()]
    return seen + _groups([prefix + c for c in characters if c not in counts], depth)


def can_split(partition: Partition, page_upns: Iterable[str | None]) -> bool:
    """Whether splitting ``partition`` still covers every user: its prefixes are shorter than
    :data:`MAX_DEPTH`, and no user seen has exactly the prefix as UPN."""
    if partition.is_group:
        return True
    prefix = partition.prefixes[0]
    return len(prefix) < MAX_DEPTH and all(
        not isinstance(u, str) or u.lower() != prefix for u in page_upns)
