"""The attribution stage's word lists, read once from the data files beside this module."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

# Where the learned cue verbs are read from; ``claimledger train attribution`` points this at the
# file it is writing, so that the models it trains see the candidates the new list produces.
_learned_override: list[Path] = []


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


_USE_LEARNED: ContextVar[bool] = ContextVar("claimledger_learned_cues", default=True)


@contextmanager
def learned_cues_enabled(enabled: bool) -> Iterator[None]:
    """Within the block, ``cues()`` includes the learned verbs only if ``enabled`` (the
    ``--attribution rules`` mode turns them off)."""
    token = _USE_LEARNED.set(enabled)
    try:
        yield
    finally:
        _USE_LEARNED.reset(token)


def cues() -> dict[str, Cue]:
    """The cue verbs in force: hand-written and learned, or hand-written only (rules mode)."""
    return _all_cues() if _USE_LEARNED.get() else hand_cues()


@lru_cache(maxsize=1)
def _all_cues() -> dict[str, Cue]:
    """Every cue verb: the hand-written ones, then those learned from data (cues.learned.tsv,
    written by ``claimledger train attribution``)."""
    if _learned_override:
        text = _learned_override[0].read_text(encoding="utf-8")
        rows = [r.split("\t") for r in text.splitlines() if r.strip() and not r.startswith("#")]
    else:
        rows = _rows("cues.learned.tsv")
    learned = {r[0]: Cue(r[0], r[1], r[2] == "yes") for r in rows}
    return {**learned, **hand_cues()}


def use_learned_cues(path: Path | None) -> None:
    """Read the learned cue verbs from ``path`` from now on (None: the shipped file again)."""
    _learned_override.clear()
    if path is not None:
        _learned_override.append(path)
    _all_cues.cache_clear()


@lru_cache(maxsize=1)
def roles() -> dict[str, str]:
    return {r[0]: r[1] for r in _rows("roles.tsv")}


@lru_cache(maxsize=1)
def nouns() -> dict[str, str]:
    return {r[0]: r[1] for r in _rows("nouns.tsv") if r[1] != "cue_noun"}


@lru_cache(maxsize=1)
def cue_nouns() -> frozenset[str]:
    """Nouns that attribute: "Trump's claim that …", "criticism of …", "her plan to …"."""
    return frozenset(r[0] for r in _rows("nouns.tsv") if r[1] == "cue_noun")


@lru_cache(maxsize=1)
def demonyms() -> dict[str, str]:
    return {r[0]: r[1] for r in _rows("demonyms.tsv")}


def noun_kind(lemma: str) -> str | None:
    return nouns().get(lemma.lower())
