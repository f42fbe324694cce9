"""The factuality of a statement as its source presents it: the cue's commitment (``denied`` is
CT-, ``suggested`` PR+, ``declined to comment`` Uu) composed with each clause of the content
(negation, modals, hedges, "we believe"), and the clauses of opposite polarity set apart.

Example::

    doc = nlp("The Pentagon said the troops are in Kursk but have not engaged in combat.")
    statement_factuality(doc, doc._.statements[0])
    # ("CT+", (FactualityPart(.., "CT+"), FactualityPart(.., "CT-")))
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from claimledger.assess.events import is_negated, local_commitment
from claimledger.assess.lexicon import (
    CERTAIN,
    UNCOMMITTED,
    Commitment,
    cue_rules,
    embedders,
    no_comment_words,
)
from claimledger.attribute.lexicon import cues as attribution_cues
from claimledger.model import Factuality, FactualityPart, Statement

_FIRST_PERSON = frozenset({"i", "we"})
_CLAUSE_POS = frozenset({"VERB", "AUX", "ADJ", "NOUN", "PROPN"})
_UNIT_DEPS = frozenset({"conj"})


def statement_factuality(
    doc: Doc, statement: Statement
) -> tuple[Factuality, tuple[FactualityPart, ...]]:
    """The statement's FactBank label and, when its clauses differ in polarity, one part each."""
    cue = cue_commitment(doc, statement)
    if cue.strength == 0:
        return "Uu", ()
    tokens = content_tokens(doc, statement)
    units = clause_heads(tokens)
    if not units:
        return cue.label, ()
    labelled = [(head, cue.then(clause_commitment(head))) for head in units]
    overall = leading_commitment([c for _, c in labelled])
    committed = {c.polarity for _, c in labelled if c.strength > 0}
    if len(committed) < 2:
        return overall.label, ()
    return overall.label, clause_parts(labelled, tokens)


def cue_commitment(doc: Doc, statement: Statement) -> Commitment:
    """What the cue alone commits the source to; CT+ for "according to" or no cue."""
    if statement.cue is None or statement.kind == "according_to":
        return CERTAIN
    span = doc.char_span(statement.cue.start, statement.cue.end, alignment_mode="expand")
    if span is None:
        return CERTAIN
    for token in sorted(span, key=_cue_priority):
        lemma = token.lemma_.lower()
        known = attribution_cues().get(lemma)
        rule = cue_rules().get(lemma) or (cue_rules().get(known.cls) if known else None)
        if rule is not None:
            return rule.negated if is_negated(token) else rule.plain
    return CERTAIN


def _cue_priority(token: Token) -> tuple[int, int]:
    # "has refrained from commenting on": the first verb is the cue, later words are its object.
    return (0 if token.pos_ == "VERB" else 1, token.i)


def content_tokens(doc: Doc, statement: Statement) -> list[Token]:
    pieces = statement.content.pieces or ((statement.content.start, statement.content.end),)
    tokens: list[Token] = []
    for start, end in pieces:
        span = doc.char_span(start, end, alignment_mode="contract")
        if span is not None:
            tokens.extend(t for t in span if not t.is_punct and not t.is_space)
    return tokens


def clause_heads(tokens: list[Token]) -> list[Token]:
    """The content's top predicates and the clauses coordinated with them, in text order."""
    inside = {t.i for t in tokens}
    heads = [
        t for t in tokens if (t.head.i not in inside or t.head.i == t.i) and t.pos_ in _CLAUSE_POS
    ]
    found = list(heads)
    for head in heads:
        found.extend(_coordinated(head, inside))
    return sorted(set(found), key=lambda t: t.i)


def _coordinated(head: Token, inside: set[int]) -> list[Token]:
    out = []
    for child in head.children:
        if child.i in inside and child.dep_ in _UNIT_DEPS and child.pos_ in {"VERB", "AUX"}:
            out.append(child)
            out.extend(_coordinated(child, inside))
    return out


def clause_commitment(head: Token) -> Commitment:
    """One clause as its speaker presents it. "We believe that X" weakens X; "Paparo tried to"
    does not: only a first-person (or subjectless) embedder speaks for the source."""
    own = local_commitment(head)
    if own.polarity < 0 and is_no_comment(head):
        return UNCOMMITTED
    embedder = embedders().get(head.lemma_.lower())
    if embedder is None or not _speaks_for_source(head):
        return own
    complement = [c for c in head.children if c.dep_ in {"ccomp", "xcomp"}]
    cue = attribution_cues().get(head.lemma_.lower())
    # The parser often leaves "we believe — and I think …, that X" without its complement.
    if not complement and (cue is None or cue.cls != "belief"):
        return own
    lent = embedder.complement
    if own.polarity < 0:
        rule = embedder.when_negated
        lent = lent.negated() if rule == "flip" else lent if rule == "keep" else rule
    inner = local_commitment(complement[0]) if complement else CERTAIN
    return lent.capped(own.strength).then(inner)


def is_no_comment(head: Token) -> bool:
    """A negated "have anything to say" declines rather than denies: "I don't have anything
    to speak to" is Uu."""
    if head.lemma_.lower() not in no_comment_words("no_comment_verb"):
        return False
    objects = {c.lower_ for c in head.children if c.dep_ in {"dobj", "pobj", "attr"}}
    return bool(objects & no_comment_words("no_comment_object"))


def _speaks_for_source(head: Token) -> bool:
    subjects = [c for c in head.children if c.dep_ in {"nsubj", "nsubjpass"}]
    return all(s.lower_ in _FIRST_PERSON for s in subjects)


def leading_commitment(commitments: list[Commitment]) -> Commitment:
    """The polarity of the first committed clause, at the firmest strength given it."""
    committed = [c for c in commitments if c.strength > 0]
    if not committed:
        return UNCOMMITTED
    polarity = committed[0].polarity
    return max((c for c in committed if c.polarity == polarity), key=lambda c: c.strength)


def clause_parts(
    labelled: list[tuple[Token, Commitment]], tokens: list[Token]
) -> tuple[FactualityPart, ...]:
    """One part per clause (from its first to its last word, nested clauses cut out); adjacent
    clauses with the same label are merged."""
    heads = {h.i for h, _ in labelled}
    inside = {t.i for t in tokens}
    parts: list[FactualityPart] = []
    for head, commitment in labelled:
        words = _own_words(head, heads, inside)
        if not words:
            continue
        start, end = words[0].idx, words[-1].idx + len(words[-1].text)
        if parts and parts[-1].factuality == commitment.label:
            parts[-1] = FactualityPart(parts[-1].start, end, commitment.label)
        else:
            parts.append(FactualityPart(start, end, commitment.label))
    return tuple(parts)


def _own_words(head: Token, heads: set[int], inside: set[int]) -> list[Token]:
    """The clause's words within the content, without the clauses coordinated inside it."""
    words: list[Token] = []
    stack = [head]
    while stack:
        token = stack.pop()
        words.append(token)
        stack.extend(
            c
            for c in token.children
            if c.i in inside and c.i not in heads and c.dep_ not in {"cc", "mark"}
        )
    return sorted((w for w in words if not w.is_punct), key=lambda t: t.i)
