"""The quantity rules' word lists, read once from the ``quantities*.tsv`` files beside this
module, and the number record that the reader (``quantities.py``) and the exclusion rules
(``quantities_exclusions.py``) share.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from typing import Literal, cast

Qualifier = Literal["more_than", "about", "at_least", "at_most", "exactly"]
Phrase = tuple[str, ...]

# Separate scale tokens that only mean "million"/"billion" after money ("€500 m" is not metres).
_MONEY_SCALES = {"k": 10**3, "m": 10**6, "b": 10**9}


@dataclass(frozen=True, slots=True)
class _Lexicon:
    before: dict[Phrase, Qualifier]
    after: dict[Phrase, Qualifier]
    numbers: dict[str, tuple[Decimal, str]]
    units: dict[Phrase, tuple[str, str]]
    labels: frozenset[str]


@dataclass(frozen=True, slots=True)
class _Number:
    """A number read from tokens ``start``..``end`` (exclusive)."""

    start: int
    end: int
    value: Decimal
    vague: bool = False
    fraction: bool = False
    currency: str | None = None
    words: bool = False


def _rows(name: str) -> list[list[str]]:
    text = resources.files("claimledger.normalize").joinpath(name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line.strip() and line[0] != "#"]


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    qualifiers = _rows("quantities.tsv")
    return _Lexicon(
        before={_phrase(r[0]): cast(Qualifier, r[1]) for r in qualifiers if r[2] == "before"},
        after={_phrase(r[0]): cast(Qualifier, r[1]) for r in qualifiers if r[2] == "after"},
        numbers={r[0]: (Decimal(r[1]), r[2]) for r in _rows("quantities_numbers.tsv")},
        units={_phrase(r[0]): (r[1], r[2]) for r in _rows("quantities_units.tsv")},
        labels=frozenset(r[0] for r in _rows("quantities_names.tsv")),
    )


def _phrase(surface: str) -> Phrase:
    # "-plus" is written glued in the data file but spaCy splits it into "-" and "plus".
    return tuple(re.sub(r"^-(?=\w)", "- ", surface).split())
