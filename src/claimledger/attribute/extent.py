"""Where a reported content ends: a learned choice among the places a clause can stop.

The parse gives a content's head; where its words end is the hard part. A clause may run on
past the parser's edge ("…, allowing people to see the progress") or stop before what the
sentence adds ("… in his remarks", ", the latest chapter in a rocky relationship"). The rules
extend a content to the end of its sentence with stopping heuristics; this model instead scores
every possible end — the head's subtree edge, the rules' end, each punctuation mark,
conjunction, relative pronoun or participle after which a phrase could stop, the sentence end —
and picks the best. It is a logistic regression trained on PolNeAR's train split
(``claimledger train attribution``), applied to statements the rules or the frame model read
from the parse; quotations keep the ends their marks give them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import repeat

from spacy.tokens import Doc, Token

from claimledger.attribute.draft import Draft
from claimledger.nlp import text_of, tokens_of

# Statements whose content is a quotation: the marks say where it ends.
QUOTED_PATTERNS = frozenset(
    {
        "pattern:quote-cue",
        "pattern:quote-dash-name",
        "pattern:floating-quote",
        "pattern:colon-label",
    }
)
_BREAKS = frozenset({",", ";", "--", "—", "–", "―", "(", ":"})
_CLAUSE_WORDS = frozenset({"which", "who", "whom", "whose", "while", "although", "though"})
# Cut from the end of a moved content: blanks and the break it stopped before, not quote marks.
_TRIM = frozenset(" \t\n\r\u00a0,;:—–-(")


@dataclass(frozen=True, slots=True)
class ExtentModel:
    weights: Mapping[str, float]
    bias: float

    def score(self, features: Sequence[str]) -> float:
        return self.bias + sum(map(self.weights.get, features, repeat(0.0)))


def content_tokens(doc: Doc, draft: Draft) -> tuple[int, int] | None:
    """First and last token of the draft's last content piece."""
    start, end = draft.content[-1]
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    return span.start, span.end - 1


def candidate_ends(doc: Doc, first: int, last: int) -> list[int]:
    """Token indices where the content starting at ``first`` (the rules end it at ``last``)
    could end: within the sentence, before a break, a conjunction, a clause word or a
    participle, at the rules' end, at the sentence's end."""
    tokens = tokens_of(doc)
    sentence = tokens[first].sent
    stop = sentence.end - 1
    while stop > first and (tokens[stop].is_punct or tokens[stop].is_space):
        stop -= 1
    ends = {last, stop}
    for i in range(first, stop):
        nxt = tokens[i + 1]
        if (
            nxt.text in _BREAKS
            or nxt.pos_ in ("CCONJ", "SCONJ")
            or nxt.lower_ in _CLAUSE_WORDS
            or nxt.tag_ == "VBG"
            or (nxt.dep_ == "prep" and nxt.head.i < first)
        ):
            ends.add(i)
    return sorted(e for e in ends if first <= e <= stop)


def end_features(
    doc: Doc, draft: Draft, first: int, last: int, end: int, order: int, head: Token | None
) -> list[str]:
    """Features of ending the content at token ``end`` (the rules chose ``last``)."""
    by = draft.by
    tokens = tokens_of(doc)
    nxt = tokens[end + 1] if end + 1 < len(tokens) else None
    word = "<end>"
    if nxt is not None:
        word = nxt.lower_ if nxt.is_punct or nxt.is_stop else nxt.pos_
    relation = "<end>"
    if nxt is not None:
        relation = nxt.dep_
    sentence_end = end + 1 >= tokens[first].sent.end or (nxt is not None and nxt.is_sent_end)
    edge = head.right_edge.i if head is not None else last
    where = "at" if end == last else ("before" if end < last else "after")
    feats = [
        f"rules={where}",
        f"by+rules={by}|{where}",
        f"next={word}",
        f"next+dep={word}|{relation}",
        f"by+next={by}|{word}",
        f"edge={'at' if end == edge else 'before' if end < edge else 'after'}",
        f"sentence_end={sentence_end}",
        f"order={min(order, 5)}",
        f"length={min((end - first + 1) // 4, 8)}",
    ]
    if nxt is not None and nxt.head.i < first:
        feats.append(f"next_attaches_before={nxt.dep_}")
    if nxt is not None and head is not None:
        feats.append(f"next_inside_head={head.left_edge.i <= nxt.i <= head.right_edge.i}")
    lo, hi = sorted((end, last))
    between = tokens[lo + 1 : hi + 1]
    if len(between):
        feats += [
            f"gap={where}|{min(len(between) // 3, 6)}",
            f"gap_verb={where}|{any(t.pos_ == 'VERB' for t in between)}",
            f"gap_subject={where}|{any(t.dep_ in ('nsubj', 'nsubjpass') for t in between)}",
            f"gap_date={where}|{any(t.ent_type_ in ('DATE', 'TIME') for t in between)}",
            f"gap_quote={where}|{any(t.text in QUOTE_TOKENS for t in between)}",
        ]
    return feats


QUOTE_TOKENS = frozenset({"“", "”", '"', "``", "''"})


def content_head(doc: Doc, first: int, last: int) -> Token:
    return doc[first : last + 1].root


def choose_end(doc: Doc, draft: Draft, model: ExtentModel) -> None:
    """Move the end of the draft's last content piece to the end the model scores best."""
    if draft.by in QUOTED_PATTERNS:
        return
    bounds = content_tokens(doc, draft)
    if bounds is None:
        return
    first, last = bounds
    head = content_head(doc, first, last)
    ends = candidate_ends(doc, first, last)
    if len(ends) < 2:
        return
    scores = [
        model.score(end_features(doc, draft, first, last, end, n, head))
        for n, end in enumerate(ends)
    ]
    best = ends[max(range(len(ends)), key=scores.__getitem__)]
    if best != last:
        start = draft.content[-1][0]
        end_char = trimmed_end(doc, best)
        if end_char > start:
            draft.content[-1] = (start, end_char)


def trimmed_end(doc: Doc, end: int) -> int:
    text = text_of(doc)
    stop = doc[end].idx + len(doc[end])
    while stop > 0 and text[stop - 1] in _TRIM:
        stop -= 1
    return stop
