"""Quantities: counts, money, percentages and measures, with their qualifier and unit.

"over 11,000 North Korean soldiers" -> ``Quantity(value=11000, qualifier="more_than",
unit="soldiers")``. The number is read by our own rules (digits with separators and scale
suffixes, written numbers, "dozens of", "a third of"); spaCy's parse says which noun it counts
(the ``nummod`` head, or the object of "of"). The word lists live in the ``quantities*.tsv``
files beside this module (read by ``quantities_lexicon.py``). Numbers that are names ("11th
Airborne Brigade", "MiG-29", "Article 5"), dates, times, durations, ages and phone numbers are
not quantities (``quantities_exclusions.py``).
"""

from __future__ import annotations

import dataclasses
import re
from bisect import bisect_right
from decimal import Decimal
from functools import cache

from spacy.attrs import LOWER
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span, Token

from claimledger.model import Article, Quantity, Statement
from claimledger.nlp import text_of, token_starts
from claimledger.normalize.quantities_exclusions import _PHONE, _is_excluded
from claimledger.normalize.quantities_lexicon import (
    _MONEY_SCALES,
    Qualifier,
    _lexicon,
    _Number,
)

# Digits with thousands separators or a decimal part, an optional glued currency prefix
# ("HK$3.5", which spaCy keeps as one token) and an optional glued scale ("2.3bn").
_DIGITS = re.compile(
    r"(?P<cur>[A-Za-z]{0,2}[$€£¥₹₽₩₴])?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<scale>k|m|mn|bn|b|tn|trn)?",
    re.IGNORECASE,
)
_GLUED_SCALES = {"k": 10**3, "m": 10**6, "mn": 10**6, "b": 10**9, "bn": 10**9}
_GLUED_SCALES |= {"tn": 10**12, "trn": 10**12}


def find_quantities(doc: Doc) -> list[Quantity]:
    """Every quantity in ``doc``, in text order, numbered q1, q2, ….

    Example: "Barhylevych reported that over 11,000 North Korean soldiers were deployed"
    -> ``[Quantity("q1", 27, 60, "over 11,000 North Korean soldiers", 11000, "more_than",
    "soldiers")]``
    """
    phones = [(m.start(), m.end()) for m in _PHONE.finditer(text_of(doc))]
    may_start = _may_start(doc)
    found: list[Quantity] = []
    i = 0
    while i < len(doc):
        if not may_start[i]:
            i += 1
            continue
        number = _read_range(doc, i)
        if number is None or _overlaps_chars(doc[i : number.end], phones):
            i += 1
            continue
        quantity, end = _build(doc, number)
        if quantity is not None:
            found.append(dataclasses.replace(quantity, id=f"q{len(found) + 1}"))
        i = max(end, i + 1)
    return found


def _may_start(doc: Doc) -> list[bool]:
    """Whether a number could begin at each token (a digit, a number word, "a", "half"): a
    cheap test that spares reading every other word, which was most of this stage's time.
    It reads the doc's arrays and its text, not Token objects, which cost more than the test."""
    words = _start_hashes()
    may = [h in words for h in doc.to_array(LOWER).tolist()]
    starts = token_starts(doc)
    for digits in _DIGIT_RUN.finditer(text_of(doc)):
        may[bisect_right(starts, digits.start()) - 1] = True
    return may


_NUMBER_STARTS = frozenset({"a", "an", "half"})
_DIGIT_RUN = re.compile(r"\d+")


@cache
def _start_hashes() -> frozenset[int]:
    """The hashes spaCy gives the lower-case forms of the words a number may start with."""
    return frozenset(get_string_id(w) for w in (*_lexicon().numbers, *_NUMBER_STARTS))


