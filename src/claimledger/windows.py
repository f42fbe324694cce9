"""Long articles in windows: bounded pieces of text for the parser, and their results put back.

The parse of a doc holds arrays for all its tokens at once (about 3 GB a megabyte of text with
the small English model), and some stages compare every statement with every time expression or
quantity of the article. So an article longer than ``WINDOW_CHARS`` is cut into windows, at
paragraph breaks where it can (else after a sentence end, else at a space, never inside a word),
each window goes through the per-article stages as an article of its own, and the results are
shifted back to article offsets and numbered again. The parse's memory follows the number of
tokens more than of characters, so a window also holds at most about ``WINDOW_TOKENS`` words and
marks ("a, b, c" is dense). Articles within both — every ordinary news article — are one
window, and come out exactly as they would whole.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from claimledger.model import (
    Article,
    Claim,
    Content,
    FactualityPart,
    Quantity,
    Span,
    Statement,
    TimeExpression,
    Via,
)

# About 25 pages of prose; the parse of one window takes about 400 MB.
WINDOW_CHARS = 100_000
WINDOW_TOKENS = 25_000
# What spaCy makes a token of, near enough to count them without tokenizing: words and marks.
_TOKEN = re.compile(r"\w+|[^\w\s]")

# The end of a sentence and the spaces after it: ". ", "?” ", "…) ".
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*\s+")


def window_spans(
    text: str, size: int | None = None, tokens: int | None = None
) -> list[tuple[int, int]]:
    """``(start, end)`` of consecutive windows covering ``text``, each at most ``size``
    characters (``WINDOW_CHARS``) and about ``tokens`` tokens (``WINDOW_TOKENS``) long, unless
    one word is longer, cut where a paragraph, a sentence or a word ends.

    Example: ``window_spans("One.\\n\\nTwo.", size=8) == [(0, 6), (6, 10)]``
    """
    size = WINDOW_CHARS if size is None else size
    tokens = WINDOW_TOKENS if tokens is None else tokens
    spans: list[tuple[int, int]] = []
    start = 0
    while (limit := _limit(text, start, size, tokens)) < len(text):
        end = _cut(text, start, limit)
        spans.append((start, end))
        start = end
    spans.append((start, len(text)))
    return spans


def count_tokens(text: str, start: int = 0, end: int | None = None) -> int:
    """About how many tokens spaCy makes of ``text[start:end]``."""
    return sum(1 for _ in _TOKEN.finditer(text, start, len(text) if end is None else end))


def _limit(text: str, start: int, size: int, tokens: int) -> int:
    """How far a window starting at ``start`` may reach: ``size`` characters, fewer where the
    text is so dense that they would hold more than ``tokens`` tokens."""
    limit = min(len(text), start + size)
    count = count_tokens(text, start, limit)
    if count > tokens:
        limit = start + max(2, (limit - start) * tokens // count)
    return limit


def _cut(text: str, start: int, limit: int) -> int:
    """Where to end a window that starts at ``start`` and may not go past ``limit``: in its
    second half, after a blank line, a line break, a sentence end or a space, in that order of
    preference; at ``limit`` only when that half is a single word."""
    floor = start + (limit - start) // 2
    for mark in ("\n\n", "\n"):
        at = text.rfind(mark, floor, limit)
        if at != -1:
            return at + len(mark)
    ends = [m.end() for m in _SENTENCE_END.finditer(text, floor, limit)]
    if ends:
        return ends[-1]
    for i in range(limit - 1, floor - 1, -1):
        if text[i].isspace():
            return i + 1
    return limit


def window_article(article: Article, start: int, end: int, before: Article | None) -> Article:
    """The window ``[start, end)`` of ``article`` as an article of its own: its text and page
    furniture, and — from ``before``, the previous window's result — the publication date the
    text gave, so that every window reads its dates the same way."""
    furniture = tuple(
        Span(max(f.start, start) - start, min(f.end, end) - start, "")
        for f in article.furniture
        if f.start < end and start < f.end
    )
    text = article.text[start:end]
    furniture = tuple(dataclasses.replace(f, text=text[f.start : f.end]) for f in furniture)
    known = before if before is not None else article
    return dataclasses.replace(
        article,
        text=text,
        furniture=furniture,
        statements=(),
        time_expressions=(),
        quantities=(),
        claims=(),
        published=known.published,
        published_source=known.published_source,
        notices=known.notices,
    )


def merge_windows(article: Article, parts: Sequence[tuple[int, Article]]) -> Article:
    """``article`` with the statements, time expressions, quantities and claims of its windows
    (``(offset, result)`` in text order) at article offsets, numbered s1, t1, q1, s1.c1, n.c1…
    again."""
    if len(parts) == 1 and parts[0][0] == 0 and parts[0][1].text == article.text:
        return parts[0][1]
    statements: list[Statement] = []
    times: list[TimeExpression] = []
    quantities: list[Quantity] = []
    claims: list[Claim] = []
    narration: list[Claim] = []
    notices = list(article.notices)
    for offset, part in parts:
        statement_ids = {s.id: f"s{len(statements) + n}" for n, s in enumerate(part.statements, 1)}
        for c in part.claims:
            shifted = dataclasses.replace(c, start=c.start + offset, end=c.end + offset)
            if c.statement_id is None:
                narration.append(dataclasses.replace(shifted, id=f"n.c{len(narration) + 1}"))
            else:
                new = statement_ids.get(c.statement_id, c.statement_id)
                number = c.id.rsplit(".", 1)[-1]
                claims.append(dataclasses.replace(shifted, id=f"{new}.{number}", statement_id=new))
        time_ids = {t.id: f"t{len(times) + n}" for n, t in enumerate(part.time_expressions, 1)}
        quantity_ids = {q.id: f"q{len(quantities) + n}" for n, q in enumerate(part.quantities, 1)}
        times.extend(
            dataclasses.replace(t, id=time_ids[t.id], start=t.start + offset, end=t.end + offset)
            for t in part.time_expressions
        )
        quantities.extend(
            dataclasses.replace(
                q, id=quantity_ids[q.id], start=q.start + offset, end=q.end + offset
            )
            for q in part.quantities
        )
        statements.extend(
            _shift_statement(s, offset, time_ids, quantity_ids) for s in part.statements
        )
        notices.extend(n for n in part.notices if _new_kind(n, notices))
    last = parts[-1][1]
    notices.append(
        f"long article ({len(article.text):,} characters): read in {len(parts)} windows; "
        "speakers and dates are resolved within each window"
    )
    return dataclasses.replace(
        article,
        statements=tuple(dataclasses.replace(s, id=f"s{n}") for n, s in enumerate(statements, 1)),
        time_expressions=tuple(times),
        quantities=tuple(quantities),
        claims=(*claims, *narration),
        published=last.published,
        published_source=last.published_source,
        notices=tuple(notices),
    )


def _new_kind(notice: str, notices: Sequence[str]) -> bool:
    """A window's notice is kept once per kind (its words before the first colon): each window
    would otherwise repeat "no publication date: …" with its own counts."""
    kind = notice.split(":", 1)[0]
    return not any(n.split(":", 1)[0] == kind for n in notices)


def _shift_statement(
    s: Statement, offset: int, time_ids: dict[str, str], quantity_ids: dict[str, str]
) -> Statement:
    content = s.content
    said_on_source = s.said_on_source
    if said_on_source is not None and said_on_source.startswith("time:"):
        said_on_source = "time:" + time_ids.get(said_on_source[5:], said_on_source[5:])
    return dataclasses.replace(
        s,
        source=_shift_span(s.source, offset),
        cue=_shift_span(s.cue, offset),
        content=Content(
            content.start + offset,
            content.end + offset,
            content.text,
            tuple((a + offset, b + offset) for a, b in content.pieces),
        ),
        via=tuple(Via(v.name, _shift_span(v.cue, offset)) for v in s.via),
        times=tuple(time_ids.get(t, t) for t in s.times),
        quantities=tuple(quantity_ids.get(q, q) for q in s.quantities),
        factuality_parts=tuple(
            FactualityPart(p.start + offset, p.end + offset, p.factuality)
            for p in s.factuality_parts
        ),
        said_on_source=said_on_source,
    )


def _shift_span(span: Span | None, offset: int) -> Span | None:
    return None if span is None else Span(span.start + offset, span.end + offset, span.text)
