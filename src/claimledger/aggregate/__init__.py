"""The aggregate stage: claims compared across articles.

After ``assess``, every article carries its claims (``claims``: one per clause, with its own
polarity and commitment). Here the claims of many articles become propositions — claims that
assert the same thing (``propositions``) — each with every source's stance and a verdict
(``stances``); near-duplicate articles, one wire story on many sites, are one report whose
copies count once (``duplicates``). The ledger does the same incrementally, article by article
(``claimledger.store``); ``aggregate`` does it in memory for the articles at hand (``analyze``).

Example::

    articles = list(claimledger.extract_many(["a.txt", "b.txt"]))
    for p in aggregate(articles).propositions:
        print(p.verdict, p.text, [(s.speaker, s.stance) for s in p.stances])
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from claimledger.aggregate.propositions import (
    Components,
    Node,
    NodeTable,
    attach,
    canonical_text,
    opposed_pairs,
    proposition_id,
)
from claimledger.aggregate.stances import ClaimRecord, build_proposition, speaker_and_source
from claimledger.model import Article, Claim, Proposition, Report, Statement

if TYPE_CHECKING:
    from numpy.typing import NDArray

Encoder = Callable[[Sequence[str]], "NDArray[np.float32]"]

__all__ = ["Aggregate", "aggregate", "claim_records", "group_nodes", "proposition_order"]


@dataclass(frozen=True, slots=True)
class Aggregate:
    """The propositions of a set of articles (contested first) and its reports of more than
    one copy."""

    propositions: tuple[Proposition, ...]
    reports: tuple[Report, ...]


def aggregate(articles: Sequence[Article], encode: Encoder | None = None) -> Aggregate:
    """Propositions, stances and verdicts across ``articles`` (analysed, with claims)."""
    from claimledger.aggregate.duplicates import DuplicateIndex, article_signature

    if encode is None:
        from claimledger.aggregate import embeddings

        encode = embeddings.encode
    duplicates = DuplicateIndex()
    for article in articles:
        duplicates.add_signature(article.id, article_signature(article))

    table = NodeTable()
    records: list[ClaimRecord] = []
    batches: list[int] = []
    for seq, article in enumerate(articles):
        in_report = duplicates.report_of(article.id).id
        before = len(table.nodes)
        records.extend(claim_records(article, seq, in_report, table.key_of))
        batches.append(len(table.nodes) - before)  # each article's new nodes: one batch, as stored

    ordered, vectors = table.embedded(encode)
    kept = ((r.article_id, r.claim.statement_id, r.claim.polarity, r.node) for r in records)
    components = group_nodes(ordered, vectors, opposed_pairs(kept), batches)
    by_key = {n.key: n for n in ordered}

    row_of = {n.key: i for i, n in enumerate(ordered)}
    members: dict[int, list[ClaimRecord]] = {}
    for record in records:
        members.setdefault(components.find(record.node), []).append(record)
    propositions = []
    for root, group in members.items():
        keys = sorted({r.node for r in group})
        text = canonical_text([by_key[k].core for k in keys], vectors[[row_of[k] for k in keys]])
        propositions.append(build_proposition(proposition_id(root), text, group))
    return Aggregate(
        propositions=tuple(sorted(propositions, key=proposition_order)),
        reports=tuple(duplicates.groups()),
    )


def group_nodes(
    nodes: Sequence[Node],
    vectors: NDArray[np.float32],
    apart: Iterable[tuple[int, int]] = (),
    batches: Sequence[int] | None = None,
) -> Components:
    """The propositions of ``nodes`` (rows of ``vectors``) as components, with the node pairs
    in ``apart`` kept apart; through a fresh index, batch after batch (``batches``: how many
    nodes each article brought, in order; all at once when None), as a ledger builds them."""
    from claimledger.aggregate.index import ClaimIndex

    by_key = {n.key: n for n in nodes}
    components = Components()
    for node in nodes:
        components.add(node.key)
    for a, b in apart:
        components.keep_apart(a, b)
    index = ClaimIndex()
    start = 0
    for size in batches if batches is not None else [len(nodes)]:
        stop = start + size
        attach(components, index, nodes[start:stop], vectors[start:stop],
               lambda keys: _pick(by_key, keys))  # fmt: skip
        start = stop
    return components


def _pick(by_key: Mapping[int, Node], keys: Iterable[int]) -> dict[int, Node]:
    return {k: by_key[k] for k in keys if k in by_key}


def claim_records(
    article: Article,
    seq: int,
    report: str,
    node_of: Callable[[Claim], int],
) -> list[ClaimRecord]:
    """The article's claims as records, with their speakers and sources; ``node_of`` gives
    the node number of a claim (by its core)."""
    statements: dict[str, Statement] = {s.id: s for s in article.statements}
    out = []
    for claim in article.claims:
        if not claim.core.strip():
            continue
        statement = statements.get(claim.statement_id) if claim.statement_id else None
        if claim.statement_id is not None and statement is None:
            continue  # a claim of a statement that was dropped (furniture): nothing to show
        speaker, source, base, per_report = speaker_and_source(
            statement.speaker if statement else None,
            statement.source.text if statement and statement.source else None,
            article.outlet or article.title,
            narration=statement is None,
        )
        out.append(
            ClaimRecord(
                node=node_of(claim),
                article_id=article.id,
                article_seq=seq,
                claim=claim,
                speaker=speaker,
                source=source,
                source_base=base,
                per_report=per_report,
                report=report,
                said_on=statement.said_on if statement else None,
                content=statement.content.text if statement else claim.text,
                path=article.path,
                outlet=article.outlet,
                title=article.title,
                published=article.published,
                via=tuple(v.name for v in statement.via) if statement else (),
                entity_id=statement.speaker.entity_id if statement and statement.speaker else None,
            )
        )
    return out


_VERDICT_RANK = {"contested": 0, "corroborated": 1, "denied": 2, "single_source": 3,
                 "hedged": 4, "declined": 5}  # fmt: skip


def proposition_order(p: Proposition) -> tuple[int, int, int]:
    """Contested first, then the ones more independent sources speak to, then the oldest."""
    return _VERDICT_RANK[p.verdict], -p.independent_sources, int(p.id.lstrip("p") or 0)