def attach_quantities(doc: Doc, article: Article) -> Article:
    """``article`` with its quantities (page furniture left out) and each statement's
    ``quantities`` set to the ids of those inside its content.

    Example: ``attach_quantities(nlp(article.text), article).quantities[0].unit == "soldiers"``
    """
    if text_of(doc) != article.text:
        raise ValueError(f"{article.path or article.id}: the Doc is not of this article's text")
    furniture = [(f.start, f.end) for f in article.furniture]
    kept = [q for q in find_quantities(doc) if not _overlaps(q, furniture)]
    quantities = tuple(dataclasses.replace(q, id=f"q{n}") for n, q in enumerate(kept, start=1))
    statements = tuple(
        dataclasses.replace(s, quantities=_inside(s, quantities)) for s in article.statements
    )
    return dataclasses.replace(article, quantities=quantities, statements=statements)


def _inside(statement: Statement, quantities: tuple[Quantity, ...]) -> tuple[str, ...]:
    content = statement.content
    pieces = list(content.pieces) or [(content.start, content.end)]
    return tuple(q.id for q in quantities if _overlaps(q, pieces))


def _overlaps(q: Quantity, spans: list[tuple[int, int]]) -> bool:
    return any(q.start < end and start < q.end for start, end in spans)


def _overlaps_chars(span: Span, spans: list[tuple[int, int]]) -> bool:
    return any(span.start_char < end and start < span.end_char for start, end in spans)


# --- reading numbers -------------------------------------------------------------------------


def _read_range(doc: Doc, i: int) -> _Number | None:
    """A number at token ``i``; a range ("2,000-3,000", "between 2,000 and 3,000") is read as
    its lower bound, marked vague so that it becomes at_least."""
    low = _read_number(doc, i)
    if low is None or low.end + 1 >= len(doc):
        return low
    joiner = doc[low.end].lower_
    before = doc[i - 1].lower_ if i > 0 else ""
    # "from 2,000 to 3,000" is a change between two figures, not a range.
    is_range = joiner in {"-", "–"} or (joiner == "to" and before != "from")
    if is_range or (joiner == "and" and before == "between"):
        high = _read_number(doc, low.end + 1)
        if high is not None and high.value > low.value and high.words == low.words:
            return dataclasses.replace(low, end=high.end, vague=True)
    return low


def _read_number(doc: Doc, i: int) -> _Number | None:
    match = _DIGITS.fullmatch(doc[i].text)
    if match is None:
        return _read_words(doc, i)
    value = Decimal(match["num"].replace(",", ""))  # the pattern admits only valid decimals
    if match["scale"]:
        value *= _GLUED_SCALES[match["scale"].lower()]
    end = i + 1
    # "1.5 million", "11 thousand"
    while end < len(doc) and _kind(doc[end]) == "scale":
        value *= _lexicon().numbers[doc[end].lower_][0]
        end += 1
    currency = _lexicon().units.get((match["cur"].lower(),)) if match["cur"] else None
    return _Number(i, end, value, currency=currency[0] if currency else None)


def _kind(token: Token) -> str | None:
    entry = _lexicon().numbers.get(token.lower_)
    return entry[1] if entry else None


def _read_words(doc: Doc, i: int) -> _Number | None:
    """Written numbers: "twenty-five", "two hundred and fifty", "a dozen", "half a million",
    "two thirds", "dozens", "tens of thousands"."""
    first = _kind(doc[i])
    if first == "vague":
        return _read_vague(doc, i)
    nxt = _kind(doc[i + 1]) if i + 1 < len(doc) else None
    article = doc[i].lower_ in {"a", "an"}
    if not (first == "unit" or (article and nxt in {"scale", "fraction"}) or _half_start(doc, i)):
        return None
    total, current, fraction = Decimal(0), Decimal(0), False
    end, previous = i, ""
    while end < len(doc):
        word, kind = doc[end].lower_, _kind(doc[end])
        if word in {"a", "an"} and (end == i or previous == "fraction"):
            current = current or Decimal(1)
        elif word in {"-", "and"} and _joins(doc, end, previous):
            pass
        elif kind == "unit" and _adds(doc, end, previous):
            current += _lexicon().numbers[word][0]
        elif kind == "scale" and end > i:
            scale = _lexicon().numbers[word][0]
            if scale >= 1000:
                total, current = total + (current or 1) * scale, Decimal(0)
            else:
                current = (current or 1) * scale
            fraction = False
        elif kind == "fraction" and (end > i or word == "half"):
            current, fraction = (current or 1) * _lexicon().numbers[word][0], True
        else:
            break
        previous = "joiner" if word in {"-", "and"} else kind or "unit"  # "a" counts as one
        end += 1
    if previous == "joiner":
        end -= 1
    value = total + current
    if end == i or (fraction and (end >= len(doc) or doc[end].lower_ not in {"of", "the"})):
        return None
    return _Number(i, end, value, fraction=fraction, words=True)


