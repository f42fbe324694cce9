"""The attribute stage: statements (source, cue, content) from a parsed article.

Rules over the dependency parse and the quotation marks propose candidates, in three passes:
direct quotes with a cue next to them, reported speech from cue verbs, then floating quotes that
carry on the last speaker. In learned mode a model trained on PolNeAR then scores every word as
a cue head: it keeps the rule candidates whose cue it accepts, and reads a frame (source, cue,
content) around each accepted cue the rules missed. Speakers are resolved within the article
afterwards, in text order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from claimledger.attribute.classifier import AttributionModel, cue_head, cue_probabilities
from claimledger.attribute.classifier import load_model as load_attribution_model
from claimledger.attribute.colon import find_labels
from claimledger.attribute.direct import (
    find_dash_attributions,
    find_direct,
    floating_quotes,
    intro_points,
)
from claimledger.attribute.draft import Draft
from claimledger.attribute.extent import QUOTED_PATTERNS, choose_end
from claimledger.attribute.frames import cue_words, learned_frame
from claimledger.attribute.indirect import find_indirect
from claimledger.attribute.nominal import find_nominal
from claimledger.attribute.overlap import DraftIndex, ExtentIndex, LastBefore, QuoteIndex
from claimledger.attribute.quotes import Quote, find_quotes
from claimledger.attribute.speakers import SpeakerResolver
from claimledger.model import Content, Span, Speaker, Statement, Via
from claimledger.nlp import text_of

__all__ = ["Scored", "attribute_doc", "candidate_drafts", "finished", "scored_drafts", "select"]


def attribute_doc(
    doc: Doc, skip: Sequence[tuple[int, int]] = (), learned: bool = True
) -> list[Statement]:
    """Statements found in ``doc``, in text order; ``skip`` holds spans (page furniture) that
    no content may come from. ``learned=False`` gives the rule candidates alone.

    Example::

        attribute_doc(nlp("Singh said the troops are in Kursk."))[0].speaker.name  # "Singh"
    """
    quotes = find_quotes(text_of(doc), intro_points(doc))
    drafts = candidate_drafts(doc, quotes)
    if learned:
        model = load_attribution_model()
        cut = model.cue
        drafts = select(
            scored_drafts(doc, drafts, model, quotes), cut.threshold, cut.frame_threshold
        )
    return _statements(doc, finished(doc, drafts, skip), quotes)


def finished(
    doc: Doc, drafts: Sequence[Draft], skip: Sequence[tuple[int, int]] = ()
) -> list[Draft]:
    """The chosen drafts outside ``skip``, without fragments of one another, in text order."""
    drafts = [d for d in drafts if not any(d.overlaps(s, e) for s, e in skip)]
    extents = ExtentIndex(drafts)
    drafts = [d for d in drafts if not _nested_fragment(d, extents)]
    for draft in drafts:
        _relative_pronoun(doc, draft)
    return sorted(drafts, key=lambda d: (d.start, d.end))


def candidate_drafts(doc: Doc, quotes: Sequence[Quote] | None = None) -> list[Draft]:
    """The rules' candidate statements, before the learned model chooses among them."""
    text = text_of(doc)
    if quotes is None:
        quotes = find_quotes(text, intro_points(doc))
    drafts = list(find_direct(doc, quotes))
    index = DraftIndex(drafts)
    _add_new(drafts, index, find_dash_attributions(doc, quotes))
    taken = {d.cue_token for d in drafts if d.cue_token is not None}
    _add_new(drafts, index, find_indirect(doc, taken))
    _add_new(drafts, index, find_labels(doc))
    _add_new(drafts, index, find_nominal(doc, taken))
    drafts.extend(_merge_floating(list(floating_quotes(quotes, drafts, text)), drafts, text))
    by_offset = QuoteIndex(quotes)
    for draft in drafts:
        _close_open_quotes(draft, by_offset)
    return drafts


def _add_new(drafts: list[Draft], index: DraftIndex, found: Iterable[Draft]) -> None:
    """Add to ``drafts`` (and its index) the ``found`` drafts that repeat none before them."""
    for draft in found:
        if not _duplicate(draft, index):
            drafts.append(draft)
            index.add(draft)


def _close_open_quotes(draft: Draft, quotes: QuoteIndex) -> None:
    """A content that opens a quotation ends no earlier than the quotation does: "called the
    holiday “a celebration of the ways faith can transcend …”" is cut by the parse after
    "ways", but a quote is one piece of someone's words; and it holds the quote's opening mark
    when it holds the closing one."""
    start, end = draft.content[-1]
    closing = quotes.closing_after(start, end)
    if closing is not None:
        draft.content[-1] = (start, closing.end)
    # A clause starting with a quoted fragment (“budget reforms” and taxes would pay) starts
    # at the opening mark, as it ends past the closing one.
    start, end = draft.content[0]
    for quote in quotes.starting_at(start):
        if quote.end < end and quote.opened:
            draft.content[0] = (quote.outer_start, end)
            return


