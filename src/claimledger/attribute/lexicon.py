"""The attribution stage's word lists, read once from the data files beside this module."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True, slots=True)
class Cue:
    lemma: str
    cls: str  # speech, assert, report, belief, deny, confirm, hedge, refuse
    takes_np_content: bool


def _rows(name: str) -> list[list[str]]:
    resource = resources.files("claimledger.attribute").joinpath(name)
    if not resource.is_file():  # the learned list is optional: rules work without it
        return []
    text = resource.read_text(encoding="utf-8")
    return [
        line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")
    ]


@lru_cache(maxsize=1)
def hand_cues() -> dict[str, Cue]:
    """The hand-written cue verbs (cues.tsv)."""
    return {r[0]: Cue(r[0], r[1], r[2] == "yes") for r in _rows("cues.tsv")}


@lru_cache(maxsize=1)
def cues() -> dict[str, Cue]:
    """Every cue verb: the hand-written ones, then those learned from data (cues.learned.tsv,
    written by ``claimledger train attribution``)."""
    learned = {r[0]: Cue(r[0], r[1], r[2] == "yes") for r in _rows("cues.learned.tsv")}
    return {**learned, **hand_cues()}


@lru_cache(maxsize=1)
def roles() -> dict[str, str]:
    return {r[0]: r[1] for r in _rows("roles.tsv")}


@lru_cache(maxsize=1)
def nouns() -> dict[str, str]:
    return {r[0]: r[1] for r in _rows("nouns.tsv")}


@lru_cache(maxsize=1)
def demonyms() -> dict[str, str]:
    return {r[0]: r[1] for r in _rows("demonyms.tsv")}


def noun_kind(lemma: str) -> str | None:
    return nouns().get(lemma.lower())
