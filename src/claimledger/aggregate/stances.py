"""Where each source stands on a proposition, and what the sources together make of it.

A claim's stance on its proposition comes from its polarity (the proposition is the positive
form) and its commitment: put as certain, it supports or denies; put as probable or possible
("suggest", "may"), it hedges, leaning one way; uncommitted ("declined to comment"), it
declines. One speaker's several claims give one stance, the firmest (the latest of equally
firm ones), so that a speaker repeating herself counts once.

Counting *independent* sources:
- a spokesperson counts with the organisation she speaks for (Singh with the Pentagon);
- a relayed claim ("the Kyiv Independent cited an NRC report") counts for the original source,
  the relay shown in the evidence;
- copies of one wire story (a ``Report``) count once: their claims are one piece of evidence
  with the copies listed;
- unnamed sources ("officials") are one source within a report, not across reports;
- the article's own narration counts for its report (the outlet of its first copy).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from claimledger.model import (
    Claim,
    Commitment,
    Evidence,
    Proposition,
    Speaker,
    Stance,
    StanceLabel,
    Verdict,
)

# Roles whose holder speaks for an organisation rather than for herself.
_SPOKES_ROLE = re.compile(
    r"spokes(?:person|man|woman|people)|press (?:secretary|officer|office|attach[eé])"
    r"|(?:official )?representative|communications? (?:director|officer|chief)",
    re.IGNORECASE,
)
_FIRMNESS: dict[Commitment, int] = {"certain": 3, "probable": 2, "possible": 1, "uncommitted": 0}


@dataclass(frozen=True, slots=True)
class ClaimRecord:
    """A claim with what comparing it across articles needs from its article and statement."""

    node: int
    article_id: str
    article_seq: int  # the article's place in arrival order: the first of copies is the original
    claim: Claim
    speaker: str  # the name shown
    source: str  # the name of whom it counts for
    source_base: str  # what independent sources are counted by …
    per_report: bool  # … within its report only (unnamed sources, the article's narration)
    report: str
    said_on: str | None
    content: str
    path: str | None = None
    outlet: str | None = None
    title: str | None = None
    published: str | None = None
    via: tuple[str, ...] = ()
    entity_id: str | None = None
    copies: tuple[str, ...] = ()

    @property
    def source_key(self) -> str:
        return f"{self.source_base}@{self.report}" if self.per_report else self.source_base


def speaker_and_source(
    speaker: Speaker | None, source_text: str | None, outlet: str | None, narration: bool
) -> tuple[str, str, str, bool]:
    """(speaker shown, source shown, source key, whether the key holds within a report only)."""
    if narration:
        name = outlet or "the article"
        return name, name, "narration", True
    if speaker is None:
        name = source_text or "unnamed source"
        return name, name, f"unnamed:{_key(name)}", True
    if speaker.type == "unnamed":
        return speaker.name, speaker.name, f"unnamed:{_key(speaker.name)}", True
    if speaker.organization and speaker.role and _SPOKES_ROLE.search(speaker.role):
        return speaker.name, speaker.organization, _key(speaker.organization), False
    return speaker.name, speaker.name, _key(speaker.name), False


def _key(name: str) -> str:
    words = re.findall(r"\w+", name.casefold())
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def collapse_copies(records: Iterable[ClaimRecord]) -> list[ClaimRecord]:
    """One record for the same claim by the same source in the copies of one report: the
    first copy's, with the other copies' article ids in ``copies``."""
    groups: dict[tuple[str, int, str, str, str], list[ClaimRecord]] = {}
    for record in records:
        key = (record.report, record.node, record.source_key, record.speaker, record.claim.core)
        groups.setdefault(key, []).append(record)
    out = []
    for group in groups.values():
        group.sort(key=lambda r: (r.article_seq, r.claim.id))
        first = group[0]
        # The first copy's claims all stay (a speaker may repeat herself in one article); the
        # same claim in the other copies is the same statement printed again.
        kept = [r for r in group if r.article_id == first.article_id]
        copies = tuple(dict.fromkeys(r.article_id for r in group if r not in kept))
        out.append(dataclasses.replace(first, copies=copies) if copies else first)
        out.extend(kept[1:])
    return out


def claim_stance(claim: Claim) -> StanceLabel:
    return stance_label(claim.polarity, claim.commitment)


def stance_label(polarity: int, commitment: Commitment) -> StanceLabel:
    if commitment == "uncommitted":
        return "declines"
    if commitment == "certain":
        return "supports" if polarity > 0 else "denies"
    return "hedges"


def speaker_stances(records: Iterable[ClaimRecord]) -> list[tuple[Stance, str]]:
    """One stance per speaker (per source key and name) on one proposition, each with the key
    of the source it counts for."""
    by_speaker: dict[tuple[str, str], list[ClaimRecord]] = {}
    for record in records:
        by_speaker.setdefault((record.source_key, record.speaker), []).append(record)
    stances = []
    for group in by_speaker.values():
        firmest = max(
            group, key=lambda r: (_FIRMNESS[r.claim.commitment], r.said_on or "")
        )
        stance = Stance(
            speaker=firmest.speaker,
            source=firmest.source,
            stance=claim_stance(firmest.claim),
            polarity=firmest.claim.polarity,
            commitment=firmest.claim.commitment,
            evidence=tuple(evidence(r) for r in _by_date(group)),
            entity_id=firmest.entity_id,
        )
        stances.append((stance, firmest.source_key))
    return sorted(stances, key=lambda pair: _stance_order(pair[0]))


def _by_date(records: Sequence[ClaimRecord]) -> list[ClaimRecord]:
    return sorted(records, key=lambda r: (r.said_on or r.published or "", r.article_id, r.claim.id))


def _stance_order(stance: Stance) -> tuple[int, str]:
    rank = {"supports": 0, "denies": 1, "hedges": 2, "declines": 3}[stance.stance]
    return rank, stance.speaker.casefold()


def evidence(record: ClaimRecord) -> Evidence:
    claim = record.claim
    return Evidence(
        article_id=record.article_id,
        claim_id=claim.id,
        statement_id=claim.statement_id,
        text=claim.text,
        content=record.content,
        polarity=claim.polarity,
        commitment=claim.commitment,
        said_on=record.said_on,
        path=record.path,
        outlet=record.outlet,
        title=record.title,
        published=record.published,
        via=record.via,
        copies=record.copies,
    )


def verdict(stances: Sequence[Stance], keys: Sequence[str]) -> tuple[Verdict, int]:
    """The verdict and the number of independent sources; ``keys[i]`` is the source key of
    ``stances[i]``.

    contested: independent sources on both sides; corroborated: two or more support and none
    denies; denied: two or more deny and none supports; single_source: one source supports
    or denies; hedged: sources only hedge (or hedge and decline); declined: they only decline.
    """
    sides: dict[StanceLabel, set[str]] = {"supports": set(), "denies": set(),
                                          "hedges": set(), "declines": set()}  # fmt: skip
    for stance, key in zip(stances, keys, strict=True):
        sides[stance.stance].add(key)
    independent = len(set(keys))
    supporters, deniers = sides["supports"], sides["denies"]
    if supporters and deniers and len(supporters | deniers) >= 2:
        return "contested", independent
    if len(supporters) >= 2:
        return "corroborated", independent
    if len(deniers) >= 2:
        return "denied", independent
    if supporters or deniers:
        return "single_source", independent
    if sides["hedges"]:
        return "hedged", independent
    return "declined", independent


def build_proposition(
    pid: str, text: str, records: Sequence[ClaimRecord]
) -> Proposition:
    records = collapse_copies(records)
    pairs = speaker_stances(records)
    stances = tuple(stance for stance, _ in pairs)
    label, independent = verdict(stances, [key for _, key in pairs])
    dates = sorted(d for d in (r.said_on or r.published for r in records) if d)
    return Proposition(
        id=pid,
        text=text,
        verdict=label,
        independent_sources=independent,
        stances=stances,
        claims=len(records),
        first_said=dates[0] if dates else None,
        last_said=dates[-1] if dates else None,
    )


def flipped(stance: Stance) -> Stance:
    """The stance towards the negation of its proposition (a negated ``check``)."""
    swap: dict[StanceLabel, StanceLabel] = {"supports": "denies", "denies": "supports"}
    polarity: Literal[1, -1] = -1 if stance.polarity > 0 else 1
    return Stance(
        speaker=stance.speaker,
        source=stance.source,
        stance=swap.get(stance.stance, stance.stance),
        polarity=polarity if stance.stance != "declines" else stance.polarity,
        commitment=stance.commitment,
        evidence=stance.evidence,
        entity_id=stance.entity_id,
    )