def _half_start(doc: Doc, i: int) -> bool:
    return doc[i].lower_ == "half" and i + 1 < len(doc) and doc[i + 1].lower_ in {
        "of", "the", "a", "an"}  # fmt: skip


def _joins(doc: Doc, i: int, previous: str) -> bool:
    """A hyphen inside "twenty-five" or the "and" of "two hundred and fifty"."""
    if i + 1 >= len(doc) or _kind(doc[i + 1]) != "unit":
        return False
    if doc[i].text == "-":
        return previous == "unit" and not doc[i - 1].whitespace_ and not doc[i].whitespace_
    return previous == "scale"


def _adds(doc: Doc, i: int, previous: str) -> bool:
    """Whether a unit word continues the number: "two hundred five", "twenty five", not
    "five six"."""
    if previous in {"", "scale", "joiner"}:
        return True
    value = _lexicon().numbers.get(doc[i - 1].lower_, (Decimal(0), ""))[0]
    return previous == "unit" and value in {20, 30, 40, 50, 60, 70, 80, 90}


def _read_vague(doc: Doc, i: int) -> _Number | None:
    # "scores" and "tens" are ordinary nouns ("test scores") unless "of" follows.
    if doc[i].lower_ in {"scores", "tens"} and (i + 1 >= len(doc) or doc[i + 1].lower_ != "of"):
        return None
    value, end = _lexicon().numbers[doc[i].lower_][0], i + 1
    while end + 1 < len(doc) and doc[end].lower_ == "of" and _kind(doc[end + 1]) == "vague":
        # "tens of thousands": 20 x 1,000 — the second word's base is half its smallest value.
        value *= _lexicon().numbers[doc[end + 1].lower_][0] / 2
        end += 2
    return _Number(i, end, value, vague=True, words=True)


# --- building the quantity -------------------------------------------------------------------


def _build(doc: Doc, number: _Number) -> tuple[Quantity | None, int]:
    """The quantity around ``number`` (None when it is a name, date, age…) and the token
    index where reading may go on."""
    start, end, value = number.start, number.end, number.value
    currency = number.currency
    prefix = _currency_before(doc, start) if currency is None else None
    if prefix is not None:
        currency, start = prefix
    after_qualifier, end = _qualifier_after(doc, end)
    scale = doc[end].lower_.rstrip(".") if currency and end < len(doc) else ""
    if scale in _MONEY_SCALES:
        value, end = value * _MONEY_SCALES[scale], end + 1
    unit, kind, end = _unit_after(doc, number, end, money=currency is not None)
    if kind == "time" or _is_excluded(doc, number, unit):
        return None, number.end
    if kind == "currency" or currency:
        unit = currency if currency else unit
    elif number.fraction:
        value, unit = round(value * 100, 2), "percent"
    before_qualifier, start = _qualifier_before(doc, start)
    qualifier: Qualifier = (
        before_qualifier or after_qualifier or ("at_least" if number.vague else "exactly")
    )
    # A full stop spaCy left on the last token ("€500m.") ends the sentence, not the quantity.
    begin, stop = doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text.rstrip("."))
    text = text_of(doc)[begin:stop]
    return Quantity("", begin, stop, text, _plain(value), qualifier, unit), end


