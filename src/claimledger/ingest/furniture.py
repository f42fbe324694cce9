"""Page furniture in plain text: view counters, "Most Commented", share bars, newsletter prompts.

Furniture is reported as spans, never cut out, so that every offset still points into the file
exactly as it was read (see FORMAT.md). The patterns live in ``furniture.tsv``.

Example:
    >>> [s.text for s in find_furniture("Title here\\nDaniel Kim Views\\nBody.\\nMost Commented")]
    ['Views', 'Most Commented']
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Literal

from claimledger.model import Span

Scope = Literal["line", "tail"]

# Lines are split on \n and \r only, never on the other separators str.splitlines knows
# (\x0b, \u2028 ...), so that line numbers and offsets agree with what an editor shows.
_LINE = re.compile(r"[^\r\n]+")


@dataclass(frozen=True, slots=True)
class FurniturePattern:
    """One row of ``furniture.tsv``, compiled."""

    kind: str
    scope: Scope
    max_words: int
    regex: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class Line:
    """A line of the text with its offset, trimmed of surrounding spaces."""

    start: int
    text: str


def _compile(scope: Scope, flags: str, pattern: str) -> re.Pattern[str]:
    options = re.IGNORECASE if "i" in flags else 0
    if scope == "line":
        return re.compile(rf"(?:{pattern})", options)
    # A tail token must follow other words on the line: "Daniel Kim Views", never "Views" alone.
    return re.compile(rf"\S.*?\s(?P<tail>(?:{pattern}))\Z", options)


def _parse_row(row: str, number: int) -> FurniturePattern:
    fields = row.split("\t")
    if len(fields) != 5 or fields[1] not in ("line", "tail"):
        raise ValueError(
            f"furniture.tsv:{number}: expected 5 tab-separated columns "
            "(kind, scope line|tail, flags, max_words, pattern)"
        )
    kind, scope, flags, max_words, pattern = fields
    typed_scope: Scope = "line" if scope == "line" else "tail"
    regex = _compile(typed_scope, flags, pattern)
    return FurniturePattern(kind, typed_scope, int(max_words), regex)


@cache
def load_patterns() -> tuple[FurniturePattern, ...]:
    """The patterns of ``furniture.tsv``, read once per process."""
    data = files("claimledger.ingest").joinpath("furniture.tsv").read_text(encoding="utf-8")
    return tuple(
        _parse_row(row, number)
        for number, row in enumerate(data.splitlines(), start=1)
        if row.strip() and not row.startswith("#")
    )


def iter_lines(text: str) -> Iterator[Line]:
    """Non-blank lines of ``text``, trimmed, with the offset of their first character."""
    for match in _LINE.finditer(text):
        raw = match.group()
        stripped = raw.strip()
        if stripped:
            yield Line(match.start() + len(raw) - len(raw.lstrip()), stripped)


@cache
def _longest_furniture() -> int:
    return max((pattern.max_words for pattern in load_patterns()), default=0)


def _match_line(line: Line, first: bool) -> Span | None:
    words = len(line.text.split())
    # Most lines are prose, longer than any furniture: skip them without trying each pattern.
    if words > _longest_furniture():
        return None
    for pattern in load_patterns():
        if words > pattern.max_words:
            continue
        if pattern.scope == "line" and pattern.regex.fullmatch(line.text):
            return Span(line.start, line.start + len(line.text), line.text)
        if pattern.scope == "tail" and not first:
            found = pattern.regex.fullmatch(line.text)
            if found:
                start = line.start + found.start("tail")
                return Span(start, line.start + found.end("tail"), found.group("tail"))
    return None


def find_furniture(text: str) -> tuple[Span, ...]:
    """Spans of page furniture in ``text``: whole lines, or a counter at the end of a short line."""
    spans = []
    for index, line in enumerate(iter_lines(text)):
        span = _match_line(line, first=index == 0)
        if span is not None:
            spans.append(span)
    return tuple(spans)
