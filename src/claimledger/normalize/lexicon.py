"""The normalisation stage's word lists and patterns, read once from the data files beside it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

# Numeric pieces shared by several patterns. A year is 1600-2099: older years are rare in news and
# a bare four-digit number below that is far more often a count.
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?<![\d$£€.,])(?:1[6-9]\d\d|20\d\d)(?![\d%]|,\d|\.\d|\s*(?:%|percent|per\b))"


@dataclass(frozen=True, slots=True)
class Rule:
    """One recognition pattern: its name (which picks the normaliser) and compiled regex."""

    name: str
    regex: re.Pattern[str]


def _rows(name: str) -> list[list[str]]:
    text = resources.files("claimledger.normalize").joinpath(name).read_text(encoding="utf-8")
    return [
        line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")
    ]


@lru_cache(maxsize=1)
def words() -> dict[str, dict[str, str]]:
    """Category -> word -> value, from ``timex_words.tsv``."""
    table: dict[str, dict[str, str]] = {}
    for category, word, value in _rows("timex_words.tsv"):
        table.setdefault(category, {})[word] = value
    return table


def lookup(category: str, word: str) -> str | None:
    """The value of ``word`` in ``category``, ignoring case and inner runs of blanks."""
    return words().get(category, {}).get(" ".join(word.lower().split()))


def _alternation(category: str) -> str:
    # Longest first, so that "sept." is not cut to "sep" and "a couple of" beats "a".
    entries = sorted(words()[category], key=len, reverse=True)
    return "(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in entries) + ")"


def _number() -> str:
    # "twenty-four" and "twenty four" are one number, but "a five-hour" is not "a" + "five".
    word = _alternation("number")
    tens = (
        "(?:"
        + "|".join(
            w
            for w, v in words()["number"].items()
            if v.isdigit() and int(v) >= 20 and " " not in w and w not in ("a", "an")
        )
        + ")"
    )
    units = "(?:one|two|three|four|five|six|seven|eight|nine)"
    return rf"(?:\d+(?:\.\d+)?|{tens}[- ]{units}|{word})"


def _numbers_between(low: int, high: int) -> str:
    return "|".join(
        w
        for w, v in words()["number"].items()
        if v.isdigit() and low <= int(v) <= high and w not in ("a", "an") and " " not in w
    )


def _spoken_year() -> str:
    # Broadcast transcripts spell years out: "nineteen ninety-six", "nineteen oh five". Only the
    # 1800s and 1900s: "two thousand" alone is far more often a count, so the year rule accepts
    # it only after "the year".
    century, tens = _numbers_between(18, 19), _numbers_between(20, 90)
    units, teens = _numbers_between(1, 9), _numbers_between(10, 19)
    return (
        rf"(?:{century})[ -](?:(?:{tens})(?:[ -](?:{units}))?|{teens}|oh[ -](?:{units}))"
        r"(?![\w-])"
    )


def year_number(raw: str) -> int:
    """``'1996'`` -> 1996; ``'nineteen ninety-six'`` -> 1996; ``'two thousand and one'`` -> 2001."""
    text = " ".join(raw.lower().replace("-", " ").split())
    if text.isdigit():
        return int(text)
    pieces = [w for w in text.split() if w not in ("and", "oh")]
    if pieces[:2] == ["two", "thousand"]:
        base, rest = 2000, pieces[2:]
    else:
        base, rest = int(lookup("number", pieces[0]) or 0) * 100, pieces[1:]
    return base + sum(int(lookup("number", w) or 0) for w in rest)


@lru_cache(maxsize=1)
def rules() -> tuple[Rule, ...]:
    """The patterns of ``timex_patterns.tsv`` with their placeholders filled, in file order."""
    pieces = {c: _alternation(c) for c in words()}
    spoken = _spoken_year()
    pieces.update(day=_DAY, year=f"(?:{_YEAR}|{spoken})", num=_number())
    pieces.update(millennium=rf"two[ -]thousand(?:[ -](?:and[ -])?(?:{_numbers_between(1, 19)}))?")
    compiled = []
    for name, pattern in _rows("timex_patterns.tsv"):
        body = re.sub(r"\{([a-z]+)\}", lambda m: pieces[m.group(1)], pattern)
        # Whole words only: "Mayor" holds no month and "2024a" no year.
        regex = re.compile(rf"(?<![\w'-])(?:{body})(?![\w-])", re.IGNORECASE)
        compiled.append(Rule(name, regex))
    return tuple(compiled)
