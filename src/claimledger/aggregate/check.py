"""Queries over a ledger's propositions: ``check`` a claim, list ``sources``, a ``timeline``.

``check`` reads the claim the way articles are read (``claims.query_claim``: its core, its
polarity, its commitment), finds the nearest claim nodes in the index, and returns their
propositions, best first. A claim worded as a negation matches the same propositions, with
supports and denies swapped, so that the answer is always relative to the words checked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from claimledger.aggregate.stances import ClaimRecord, flipped, speaker_stances, stance_label
from claimledger.model import (
    CheckMatch,
    CheckResult,
    Proposition,
    SourceSummary,
    StanceLabel,
    TimelineEntry,
)

if TYPE_CHECKING:
    from claimledger.store.claims import Propositions


def check_claim(props: Propositions, text: str, limit: int, model: str) -> CheckResult:
    """The propositions of the ledger that ``text`` bears on, best first (at most ``limit``)."""
    from claimledger.aggregate.claims import query_claim
    from claimledger.nlp import load_pipeline

    query = query_claim(load_pipeline(model, "rules"), text)
    negated = query.polarity < 0
    found = []
    for root, score in props.matches(query, limit):
        proposition = props.proposition(f"p{root}")
        if proposition is None:
            continue
        stances = tuple(flipped(s) for s in proposition.stances) if negated else proposition.stances
        found.append(CheckMatch(proposition, round(min(1.0, max(0.0, score)), 4), negated, stances))
    return CheckResult(claim=text, core=query.core, polarity=query.polarity, matches=tuple(found))


def source_summaries(props: Propositions) -> list[SourceSummary]:
    """Each independent source with its speakers, statements and stances, the most active
    first."""
    by_source: dict[str, list[tuple[int, ClaimRecord]]] = {}
    for root, record in props.all_records():
        by_source.setdefault(record.source_key, []).append((root, record))
    texts: dict[int, str] = {}
    out = []
    for group in by_source.values():
        records = [r for _, r in group]
        speakers = tuple(dict.fromkeys(r.speaker for r in records))
        statements = len({(r.article_id, r.claim.statement_id or r.claim.id) for r in records})
        stances: list[tuple[str, str, StanceLabel]] = []
        for root in dict.fromkeys(root for root, _ in group):
            mine = [r for rt, r in group if rt == root]
            stance = speaker_stances(mine)[0][0]
            if root not in texts:
                proposition = props.proposition(f"p{root}")
                texts[root] = proposition.text if proposition else ""
            stances.append((f"p{root}", texts[root], stance.stance))
        out.append(SourceSummary(records[0].source, speakers, statements, tuple(stances)))
    return sorted(out, key=lambda s: (-s.statements, s.source.casefold()))


def timeline(proposition: Proposition) -> list[TimelineEntry]:
    """Every piece of evidence of ``proposition``, by the date it was said (or, failing that,
    the date its article was published); undated evidence last."""
    entries = [
        TimelineEntry(e.said_on, stance.speaker, stance_label(e.polarity, e.commitment), e)
        for stance in proposition.stances
        for e in stance.evidence
    ]
    return sorted(entries, key=lambda t: (_date(t) is None, _date(t) or "", t.speaker.casefold()))


def _date(entry: TimelineEntry) -> str | None:
    return entry.said_on or entry.evidence.published
