"""The normalize stage over one article: time expressions, speech times, publication date."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date

from spacy.tokens import Doc

from claimledger.model import Article, Statement, TimeExpression
from claimledger.normalize.anchoring import Context
from claimledger.normalize.published import infer_published
from claimledger.normalize.recognize import Mention, find_mentions
from claimledger.normalize.said_on import SaidOn, assign_said_on, statement_times
from claimledger.normalize.timex import Resolved, mention_tense, normalize, resolve_mentions

_FULL_DAY_LENGTH = 10


def resolve_times(doc: Doc, article: Article) -> Article:
    """The article with ``time_expressions`` (t1, t2, … in text order), each statement's
    ``said_on``, ``said_on_source`` and ``times``, and — where the input had no date and the text
    pins one — ``published`` with ``published_source="inferred"``.

    Relative expressions inside a statement whose day is known are anchored on that day ("last
    week" said at Monday's briefing is the week before that Monday's). Without any date, partial
    values are kept, relative expressions get no value and one notice says so.

    Example:
        >>> article = resolve_times(nlp(text), article)  # doctest: +SKIP
        >>> [t.value for t in article.time_expressions][:2]  # doctest: +SKIP
        ['2024-12-09', '2024-W49']
    """
    mentions = find_mentions(article.text)
    tenses = [mention_tense(article.text, doc, m.start, m.end) for m in mentions]
    published, source, notices = article.published, article.published_source, article.notices
    if published is None:
        inference = infer_published(article.text, mentions)
        if inference is not None:
            published, source = inference.published, "inferred"
            notices += (
                f"publication date inferred from the text as {published} ({inference.reason}); "
                "pass --published YYYY-MM-DD if that is wrong",
            )
    anchor = date.fromisoformat(published[:_FULL_DAY_LENGTH]) if published else None
    resolved = resolve_mentions(mentions, anchor, tenses, "published")
    sentences = (
        [(s.start_char, s.end_char) for s in doc.sents] if doc.has_annotation("SENT_START") else []
    )
    first = _expressions(resolved)
    said = assign_said_on(article.text, article.statements, first, sentences)
    resolved = _anchor_on_speech(resolved, article.statements, said)
    times = _expressions(resolved)
    if anchor is None:
        # Once per article, even when the stage runs twice over it.
        notices += tuple(n for n in _missing_date_notice(resolved) if n not in notices)
    return dataclasses.replace(
        article,
        time_expressions=times,
        statements=tuple(
            _with_said_on(s, d, times) for s, d in zip(article.statements, said, strict=True)
        ),
        published=published,
        published_source=source,
        notices=notices,
    )


def _expressions(resolved: Sequence[Resolved]) -> tuple[TimeExpression, ...]:
    return tuple(r.to_expression(n) for n, r in enumerate(resolved, start=1))


def _anchor_on_speech(
    resolved: list[Resolved], statements: Sequence[Statement], said: Sequence[SaidOn]
) -> list[Resolved]:
    """Re-anchor the relative expressions inside each dated statement on its day."""
    out = list(resolved)
    for statement, day in zip(statements, said, strict=True):
        if day.value is None or not day.value[:4].isdigit():
            continue
        speech = date.fromisoformat(day.value[:_FULL_DAY_LENGTH])
        for n, item in enumerate(out):
            if item.anchor == "speech" or item.result.status != "anchored":
                continue
            if _within(item.mention, statement):
                ctx = Context(speech, item.tense)
                out[n] = Resolved(item.mention, normalize(item.mention, ctx), item.tense, "speech")
    return out


def _within(m: Mention, s: Statement) -> bool:
    pieces = s.content.pieces or ((s.content.start, s.content.end),)
    return any(start <= m.start and m.end <= end for start, end in pieces)


def _with_said_on(s: Statement, said: SaidOn, times: Sequence[TimeExpression]) -> Statement:
    return dataclasses.replace(
        s, said_on=said.value, said_on_source=said.source, times=statement_times(s, times)
    )


def _missing_date_notice(resolved: Sequence[Resolved]) -> tuple[str, ...]:
    unresolved = sum(r.result.status == "unresolved" and r.result.value is None for r in resolved)
    partial = sum(r.result.status == "partial" for r in resolved)
    if not unresolved and not partial:
        return ()
    found = []
    if partial:
        found.append(
            f"{partial} time expression has a partial value (XXXX-…)"
            if partial == 1
            else f"{partial} time expressions have partial values (XXXX-…)"
        )
    if unresolved:
        found.append(
            f"{unresolved} relative {'one is' if unresolved == 1 else 'ones are'} unresolved"
            if partial
            else f"{unresolved} relative time expression{'' if unresolved == 1 else 's'} "
            f"{'is' if unresolved == 1 else 'are'} unresolved"
        )
    return (
        f"no publication date: {' and '.join(found)}; pass --published YYYY-MM-DD to resolve them",
    )