def _relay_cues(doc: Doc, drafts: Sequence[Draft]) -> set[int]:
    """Head tokens of the cues through which a statement was relayed (its ``via``)."""
    heads = set()
    for draft in drafts:
        for _, cue in draft.via:
            span = doc.char_span(cue[0], cue[1], alignment_mode="expand") if cue else None
            if span is not None and len(span):
                heads.add(span.root.i)
    return heads


def _learned_cue_words(doc: Doc, draft: Draft, head: int, model: AttributionModel) -> None:
    """Add to a rule candidate's cue the words the role model reads as cue ("said" -> "has
    said"); a rule's longer cue ("refrained from commenting on") is kept whole. Words that
    reach into the content are taken only from its start, when what follows is still an
    argument of the cue: PolNeAR's cue of "expressed concern about the policy" is "expressed
    concern about", its content "the policy"."""
    words = cue_words(doc, doc[head], model.roles)
    if words is None or draft.cue is None:
        return
    cue = (min(words[0], draft.cue[0]), max(words[1], draft.cue[1]))
    if not draft.overlaps(*cue):
        draft.cue = cue
    elif (rest := _content_after_cue(doc, draft, cue)) is not None:
        draft.cue = cue
        draft.content[0] = rest


# Cut from the start of a content that the cue words have taken the beginning of.
_LEADING = frozenset(" \t\n\r\u00a0,;:")
# What is left after the cue words is no content when it is a time or an adverbial.
_NOT_ARGUMENT = frozenset({"npadvmod", "prep", "advmod"})


def _content_after_cue(doc: Doc, draft: Draft, cue: tuple[int, int]) -> tuple[int, int] | None:
    """The one-piece content of ``draft`` without its first words, which ``cue`` now holds;
    None when the cue does not cover the content's start and end inside it, or what remains
    is no argument ("published the video | Friday afternoon")."""
    if len(draft.content) != 1 or draft.by in QUOTED_PATTERNS:
        return None
    start, end = draft.content[0]
    cue_start, cue_end = cue
    if not cue_start <= start < cue_end < end:
        return None
    taken = doc.char_span(start, cue_end, alignment_mode="expand")
    if taken is None or any(t.pos_ == "PROPN" for t in taken):
        return None  # "references FBI criticism of X": a statement of its own, kept whole
    text = text_of(doc)
    while cue_end < end and text[cue_end] in _LEADING:
        cue_end += 1
    rest = doc.char_span(cue_end, end, alignment_mode="expand")
    if rest is None or not len(rest):
        return None
    if rest.root.dep_ in _NOT_ARGUMENT or rest.root.ent_type_ in ("DATE", "TIME"):
        return None
    return cue_end, end


# A quotation with its speaker and cue next to it: the rules are right about 98% of the time
# on PolNeAR dev, more often than the cue model, which is unsure of cues inside quotes.
_TRUSTED_PATTERNS = frozenset({"pattern:quote-cue", "pattern:quote-dash-name"})


@dataclass(frozen=True, slots=True)
class Scored:
    """A candidate with the cue model's probability (None: a floating quote, which has no cue
    and stays); ``frame``: read around a word no rule proposed, so held to its own threshold."""

    draft: Draft
    probability: float | None
    frame: bool = False


def scored_drafts(
    doc: Doc,
    drafts: list[Draft],
    model: AttributionModel,
    quotes: Sequence[Quote],
    floor: tuple[float, float] | None = None,
) -> list[Scored]:
    """Rule candidates, then learned frames around the words no rule used, each with its cue
    probability and finished as if kept: the content end the end model prefers, the cue words
    the role model adds. Candidates below ``floor`` (the two thresholds unless given: training
    lowers it to try several cuts on the same scores) are dropped at once."""
    probabilities = cue_probabilities(doc, drafts, model.cue)
    by_offset = QuoteIndex(quotes)
    rule_floor, frame_floor = floor or (model.cue.threshold, model.cue.frame_threshold)
    scored: list[Scored] = []
    used = _relay_cues(doc, drafts)  # "cited" in "X cited a report stating …" is explained
    for draft in drafts:
        head = cue_head(doc, draft)
        if head is None:
            scored.append(Scored(draft, None))
            continue
        used.add(head)
        p = probabilities[head]
        if p >= rule_floor or draft.by in _TRUSTED_PATTERNS:
            draft.confidence = round(p, 3)
            if model.extent is not None:
                choose_end(doc, draft, model.extent)
                _close_open_quotes(draft, by_offset)
            _learned_cue_words(doc, draft, head, model)
            scored.append(Scored(draft, p))
    for i, p in sorted(probabilities.items()):
        if p < frame_floor or i in used:
            continue
        frame = learned_frame(doc, doc[i], model.roles)
        if frame is None:
            continue
        if model.extent is not None:
            choose_end(doc, frame, model.extent)
        _close_open_quotes(frame, by_offset)
        frame.confidence = round(p, 3)
        scored.append(Scored(frame, p, frame=True))
    return scored


