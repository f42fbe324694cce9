"""Near-duplicate articles: the same wire copy on many sites is one report, its copies listed.

Each article gets a MinHash signature (datasketch) of its set of word shingles, and LSH band
keys cut from that signature: two articles that share a band key are candidates, and a
candidate is a near-duplicate when the signatures' estimated Jaccard similarity is at least
``THRESHOLD``. Reports are the connected components of the near-duplicate pairs, so the groups
do not depend on the order in which articles arrive.

The store keeps, per article, ``to_bytes(signature(...))`` in a BLOB and one row per
``band_keys(...)`` key in an indexed table (key → article id): a new article finds its
candidates with one query and checks them with ``near_duplicates``. ``DuplicateIndex`` does the
same in memory, on the same keys, so both give the same reports.

Why these choices (figures in ``bench/duplicates.md``):
- Words are NFKC-normalised, casefolded runs of letters and digits: punctuation, quotes,
  whitespace and line breaks are not part of the text compared.
- Shingles of ``SHINGLE_WORDS`` words: long enough that two reports of the same event written
  separately share few of them even when they quote the same people, short enough that an edited
  sentence changes only a few.
- Texts under ``MIN_WORDS`` words are compared whole (exact match of their words): their shingle
  sets are so small that a shared line of boilerplate would make two different briefs look alike.
- The band parameters are those datasketch's ``MinHashLSH`` picks for ``THRESHOLD`` with false
  negatives weighted ``LSH_WEIGHTS``; a test pins them, so the keys stored in a ledger stay valid.
"""

from __future__ import annotations

import hashlib
import heapq
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np
from datasketch import MinHash

from claimledger.errors import ClaimledgerError
from claimledger.model import Article, Report

if TYPE_CHECKING:
    from numpy.typing import NDArray

    Signature = NDArray[np.uint32]

NUM_PERM = 128
# A fixed seed and datasketch's "affine32" scheme, named explicitly: the permutations, hence every
# stored signature and band key, are the same on every run, machine and datasketch 2.x release.
SEED = 1
SCHEME = "affine32"
SHINGLE_WORDS = 5
MIN_WORDS = 50
THRESHOLD = 0.5
LSH_WEIGHTS = (0.05, 0.95)  # (false positive, false negative): candidates are verified anyway
BANDS = 26
ROWS = 3
SIGNATURE_BYTES = NUM_PERM * 4

_WORD = re.compile(r"\w+")
# Marks the one "shingle" of a short text, so that it can never equal a shingle of a long one.
_WHOLE_TEXT = b"\x00whole\x00"
_EMPTY = np.full(NUM_PERM, np.iinfo(np.uint32).max, dtype=np.uint32)
_TEMPLATE = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)


class SignatureError(ClaimledgerError):
    """Bytes that are not a signature this version wrote (a damaged or foreign ledger)."""


def words(text: str) -> list[str]:
    """The words compared: casefolded runs of letters and digits.

    >>> words("North Korea's troops—\\n“not yet” in combat.")
    ['north', 'korea', 's', 'troops', 'not', 'yet', 'in', 'combat']
    """
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def shingles(text: str) -> set[bytes]:
    """The set a signature summarises: every run of ``SHINGLE_WORDS`` consecutive words, or, for
    a text under ``MIN_WORDS`` words, the whole text as one element; empty for a text without
    words.

    >>> len(shingles("one two three four five six " * 10))
    6
    """
    found = words(text)
    if not found:
        return set()
    if len(found) < MIN_WORDS:
        return {_WHOLE_TEXT + " ".join(found).encode()}
    return {
        " ".join(found[i : i + SHINGLE_WORDS]).encode()
        for i in range(len(found) - SHINGLE_WORDS + 1)
    }


def signature(text: str) -> Signature:
    """The MinHash signature of ``text``'s shingles: ``NUM_PERM`` uint32 values.

    >>> signature("a short brief").shape
    (128,)
    """
    minhash = MinHash(
        num_perm=NUM_PERM, seed=SEED, scheme=SCHEME, permutations=_TEMPLATE.permutations
    )
    minhash.update_batch(shingles(text))
    values: Signature = np.asarray(minhash.hashvalues, dtype=np.uint32)
    return values


def article_signature(article: Article) -> Signature:
    """The signature of the article's text with its furniture (share buttons, bylines, "Read
    more" lines) taken out, since outlets add their own around the same copy."""
    text = article.text
    for span in sorted(article.furniture, key=lambda s: s.start, reverse=True):
        text = text[: span.start] + "\n" + text[span.end :]
    return signature(text)


