"""Attribution by a noun: "Trump's claim that there were thousands of shootings", "the FBI's
decision to not recommend charges", "criticism of NBC's Matt Lauer by the moderators".

The noun is the cue; its possessor (or a "by"/"from" phrase, or a proper-noun modifier) is the
source; its "that"-clause, "to"-infinitive or "of"/"about"/"on" object is the content.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from claimledger.attribute import lexicon
from claimledger.attribute.draft import Draft
from claimledger.attribute.indirect import _phrase, _trimmed
from claimledger.nlp import tokens_of

_CONTENT_PREPS = frozenset({"of", "about", "on", "over", "against", "for", "that"})


def find_nominal(doc: Doc, taken: set[int]) -> Iterator[Draft]:
    """Drafts for attributing nouns that have both a source and a content."""
    nouns = lexicon.cue_nouns()
    for token in tokens_of(doc):
        if token.i in taken or token.pos_ != "NOUN" or token.lemma_.lower() not in nouns:
            continue
        source = _owner(doc, token)
        content = _content(token)
        if source is None or content is None:
            continue
        (first, last), cue_end = content
        span = _trimmed(doc, first, last, token)
        if span is None:
            continue
        yield Draft(
            kind="indirect",
            cue=(token.idx, cue_end),
            content=[span],
            by="pattern:noun-cue",
            source=source,
            cue_token=token.i,
        )


def _owner(doc: Doc, noun: Token) -> SpacySpan | None:
    for child in noun.children:
        if child.dep_ == "poss" and child.i < noun.i:
            return _phrase(doc, child)
    for child in noun.rights:
        if child.dep_ in ("prep", "agent") and child.lower_ in ("by", "from"):
            objs = [c for c in child.children if c.dep_ == "pobj"]
            if objs:
                return _phrase(doc, objs[0])
    for child in noun.lefts:
        if child.dep_ == "compound" and child.ent_type_ in ("PERSON", "ORG", "GPE", "NORP"):
            return doc[child.left_edge.i : child.i + 1]
    return None


def _content(noun: Token) -> tuple[tuple[int, int], int] | None:
    """Token range of what the noun reports, and where its cue ends."""
    cue_end = noun.idx + len(noun.text)
    for child in noun.rights:
        if child.dep_ in ("acl", "ccomp", "relcl") and _is_complement(child):
            return (child.left_edge.i, child.right_edge.i), cue_end
        if child.dep_ == "prep" and child.lower_ in _CONTENT_PREPS:
            objs = [c for c in child.children if c.dep_ in ("pobj", "pcomp")]
            if objs:
                return (objs[0].left_edge.i, objs[0].right_edge.i), child.idx + len(child.text)
    return None


def _is_complement(clause: Token) -> bool:
    """ "that there were …" or "to not recommend …" — a content clause, not a relative one
    ("the claim that he made")."""
    marks = [c for c in clause.children if c.dep_ in ("mark", "aux")]
    if any(m.lower_ == "to" for m in marks):
        return True
    if any(m.lower_ == "that" and m.dep_ == "mark" for m in marks):
        return True
    return (
        clause.dep_ == "acl"
        and any(c.dep_ == "nsubj" for c in clause.children)
        and any(m.lower_ == "that" for m in clause.children)
    )
