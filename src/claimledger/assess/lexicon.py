"""The assess stage's word lists and the arithmetic of commitments, read once from data files.

A commitment is a polarity (+1 happened, -1 did not) and a strength (3 certain, 2 probable,
1 possible, 0 uncommitted). Embedding composes commitments: the polarities multiply and the
weaker strength wins, so "may" under "said" is possible and "not" under "denied" is positive.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Literal

from claimledger.model import Factuality

Polarity = Literal[1, -1]
STRENGTHS = {"CT": 3, "PR": 2, "PS": 1, "Uu": 0}
_PREFIX = {3: "CT", 2: "PR", 1: "PS"}


@dataclass(frozen=True, slots=True)
class Commitment:
    """How firmly an event is presented: ``Commitment(-1, 3)`` is CT-, ``strength == 0`` is Uu."""

    polarity: Polarity = 1
    strength: int = 3

    @property
    def label(self) -> Factuality:
        if self.strength <= 0:
            return "Uu"
        sign = "+" if self.polarity > 0 else "-"
        label: Factuality = f"{_PREFIX[min(self.strength, 3)]}{sign}"  # type: ignore[assignment]
        return label

    def then(self, inner: Commitment) -> Commitment:
        """``inner`` as presented inside ``self`` ("may" inside "said" -> possible)."""
        polarity: Polarity = 1 if self.polarity == inner.polarity else -1
        return Commitment(polarity, min(self.strength, inner.strength))

    def capped(self, strength: int) -> Commitment:
        return Commitment(self.polarity, min(self.strength, strength))

    def negated(self) -> Commitment:
        return Commitment(-1 if self.polarity > 0 else 1, self.strength)


CERTAIN = Commitment(1, 3)
UNCOMMITTED = Commitment(1, 0)


def parse_label(label: str) -> Commitment:
    """``"PR-"`` -> ``Commitment(-1, 2)``; ``"Uu"`` -> uncommitted."""
    if label == "Uu":
        return UNCOMMITTED
    if len(label) != 3 or label[:2] not in STRENGTHS or label[2] not in "+-":
        raise ValueError(f"not a FactBank label: {label!r}")
    return Commitment(1 if label[2] == "+" else -1, STRENGTHS[label[:2]])


@dataclass(frozen=True, slots=True)
class Marker:
    word: str
    kind: str  # negation, modal, future, adverb, condition
    strength: int


@dataclass(frozen=True, slots=True)
class Embedder:
    """What an embedding predicate does to its complement, plain and negated."""

    lemma: str
    complement: Commitment
    when_negated: Commitment | Literal["keep", "flip"]


@dataclass(frozen=True, slots=True)
class CueRule:
    key: str
    plain: Commitment
    negated: Commitment


def _rows(name: str) -> list[list[str]]:
    text = resources.files("claimledger.assess").joinpath(name).read_text(encoding="utf-8")
    return [
        line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")
    ]


@lru_cache(maxsize=1)
def _all_markers() -> tuple[Marker, ...]:
    return tuple(Marker(r[0], r[1], STRENGTHS[r[2]]) for r in _rows("markers.tsv"))


@lru_cache(maxsize=1)
def markers() -> dict[str, Marker]:
    """Negation, modal, hedge and condition words by lower-cased form."""
    return {m.word: m for m in _all_markers() if not m.kind.startswith("no_comment")}


def marker(word: str) -> Marker | None:
    """The marker spelled ``word``, curly apostrophes read as straight ("n’t")."""
    return markers().get(word.lower().replace("’", "'"))


@lru_cache(maxsize=1)
def no_comment_words(kind: str) -> frozenset[str]:
    """``no_comment_verb`` lemmas or ``no_comment_object`` words."""
    return frozenset(m.word for m in _all_markers() if m.kind == kind)


def _negated(value: str) -> Commitment | Literal["keep", "flip"]:
    if value == "keep":
        return "keep"
    if value == "flip":
        return "flip"
    return parse_label(value)


@lru_cache(maxsize=1)
def embedders() -> dict[str, Embedder]:
    return {
        r[0]: Embedder(r[0], parse_label(r[1]), _negated(r[2])) for r in _rows("predicates.tsv")
    }


@lru_cache(maxsize=1)
def cue_rules() -> dict[str, CueRule]:
    return {r[0]: CueRule(r[0], parse_label(r[1]), parse_label(r[2])) for r in _rows("cues.tsv")}
