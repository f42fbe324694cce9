"""How well claims are grouped into propositions, scored on Emergent.

Emergent gives, for each of its claims, the headlines of articles that report it — for it,
against it, or only observing it. Every headline of one claim bears on one proposition, and
headlines of different claims on different ones (many share names and words: several claims
are about Apple, ISIS or one celebrity). Each headline is read as ``check`` reads a claim
(``claims.query_claim``: core, polarity, commitment) and the headlines are grouped by the very
code that groups a ledger's claims (``aggregate.group_nodes``); the groups are scored against
the claim ids with B-cubed precision, recall and F1 (Bagga & Baldwin 1998) and pairwise F1.

Example: ``claimledger eval propositions emergent ../shared/benchmarks/emergent/train.csv``
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from claimledger.model import Claim


@dataclass(frozen=True, slots=True)
class GroupingScores:
    headlines: int
    claims: int  # gold groups
    groups: int  # predicted groups
    bcubed_precision: float
    bcubed_recall: float
    bcubed_f1: float
    pairwise_precision: float
    pairwise_recall: float
    pairwise_f1: float

    def to_dict(self) -> dict[str, float | int]:
        return asdict(self)

    def format_table(self) -> str:
        return "\n".join([
            f"{self.headlines} headlines of {self.claims} claims -> {self.groups} propositions",
            "            precision  recall     F1",
            f"B-cubed         {self.bcubed_precision:.3f}   {self.bcubed_recall:.3f}  "
            f"{self.bcubed_f1:.3f}",
            f"pairwise        {self.pairwise_precision:.3f}   {self.pairwise_recall:.3f}  "
            f"{self.pairwise_f1:.3f}",
        ])  # fmt: skip


def score_grouping(gold: Sequence[str], predicted: Sequence[int]) -> GroupingScores:
    """B-cubed and pairwise scores of ``predicted`` group labels against ``gold`` ones."""
    n = len(gold)
    gold_size: dict[str, int] = {}
    pred_size: dict[int, int] = {}
    both: dict[tuple[str, int], int] = {}
    for g, p in zip(gold, predicted, strict=True):
        gold_size[g] = gold_size.get(g, 0) + 1
        pred_size[p] = pred_size.get(p, 0) + 1
        both[(g, p)] = both.get((g, p), 0) + 1
    precision = sum(both[(g, p)] / pred_size[p] for g, p in zip(gold, predicted, strict=True))
    recall = sum(both[(g, p)] / gold_size[g] for g, p in zip(gold, predicted, strict=True))
    bp, br = (precision / n, recall / n) if n else (0.0, 0.0)
    same_both = sum(c * (c - 1) / 2 for c in both.values())
    same_pred = sum(c * (c - 1) / 2 for c in pred_size.values())
    same_gold = sum(c * (c - 1) / 2 for c in gold_size.values())
    pp = same_both / same_pred if same_pred else 1.0
    pr = same_both / same_gold if same_gold else 1.0
    return GroupingScores(
        headlines=n,
        claims=len(gold_size),
        groups=len(pred_size),
        bcubed_precision=bp,
        bcubed_recall=br,
        bcubed_f1=_f1(bp, br),
        pairwise_precision=pp,
        pairwise_recall=pr,
        pairwise_f1=_f1(pp, pr),
    )


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def group_claims(claims: Sequence[Claim]) -> list[int]:
    """The proposition number of each claim, grouped as a ledger groups them when each claim
    comes in an article of its own (an Emergent headline is one article's)."""
    from claimledger.aggregate import group_nodes
    from claimledger.aggregate.embeddings import encode
    from claimledger.aggregate.propositions import NodeTable

    table = NodeTable()
    node_of = []
    batches = []  # the new nodes each claim's article brings: one, or none for a repeat
    for claim in claims:
        before = len(table.nodes)
        node_of.append(table.key_of(claim))
        batches.append(len(table.nodes) - before)
    ordered, vectors = table.embedded(encode)
    components = group_nodes(ordered, vectors, batches=batches)
    return [components.find(k) for k in node_of]


def evaluate_emergent(path: Path, model: str, held_out: bool = False) -> GroupingScores:
    """Group the headlines of an Emergent file (all of them, or only the claims held out of
    training) and score the groups against the claims."""
    from claimledger.aggregate.claims import query_claim
    from claimledger.eval.stance import is_held_out, read_emergent
    from claimledger.nlp import load_pipeline

    data = read_emergent(path)
    pairs = [p for p in data.pairs if not held_out or is_held_out(p.claim_id)]
    nlp = load_pipeline(model, "rules")
    claims = [query_claim(nlp, p.headline) for p in pairs]
    return score_grouping([p.claim_id for p in pairs], group_claims(claims))
