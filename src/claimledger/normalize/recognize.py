"""Finding time expressions in text: every pattern of ``timex_patterns.tsv``, longest match first.

Recognition is rules over the raw text (the HeidelTime approach), not a date-parsing library:
the extents must follow TimeML conventions exactly and every mention must keep its offsets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from claimledger.normalize.lexicon import lookup, rules

# Month and weekday words that are also common English words: alone, they count as a date only
# after a word that introduces one ("in May", "last March"), never as "may" or "March on".
_AMBIGUOUS = frozenset({"may", "march", "mar.", "sun.", "sat.", "wed.", "mon.", "jan", "sept"})
_INTRODUCERS = frozenset(
    [
        "in",
        "on",
        "since",
        "until",
        "till",
        "by",
        "from",
        "through",
        "during",
        "early",
        "late",
        "mid",
        "last",
        "next",
        "this",
        "of",
        "before",
        "after",
        "between",
        "and",
        "to",
        "each",
        "every",
    ]
)


_NAME_AFTER = re.compile(r"\s+[A-Z][a-z]")
_OF_AFTER = re.compile(r"\s+of\b")


@dataclass(frozen=True, slots=True)
class Mention:
    """A recognised time expression before normalisation: where it is, which rule found it and
    the pieces (named groups) that rule captured."""

    start: int
    end: int
    text: str
    rule: str
    parts: dict[str, str]


def find_mentions(text: str) -> list[Mention]:
    """Every time expression of ``text``, without overlaps, in text order.

    Example:
        >>> [m.text for m in find_mentions("He spoke on Monday, Dec. 9, 2024, for two hours.")]
        ['Monday, Dec. 9, 2024', 'two hours']
    """
    candidates: list[tuple[int, int, int, Mention]] = []
    for order, rule in enumerate(rules()):
        for match in rule.regex.finditer(text):
            parts = {k: v for k, v in match.groupdict().items() if v is not None}
            mention = _without_article(
                Mention(match.start(), match.end(), match.group(0), rule.name, parts)
            )
            if _plausible(text, mention):
                candidates.append((-(mention.end - mention.start), mention.start, order, mention))
    chosen: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for _, _, _, mention in sorted(candidates, key=lambda c: c[:3]):
        if not any(mention.start < end and start < mention.end for start, end in taken):
            chosen.append(mention)
            taken.append((mention.start, mention.end))
    return sorted(chosen, key=lambda m: m.start)


def _plausible(text: str, mention: Mention) -> bool:
    """Filters that a regex cannot express: capitalised names, ambiguous words, bare numbers."""
    for key in ("month", "wd", "holiday"):
        word = mention.parts.get(key)
        if word is not None and not word[0].isupper():
            return False
    if mention.rule == "month" and mention.parts["month"].lower() in _AMBIGUOUS:
        if _NAME_AFTER.match(text, mention.end):
            return False  # "Jan Kavan", "May Day": a name, not a month
        return bool(mention.parts.get("shift") or mention.parts.get("mod")) or _introduced(
            text, mention.start
        )
    if mention.rule == "season" and len(mention.parts) == 1:
        # "fall" and "spring" are verbs more often than seasons.
        return _introduced(text, mention.start, ("the", "this", "that", "last", "next"))
    if mention.rule in ("duration", "ago"):
        return (
            _plausible_amount(mention) and not _fraction(text, mention) and not _rate(text, mention)
        )
    return True


def _without_article(mention: Mention) -> Mention:
    """TimeML leaves "the" out of an adjective: "the [third-quarter] results", "the [14-day]
    limit", but keeps it in "[the third quarter]"."""
    words = mention.text.split(None, 1)
    if len(words) == 2 and words[0].lower() == "the" and "-" in words[1] and " " not in words[1]:
        cut = mention.text.index(words[1])
        return Mention(mention.start + cut, mention.end, words[1], mention.rule, mention.parts)
    return mention


def _introduced(text: str, start: int, words: tuple[str, ...] = ()) -> bool:
    before = text[max(0, start - 12) : start].split()
    if not before:
        return False
    word = before[-1].lower().strip(",")
    return word in words if words else word in _INTRODUCERS


def _fraction(text: str, mention: Mention) -> bool:
    # "three-quarters of its food", "more than a quarter of the market": a share, not a time.
    unit, num = mention.parts.get("unit", "").lower(), mention.parts.get("num", "").lower()
    whole = num in ("a", "an") or "-" in mention.text
    return unit.startswith("quarter") and whole and _OF_AFTER.match(text, mention.end) is not None


def _rate(text: str, mention: Mention) -> bool:
    """ "$1.76 a year", "358,000 a month", "700 seats a week", "24 hours a day": the per-unit of
    a rate, not a stretch of time."""
    if mention.parts.get("num", "").lower() not in ("a", "an") or mention.rule != "duration":
        return False
    before = text[max(0, mention.start - 20) : mention.start].split()
    if not before:
        return False
    word = before[-1].lower().strip(",")
    counted = word.endswith("s") and word.isalpha() and word not in _NOT_COUNTS
    return any(ch.isdigit() for ch in word) or counted


# Words ending in "s" that do not count anything before "a week": "is", "was", "this" …
_NOT_COUNTS = frozenset({"is", "was", "has", "this", "its", "his", "as", "us", "less", "plus"})


def _plausible_amount(mention: Mention) -> bool:
    # "a day" is a duration, but "a second" and "a few minutes" in a quote are too vague to
    # matter; digits are trusted, words only when they are numbers of the lexicon.
    num = mention.parts.get("num", "")
    unit = mention.parts.get("unit", "").lower()
    half = "andhalf" in mention.parts
    if num.lower() in ("a", "an") and unit in ("second", "minute", "weekend") and not half:
        return False
    return lookup("unit", unit) is not None
