"""Numbers that are not quantities: names and labels ("11th Airborne Brigade", "MiG-29",
"Article 5"), model numbers, scores, references ("these two countries"), ages, dates, years and
phone numbers. ``quantities.py`` reads a number, then asks :func:`_is_excluded` whether to keep it.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from claimledger.nlp import text_of
from claimledger.normalize.quantities_lexicon import _MONEY_SCALES, _lexicon, _Number

# North American phone numbers and international ones with a "+": never counts.
_PHONE = re.compile(r"(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)\s?|\b\d{3}[\s.-])\d{3}[\s.-]\d{4}\b")
_MONTHS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec",
}  # fmt: skip
# Entity types whose numbers are part of a name when the entity also holds a proper noun.
_NAME_ENTS = {"PRODUCT", "LAW", "ORG", "FAC", "WORK_OF_ART", "EVENT", "GPE", "LOC", "PERSON"}
# Before a small written number these make it a reference, not a new figure ("these two
# countries"); "its 300 employees" keeps digits, which carry information.
_REFERRING = {"the", "these", "those", "both", "all"}


def _is_excluded(doc: Doc, number: _Number, unit: str | None) -> bool:
    """Names, labels, dates, years, ages and the pronoun "one": numbers that are not counts."""
    return (
        _is_label(doc, number, unit)
        or _is_date(doc, number, unit)
        or _is_model_number(doc, number)
        or _is_score(doc, number)
        or _is_reference(doc, number, unit)
        or _is_age(doc, number)
    )


def _is_model_number(doc: Doc, number: _Number) -> bool:
    """Letters glued to the number: "MiG-29" split oddly, "737MAX", "5G" (not "5km")."""
    first, last = doc[number.start], doc[number.end - 1]
    if first.i > 1 and doc[first.i - 1].text == "-" and not doc[first.i - 1].whitespace_:
        word = doc[first.i - 2]
        if word.is_alpha and not word.whitespace_:
            return True
    if number.end < len(doc) and not last.whitespace_ and doc[number.end].is_alpha:
        glued = doc[number.end].lower_
        return (glued,) not in _lexicon().units and glued not in _MONEY_SCALES
    return False


def _is_score(doc: Doc, number: _Number) -> bool:
    """ "won 3-1", "a 1-0 win": two numbers joined by a hyphen that are not a range."""
    start, end = number.start, number.end
    ahead = end + 1 < len(doc) and doc[end].text == "-" and doc[end + 1].like_num
    behind = start > 1 and doc[start - 1].text == "-" and doc[start - 2].like_num
    glued_ahead = ahead and not doc[end - 1].whitespace_
    return bool(glued_ahead or (behind and not doc[start - 1].whitespace_))


def _is_reference(doc: Doc, number: _Number, unit: str | None) -> bool:
    """ "Apollo 11" (a proper noun before a bare number), the pronoun "one", and small written
    numbers after "the"/"these" ("these two countries" refers, it does not count)."""
    before = doc[number.start - 1] if number.start > 0 else None
    named = before is not None and any(c.isupper() for c in before.text)  # "MiG", "iPhone"
    if before is not None and named and not before.is_sent_start:
        if unit is None and before.tag_ in {"NNP", "NNPS"}:
            return True
        # "Boeing 737 jets", "MiG 29 fighters": the name modifies the same noun as the number
        # (unlike "gave Ukraine 100 tanks", where the name is the verb's object).
        if before.dep_ in {"nmod", "compound"} and before.head.i >= number.end:
            return True
    if number.words and unit is None and doc[number.start].lower_ in {"one", "a", "an"}:
        return True
    return bool(number.words and before is not None and before.lower_ in _REFERRING) and (
        number.value <= 10
    )


def _is_age(doc: Doc, number: _Number) -> bool:
    """ "Sabrina Singh (45)": a bare number in brackets after a person's name."""
    start, end = number.start, number.end
    if start < 2 or end >= len(doc):
        return False
    bracketed = doc[start - 1].text == "(" and doc[end].text == ")"
    return bracketed and doc[start - 2].ent_type_ == "PERSON"


def _is_label(doc: Doc, number: _Number, unit: str | None) -> bool:
    first = doc[number.start]
    if first.ent_type_ in _NAME_ENTS:
        entity = next((e for e in doc.ents if e.start <= first.i < e.end), None)
        if entity is not None and any(t.tag_ in {"NNP", "NNPS"} and t.is_alpha for t in entity):
            return True
    words = text_of(doc)[max(0, first.idx - 20) : first.idx].split()
    if not words:
        return False
    word = words[-1]
    # "Flight 17", "aged 45"; but "the army 20 km back" keeps its distance.
    if unit is not None and not word[:1].isupper():
        return False
    return word.lower() in _lexicon().labels


def _is_date(doc: Doc, number: _Number, unit: str | None) -> bool:
    neighbours = [doc[number.start - 1]] if number.start > 0 else []
    if number.end < len(doc):
        neighbours.append(doc[number.end])
    if any(t.lower_.rstrip(".") in _MONTHS and t.is_title for t in neighbours):
        return True
    text = doc[number.start].text
    year_like = len(text) == 4 and text.isdigit() and 1000 <= int(text) < 2200
    if year_like and number.end - number.start == 1:
        return unit is None or doc[number.start].ent_type_ == "DATE"
    return False
