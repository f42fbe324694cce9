"""The attribute stage: statements (source, cue, content) from a parsed article.

Rules over the dependency parse and the quotation marks, in three passes: direct quotes with a
cue next to them, reported speech from cue verbs, then floating quotes that carry on the last
speaker. Speakers are resolved within the article afterwards, in text order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from claimledger.attribute.classifier import filter_statements
from claimledger.attribute.colon import find_labels
from claimledger.attribute.direct import (
    find_dash_attributions,
    find_direct,
    floating_quotes,
    intro_points,
)
from claimledger.attribute.draft import Draft
from claimledger.attribute.indirect import find_indirect
from claimledger.attribute.nominal import find_nominal
from claimledger.attribute.quotes import Quote, find_quotes
from claimledger.attribute.speakers import SpeakerResolver
from claimledger.model import Content, Span, Speaker, Statement, Via
from claimledger.nlp import text_of

__all__ = ["attribute_doc"]


def attribute_doc(
    doc: Doc, skip: Sequence[tuple[int, int]] = (), use_filter: bool = True
) -> list[Statement]:
    """Statements found in ``doc``, in text order; ``skip`` holds spans (page furniture) that
    no content may come from.

    Example::

        attribute_doc(nlp("Singh said the troops are in Kursk."))[0].speaker.name  # "Singh"
    """
    text = text_of(doc)
    quotes = find_quotes(text, intro_points(doc))
    drafts = list(find_direct(doc, quotes))
    drafts.extend(d for d in find_dash_attributions(doc, quotes) if not _duplicate(d, drafts))
    taken = {d.cue_token for d in drafts if d.cue_token is not None}
    drafts.extend(d for d in find_indirect(doc, taken) if not _duplicate(d, drafts))
    drafts.extend(d for d in find_labels(doc) if not _duplicate(d, drafts))
    drafts.extend(d for d in find_nominal(doc, taken) if not _duplicate(d, drafts))
    drafts.extend(_merge_floating(list(floating_quotes(quotes, drafts, text)), drafts, text))
    drafts = [d for d in drafts if not any(d.overlaps(s, e) for s, e in skip)]
    drafts = [d for d in drafts if not _nested_fragment(d, drafts)]
    drafts.sort(key=lambda d: (d.start, d.end))
    statements = _statements(doc, drafts, quotes)
    if use_filter:
        statements = [
            replace(s, id=f"s{n}")
            for n, s in enumerate(filter_statements(doc, statements), start=1)
        ]
    return statements


# A quote shorter than this, with no cue and not continuing a quote, is a scare quote or a title.
_MIN_FLOATING_WORDS = 5


def _merge_floating(floating: list[Draft], drafts: list[Draft], text: str) -> list[Draft]:
    """A floating quote right after a quoted statement is more of the same statement (the
    speaker goes on): it becomes another piece of that content. The rest stand alone when
    they are long enough to be a statement."""
    alone = []
    for quote in floating:
        before = [d for d in drafts if d.end <= quote.start]
        last = max(before, key=lambda d: d.end) if before else None
        gap = text[last.end : quote.start] if last else ""
        quoted = last is not None and (
            last.kind == "direct" or any(m in text[last.end : last.end + 3] for m in "”\"'»")
        )
        if last is not None and quoted and gap.count("\n") <= 1 and len(gap) < 300:
            last.content.append(quote.content[0])
        elif len(text[quote.start : quote.end].split()) >= _MIN_FLOATING_WORDS:
            alone.append(quote)
    return alone


def _nested_fragment(draft: Draft, drafts: Sequence[Draft]) -> bool:
    """A quoted fragment lying inside another statement's content ("called the offer “fair and
    final”") is part of that statement, not a statement of its own."""
    if draft.kind != "direct" or len(draft.content) > 1:
        return False
    start, end = draft.content[0]
    return any(
        other is not draft
        and other.cue != draft.cue
        and other.start <= start
        and end <= other.end
        and (other.end - other.start) > (end - start)
        for other in drafts
    )


def _duplicate(draft: Draft, drafts: Sequence[Draft]) -> bool:
    """An indirect reading of content a direct quote already covers (the same words twice)."""
    for other in drafts:
        overlap = sum(
            max(0, min(e, oe) - max(s, os)) for s, e in draft.content for os, oe in other.content
        )
        size = sum(e - s for s, e in draft.content)
        if size and overlap / size > 0.5:
            return True
    return False


def _kind(draft: Draft, quotes: Sequence[Quote], text: str) -> str:
    if draft.kind != "indirect":
        return draft.kind
    start, end = draft.start, draft.end
    inside = [q for q in quotes if start <= q.start and q.end <= end]
    if not inside:
        return "indirect"
    quoted = sum(q.end - q.start for q in inside)
    return "direct" if quoted >= 0.9 * len(text[start:end].strip('“”"«» ')) else "mixed"


def _statements(doc: Doc, drafts: Sequence[Draft], quotes: Sequence[Quote]) -> list[Statement]:
    text = text_of(doc)
    resolver = SpeakerResolver(doc)
    statements: list[Statement] = []
    last_speaker: Speaker | None = None
    for n, draft in enumerate(drafts, start=1):
        if draft.inherits_speaker:
            speaker = last_speaker
        else:
            speaker = resolver.resolve(draft.source) if draft.source is not None else None
        source = None
        if draft.source is not None and not draft.inherits_speaker:
            source = Span(draft.source.start_char, draft.source.end_char, draft.source.text)
        cue = (
            Span(draft.cue[0], draft.cue[1], text[draft.cue[0] : draft.cue[1]])
            if draft.cue
            else None
        )
        pieces = tuple(draft.content) if len(draft.content) > 1 else ()
        content = Content(draft.start, draft.end, text[draft.start : draft.end], pieces)
        via = tuple(_via(resolver, relay, cue_span, text) for relay, cue_span in draft.via)
        statements.append(
            Statement(
                id=f"s{n}",
                kind=_kind(draft, quotes, text),  # type: ignore[arg-type]
                source=source,
                speaker=speaker,
                cue=cue,
                content=content,
                by=draft.by,
                via=via,
            )
        )
        if speaker is not None:
            last_speaker = speaker
    return statements


def _via(
    resolver: SpeakerResolver, relay: SpacySpan, cue: tuple[int, int] | None, text: str
) -> Via:
    speaker = resolver.resolve(relay)
    name = speaker.name if speaker else relay.text
    return Via(name, Span(cue[0], cue[1], text[cue[0] : cue[1]]) if cue else None)
