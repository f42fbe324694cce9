"""Time expressions of an article, normalised and anchored (pipeline stage "normalize").

Recognition is by rules (:mod:`~claimledger.normalize.recognize`), normalisation by one function
per rule (:mod:`~claimledger.normalize.anchoring`, :mod:`~claimledger.normalize.relative`).
Relative expressions are anchored on the publication date, or on the speech time when they stand
inside a statement whose date is known (:mod:`~claimledger.normalize.said_on`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from spacy.tokens import Doc

from claimledger.model import TimeExpression
from claimledger.normalize import anchoring as a
from claimledger.normalize import relative as r
from claimledger.normalize.anchoring import Context, Normalized, Tense
from claimledger.normalize.lexicon import lookup
from claimledger.normalize.recognize import Mention, find_mentions

Normalizer = Callable[[Mention, Context], Normalized]

NORMALIZERS: dict[str, Normalizer] = {
    "iso": a.norm_full_date,
    "slash": a.norm_full_date,
    "monthday": a.norm_month_day,
    "daymonth": a.norm_month_day,
    "monthyear": a.norm_month_year,
    "month": a.norm_month,
    "weekday": a.norm_weekday,
    "dayword": a.norm_dayword,
    "thispod": a.norm_this_part_of_day,
    "clock": a.norm_clock,
    "noon": a.norm_noon,
    "shiftunit": r.norm_shift_unit,
    "fiscalyear": r.norm_shift_unit,
    "partofunit": r.norm_shift_unit,
    "yearend": r.norm_unit_end,
    "yearended": r.norm_year_ended,
    "theyear": r.norm_unit_end,
    "ago": r.norm_ago,
    "agoadj": r.norm_ago_adjective,
    "duration": r.norm_duration,
    "vague": r.norm_vague,
    "bareplural": r.norm_vague,
    "decade": a.norm_decade,
    "decadeword": a.norm_decade,
    "century": a.norm_century,
    "year": a.norm_year,
    "quarter": r.norm_quarter,
    "yearquarter": r.norm_year_quarter,
    "latestq": r.norm_latest_quarter,
    "season": r.norm_season,
    "ref": r.norm_ref,
    "set": r.norm_set,
    "every": r.norm_set,
    "holiday": a.norm_holiday,
    "thequarter": r.norm_latest_quarter,
    "weekend": r.norm_weekend,
    "monthrel": a.norm_month_relative_year,
}

# A value that a later "a year earlier" can count from: a calendar date, month, quarter or year.
_CONCRETE = re.compile(r"^\d{4}(?:-(?:\d\d(?:-\d\d)?|Q[1-4]|H[12]))?$")
# Rules whose value counts from the reference: their own value must not become the next
# reference, or "a year ago … a year earlier" would step back twice.
_FROM_REFERENCE = frozenset({"ago", "agoadj", "latestq"})
_FUTURE_AUX = frozenset({"will", "'ll", "shall", "wo", "would", "going", "gon"})
_PAST_AUX = frozenset({"did", "had", "has", "have", "was", "were", "'d", "'ve"})
_PRESENT_AUX = frozenset({"is", "are", "am", "'s", "'re"})


@dataclass(frozen=True, slots=True)
class Resolved:
    """A mention with its normalisation and what it was anchored on."""

    mention: Mention
    result: Normalized
    tense: Tense
    anchor: str  # "published", "speech" or "none"

    def to_expression(self, number: int) -> TimeExpression:
        m, n = self.mention, self.result
        anchor = self.anchor if n.status == "anchored" else "none"
        return TimeExpression(
            f"t{number}",
            m.start,
            m.end,
            m.text,
            n.value,
            anchor,  # type: ignore[arg-type]
            n.type,
            n.begin,
            n.end,
        )


def normalize(mention: Mention, ctx: Context) -> Normalized:
    """The TIMEX3 value of ``mention`` resolved against ``ctx``.

    Example:
        >>> from datetime import date
        >>> m = find_mentions("last week")[0]
        >>> normalize(m, Context(date(2024, 12, 9))).value
        '2024-W49'
    """
    return NORMALIZERS[mention.rule](mention, ctx)


def resolve_mentions(
    mentions: Sequence[Mention], anchor: date | None, tenses: Sequence[Tense], label: str
) -> list[Resolved]:
    """Normalise mentions in text order, each knowing the latest concrete date before it."""
    resolved: list[Resolved] = []
    reference: str | None = None
    for mention, tense in zip(mentions, tenses, strict=True):
        result = normalize(mention, Context(anchor, tense, reference))
        resolved.append(Resolved(mention, result, tense, label))
        if (
            mention.rule not in _FROM_REFERENCE
            and result.value is not None
            and result.type == "DATE"
            and _CONCRETE.match(result.value)
        ):
            reference = result.value
    return resolved


def find_time_expressions(
    text: str, published: str | None, doc: Doc | None = None
) -> tuple[TimeExpression, ...]:
    """The time expressions of ``text`` anchored on ``published`` (no speech times).

    Example:
        >>> [t.value for t in find_time_expressions("Talks ended on Saturday.", "2024-12-10")]
        ['2024-12-07']
    """
    mentions = find_mentions(text)
    anchor = date.fromisoformat(published) if published else None
    tenses = [mention_tense(text, doc, m.start, m.end) for m in mentions]
    resolved = resolve_mentions(mentions, anchor, tenses, "published")
    return tuple(r.to_expression(n) for n, r in enumerate(resolved, start=1))


def mention_tense(text: str, doc: Doc | None, start: int, end: int) -> Tense:
    """The tense an expression is read in: a signal word's before it, else its clause's."""
    signal = _signal_tense(text, start)
    if signal is not None or doc is None:
        return signal
    return clause_tense(doc, start, end)


def _signal_tense(text: str, start: int) -> Tense:
    """The direction a signal word right before the expression fixes, whatever the verb's tense:
    "a dividend declared Tuesday, payable Dec. 7", "extended the offer until Friday"."""
    before = text[max(0, start - 30) : start].lower().split()
    for size in (3, 2, 1):
        if len(before) >= size:
            value = lookup("signal", " ".join(before[-size:]))
            if value is not None:
                return "future" if value == "future" else "past"
    return None


def clause_tense(doc: Doc, start: int, end: int) -> Tense:
    """The tense of the clause a time expression modifies, from the verb that governs it.

    Past tense sends "Friday" to the Friday before the anchor, future to the one after; it is
    how HeidelTime resolves weekdays and months named without a year.
    """
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    token = span.root
    for _ in range(8):
        if token.pos_ in ("VERB", "AUX"):
            break
        if token.head is token:
            return None
        token = token.head
    else:
        return None
    aux = {c.lower_ for c in token.children if c.dep_ in ("aux", "auxpass")}
    if token.lower_ in _FUTURE_AUX or aux & _FUTURE_AUX:
        return "future"
    if "to" in aux and token.tag_ in ("VB", "VBN"):
        return "future"  # "plans to vote Friday", "expects it to be completed by Dec. 15"
    if token.tag_ == "VBN" and aux & _PRESENT_AUX and not aux & _PAST_AUX:
        return "present"  # a present passive: "the case is heard in May"
    if token.tag_ in ("VBD", "VBN") or aux & _PAST_AUX:
        return "past"
    if token.tag_ == "VBG" and aux & _PRESENT_AUX:
        return "future"  # "is meeting Friday"
    return "present" if token.tag_ in ("VBZ", "VBP", "VBG") else None
