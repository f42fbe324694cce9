"""The flow from articles to statements: nlp then attribute, in batches.

Kept apart from ``api`` so that the CLI, the Python API, ``eval`` and benchmarks all run the very
same steps.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator

from spacy.tokens import Doc

from claimledger.assess import assess_article
from claimledger.model import Article, InputFailure, Statement
from claimledger.nlp import DEFAULT_MODEL, load_pipeline, with_text
from claimledger.normalize import resolve_times
from claimledger.normalize.quantities import attach_quantities

BATCH_SIZE = 16

# After attribution, each stage reads the parsed doc and returns the article with more filled in:
# when things were said and what time they are about, what they count, how firmly they are put.
Stage = Callable[[Doc, Article], Article]
STAGES: tuple[Stage, ...] = (resolve_times, attach_quantities, assess_article)


def analyze_articles(
    items: Iterable[Article | InputFailure],
    model: str = DEFAULT_MODEL,
    attribution: str = "learned",
) -> Iterator[Article | InputFailure]:
    """Attach statements to every article of ``items``; failures pass through in place.

    Articles go through ``nlp.pipe`` in batches, so the model's batching is used; the order of
    the stream is kept.
    """
    nlp = load_pipeline(model, attribution)
    batch: list[Article | InputFailure] = []
    for item in items:
        batch.append(item)
        if len(batch) >= BATCH_SIZE:
            yield from _analyze_batch(nlp, batch)
            batch = []
    if batch:
        yield from _analyze_batch(nlp, batch)


def _analyze_batch(
    nlp: object, batch: list[Article | InputFailure]
) -> Iterator[Article | InputFailure]:
    articles = [a for a in batch if isinstance(a, Article)]
    texts = (with_text(nlp, a.text) for a in articles)
    docs = iter(nlp.pipe(texts, batch_size=BATCH_SIZE))  # type: ignore[attr-defined]
    for item in batch:
        if isinstance(item, InputFailure):
            yield item
            continue
        doc = next(docs)
        article = dataclasses.replace(item, statements=outside_furniture(doc._.statements, item))
        for stage in STAGES:
            article = stage(doc, article)
        yield article


def outside_furniture(statements: list[Statement], article: Article) -> tuple[Statement, ...]:
    """The statements whose content is not page furniture, numbered s1, s2, … again."""
    spans = [(f.start, f.end) for f in article.furniture]
    kept = [
        s
        for s in statements
        if not any(s.content.start < end and start < s.content.end for start, end in spans)
    ]
    return tuple(dataclasses.replace(s, id=f"s{n}") for n, s in enumerate(kept, start=1))
