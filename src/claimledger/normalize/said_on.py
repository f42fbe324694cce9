"""When each statement was said, as distinct from when what it reports happened.

A statement's ``said_on`` comes, in this order of trust, from:

1. ``time:tN`` — a day named in its own sentence outside its content ("claimed at a conference
   on Saturday that …", "in an interview … on December 1");
2. ``event:tN`` — the date of the occasion it was said at: "during the briefing" refers back to the
   sentence that dated the briefing, and a sentence naming the speaker at a dated occasion
   ("Singh addressed queries during a press briefing on Monday") dates the statement after it;
3. ``inherited:sN`` — the speaker's previous statement a few sentences before ("He added that …").

Otherwise ``said_on`` is None: the publication date bounds it, but does not date it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from claimledger.model import Statement, TimeExpression

# A value that names one day (possibly without its year or week): what "said on" can be.
_DAY = re.compile(r"^(?:\d{4}|XXXX)-(?:\d\d-\d\d|WXX-\d|W\d\d-\d)(?:T.*)?$")
# How far back (in sentences) a speaker's earlier statement still dates a new one.
INHERIT_WINDOW = 3


@dataclass(frozen=True, slots=True)
class SaidOn:
    value: str | None
    source: str | None


@lru_cache(maxsize=1)
def speech_events() -> tuple[str, ...]:
    """Occasion nouns from ``speech_events.tsv``, longest first."""
    text = (
        resources.files("claimledger.normalize")
        .joinpath("speech_events.tsv")
        .read_text(encoding="utf-8")
    )
    rows = [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]
    return tuple(sorted(rows, key=len, reverse=True))


@lru_cache(maxsize=1)
def _event_patterns() -> tuple[tuple[str, re.Pattern[str], re.Pattern[str]], ...]:
    """Per occasion noun, compiled once: the noun itself, and the noun referred back to."""
    return tuple(
        (
            noun,
            re.compile(rf"\b{re.escape(noun)}s?\b"),
            re.compile(rf"\b(?:the|that|same)\s+(?:\w+\s+)?{re.escape(noun)}\b"),
        )
        for noun in speech_events()
    )


def _event_in(text: str) -> str | None:
    lowered = text.lower()
    for noun, named, _ in _event_patterns():
        if named.search(lowered):
            return noun
    return None


def _definite_event(text: str) -> str | None:
    """The occasion a sentence refers back to: "during the briefing" -> ``'briefing'``."""
    lowered = text.lower()
    for noun, _, referred in _event_patterns():
        if referred.search(lowered):
            return noun
    return None


def _day_value(t: TimeExpression) -> str | None:
    if t.value is None or not _DAY.match(t.value):
        return None
    return t.value.split("T")[0]


def _inside(t: TimeExpression, s: Statement) -> bool:
    pieces = s.content.pieces or ((s.content.start, s.content.end),)
    return any(start <= t.start and t.end <= end for start, end in pieces)


def _sentence_index(sentences: Sequence[tuple[int, int]], offset: int) -> int:
    for n, (start, end) in enumerate(sentences):
        if start <= offset < end:
            return n
    return max(len(sentences) - 1, 0)


def _anchor_offset(s: Statement) -> int:
    return s.cue.start if s.cue is not None else s.content.start


def _statement_range(s: Statement) -> tuple[int, int]:
    spans = [(s.content.start, s.content.end)]
    spans += [(x.start, x.end) for x in (s.source, s.cue) if x is not None]
    return min(a for a, _ in spans), max(b for _, b in spans)


def own_time(
    s: Statement, times: Sequence[TimeExpression], sentence: tuple[int, int]
) -> SaidOn | None:
    """A day in the statement's own sentences, outside its content, nearest to its cue."""
    first, last = _statement_range(s)
    low, high = min(first, sentence[0]), max(last, sentence[1])
    cue = _anchor_offset(s)
    days = [
        t
        for t in times
        if low <= t.start and t.end <= high and not _inside(t, s) and _day_value(t) is not None
    ]
    if not days:
        return None
    best = min(days, key=lambda t: abs(t.start - cue))
    return SaidOn(_day_value(best), f"time:{best.id}")


def occasion_time(
    text: str,
    s: Statement,
    times: Sequence[TimeExpression],
    sentences: Sequence[tuple[int, int]],
    index: int,
) -> SaidOn | None:
    """The date of the occasion the statement was made at (see the module's rule 2)."""
    start, end = sentences[index]
    noun = _definite_event(_outside_content(text, s, start, end))
    if noun is not None:
        for back in range(index - 1, -1, -1):
            found = _dated_event(text, times, sentences[back], noun)
            if found is not None:
                return found
    if index > 0 and _names_speaker(text[slice(*sentences[index - 1])], s):
        return _dated_event(text, times, sentences[index - 1], None)
    return None


def _outside_content(text: str, s: Statement, start: int, end: int) -> str:
    return text[start : max(start, s.content.start)] + " " + text[min(end, s.content.end) : end]


def _dated_event(
    text: str, times: Sequence[TimeExpression], sentence: tuple[int, int], noun: str | None
) -> SaidOn | None:
    words = text[slice(*sentence)]
    if (noun is None and _event_in(words) is None) or (
        noun is not None and not re.search(rf"\b{re.escape(noun)}s?\b", words.lower())
    ):
        return None
    for t in times:
        if sentence[0] <= t.start < sentence[1] and _day_value(t) is not None:
            return SaidOn(_day_value(t), f"event:{t.id}")
    return None


def _names_speaker(sentence: str, s: Statement) -> bool:
    if s.speaker is None:
        return False
    names = [w for w in s.speaker.name.split() if len(w) > 2 and w[0].isupper()]
    return any(re.search(rf"\b{re.escape(w)}\b", sentence) for w in names)


def assign_said_on(
    text: str,
    statements: Sequence[Statement],
    times: Sequence[TimeExpression],
    sentences: Sequence[tuple[int, int]],
) -> list[SaidOn]:
    """``said_on`` and its reason for each statement, in order (see the module docstring)."""
    if not sentences:
        sentences = [(0, len(text))]
    results: list[SaidOn] = []
    for n, s in enumerate(statements):
        index = _sentence_index(sentences, _anchor_offset(s))
        found = (
            own_time(s, times, sentences[index])
            or occasion_time(text, s, times, sentences, index)
            or _inherited(statements[:n], results, sentences, index, s)
        )
        results.append(found or SaidOn(None, None))
    return results


def _inherited(
    earlier: Sequence[Statement],
    results: Sequence[SaidOn],
    sentences: Sequence[tuple[int, int]],
    index: int,
    s: Statement,
) -> SaidOn | None:
    if s.speaker is None:
        return None
    for previous, said in zip(reversed(earlier), reversed(results), strict=True):
        if index - _sentence_index(sentences, _anchor_offset(previous)) > INHERIT_WINDOW:
            return None
        same = previous.speaker is not None and previous.speaker.name == s.speaker.name
        if same and said.value is not None:
            return SaidOn(said.value, f"inherited:{previous.id}")
    return None


def statement_times(s: Statement, times: Sequence[TimeExpression]) -> tuple[str, ...]:
    """Ids of the time expressions inside the statement's content: when the claim is about."""
    return tuple(t.id for t in times if _inside(t, s))
