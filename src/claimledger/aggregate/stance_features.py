"""What the stance model sees of one (claim checked, article) pair: numbers from the check path.

The claim checked is a :class:`~claimledger.model.Claim` (its ``core`` with negation and hedges
taken out, its ``polarity``); the article comes with its claims and one sentence vector per
claim core. Features, in :data:`FEATURE_NAMES` order:

- how well the claim matches: the top cosines of the query core to the claims' cores, overall,
  among narration claims and among attributed ones, and of the article's mean vector;
- how the best matches take it: their polarity times the query's, their commitment, whether the
  best is attributed (reported speech leans to "discuss");
- words: refuting and hedging words (``stance_words.tsv``) in the body, in the best-matching
  claims and in the query, and the overlap of content words and word pairs of the query and the
  body (and its lead).

Everything here is plain Python and numpy, so ``check`` needs nothing that training needed.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources

import numpy as np
import numpy.typing as npt
from spacy.lang.en.stop_words import STOP_WORDS

from claimledger.model import Article, Claim

Vector = npt.NDArray[np.float32]

COMMITMENTS = ("certain", "probable", "possible", "uncommitted")
TOP_K = 3
LEAD_CHARS = 600  # the first sentences, where a report states what it is about

FEATURE_NAMES: tuple[str, ...] = (
    "claims",
    "log_body_words",
    "cos_top1",
    "cos_top2",
    "cos_top3_mean",
    "cos_mean",
    "cos_gap_top1_mean",
    "cos_top1_narration",
    "cos_top1_attributed",
    "cos_body_mean_vector",
    "cos_lead_top1",
    "best_polarity_product",
    "best_attributed",
    "best_commitment_certain",
    "best_commitment_probable",
    "best_commitment_possible",
    "best_commitment_uncommitted",
    "topk_negative_share",
    "topk_attributed_share",
    "topk_hedged_share",
    "weighted_polarity",
    "query_polarity",
    "query_commitment_certain",
    "body_refute_per_100",
    "body_hedge_per_100",
    "body_refute_any",
    "near_refute",
    "near_hedge",
    "lead_refute",
    "lead_hedge",
    "query_refute",
    "query_hedge",
    "query_question",
    "overlap_jaccard",
    "overlap_query_share",
    "overlap_lead_share",
    "overlap_best_claim_share",
    "bigram_hits_body",
    "bigram_hits_lead",
    "query_words",
    "lead_question",
    "lead_negations",
    "lead_saying_words",
    "query_negations",
    "attributed_share",
    "min_polarity",
    "any_claim_uncertain",
    "lead_colon",
)

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
# A headline that asks ("Is this the world's oldest burger?"), negates, or reports what someone
# says ("Man claims …", "Report: …") observes a claim rather than stating it.
_NEGATION = re.compile(r"\b(?:not|no|never|nothing|none|nobody|neither|nor|without)\b|n't\b")
_SAYING = re.compile(
    r"\b(?:says?|said|tells?|told|claims?|claimed|according|reports?|reported|insists?|suggests?)\b"
)
# spaCy's English function words, and the verbs of saying every report is full of.
_STOP = frozenset(STOP_WORDS) | {"said", "says", "say", "told", "s"}


@lru_cache(maxsize=1)
def stance_words() -> dict[str, tuple[str, ...]]:
    """The refuting and hedging words and phrases, by kind, from ``stance_words.tsv``."""
    text = resources.files("claimledger.aggregate").joinpath("stance_words.tsv").read_text("utf-8")
    kinds: dict[str, list[str]] = {"refute": [], "hedge": []}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        word, kind = line.split("\t")
        kinds[kind.strip()].append(word.strip().lower())
    return {kind: tuple(words) for kind, words in kinds.items()}


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    return {
        kind: re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b")
        for kind, words in stance_words().items()
    }


def count_words(text: str, kind: str) -> int:
    """How many refuting (``kind="refute"``) or hedging words and phrases ``text`` holds.

    Example: ``count_words("The photo is a hoax, not true at all", "refute")`` -> ``2``
    """
    return len(_patterns()[kind].findall(text.lower()))


def _stem(word: str) -> str:
    # Crude, but the same on both sides of every comparison: plurals and tenses meet.
    for suffix in ("'s", "ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def content_words(text: str) -> list[str]:
    """The stemmed words of ``text`` that are not function words, in order."""
    return [_stem(w) for w in _WORD.findall(text.lower()) if w not in _STOP]


def _share(words: set[str], of: set[str]) -> float:
    return len(words & of) / len(words) if words else 0.0


def _bigrams(words: Sequence[str]) -> set[tuple[str, str]]:
    return set(itertools.pairwise(words))


def _headline_cues(query: Claim, article: Article) -> list[float]:
    """The cues of how a short text takes what it reports: a question, negations and verbs of
    saying in its lead, the share of its claims that are someone's statements, whether any is
    negative or uncertain, a "Label: …" headline."""
    lead = article.text[:LEAD_CHARS].lower()
    claims = article.claims
    return [
        float("?" in lead),
        float(len(_NEGATION.findall(lead))),
        float(len(_SAYING.findall(lead))),
        float(len(_NEGATION.findall(query.text.lower()))),
        sum(c.statement_id is not None for c in claims) / len(claims) if claims else 0.0,
        float(min((c.polarity for c in claims), default=0)),
        float(any(c.commitment != "certain" for c in claims)),
        float(":" in lead[:120]),
    ]


def stance_features(
    query: Claim,
    query_vector: Vector,
    article: Article,
    claim_vectors: Vector,
) -> Vector:
    """The feature vector (``FEATURE_NAMES`` order) of ``query`` against ``article``, whose
    ``claim_vectors`` row ``i`` is the sentence vector of ``article.claims[i].core`` and
    ``query_vector`` that of ``query.core`` (all L2-normalised, as ``embeddings.encode`` gives).

    Example: ``stance_features(q, encode([q.core])[0], a, encode([c.core for c in a.claims]))``
    """
    claims = article.claims
    text = article.text
    body_words = content_words(text)
    n = len(claims)
    cos = claim_vectors @ query_vector if n else np.zeros(0, dtype=np.float32)
    order = np.argsort(-cos, kind="stable") if n else np.zeros(0, dtype=np.int64)
    top = [claims[int(i)] for i in order[:TOP_K]]
    attributed = np.array([c.statement_id is not None for c in claims], dtype=bool)
    lead = np.array([c.start < LEAD_CHARS for c in claims], dtype=bool)

    def top1(mask: npt.NDArray[np.bool_]) -> float:
        return float(cos[mask].max()) if mask.any() else 0.0

    sorted_cos = cos[order] if n else cos
    body_vector = claim_vectors.mean(axis=0) if n else np.zeros_like(query_vector)
    norm = float(np.linalg.norm(body_vector))
    best = top[0] if top else None
    products = [c.polarity * query.polarity for c in top]
    weights = np.exp(8.0 * (sorted_cos[:TOP_K] - (sorted_cos[0] if n else 0.0)))
    near_text = " ".join(c.text for c in top)

    query_words = content_words(query.text)
    q_set, b_set = set(query_words), set(body_words)
    lead_set = set(content_words(text[:LEAD_CHARS]))
    best_set = set(content_words(best.text)) if best else set()
    q_bigrams = _bigrams(query_words)
    words_in_body = max(len(body_words), 1)

    values = [
        float(n),
        math.log1p(len(body_words)),
        float(sorted_cos[0]) if n else 0.0,
        float(sorted_cos[1]) if n > 1 else 0.0,
        float(sorted_cos[:TOP_K].mean()) if n else 0.0,
        float(cos.mean()) if n else 0.0,
        float(sorted_cos[0] - cos.mean()) if n else 0.0,
        top1(~attributed),
        top1(attributed),
        float(body_vector @ query_vector) / norm if norm else 0.0,
        top1(lead),
        float(products[0]) if products else 0.0,
        float(best is not None and best.statement_id is not None),
        *(float(best is not None and best.commitment == c) for c in COMMITMENTS),
        sum(p < 0 for p in products) / len(products) if products else 0.0,
        sum(c.statement_id is not None for c in top) / len(top) if top else 0.0,
        sum(c.commitment != "certain" for c in top) / len(top) if top else 0.0,
        float(np.dot(weights, products) / weights.sum()) if products else 0.0,
        float(query.polarity),
        float(query.commitment == "certain"),
        100.0 * count_words(text, "refute") / words_in_body,
        100.0 * count_words(text, "hedge") / words_in_body,
        float(count_words(text, "refute") > 0),
        float(count_words(near_text, "refute")),
        float(count_words(near_text, "hedge")),
        float(count_words(text[:LEAD_CHARS], "refute")),
        float(count_words(text[:LEAD_CHARS], "hedge")),
        float(count_words(query.text, "refute")),
        float(count_words(query.text, "hedge")),
        float("?" in query.text),
        len(q_set & b_set) / len(q_set | b_set) if q_set | b_set else 0.0,
        _share(q_set, b_set),
        _share(q_set, lead_set),
        _share(q_set, best_set),
        float(len(q_bigrams & _bigrams(body_words))),
        float(len(q_bigrams & _bigrams(content_words(text[:LEAD_CHARS])))),
        float(len(query_words)),
        *_headline_cues(query, article),
    ]
    return np.asarray(values, dtype=np.float32)