def _plain(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _currency_before(doc: Doc, start: int) -> tuple[str, int] | None:
    for size in (2, 1):
        if start - size < 0:
            continue
        tokens = doc[start - size : start]
        unit = _lexicon().units.get(tuple(t.lower_ for t in tokens))
        # Only symbols and codes come first ("$5", "USD 5"); "euros 5" is not money.
        if unit and unit[1] == "currency" and not tokens.text.islower():
            return unit[0], start - size
    return None


def _qualifier_after(doc: Doc, end: int) -> tuple[Qualifier | None, int]:
    for size in (2, 1):
        words = tuple(t.lower_ for t in doc[end : end + size])
        if len(words) == size and words in _lexicon().after:
            return _lexicon().after[words], end + size
    return None, end


def _qualifier_before(doc: Doc, start: int) -> tuple[Qualifier | None, int]:
    for size in (3, 2, 1):
        if start - size < 0:
            continue
        words = tuple(t.lower_ for t in doc[start - size : start])
        if words in _lexicon().before:
            return _lexicon().before[words], start - size
    return None, start


def _unit_after(doc: Doc, number: _Number, end: int, money: bool) -> tuple[str | None, str, int]:
    """The unit that follows the number: a measure from the lexicon, or the counted noun.
    Returns (unit, kind, new end); kind is "" for a counted noun or no unit."""
    # A hyphen before a unit: "a 10-km march", "a 45-year-old".
    at = end + 1 if end < len(doc) and doc[end].text == "-" and not doc[end].whitespace_ else end
    for size in (3, 2, 1):
        words = tuple(t.lower_ for t in doc[at : at + size])
        unit = _lexicon().units.get(words) if len(words) == size else None
        if unit is None:
            continue
        if words == ("pounds",) and doc[number.start].ent_type_ == "MONEY":
            unit = ("GBP", "currency")
        if money and unit[1] != "currency":
            break
        return unit[0], unit[1], at + size
    if at > end and not money and at < len(doc) and doc[at].is_alpha:
        # "a 300-page report" counts pages; "a 10,000-strong force" counts the force.
        if doc[at].lower_ != "strong":
            return doc[at].lower_, "", at + 1
        force = doc[at + 1] if at + 1 < len(doc) else doc[at]
        return (force.lower_, "", at + 2) if force.pos_ == "NOUN" else (None, "", at + 1)
    # Money is its own unit: "$5 million aid package" counts dollars, not packages.
    noun = None if money else _counted_noun(doc, number, end)
    if noun is None:
        return None, "", end
    unit_text = noun.text if noun.tag_ in {"NNP", "NNPS"} else noun.lower_
    return unit_text, "", noun.i + 1


def _counted_noun(doc: Doc, number: _Number, end: int) -> Token | None:
    """The noun the number counts: the object of "of" after a vague number or a fraction
    ("dozens of wounded"), else the head the number modifies, taking in the words between
    ("11,000 North Korean soldiers")."""
    if end < len(doc) and doc[end].lower_ == "of":
        objects = [c for c in doc[end].children if c.dep_ == "pobj" and c.i > end]
        if objects and objects[0].pos_ in {"NOUN", "PROPN", "VERB", "ADJ"}:
            return objects[0] if objects[0].i - end <= 6 else None
        return None
    if number.vague and end < len(doc) and doc[end].pos_ in {"ADJ", "NOUN"}:
        return None if doc[end].tag_ not in {"NNS", "NNPS"} else doc[end]
    head = doc[number.end - 1].head
    while number.start <= head.i < number.end and head.head.i != head.i:
        head = head.head
    while head.dep_ == "compound" and head.head.i > head.i:
        head = head.head
    # Every word between must modify the noun ("North Korean"), not start a new phrase.
    between = doc[end : head.i] if end <= head.i <= end + 6 else None
    if (
        head.pos_ in {"NOUN", "PROPN"}
        and between is not None
        and all(head in t.ancestors and (t.pos_ != "PUNCT" or t.text == "-") for t in between)
    ):
        return head
    # The parse missed the attachment: a plural noun right after the number is what it counts.
    if end < len(doc) and doc[end].tag_ in {"NNS", "NNPS"}:
        return doc[end]
    return None