def is_empty(sig: Signature) -> bool:
    """Whether ``sig`` is the signature of a text without words (which matches nothing)."""
    return bool(np.array_equal(sig, _EMPTY))


def to_bytes(sig: Signature) -> bytes:
    """``sig`` as ``SIGNATURE_BYTES`` little-endian bytes, for an SQLite BLOB."""
    return np.asarray(sig, dtype="<u4").tobytes()


def from_bytes(data: bytes) -> Signature:
    """The signature ``to_bytes`` wrote.

    >>> sig = signature("text"); bool((from_bytes(to_bytes(sig)) == sig).all())
    True
    """
    if len(data) != SIGNATURE_BYTES:
        raise SignatureError(
            f"a duplicate signature of {len(data)} bytes, expected {SIGNATURE_BYTES}: the ledger "
            "was written by another version or is damaged; re-ingest the articles into a new one"
        )
    values: Signature = np.frombuffer(data, dtype="<u4").astype(np.uint32)
    return values


def band_keys(sig: Signature) -> list[int]:
    """The LSH keys of ``sig``, one per band: two signatures share a key when all ``ROWS``
    values of one band are equal. Each key is a 4-byte BLAKE2b digest of the band's number and
    values, as a signed 32-bit integer (4 bytes in an SQLite INTEGER, half of a 64-bit one); a
    text without words has none. A collision of two keys (26 bands x 10^6 / 2^32: one new
    article in 170 gets one among a million) only adds a candidate, which ``near_duplicates``
    rejects.
    """
    if is_empty(sig):
        return []
    raw = np.asarray(sig, dtype="<u4")
    keys = []
    for band in range(BANDS):
        digest = hashlib.blake2b(
            raw[band * ROWS : (band + 1) * ROWS].tobytes(),
            digest_size=4,
            salt=band.to_bytes(2, "little"),
        ).digest()
        keys.append(int.from_bytes(digest, "little", signed=True))
    return keys


def similarity(a: Signature, b: Signature) -> float:
    """The estimated Jaccard similarity of the two shingle sets (the share of equal values);
    0.0 when either text has no words."""
    if is_empty(a) or is_empty(b):
        return 0.0
    return float(np.count_nonzero(a == b)) / NUM_PERM


def near_duplicates(sig: Signature, candidates: Iterable[tuple[str, Signature]]) -> list[str]:
    """The ids of the candidates (id, signature) that are near-duplicates of ``sig``, in the
    order given: the check after the band-key lookup."""
    return [cid for cid, other in candidates if similarity(sig, other) >= THRESHOLD]


def report_id(first_article_id: str) -> str:
    """The id of a report, from the id of its first (earliest-added) article: "r" and 16 hex
    digits of its content hash. A merge of two reports keeps the earlier one's id.

    >>> report_id("sha256:0123456789abcdef0123")
    'r0123456789abcdef'
    """
    digest = first_article_id.removeprefix("sha256:")
    if not re.fullmatch(r"[0-9a-f]{16,}", digest):
        digest = hashlib.sha256(first_article_id.encode()).hexdigest()
    return "r" + digest[:16]


_BLOCK = 1024  # signatures a block of DuplicateIndex holds (512 KiB)