def select(scored: Sequence[Scored], threshold: float, frame_threshold: float) -> list[Draft]:
    """The rule candidates whose cue passes ``threshold`` (quotes with their cue and speaker
    beside them pass anyway), then the frames passing ``frame_threshold`` that repeat no
    statement already kept: a frame rests on the model alone, with no rule to second it."""
    kept: list[Draft] = []
    index = DraftIndex()
    for item in scored:
        if item.frame:
            passes = item.probability is not None and item.probability >= frame_threshold
            if not passes or _duplicate(item.draft, index):
                continue
        elif not (
            item.probability is None
            or item.probability >= threshold
            or item.draft.by in _TRUSTED_PATTERNS
        ):
            continue
        kept.append(item.draft)
        index.add(item.draft)
    return kept


# A quote shorter than this, with no cue and not continuing a quote, is a scare quote or a title.
_MIN_FLOATING_WORDS = 5


def _merge_floating(floating: list[Draft], drafts: list[Draft], text: str) -> list[Draft]:
    """A floating quote right after a quoted statement is more of the same statement (the
    speaker goes on): it becomes another piece of that content. The rest stand alone when
    they are long enough to be a statement."""
    alone = []
    last_before = LastBefore(drafts)  # floating quotes come in text order
    for quote in floating:
        last = last_before.before(quote.start)
        gap = text[last.end : quote.start] if last else ""
        quoted = last is not None and (
            last.kind == "direct" or any(m in text[last.end : last.end + 3] for m in "”\"'»")
        )
        if last is not None and quoted and gap.count("\n") <= 1 and len(gap) < 300:
            last.content.append(quote.content[0])
        elif len(text[quote.start : quote.end].split()) >= _MIN_FLOATING_WORDS:
            alone.append(quote)
    return alone


_RELATIVE_PRONOUNS = ("which", "what", "whom")
_RELATIVE_WORD = re.compile(rf"\b(?:{'|'.join(_RELATIVE_PRONOUNS)})\b", re.IGNORECASE)


def _relative_pronoun(doc: Doc, draft: Draft) -> None:
    """``what Gingrich called “the loudest election”``, ``which, officials said, will start
    soon``: a relative pronoun before the cue that stands for part of the content (the cue's
    object, or a word of the content clause) is the content's first piece, as PolNeAR marks it.
    The cue's own subject ("who said …") is its source, never content."""
    if draft.cue_token is None or draft.cue is None:
        return
    cue = doc[draft.cue_token]
    if not _RELATIVE_WORD.search(text_of(doc), cue.sent.start_char, cue.idx):
        return  # most sentences have none: skip building their tokens
    for token in doc[cue.sent.start : cue.i]:
        if token.idx >= draft.start or token.idx >= draft.cue[0]:
            return  # only a word before both the content and the cue is added
        if _stands_for_content(token, cue, draft):
            draft.content.insert(0, (token.idx, token.idx + len(token.text)))
            return


def _stands_for_content(token: Token, cue: Token, draft: Draft) -> bool:
    if token.lower_ not in _RELATIVE_PRONOUNS or token.tag_ not in ("WDT", "WP"):
        return False
    head = token.head
    if head == cue:
        return token.dep_ in ("dobj", "nsubjpass", "attr", "oprd")
    return draft.overlaps(head.idx, head.idx + len(head.text))


def _nested_fragment(draft: Draft, extents: ExtentIndex) -> bool:
    """A quoted fragment lying inside another statement's content ("called the offer “fair and
    final”") is part of that statement, not a statement of its own."""
    if draft.kind != "direct" or len(draft.content) > 1:
        return False
    start, end = draft.content[0]
    # A draft holding a non-empty content covers its first character; an empty one is rare.
    others = extents.covering(start) if start < end else iter(extents.drafts)
    return any(
        other is not draft
        and other.cue != draft.cue
        and other.start <= start
        and end <= other.end
        and (other.end - other.start) > (end - start)
        for other in others
    )


def _duplicate(draft: Draft, drafts: DraftIndex) -> bool:
    """An indirect reading of content a direct quote already covers (the same words twice)."""
    for other in drafts.overlapping(draft.content):
        overlap = sum(
            max(0, min(e, oe) - max(s, os)) for s, e in draft.content for os, oe in other.content
        )
        size = sum(e - s for s, e in draft.content)
        if size and overlap / size > 0.5:
            return True
    return False


def _kind(draft: Draft, quotes: QuoteIndex, text: str) -> str:
    if draft.kind != "indirect":
        return draft.kind
    start, end = draft.start, draft.end
    inside, quoted = quotes.quoted_inside(start, end)
    if not inside:
        return "indirect"
    return "direct" if quoted >= 0.9 * len(text[start:end].strip('“”"«» ')) else "mixed"


def _statements(doc: Doc, drafts: Sequence[Draft], quotes: Sequence[Quote]) -> list[Statement]:
    text = text_of(doc)
    resolver = SpeakerResolver(doc)
    by_offset = QuoteIndex(quotes)
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
                kind=_kind(draft, by_offset, text),  # type: ignore[arg-type]
                source=source,
                speaker=speaker,
                cue=cue,
                content=content,
                by=draft.by,
                via=via,
                confidence=draft.confidence,
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
