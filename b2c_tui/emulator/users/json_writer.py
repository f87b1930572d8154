"""Default-property JSON of generated users, a block of ordinals at a time (numpy).

The cold listing path: serving 100,000 users should cost the twin less CPU per page than the
client spends decoding that page. :meth:`.UserGenerator.default_json_batch` is the reference
(one f-string per user); :class:`DefaultJsonWriter` makes the same bytes with the per-user
arithmetic done on arrays, so Python handles four objects per user. A page is

    {"businessPhones":[],"displayName":                  the page's prefix, then per user:
    "Zoe Smith","givenName":"Zoe","jobTitle":null,"mail":"zoe.smith        head (combination)
    4209979@qq.com","mobilePhone":null,...,"surname":     mail (per user)
    "Smith"                                               surname (combination)
    ,"userPrincipalName":"<id>@<tenant>","id":"<id>"},{"businessPhones":[],"displayName":

the last piece being the fixed-width tail of one user and the start of the next (cut short
after the last user). A user without mail takes the head ending in ``null``.

* heads are rows of an ``S<n>`` table and surnames bytes in an object array (one object per
  distinct surname, so they stay in the CPU cache), picked with one ``take`` each;
* the mail piece is built as 8-byte words: the digits as one word (from a 3- and a 4-digit
  table, shifted to drop leading zeros) OR-ed into a precomputed row that holds ``@domain"``
  and the fixed text up to the surname right after that many digits;
* the tail is a structured array whose fixed text stays in place while the id's fields are
  filled (its first 8 hex digits from a table of byte -> 2 hex digits, low nibble first, as
  ``generator._REV16``).

Variable-length pieces come out of ``S<n>`` arrays with ``tolist()``, which strips the NUL
padding (JSON text never holds a NUL), and one ``bytes.join`` makes the page. The arithmetic
runs in uint32: where the reference masks a product to 30 or 32 bits, a uint32 product that
wraps (modulo 2**32) has the same low bits, and the other products stay below 2**32 (the
mail number, below 10**7 squared, is computed in int64). Ordinals must be below 2**32.
"""

from __future__ import annotations

import math
import threading
from typing import TYPE_CHECKING, Any

import numpy as np

from .combos import HEAD, MID
from .generator import M30, NUM_MOD, TA, TB

if TYPE_CHECKING:
    from collections.abc import Iterable

    from .generator import UserGenerator

#: Users serialized together (see DefaultJsonWriter._block).
BLOCK = 8192
_U32, _U64 = np.dtype("<u4"), np.dtype("<u8")
_M30 = np.uint32(M30)
_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
#: byte -> its two hex digits, low nibble first, as a little-endian uint16
_BYTE_HEX = _HEX[np.arange(256) & 15].astype("<u2") | _HEX[np.arange(256) >> 4].astype("<u2") << 8
#: right shift that drops the leading zeros of a 7-digit word holding a number of L digits
_DROP = np.array([56 - 8 * n for n in range(8)], dtype=_U64)
_PREFIX = HEAD[0].encode()
_NEXT = b"}," + _PREFIX  # ends every tail: the user's closing brace, the next user's start


def _digit_words(count: int, width: int, offset: int) -> np.ndarray:
    """``f"{n:0{width}d}"`` for every ``n < count`` as little-endian uint64 words, the first
    digit at byte ``offset``."""
    n = np.arange(count, dtype=np.int64)
    out = np.zeros(count, dtype=_U64)
    for k in range(width):
        digit = n // 10 ** (width - 1 - k) % 10 + 48
        out |= digit.astype(_U64) << np.uint64(8 * (offset + k))
    return out


def _digit_counts(count: int) -> np.ndarray:
    """``len(str(n))`` for every ``n < count``."""
    n = np.arange(count, dtype=np.int64)
    return (1 + sum(n >= 10**k for k in range(1, len(str(count))))).astype(np.int8)


def _objects(items: list[bytes]) -> np.ndarray:
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out