class _BandTable:
    """Band key → arrival numbers, as two sorted numpy arrays (8 bytes an entry, where a dict
    of lists takes about 150) and a dict of the latest entries, merged into the arrays when it
    holds a 32nd of their size: a million articles' 26 million keys take about 200 MB, and the
    merges cost about 32 moves an entry in all."""

    def __init__(self) -> None:
        self._keys = np.empty(0, dtype=np.int32)
        self._numbers = np.empty(0, dtype=np.int32)
        self._recent: dict[int, list[int]] = {}
        self._recent_entries = 0

    def lookup(self, keys: list[int]) -> set[int]:
        found: set[int] = set()
        if len(self._keys):
            wanted = np.array(keys, dtype=np.int32)
            low = np.searchsorted(self._keys, wanted, side="left").tolist()
            high = np.searchsorted(self._keys, wanted, side="right").tolist()
            for start, end in zip(low, high, strict=True):
                if end > start:
                    found.update(self._numbers[start:end].tolist())
        for key in keys:
            found.update(self._recent.get(key, ()))
        return found

    def add(self, keys: list[int], number: int) -> None:
        for key in keys:
            self._recent.setdefault(key, []).append(number)
        self._recent_entries += len(keys)
        if self._recent_entries > max(4096, len(self._keys) // 32):
            self._merge()

    def _merge(self) -> None:
        pairs = sorted((key, n) for key, numbers in self._recent.items() for n in numbers)
        keys = np.array([k for k, _ in pairs], dtype=np.int32)
        numbers = np.array([n for _, n in pairs], dtype=np.int32)
        at = np.searchsorted(self._keys, keys, side="right")
        self._keys = np.insert(self._keys, at, keys)
        self._numbers = np.insert(self._numbers, at, numbers)
        self._recent, self._recent_entries = {}, 0


class DuplicateIndex:
    """Near-duplicate groups kept in memory as articles arrive, found through the same band keys
    a ledger stores, so that both give the same reports.

    >>> index = DuplicateIndex()
    >>> index.add("a", "Wire copy. " * 60), index.add("b", "Wire copy. " * 60 + "Our site.")
    ([], ['a'])
    >>> index.report_of("b").articles
    ('a', 'b')
    """

    def __init__(self) -> None:
        self._ids: list[str] = []  # by arrival number
        self._number: dict[str, int] = {}
        # Blocks of signatures, one row an article: 512 bytes an article, never copied as the
        # index grows.
        self._blocks: list[Signature] = []
        self._bands = _BandTable()
        self._parent: list[int] = []  # union-find over arrival numbers
        self._members: dict[int, list[int]] = {}  # a group's root → its arrival numbers, sorted

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._number

    def add(self, article_id: str, text: str) -> list[str]:
        """Add an article; return the ids of the articles already here that it is a
        near-duplicate of, in order of arrival. Adding an id again changes nothing."""
        return self.add_signature(article_id, signature(text))

    def add_signature(self, article_id: str, sig: Signature) -> list[str]:
        """``add`` for a signature computed elsewhere (``article_signature``, a ledger's BLOB)."""
        if article_id in self._number:
            return []
        number = len(self._ids)
        keys = band_keys(sig)
        candidates = sorted(self._bands.lookup(keys))
        found = []
        if candidates:
            # The test of ``similarity``, on all the candidates at once.
            rows = np.stack([self._blocks[n // _BLOCK][n % _BLOCK] for n in candidates])
            equal = np.count_nonzero(rows == sig, axis=1).tolist()
            found = [n for n, e in zip(candidates, equal, strict=True) if e / NUM_PERM >= THRESHOLD]
        if number % _BLOCK == 0:
            self._blocks.append(np.empty((_BLOCK, NUM_PERM), dtype=np.uint32))
        self._blocks[-1][number % _BLOCK] = sig
        self._ids.append(article_id)
        self._number[article_id] = number
        self._parent.append(number)
        self._members[number] = [number]
        self._bands.add(keys, number)
        for other in found:
            self._union(number, other)
        return [self._ids[n] for n in found]

    def report_of(self, article_id: str) -> Report:
        """The report ``article_id`` belongs to (a report of one for an article without copies).
        Raises KeyError for an id never added."""
        return self._report(self._find(self._number[article_id]))

    def reports(self) -> list[Report]:
        """Every article's report, single articles included, in order of their first articles;
        each report's articles in order of arrival."""
        return [self._report(root) for root in sorted(self._members)]

    def groups(self) -> list[Report]:
        """The reports with copies (two articles or more), as in ``reports``."""
        return [report for report in self.reports() if len(report.articles) > 1]

    def _report(self, root: int) -> Report:
        ids = tuple(self._ids[n] for n in self._members[root])
        return Report(report_id(ids[0]), ids)

    def _find(self, number: int) -> int:
        parent = self._parent
        root = number
        while parent[root] != root:
            root = parent[root]
        while parent[number] != root:  # path compression
            parent[number], number = root, parent[number]
        return root

    def _union(self, a: int, b: int) -> None:
        # The earlier arrival becomes the root, so a group's root is its first article.
        root_a, root_b = self._find(a), self._find(b)
        if root_a != root_b:
            low, high = sorted((root_a, root_b))
            self._parent[high] = low
            kept, joined = self._members[low], self._members.pop(high)
            if joined[0] > kept[-1]:  # the usual case: a new article joins an older group
                kept.extend(joined)
            else:
                self._members[low] = list(heapq.merge(kept, joined))


def group(articles: Sequence[tuple[str, str]]) -> list[Report]:
    """The reports of (id, text) pairs taken in the order given, as ``DuplicateIndex.reports``."""
    index = DuplicateIndex()
    for article_id, text in articles:
        index.add(article_id, text)
    return index.reports()

