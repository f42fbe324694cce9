"""The check path over a whole benchmark: each article analysed once, each claim checked
against its claims, as ``claimledger check`` does for one (used by ``eval stance`` and by
``train stance``, so that the model is fitted on the very features it is scored on).

1. every article text goes through the pipeline once (``pipeline.analyze_articles``), which fills
   ``Article.claims``;
2. every distinct query text becomes a query claim (``aggregate.claims.query_claim``);
3. the cores of both are encoded once (``aggregate.embeddings.encode``);
4. each pair's features (``aggregate.stance_features``) go through the stance model, in one
   batch, and each pair is decided as ``article_stance`` decides it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from claimledger import ingest
from claimledger.aggregate.article_stance import ArticleStance, stance_from_probabilities
from claimledger.aggregate.stance_features import FEATURE_NAMES, Vector, stance_features
from claimledger.aggregate.stance_model import StanceModel, load_stance_model
from claimledger.model import Article, Claim, InputFailure

Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class Checked:
    """What the check path made of a benchmark's texts, ready to give features for any pair."""

    articles: dict[str, Article]  # article key (FNC Body ID, Emergent articleId) -> analysed
    article_vectors: dict[str, Vector]  # key -> one row per claim core
    queries: dict[str, Claim]  # query text -> query claim
    query_vectors: dict[str, Vector]  # query text -> its core's vector


def analyse_articles(
    texts: Mapping[str, str],
    model: str,
    attribution: str = "learned",
    progress: Progress | None = None,
) -> dict[str, Article]:
    """Each text through the pipeline, once; an empty text or one the pipeline cannot read
    becomes an article without claims (every claim is unrelated to it)."""
    from claimledger.pipeline import analyze_articles

    keys = list(texts)
    items: list[Article | InputFailure] = []
    for key in keys:
        text = texts[key]
        if text.strip():
            items.append(ingest.read_text(text))
        else:
            items.append(Article(id=f"empty:{key}", text=text))
    out: dict[str, Article] = {}
    for n, (key, result) in enumerate(
        zip(keys, analyze_articles(items, model, attribution), strict=True), start=1
    ):
        out[key] = result if isinstance(result, Article) else Article(id=key, text=texts[key])
        if progress is not None:
            progress(n, len(keys))
    return out


def query_claims(texts: Iterable[str], model: str) -> dict[str, Claim]:
    """The query claim of each distinct text, as ``check`` makes it from what a user types."""
    from claimledger.aggregate.claims import query_claim
    from claimledger.nlp import load_pipeline

    nlp = load_pipeline(model)
    return {text: query_claim(nlp, text) for text in dict.fromkeys(texts)}


def encode_cores(
    articles: Mapping[str, Article], queries: Mapping[str, Claim]
) -> tuple[dict[str, Vector], dict[str, Vector]]:
    """The vectors of every claim core and query core, each distinct core encoded once."""
    from claimledger.aggregate.embeddings import encode

    cores = list(
        dict.fromkeys(
            [c.core for a in articles.values() for c in a.claims]
            + [q.core for q in queries.values()]
        )
    )
    vectors = encode(cores)
    row = {core: n for n, core in enumerate(cores)}
    dims = vectors.shape[1]
    article_vectors = {
        key: vectors[[row[c.core] for c in a.claims]] if a.claims else np.zeros((0, dims), "f4")
        for key, a in articles.items()
    }
    query_vectors = {text: vectors[row[q.core]] for text, q in queries.items()}
    return article_vectors, query_vectors


def check_texts(
    articles: Mapping[str, str],
    queries: Iterable[str],
    model: str,
    attribution: str = "learned",
    progress: Progress | None = None,
) -> Checked:
    """Steps 1–3 for a benchmark: its article texts (by key) and its query texts."""
    analysed = analyse_articles(articles, model, attribution, progress)
    claims = query_claims(queries, model)
    article_vectors, query_vectors = encode_cores(analysed, claims)
    return Checked(analysed, article_vectors, claims, query_vectors)


def pair_features(checked: Checked, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
    """The feature rows of ``(query text, article key)`` pairs, in order."""
    rows = np.zeros((len(pairs), len(FEATURE_NAMES)), dtype=np.float32)
    for n, (query, key) in enumerate(pairs):
        rows[n] = stance_features(
            checked.queries[query],
            checked.query_vectors[query],
            checked.articles[key],
            checked.article_vectors[key],
        )
    return rows


def decide_pairs(
    checked: Checked,
    pairs: Sequence[tuple[str, str]],
    model: StanceModel | None = None,
) -> list[ArticleStance]:
    """Step 4: the stance of each pair's article on its query, as ``article_stance`` gives it,
    with the model run once over all of them."""
    if not pairs:
        return []
    probabilities = (model or load_stance_model()).probabilities(pair_features(checked, pairs))
    return [
        stance_from_probabilities(
            p, checked.query_vectors[query], checked.articles[key], checked.article_vectors[key]
        )
        for p, (query, key) in zip(probabilities, pairs, strict=True)
    ]
