"""Finding the drafts and quotes near a span without comparing every pair.

The attribution rules ask, for each candidate, which other candidates or quotes overlap it,
contain it or come just before it. Asked of every pair, that is quadratic in the number of
statements: a page of 20,000 quotation marks took minutes. These indexes answer the same
questions by looking only at nearby text, so the answers (and their order) are the ones the
pairwise loops gave.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from itertools import accumulate, pairwise

from claimledger.attribute.draft import Draft
from claimledger.attribute.quotes import Quote

# Characters per cell of the grid: about a sentence, so that a cell holds a few spans.
_CELL = 256


class SpanGrid:
    """Keys registered under the character ranges they cover, in cells of ``_CELL`` characters:
    two ranges that overlap share a cell, so the keys in the cells of a range are a small
    superset of those whose ranges overlap it."""

    def __init__(self) -> None:
        self._cells: dict[int, list[int]] = {}

    def add(self, key: int, start: int, end: int) -> None:
        """Register ``key`` under ``[start, end)``; an empty range overlaps nothing."""
        if end <= start:
            return
        for cell in range(start // _CELL, (end - 1) // _CELL + 1):
            self._cells.setdefault(cell, []).append(key)

    def near(self, start: int, end: int) -> set[int]:
        """The keys whose ranges may overlap ``[start, end)`` (every one that does)."""
        keys: set[int] = set()
        if end <= start:
            return keys
        for cell in range(start // _CELL, (end - 1) // _CELL + 1):
            keys.update(self._cells.get(cell, ()))
        return keys


class DraftIndex:
    """Drafts by the pieces of their content, for the overlap questions of the rules; drafts are
    added as they are accepted, and a draft's content must not change once added."""

    def __init__(self, drafts: Sequence[Draft] = ()) -> None:
        self.drafts: list[Draft] = []
        self._grid = SpanGrid()
        for draft in drafts:
            self.add(draft)

    def add(self, draft: Draft) -> None:
        key = len(self.drafts)
        self.drafts.append(draft)
        for start, end in draft.content:
            self._grid.add(key, start, end)

    def overlapping(self, pieces: Sequence[tuple[int, int]]) -> Iterator[Draft]:
        """The drafts with a piece that may overlap one of ``pieces``, in the order added."""
        keys: set[int] = set()
        for start, end in pieces:
            keys |= self._grid.near(start, end)
        return (self.drafts[k] for k in sorted(keys))


class ExtentIndex:
    """Drafts by their extent (first piece's start to last piece's end), for "which drafts hold
    this one": a draft that contains ``[start, end)`` covers its first character."""

    def __init__(self, drafts: Sequence[Draft]) -> None:
        self.drafts = list(drafts)
        self._grid = SpanGrid()
        for key, draft in enumerate(self.drafts):
            self._grid.add(key, draft.start, draft.end)

    def covering(self, point: int) -> Iterator[Draft]:
        """The drafts whose extent may cover ``point`` (every one that does), in list order."""
        return (self.drafts[k] for k in sorted(self._grid.near(point, point + 1)))


class LastBefore:
    """For offsets asked in increasing order, the draft ending last at or before each one (the
    first such in list order on a tie), as ``max((d for d in drafts if d.end <= offset),
    key=end)`` gives; a draft whose end grows after it was returned is followed."""

    def __init__(self, drafts: Sequence[Draft]) -> None:
        self._order = sorted(range(len(drafts)), key=lambda k: (drafts[k].end, k))
        self._drafts = drafts
        self._next = 0
        self._best: int | None = None
        self._plain = False

    def before(self, offset: int) -> Draft | None:
        drafts, order = self._drafts, self._order
        if self._plain:
            return self._scan(offset)
        while self._next < len(order) and drafts[order[self._next]].end <= offset:
            self._consider(order[self._next])
            self._next += 1
        best = self._best
        if best is not None and drafts[best].end > offset:
            # A returned draft grew past a later offset, which the rules never make happen (a
            # draft grows by the quote that comes next); from here on, the plain scan.
            self._plain = True
            return self._scan(offset)
        return None if best is None else drafts[best]

    def _consider(self, key: int) -> None:
        best = self._best
        drafts = self._drafts
        if best is None or (drafts[key].end, -key) > (drafts[best].end, -best):
            self._best = key

    def _scan(self, offset: int) -> Draft | None:
        before = [k for k, d in enumerate(self._drafts) if d.end <= offset]
        if not before:
            return None
        return self._drafts[max(before, key=lambda k: (self._drafts[k].end, -k))]


class QuoteIndex:
    """The quotes of a doc (in text order, not overlapping) by their offsets."""

    def __init__(self, quotes: Sequence[Quote]) -> None:
        self.quotes = quotes
        self.outer_starts = [q.outer_start for q in quotes]
        self.starts = [q.start for q in quotes]
        self.ends = [q.end for q in quotes]
        self._lengths = [0, *accumulate(q.end - q.start for q in quotes)]
        # Every answer below relies on both orders; a list out of order is searched plainly.
        self.ordered = _ascending(self.outer_starts) and _ascending(self.ends)
        self.ordered = self.ordered and _ascending(self.starts)

    def closing_after(self, start: int, end: int) -> Quote | None:
        """The first closed quote opening in ``[start, end)`` and ending after ``end``."""
        if not self.ordered:
            return next(
                (q for q in self.quotes if start <= q.outer_start < end < q.end and q.closed),
                None,
            )
        stop = bisect_left(self.outer_starts, end)
        i = max(bisect_left(self.outer_starts, start), bisect_right(self.ends, end))
        for quote in self.quotes[i:stop]:
            if quote.closed:
                return quote
        return None

    def starting_at(self, start: int) -> Iterator[Quote]:
        """The quotes whose inner text starts at ``start``."""
        if not self.ordered:
            return (q for q in self.quotes if q.start == start)
        lo, hi = bisect_left(self.starts, start), bisect_right(self.starts, start)
        return iter(self.quotes[lo:hi])

    def quoted_inside(self, start: int, end: int) -> tuple[int, int]:
        """How many quotes lie within ``[start, end)``, and how many characters they quote."""
        if not self.ordered:
            inside = [q for q in self.quotes if start <= q.start and q.end <= end]
            return len(inside), sum(q.end - q.start for q in inside)
        lo, hi = bisect_left(self.starts, start), bisect_right(self.ends, end)
        if hi <= lo:
            return 0, 0
        return hi - lo, self._lengths[hi] - self._lengths[lo]


def _ascending(values: Sequence[int]) -> bool:
    return all(a <= b for a, b in pairwise(values))
