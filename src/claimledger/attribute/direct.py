"""Direct quotes tied to their cue: ``“…,” Singh said``, ``“…,” said Singh``, ``she responded:
“…”``, ``Singh stated, So … that.”`` (opening mark lost), quotes interrupted by the attribution
(``“A,” said Caddell, “B.”`` is one statement in two pieces), and floating quotes that carry on
the speaker of the statement before them.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator, Sequence

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from claimledger.attribute import lexicon
from claimledger.attribute.draft import Draft
from claimledger.attribute.indirect import _cue_start, _phrase, _source
from claimledger.attribute.overlap import DraftIndex, LastBefore
from claimledger.attribute.quotes import Quote
from claimledger.nlp import text_of, token_indices, token_starts

# How far (in tokens) a cue may stand from the quote it introduces or closes.
_WINDOW_AFTER = 12
_WINDOW_BEFORE = 10


def intro_points(doc: Doc) -> list[int]:
    """Offsets right after "cue," or "cue:" — where a quote with a lost opening mark begins."""
    points = []
    # Only the words before a comma or colon are read (building every Token is the cost).
    for i in token_indices(doc, words=(",", ":")):
        if i == 0:
            continue
        token, nxt = doc[i - 1], doc[i]
        if lexicon.cues().get(token.lemma_.lower()):
            subjects = [c for c in token.children if c.dep_ == "nsubj"]
            # "you know," and "I think," are fillers inside a quote, not its introduction
            if subjects and subjects[0].lower_ in ("i", "we", "you"):
                continue
            points.append(nxt.idx + 1)
    return points


def find_direct(doc: Doc, quotes: Sequence[Quote]) -> Iterator[Draft]:
    """Drafts for the quotes that have a cue next to them, in text order."""
    used: set[int] = set()
    for n, quote in enumerate(quotes):
        if n in used:
            continue
        after = _cue_after(doc, quote)
        verb = after or _cue_before(doc, quote)
        if verb is None or (
            after is None and (_sentence_goes_on(doc, quote) or _reported_by_outer_cue(verb))
        ):
            continue
        start = _lead_in_start(doc, quote) if after is not None else quote.start
        pieces = [(start, quote.end)]
        following = n + 1
        # The rest of a quote interrupted by its attribution, or continued in the next paragraph.
        while following < len(quotes) and _continues(
            doc, quotes[following - 1], quotes[following], verb
        ):
            pieces.append((quotes[following].start, quotes[following].end))
            used.add(following)
            following += 1
        source, via = _source(doc, verb)
        if source is None:
            source = _inverted_subject(doc, verb)
        if source is None or source.root.lower_ in ("i", "we", "you"):
            continue
        used.add(n)
        first = _cue_start(verb)
        if after is None:
            fronted = _fronted_piece(doc, min(first, source.start), quote)
            if fronted is not None:
                pieces.insert(0, fronted)
        yield Draft(
            kind="direct",
            cue=(doc[first].idx, verb.idx + len(verb.text)),
            content=pieces,
            by="pattern:quote-cue",
            source=source,
            cue_token=verb.i,
            via=via,
        )


def _sentence_goes_on(doc: Doc, quote: Quote) -> bool:
    """``said “budget reforms” and unpaid taxes would pay for them``: the quote is a fragment of
    the reported clause, which goes on after the closing mark — the cue's reported speech (the
    indirect reading) holds it, not the quote alone."""
    if not quote.closed:
        return False
    inner = text_of(doc)[quote.start : quote.end].rstrip()
    if inner.endswith((".", "!", "?", "…", ",", ":", ";")):
        return False
    nxt = _token_at_or_after(doc, quote.outer_end)
    return nxt is not None and not nxt.is_punct and nxt.sent == doc[nxt.i - 1].sent


def _reported_by_outer_cue(verb: Token) -> bool:
    """``the agency said North Korea had displayed “complete disregard”``: the cue before the
    quote is itself inside what an earlier cue reports — the quote is part of that reported
    clause (the indirect reading), not a statement of "displayed"."""
    return verb.dep_ == "ccomp" and verb.head.i < verb.i and _is_cue(verb.head)


def _fronted_piece(doc: Doc, attribution_start: int, quote: Quote) -> tuple[int, int] | None:
    """``In cases of abortion, it said, “the woman is a victim.”``: the words before an
    attribution set off by commas begin the sentence the quote finishes — the first piece of
    the content. Only when the quote goes on in lower case (else the words are the setting of
    the saying: "On Tuesday, she said, “It's time …”"), and not when they hold a quote, a
    colon or a cue of their own."""
    first = _token_at_or_after(doc, quote.outer_start)
    if first is None or attribution_start < 2 or attribution_start > first.i:
        return None
    if not text_of(doc)[quote.start : quote.start + 1].islower():
        return None
    comma = doc[attribution_start - 1]
    sentence_start = doc[attribution_start].sent.start
    lead = [t for t in doc[sentence_start : comma.i] if not t.is_space]
    if comma.text != "," or not lead or len(lead) > _WINDOW_FRONTED:
        return None
    if not _plain(lead):
        return None
    return lead[0].idx, lead[-1].idx + len(lead[-1].text)


# Words before an attribution that may still be the start of the quoted sentence.
_WINDOW_FRONTED = 25


_DASHES = ("―", "—", "–", "--")
_QUOTE_TOKENS = frozenset({"“", "«", '"', "``", "''", "„"})


def find_dash_attributions(doc: Doc, quotes: Sequence[Quote]) -> Iterator[Draft]:
    """``“Trump scares me.” ― Carla Sanchez``: a quote signed with a dash and a name."""
    text = text_of(doc)
    for quote in quotes:
        if not quote.closed:
            continue
        after = text[quote.outer_end : quote.outer_end + 6].lstrip(" \t\u00a0")
        dash = next((d for d in _DASHES if after.startswith(d)), None)
        if dash is None:
            continue
        dash_at = text.index(dash, quote.outer_end)
        name = _name_after(doc, dash_at + len(dash))
        if name is None:
            continue
        yield Draft(
            kind="direct",
            cue=(dash_at, dash_at + len(dash)),
            content=[(quote.start, quote.end)],
            by="pattern:quote-dash-name",
            source=name,
            cue_token=None,
        )


def _name_after(doc: Doc, offset: int) -> SpacySpan | None:
    """The run of capitalised words right after ``offset`` on the same line."""
    first = _token_at_or_after(doc, offset)
    if first is None or "\n" in text_of(doc)[offset : first.idx]:
        return None
    last = first.i
    while last + 1 < len(doc) and doc[last + 1].is_title and "\n" not in doc[last].whitespace_:
        last += 1
    if not first.is_title or last - first.i > 5:
        return None
    return doc[first.i : last + 1]


def floating_quotes(quotes: Sequence[Quote], drafts: Sequence[Draft], text: str) -> Iterator[Draft]:
    """Quotes with no cue of their own that carry on the statement just before them."""
    index = DraftIndex(drafts)
    last_before = LastBefore(drafts)  # quotes come in text order
    for quote in quotes:
        # A statement reported inside the quote ("“It says that everyone is free …”") is the
        # speaker's own nesting, not an attribution of the quote: it does not take the quote.
        near = index.overlapping([(quote.start, quote.end)])
        if any(d.overlaps(quote.start, quote.end) and not _cue_inside(d, quote) for d in near):
            continue
        if not _starts_sentence(text, quote.outer_start):
            continue
        last = last_before.before(quote.start)
        if last is None:
            continue
        if "\n\n" in text[last.end : quote.start] or quote.start - last.end > 600:
            continue
        yield Draft(
            kind="direct",
            cue=None,
            content=[(quote.start, quote.end)],
            by="pattern:floating-quote",
            source=last.source,
            cue_token=last.cue_token,
            inherits_speaker=True,
        )


def _cue_inside(draft: Draft, quote: Quote) -> bool:
    return draft.cue is not None and quote.start <= draft.cue[0] and draft.cue[1] <= quote.end


def _starts_sentence(text: str, pos: int) -> bool:
    i = pos - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    return i < 0 or text[i] in ".!?\n”\"'’:"


def _is_cue(token: Token) -> bool:
    return token.pos_ in ("VERB", "AUX") and token.lemma_.lower() in lexicon.cues()


def _has_own_content(verb: Token, quote: Quote) -> bool:
    """A cue with a complement clause to its right reports that clause, not the quote — unless
    the quote opens a sentence and breaks off at a comma, and the clause opens with a mark: its
    second half (“A,” he said, “and B.”)."""
    doc = verb.doc
    text = text_of(doc)
    broken_off = text[quote.start : quote.end].rstrip().endswith(",") and _opens_sentence(
        doc, quote
    )
    return any(
        c.dep_ == "ccomp"
        and c.i > verb.i
        and not (
            broken_off and any(t.text in _QUOTE_TOKENS for t in doc[verb.i + 1 : c.left_edge.i + 1])
        )
        for c in verb.children
    )


def _opens_sentence(doc: Doc, quote: Quote) -> bool:
    first = _token_at_or_after(doc, quote.outer_start)
    return first is not None and all(
        t.is_space or t.text in _QUOTE_TOKENS for t in doc[first.sent.start : first.i]
    )


def _token_at_or_after(doc: Doc, offset: int) -> Token | None:
    starts = token_starts(doc)
    i = bisect_left(starts, offset)
    while i < len(doc) and doc[i].is_space:
        i += 1
    return doc[i] if i < len(doc) else None


def _lead_in_start(doc: Doc, quote: Quote) -> int:
    """Where the content of a quote attributed after it begins: the start of its sentence when
    the quote only finishes a sentence the writer began (``The answers are “not meeting the
    demand,” says Rieckhoff`` — the whole clause is the source's, as PolNeAR marks it), else
    the quote itself. A lead-in holding a cue, a colon or another quote is not taken."""
    first = _token_at_or_after(doc, quote.outer_start)
    if first is None or first.i == 0:
        return quote.start
    sentence_start = first.sent.start
    lead = [t for t in doc[sentence_start : first.i] if not t.is_space]
    # The parser sometimes runs the writer's previous sentence into the quote's ("Why the
    # affiliation? ''They pay us …'' said Lee"): a lead-in never crosses a sentence end.
    ends = [n for n, t in enumerate(lead) if t.text in _SENTENCE_ENDS]
    if ends:
        lead = lead[ends[-1] + 1 :]
    if not lead or len(lead) > _WINDOW_LEAD_IN:
        return quote.start
    if not _plain(lead):
        return quote.start
    return lead[0].idx


def _plain(lead: Sequence[Token]) -> bool:
    """Words that can begin a quoted sentence: no quote, colon or cue of their own."""
    return not any(t.text in _QUOTE_TOKENS or t.text in (":", "”", "»") or _is_cue(t) for t in lead)


_SENTENCE_ENDS = frozenset({".", "?", "!"})
# A longer lead-in is a sentence of the writer's own that happens to end in a quote.
_WINDOW_LEAD_IN = 12


def _cue_after(doc: Doc, quote: Quote) -> Token | None:
    """``“…,” Singh said`` / ``“…,” said Singh``: a cue right after the closing mark."""
    if not quote.closed:
        return None
    first = _token_at_or_after(doc, quote.outer_end)
    if first is None or "\n" in text_of(doc)[quote.outer_end : first.idx]:
        return None
    if not _ends_a_clause(text_of(doc), quote, first):
        return None  # “fair and final” and that it had been rejected: a fragment, not a quote-cue
    end = min(len(doc), first.i + _WINDOW_AFTER)
    for token in doc[first.i : end]:
        if token.text in ("“", "«", '"', "``", "''") and token.i > first.i:
            break
        if token.is_sent_start and token.i > first.i and token.text not in ("”", "»"):
            break
        if _is_cue(token):
            # The first cue decides: one with a clause of its own or one going on from a verb
            # before the quote is not its attribution, and later cues lie inside its content.
            if _has_own_content(token, quote) or _goes_on_from(token, quote):
                return None
            return token
    return None


def _goes_on_from(verb: Token, quote: Quote) -> bool:
    """``they want “justice for Terrence,” but pledged to remain civil``: a verb joined to one
    before the quote is a second thing its subject did, not the quote's attribution."""
    return verb.dep_ == "conj" and verb.head.idx < quote.outer_start


def _ends_a_clause(text: str, quote: Quote, first: Token) -> bool:
    """A quote closed by its attribution ends with punctuation (“…,” she said) or is followed
    at once by the cue or its subject (“…” she said)."""
    inner = text[quote.start : quote.end].rstrip()
    if inner.endswith((",", ".", "!", "?", "…", "—", "–", "-", ":")):
        return True
    if first.text in (",", "—", "–"):
        return True
    window = first.doc[first.i : first.i + 3]
    return _is_cue(first) or (
        first.pos_ in ("PROPN", "PRON", "DET", "NOUN") and any(_is_cue(t) for t in window)
    )


def _cue_before(doc: Doc, quote: Quote) -> Token | None:
    """``she responded: “…”`` / ``Singh stated, So …``: a cue ending just before the quote."""
    first = _token_at_or_after(doc, quote.start)
    if first is None:
        return None
    lo = max(first.sent.start, first.i - _WINDOW_BEFORE)
    opening_only = all(t.is_space or t.text in _QUOTE_TOKENS for t in doc[lo : first.i])
    if opening_only and first.i > 0:
        # "He said:" alone on the line before the quote
        before = [
            t
            for t in doc[max(0, first.i - _WINDOW_BEFORE) : first.i]
            if not (t.is_space or t.text in _QUOTE_TOKENS)
        ]
        if before and before[-1].text == ":":
            lo = before[0].i
    tokens = list(doc[lo : first.i])
    while tokens and (tokens[-1].is_space or tokens[-1].text in _QUOTE_TOKENS):
        tokens.pop()
    introduced = bool(tokens) and (tokens[-1].text in (",", ":", "—") or _is_cue(tokens[-1]))
    if not introduced:
        return None
    for token in reversed(tokens):
        if _is_cue(token):
            between = tokens[tokens.index(token) + 1 :]
            if any(t.lower_ == "that" and t.dep_ == "mark" for t in between):
                return None  # "said that, “…” against …": reported speech quoting, not a quote
            return token
    return None


def _continues(doc: Doc, previous: Quote, nxt: Quote, verb: Token) -> bool:
    """Whether ``nxt`` is the second half of ``previous`` (interrupted by the cue, or the next
    paragraph of a quote left open)."""
    if nxt.continues_previous:
        return True
    if not previous.closed or not nxt.opened:
        return False
    between = text_of(doc)[previous.outer_end : nxt.outer_start]
    if "\n" in between or len(between) > 80:
        return False
    cue_inside = previous.outer_end <= verb.idx < nxt.outer_start
    return cue_inside and between.rstrip().endswith((",", ":"))


def _inverted_subject(doc: Doc, verb: Token) -> SpacySpan | None:
    """``said Singh``: some parses attach the speaker after the verb as a dobj or attr."""
    for child in verb.children:
        if (
            child.i > verb.i
            and child.dep_ in ("dobj", "attr", "npadvmod")
            and child.pos_ == "PROPN"
        ):
            return _phrase(doc, child)
    return None
