"""Quotation spans in raw text, tolerant of missing marks.

News text has straight, curly and guillemet marks, quotes that run over several sentences or
paragraphs (the convention: each paragraph reopens, only the last one closes) and, often enough,
a mark dropped by an editor (``Singh stated, So we believe … monitor that.”``). We never give up on
an unbalanced mark: a missing closing mark ends the quote at the end of its paragraph; a missing
opening mark starts it after the nearest "cue," or "cue:" before it in the paragraph, or at the
paragraph start.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

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

    @property
    def outer_start(self) -> int:
        return self.start - 1 if self.opened else self.start

    @property
    def outer_end(self) -> int:
        return self.end + 1 if self.closed else self.end


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
    left_open = False
    for p_start, p_end in paragraphs(text):
        found = _quotes_in_paragraph(text, p_start, p_end, intro_points)
        if found and left_open and found[0].start - 1 <= _first_char(text, p_start):
            found[0] = Quote(found[0].start, found[0].end, found[0].opened, found[0].closed, True)
        left_open = bool(found) and not found[-1].closed and found[-1].opened
        quotes.extend(q for q in found if q.end > q.start)
    return quotes


def _first_char(text: str, start: int) -> int:
    while start < len(text) and text[start].isspace():
        start += 1
    return start


def _is_opening(text: str, i: int, p_start: int) -> bool:
    ch = text[i]
    if ch in OPENING:
        return True
    if ch in CLOSING:
        return False
    before = text[i - 1] if i > p_start else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return before in _OPEN_CONTEXT and not after.isspace()


def _quotes_in_paragraph(
    text: str, p_start: int, p_end: int, intro_points: Sequence[int]
) -> list[Quote]:
    found: list[Quote] = []
    open_at: int | None = None
    floor = _first_char(text, p_start)  # a missing opening mark cannot start before this
    for i in range(p_start, p_end):
        ch = text[i]
        if ch not in OPENING and ch not in CLOSING and ch != STRAIGHT:
            continue
        if _is_opening(text, i, p_start):
            if open_at is not None:  # two openings: the first lost its closing mark
                found.append(Quote(open_at + 1, _rstrip(text, open_at + 1, i), True, False))
            open_at = i
        elif open_at is not None:
            found.append(Quote(open_at + 1, i, True, True))
            open_at, floor = None, i + 1
        else:
            start = _missing_opening(text, floor, i, intro_points)
            found.append(Quote(start, i, False, True))
            floor = i + 1
    if open_at is not None:
        found.append(Quote(open_at + 1, _rstrip(text, open_at + 1, p_end), True, False))
    return found


def _missing_opening(text: str, floor: int, close: int, intro_points: Sequence[int]) -> int:
    """Where a quote closed at ``close`` with no opening mark most likely began."""
    candidates = [p for p in intro_points if floor <= p < close]
    start = min(candidates) if candidates else floor
    return _first_char(text, start)


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end
