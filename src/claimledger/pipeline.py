"""The flow from articles to statements: nlp then attribute, in batches.

Kept apart from ``api`` so that the CLI, the Python API, ``eval`` and benchmarks all run the very
same steps. Whatever the input, the work is bounded: a long article is read in windows (see
``windows``), a batch for the parser holds no more text than one window may, and an article
whose analysis fails becomes an ``InputFailure`` of its own while the rest of its batch goes on.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator, Sequence

from spacy.language import Language
from spacy.tokens import Doc

from claimledger import windows
from claimledger.aggregate.claims import article_claims
from claimledger.assess import assess_article
from claimledger.errors import ModelNotFoundError
from claimledger.model import Article, InputFailure, Statement
from claimledger.nlp import DEFAULT_MODEL, load_pipeline, with_text
from claimledger.normalize import resolve_times
from claimledger.normalize.quantities import attach_quantities

BATCH_SIZE = 16
# Errors of the installation (a model or a module missing), not of an article: every article
# would fail the same way, so they stop the run instead of failing each article.
_INSTALLATION_ERRORS = (ModelNotFoundError, ImportError)
# The parse of a batch holds arrays for all of its tokens at once (about 3 GB a megabyte of
# text): a batch is cut once it holds this many characters (or windows.WINDOW_TOKENS tokens).
BATCH_CHARS = 100_000

# After attribution, each stage reads the parsed doc and returns the article with more filled in:
# when things were said and what time they are about, what they count, how firmly they are put,
# and the claims each clause makes.
Stage = Callable[[Doc, Article], Article]
STAGES: tuple[Stage, ...] = (resolve_times, attach_quantities, assess_article, article_claims)


def analyze_articles(
    items: Iterable[Article | InputFailure],
    model: str = DEFAULT_MODEL,
    attribution: str = "learned",
) -> Iterator[Article | InputFailure]:
    """Attach statements to every article of ``items``; failures pass through in place, and an
    article whose analysis fails comes out as an ``InputFailure`` naming it.

    Articles go through ``nlp.pipe`` in batches, so the model's batching is used; the order of
    the stream is kept.
    """
    nlp = load_pipeline(model, attribution)
    batch: list[Article | InputFailure] = []
    chars = 0
    for item in items:
        batch.append(item)
        chars += len(item.text) if isinstance(item, Article) else 0
        if len(batch) >= BATCH_SIZE or chars >= BATCH_CHARS:
            yield from _analyze_batch(nlp, batch)
            batch, chars = [], 0
    if batch:
        yield from _analyze_batch(nlp, batch)


@dataclasses.dataclass
class _Job:
    """One article on its way through the stages, window by window."""

    article: Article
    spans: list[tuple[int, int]]
    parts: list[tuple[int, Article]] = dataclasses.field(default_factory=list)
    failure: InputFailure | None = None

    def result(self) -> Article | InputFailure:
        if self.failure is not None:
            return self.failure
        if len(self.spans) == 1:
            return self.parts[0][1]
        return windows.merge_windows(self.article, self.parts)


def _analyze_batch(
    nlp: Language, batch: list[Article | InputFailure]
) -> Iterator[Article | InputFailure]:
    jobs = [
        _Job(item, windows.window_spans(item.text))
        if isinstance(item, Article)
        else item
        for item in batch
    ]
    pieces = [(job, n) for job in jobs if isinstance(job, _Job) for n in range(len(job.spans))]
    for chunk in _chunks(pieces):
        texts = [_window_text(job, n) for job, n in chunk]
        for (job, n), doc in zip(chunk, _parse(nlp, texts), strict=True):
            if job.failure is None:
                _run_stages(job, n, doc)
    for each in jobs:
        yield each.result() if isinstance(each, _Job) else each


def _window_text(job: _Job, n: int) -> str:
    start, end = job.spans[n]
    return job.article.text if len(job.spans) == 1 else job.article.text[start:end]


def _chunks(pieces: list[tuple[_Job, int]]) -> Iterator[list[tuple[_Job, int]]]:
    """The pieces in runs of at most ``BATCH_SIZE`` and, but for a single piece, as many
    characters and tokens as one window may hold."""
    chunk: list[tuple[_Job, int]] = []
    chars = tokens = 0
    for job, n in pieces:
        start, end = job.spans[n]
        size = windows.count_tokens(job.article.text, start, end)
        full = chars + end - start > BATCH_CHARS or tokens + size > windows.WINDOW_TOKENS
        if chunk and (len(chunk) >= BATCH_SIZE or full):
            yield chunk
            chunk, chars, tokens = [], 0, 0
        chunk.append((job, n))
        chars += end - start
        tokens += size
    if chunk:
        yield chunk


def _parse(nlp: Language, texts: Sequence[str]) -> list[Doc | Exception]:
    """The parsed docs of ``texts``, in one ``nlp.pipe``; should the batch fail, each text again
    on its own, so that only the text that fails gets its error instead of a doc."""
    try:
        return list(nlp.pipe((with_text(nlp, t) for t in texts), batch_size=BATCH_SIZE))
    except _INSTALLATION_ERRORS:
        raise  # the installation, not an article: every article would fail the same way
    except Exception:  # a boundary: whatever broke, find the one text it was
        return [_parse_one(nlp, t) for t in texts]


def _parse_one(nlp: Language, text: str) -> Doc | Exception:
    try:
        return nlp(with_text(nlp, text))
    except _INSTALLATION_ERRORS:
        raise
    # A boundary: a bug in a rule (IndexError, KeyError, …), a RecursionError or MemoryError on
    # an odd text must cost that article only, never the batch; the error is reported with it.
    except Exception as exc:
        return exc


def _run_stages(job: _Job, n: int, doc: Doc | Exception) -> None:
    """Run the stages after attribution on window ``n`` of ``job``; record a failure instead."""
    if isinstance(doc, Exception):
        job.failure = _failure(job.article, doc)
        return
    start, end = job.spans[n]
    if len(job.spans) == 1:
        article = job.article
    else:
        before = job.parts[-1][1] if job.parts else None
        article = windows.window_article(job.article, start, end, before)
    try:
        article = dataclasses.replace(
            article, statements=outside_furniture(doc._.statements, article)
        )
        for stage in STAGES:
            article = stage(doc, article)
    except _INSTALLATION_ERRORS:
        raise
    except Exception as exc:  # the same boundary as in _parse_one
        job.failure = _failure(job.article, exc)
        return
    job.parts.append((start, article))


def _failure(article: Article, exc: Exception) -> InputFailure:
    """The one line that reports an article whose analysis raised ``exc``."""
    detail = " ".join(str(exc).split())
    if len(detail) > 200:
        detail = detail[:200] + "…"
    what = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
    name = article.path or article.url or article.id
    return InputFailure(name, f"analysis failed ({what}); please report it with the file")


def outside_furniture(statements: list[Statement], article: Article) -> tuple[Statement, ...]:
    """The statements whose content is not page furniture, numbered s1, s2, … again."""
    spans = [(f.start, f.end) for f in article.furniture]
    kept = [
        s
        for s in statements
        if not any(s.content.start < end and start < s.content.end for start, end in spans)
    ]
    return tuple(dataclasses.replace(s, id=f"s{n}") for n, s in enumerate(kept, start=1))
