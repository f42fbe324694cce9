"""Quotation spans in raw text, tolerant of missing marks.

News text has straight, curly and guillemet marks, quotes that run over several sentences or
paragraphs (the convention: each paragraph reopens, only the last one closes) and, often enough,
a mark dropped by an editor (``Singh stated, So we believe … monitor that.”``). We never give up on
an unbalanced mark: a missing closing mark ends the quote at the end of its paragraph; a missing
opening mark starts it after the nearest "cue," or "cue:" before it in the paragraph, or at the
paragraph start.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, replace

OPENING = frozenset("“«„")
CLOSING = frozenset("”»")
STRAIGHT = '"'
_OPEN_CONTEXT = frozenset(" \t\n([{—–-/")


@dataclass(frozen=True, slots=True)
class Quote:
    """Inner span of a quotation (marks excluded) and whether each mark was really there."""

    start: int
    end: int
    opened: bool
    closed: bool
    continues_previous: bool = False  # a paragraph that reopens a quote left open above
    open_width: int = 1  # '' and `` are marks of two characters
    close_width: int = 1

    @property
    def outer_start(self) -> int:
        return self.start - self.open_width if self.opened else self.start

    @property
    def outer_end(self) -> int:
        return self.end + self.close_width if self.closed else self.end


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Line spans of the text (each line a paragraph), blanks excluded."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        if line.strip():
            spans.append((pos, end))
        pos = end + 1
    return spans


def find_quotes(text: str, intro_points: Sequence[int] = ()) -> list[Quote]:
    """All quotations in ``text``, in order.

    ``intro_points`` are offsets just after an introducing "cue," / "cue:" (from the parse); they
    tell where a quote whose opening mark is missing begins.
    """
    quotes: list[Quote] = []
    intro_points = sorted(intro_points)
    left_open = False
    for p_start, p_end in paragraphs(text):
        found = _quotes_in_paragraph(text, p_start, p_end, intro_points)
        if found and left_open and found[0].outer_start <= _first_char(text, p_start):
            found[0] = replace(found[0], continues_previous=True)
        left_open = bool(found) and not found[-1].closed and found[-1].opened
        quotes.extend(q for q in found if q.end > q.start)
    return quotes


def _first_char(text: str, start: int) -> int:
    while start < len(text) and text[start].isspace():
        start += 1
    return start


def _is_opening(text: str, i: int, p_start: int, width: int = 1) -> bool:
    ch = text[i]
    if ch in OPENING:
        return True
    if ch in CLOSING:
        return False
    before = text[i - 1] if i > p_start else " "
    after = text[i + width] if i + width < len(text) else " "
    return before in _OPEN_CONTEXT and not after.isspace()


# Every quotation mark, two-character TeX-style ones first: newswire often writes ``…'' or ''…''.
_MARKS = re.compile("''|``|[" + re.escape('“”«»„"') + "]")


def _quotes_in_paragraph(
    text: str, p_start: int, p_end: int, intro_points: Sequence[int]
) -> list[Quote]:
    found: list[Quote] = []
    open_at: int | None = None
    open_width = 1
    floor = _first_char(text, p_start)  # a missing opening mark cannot start before this
    for match in _MARKS.finditer(text, p_start, p_end):
        i, width = match.start(), len(match.group())
        if text[i : i + 2] == "``" or _is_opening(text, i, p_start, width):
            if open_at is not None:  # two openings: the first lost its closing mark
                inner = open_at + open_width
                found.append(Quote(inner, _rstrip(text, inner, i), True, False, False, open_width))
            open_at, open_width = i, width
        elif open_at is not None:
            found.append(Quote(open_at + open_width, i, True, True, False, open_width, width))
            open_at, floor = None, i + width
        else:
            start = _missing_opening(text, floor, i, intro_points)
            found.append(Quote(start, i, False, True, False, 1, width))
            floor = i + width
    if open_at is not None:
        inner = open_at + open_width
        found.append(Quote(inner, _rstrip(text, inner, p_end), True, False, False, open_width))
    return found


def _missing_opening(text: str, floor: int, close: int, intro_points: Sequence[int]) -> int:
    """Where a quote closed at ``close`` with no opening mark most likely began."""
    # The points come from the doc in text order: the first one at or after the floor.
    first = bisect_left(intro_points, floor)
    found = first < len(intro_points) and intro_points[first] < close
    start = intro_points[first] if found else floor
    return _first_char(text, start)


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end
