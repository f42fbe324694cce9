"""Inferring a publication date from the text itself, when the input gives none.

Two signals are trusted, both needing a full date with its year in the text:

* a dateline: a full date in the first lines ("WASHINGTON, Dec. 10, 2024 —", "Published
  2024-12-10");
* the latest past date plus weekday references after it: "a report on December 5, 2024 … said on
  Monday" puts the article on or after that Monday, so the article is dated to the latest day
  those weekdays reach.

Without a year anywhere, nothing is inferred: a wrong year would be worse than partial values.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from claimledger.normalize import calendar as cal
from claimledger.normalize.anchoring import Context
from claimledger.normalize.lexicon import lookup
from claimledger.normalize.recognize import Mention
from claimledger.normalize.timex import normalize

# How far into the text a dateline may sit: a headline, a byline and the dateline itself.
DATELINE_CHARS = 400
# What may precede the date on a dateline's line: a place ("KYIV,"), a label ("Updated:"), a
# weekday — nothing that makes it a sentence.
_DATELINE_LEAD = re.compile(
    r"^\s*(?:[A-Z][\w.'’ -]{0,40},\s*)?(?:(?:published|updated|posted|dated?)\b[:\s]*)?"
    r"(?:on\s+)?$",
    re.IGNORECASE,
)
_FULL_DATE_RULES = frozenset({"iso", "slash", "monthday", "daymonth"})


@dataclass(frozen=True, slots=True)
class Inference:
    published: str
    reason: str  # for the notice: "dateline 'Dec. 10, 2024'"


def infer_published(text: str, mentions: Sequence[Mention]) -> Inference | None:
    """The publication date the text pins, if it pins one.

    Example:
        >>> from claimledger.normalize.recognize import find_mentions
        >>> text = "KYIV, Dec. 10, 2024 - Troops moved."
        >>> infer_published(text, find_mentions(text)).published
        '2024-12-10'
    """
    full = [(m, d) for m in mentions if (d := _full_date(m)) is not None]
    for mention, day in full:
        if mention.start < DATELINE_CHARS and _DATELINE_LEAD.match(_line_before(text, mention)):
            return Inference(day.isoformat(), f"dateline {mention.text!r}")
    if not full:
        return None
    latest_mention, latest = max(full, key=lambda pair: pair[1])
    weekdays = [m for m in mentions if m.rule == "weekday" and "shift" not in m.parts]
    if not weekdays:
        return None
    reached = max(
        cal.weekday_after(latest, int(lookup("weekday", m.parts["wd"]) or 1), strictly=True)
        for m in weekdays
    )
    return Inference(
        reached.isoformat(),
        f"latest date {latest_mention.text!r} and the weekdays mentioned after it",
    )


def _line_before(text: str, mention: Mention) -> str:
    return text[text.rfind("\n", 0, mention.start) + 1 : mention.start]


def _full_date(mention: Mention) -> date | None:
    if mention.rule not in _FULL_DATE_RULES or "y" not in mention.parts:
        return None
    result = normalize(mention, Context(None))
    if result.value is None or len(result.value) < 10:
        return None
    try:
        return date.fromisoformat(result.value[:10])
    except ValueError:
        return None