class DefaultJsonWriter:
    """Serializes generated users in Graph's default property set, many at a time.

    Byte-for-byte the output of :meth:`.UserGenerator.default_json_batch` (a test compares
    them over many ranges). Build one per generator: its tables take a few milliseconds.
    """

    def __init__(self, gen: UserGenerator) -> None:
        self.gen = gen
        combos = gen.combos
        # heads 2*t: ..."mail":null and 2*t+1: ..."mail":"<local part>; NUL never occurs in
        # JSON text, so one encode and one split make them all
        heads = "\0".join(
            f'{c.display_json}{HEAD[1]}{c.given_json}{HEAD[2]}null\0'
            f'{c.display_json}{HEAD[1]}{c.given_json}{HEAD[2]}"{c.local}'
            for c in combos
        )
        self._heads = np.array(heads.encode().split(b"\0"))  # rows, not objects: see _pieces
        surnames = {s: s.encode() for s in {c.surname_json for c in combos}}
        self._surnames = _objects([surnames[c.surname_json] for c in combos])
        self._mail_rows, self._domains, self._domain_rows, self._period = self._mail_tables(gen)
        self._mail_dtype = np.dtype(f"S{self._mail_rows.shape[1] * 8}")
        kinds = np.arange(100)  # UserGenerator.kind: 68..77 are userName accounts, no mail
        self._mail_kinds = (kinds < 68) | (kinds >= 78)
        # digits of a number < 10**7: a 3-digit high part and a 4-digit low part
        self._hi, self._lo = _digit_words(1000, 3, 0), _digit_words(10_000, 4, 3)
        self._hi_len, self._lo_len = _digit_counts(1000) + 4, _digit_counts(10_000)
        self._tail_a = np.frombuffer("".join(gen._tail_a).encode(), dtype="S10")
        self._tail_b = np.frombuffer("".join(gen._tail_b).encode(), dtype="S17")
        upn, at = MID[1].encode(), len(MID[1])  # the id starts at byte `at`
        upn_mid = gen._upn_mid.encode()
        second = at + 36 + len(upn_mid)
        template = upn + b"x" * 36 + upn_mid + b"x" * 36 + b'"' + _NEXT
        self._template = np.array([template], dtype=f"S{len(template)}")
        self._fields = np.dtype(
            {
                "names": ["hex", "tail_a", "tail_b", "id", "id2", "all"],
                "formats": [_U64, "S10", "S17", "S36", "S36", self._template.dtype],
                "offsets": [at, at + 9, at + 19, at, second, 0],
                "itemsize": len(template),
            }
        )
        self._template.view(self._fields)["id"] = b"00000000-"  # the dash after the hex
        self._blocks: dict[int, _Run] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _mail_tables(gen: UserGenerator) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
        """Mail rows, domain numbers (a row per locale), each combination's row and the
        row length.

        Row ``8*d + L`` holds ``@<domain d>"`` and the text up to the surname starting at
        byte L (where L digits go); row 0 holds only that text (no mail)."""
        domains = sorted({d for c in gen.combos for d in c.domains})
        rest = MID[0].encode()
        pieces = [b""] + [f'@{d}"'.encode() for d in domains]
        words = (7 + max(map(len, pieces)) + len(rest) + 7) // 8
        rows = np.zeros((len(pieces) * 8, words * 8), dtype=np.uint8)
        rows[0, : len(rest)] = list(rest)
        for d, piece in enumerate(pieces[1:], 1):
            text = list(piece + rest)
            for digits in range(1, 8):
                rows[8 * d + digits, digits : digits + len(text)] = text
        # a combination's domain is domains[(h >> 8) % len(domains)]; with P a multiple of
        # every len(domains), (h >> 8) % P picks the same one from a row of P per locale
        number = {d: n + 1 for n, d in enumerate(domains)}
        sets = list(dict.fromkeys(c.domains for c in gen.combos))  # one per locale
        period = math.lcm(*map(len, sets))
        table = np.array([[number[ds[r % len(ds)]] for r in range(period)] for ds in sets])
        which = {ds: period * n for n, ds in enumerate(sets)}
        combo_set = np.array([which[c.domains] for c in gen.combos], dtype=np.int32)
        return rows.view(_U64), table.astype(np.int16).ravel(), combo_set, period

    # -- serializing (a block of ordinals at a time) ---------------------------------------
    def _fill(self, run: _Run, i: np.ndarray) -> _Run:
        """Serialize the users of ordinals ``i`` (uint32) into ``run``, but for the joining.

        The hash, the id value and the table indexes are computed in uint32: where the
        reference masks a product to 30 or 32 bits, a uint32 product that wraps (modulo
        2**32) has the same low bits; the other products stay below 2**32.
        """
        gen, n = self.gen, len(i)
        x = i * np.uint32(gen.k30) + np.uint32(gen.c30)  # hash30, as UserGenerator.hash30
        x &= _M30
        x ^= x >> 15
        x *= np.uint32(0x2C1B3C6D)
        x &= _M30
        x ^= x >> 12
        x *= np.uint32(0x297A2D39)
        x &= _M30
        h = x ^ (x >> 15)
        combo = run.combo[:n]
        np.remainder(i, gen.t, out=combo)
        combo *= gen.kt
        combo += gen.ct
        combo %= gen.t
        mail = self._mail_kinds.take(h % 100) & ((h >> 16) % 100 < 55)
        np.add(combo * 2, mail, out=run.head[:n])
        domain = self._domains.take(self._domain_rows.take(combo) + (h >> 8) % self._period)
        number = (i % NUM_MOD).astype(np.int64) * gen.kn + gen.cn
        hi, lo = np.divmod(number % NUM_MOD, 10_000)
        digits = np.where(hi > 0, self._hi_len.take(hi), self._lo_len.take(lo))
        word = (self._hi.take(hi) | self._lo.take(lo)) >> _DROP.take(digits)
        rows = run.mail[:n]
        self._mail_rows.take((domain * 8 + digits) * mail, axis=0, out=rows, mode="clip")
        rows[:, 0] |= word * mail
        tails = run.tails[:n]  # the fixed text is in place from the template
        v = i * np.uint32(gen.k) + np.uint32(gen.c)  # (i*k + c) mod 2**32
        tails["hex"] = _BYTE_HEX.take(v.view(np.uint8)).view(_U64)
        tails["tail_a"] = self._tail_a.take(i % TA)
        tails["tail_b"] = self._tail_b.take((i + i // TA) % TB)
        tails["id2"] = tails["id"]
        return run

    def _block(self, k: int) -> _Run:
        """Block ``k``: ordinals ``k*BLOCK`` to ``(k+1)*BLOCK - 1``, serialized.

        Listings walk ordinals in order, so a block serves the next pages too: the array
        work costs a few dozen calls per block rather than per page, where their fixed cost
        outweighs the work on 999 users. Two blocks are kept, and their arrays recycled.
        """
        blocks = self._blocks
        run = blocks.get(k)
        if run is None:
            run = blocks.pop(next(iter(blocks))) if len(blocks) == 2 else _Run(BLOCK, self)
            blocks[k] = self._fill(run, np.arange(k * BLOCK, (k + 1) * BLOCK, dtype=_U32))
        return run

    def _pieces(self, run: _Run, start: int, stop: int) -> list[Any]:
        """Head, mail, surname and tail of the users ``start..stop-1`` of ``run``.

        Heads are copied out of a table of rows rather than taken as shared objects: the
        shared objects lie all over a megabyte, and between two requests of a server they
        drop out of the CPU cache, so the new, adjacent copies cost less to join.
        """
        parts: list[Any] = [None] * (4 * (stop - start))
        parts[0::4] = self._heads.take(run.head[start:stop]).tolist()
        parts[1::4] = run.mail_text[start:stop].tolist()  # NUL padding stripped
        parts[2::4] = self._surnames.take(run.combo[start:stop]).tolist()
        parts[3::4] = run.tail_text[start:stop].tolist()
        return parts

    # -- output ---------------------------------------------------------------------------
    def page(self, start: int, stop: int) -> bytes:
        """Users ``start..stop-1`` joined with commas (the inside of a ``value`` array)."""
        if stop <= start:
            return b""
        parts = [_PREFIX]
        with self._lock:
            o = start
            while o < stop:
                k, at = divmod(o, BLOCK)
                end = min(stop, (k + 1) * BLOCK)
                parts += self._pieces(self._block(k), at, end - k * BLOCK)
                o = end
        parts[-1] = parts[-1][: 1 - len(_NEXT)]  # the last user: no comma, no next user
        return b"".join(parts)

    def many(self, ordinals: Iterable[int]) -> list[bytes]:
        """One serialized user per ordinal, in order."""
        i = np.fromiter(ordinals, dtype=_U32)
        if not len(i):
            return []
        parts = self._pieces(self._fill(_Run(len(i), self), i), 0, len(i))
        join, cut = b"".join, 1 - len(_NEXT)
        return [join([_PREFIX, *parts[k : k + 4]])[:cut] for k in range(0, len(parts), 4)]


class _Run:
    """Arrays for serializing ``size`` users: table rows and per-user text."""

    __slots__ = ("combo", "head", "mail", "mail_text", "tail_text", "tails")

    def __init__(self, size: int, writer: DefaultJsonWriter) -> None:
        self.combo = np.empty(size, dtype=_U32)  # row of DefaultJsonWriter._surnames
        self.head = np.empty(size, dtype=np.intp)  # row of DefaultJsonWriter._heads
        self.mail = np.empty((size, writer._mail_rows.shape[1]), dtype=_U64)
        self.mail_text = self.mail.view(writer._mail_dtype).ravel()
        self.tails = np.repeat(writer._template, size).view(writer._fields)
        self.tail_text = self.tails["all"]
