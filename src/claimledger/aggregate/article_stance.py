"""Where one article stands on one claim: agree, disagree, discuss or unrelated.

The decision ``claimledger check`` makes for an article, and what ``claimledger eval stance``
scores on FNC-1 and Emergent: the claim checked (a query :class:`~claimledger.model.Claim`) is
compared with the article's claims by sentence vectors of their cores, and a learned model
(``stance_model.json``, boosted trees served in numpy) reads the features of
``stance_features`` — how well the best claims match, their polarity relative to the query, their
commitment, whether they are attributed, refuting and hedging words — and gives the
probabilities of the four labels.

The labels in the product's words: agree → ``supports``, disagree → ``denies``, discuss →
``hedges`` (reported without committing), unrelated → no stance (``None``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from claimledger.aggregate.stance_features import Vector, stance_features
from claimledger.aggregate.stance_model import StanceModel, load_stance_model
from claimledger.model import Article, Claim, StanceLabel

ArticleStanceLabel = Literal["agree", "disagree", "discuss", "unrelated"]
LABELS: tuple[ArticleStanceLabel, ...] = ("agree", "disagree", "discuss", "unrelated")
PRODUCT_STANCE: dict[ArticleStanceLabel, StanceLabel | None] = {
    "agree": "supports",
    "disagree": "denies",
    "discuss": "hedges",
    "unrelated": None,
}
EVIDENCE = 3  # best-matching claims kept as evidence


@dataclass(frozen=True, slots=True)
class ArticleStance:
    """The article's stance on a claim, with the claims it rests on (best match first).

    ``probabilities`` holds ``(label, probability)`` for each of :data:`LABELS`; ``score`` is the
    cosine of the best-matching claim's core to the query's core.
    """

    label: ArticleStanceLabel
    stance: StanceLabel | None
    probabilities: tuple[tuple[ArticleStanceLabel, float], ...]
    evidence: tuple[Claim, ...]
    score: float

    def probability(self, label: ArticleStanceLabel) -> float:
        return dict(self.probabilities)[label]


def article_stance(
    query: Claim,
    query_vector: Vector,
    article: Article,
    claim_vectors: Vector,
    model: StanceModel | None = None,
) -> ArticleStance:
    """The stance of ``article`` on ``query``. ``claim_vectors`` row ``i`` is the vector of
    ``article.claims[i].core``, ``query_vector`` that of ``query.core`` (``embeddings.encode``).

    Example::

        q = query_claim(nlp, "The troops have engaged in combat")
        vectors = encode([q.core] + [c.core for c in article.claims])
        article_stance(q, vectors[0], article, vectors[1:]).stance   # "denies"
    """
    features = stance_features(query, query_vector, article, claim_vectors)
    return stance_from_probabilities(
        (model or load_stance_model()).probabilities(features)[0],
        query_vector,
        article,
        claim_vectors,
    )


def stance_from_probabilities(
    probabilities: npt.NDArray[np.float64],
    query_vector: Vector,
    article: Article,
    claim_vectors: Vector,
) -> ArticleStance:
    """The decision for one pair from its model probabilities (``LABELS`` order): the most
    probable label, the best-matching claims as evidence. Split out so that a batch can run
    the model once for many pairs (``eval stance``) and still decide each as ``check`` does."""
    label = LABELS[int(np.argmax(probabilities))]
    if article.claims:
        cos = claim_vectors @ query_vector
        order = np.argsort(-cos, kind="stable")[:EVIDENCE]
        evidence = tuple(article.claims[int(i)] for i in order)
        score = float(cos[order[0]])
    else:
        evidence, score = (), 0.0
    return ArticleStance(
        label=label,
        stance=PRODUCT_STANCE[label],
        probabilities=tuple(
            (name, float(p)) for name, p in zip(LABELS, probabilities, strict=True)
        ),
        evidence=evidence,
        score=score,
    )
