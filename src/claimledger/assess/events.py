"""The factuality of one event (a token) as the text presents it, from its own markers and the
predicates it is embedded under. Shared by the statement stage and the benchmark scorer.

Example::

    doc = nlp("Officials said the troops may have left.")
    event_factuality(doc[5])  # "PS+" (left: "may", under "said")
"""

from __future__ import annotations

from spacy.tokens import Token

from claimledger.assess.lexicon import (
    CERTAIN,
    Commitment,
    Embedder,
    embedders,
    marker,
)
from claimledger.model import Factuality

# Dependencies through which an event takes the stance of the predicate above it.
_CLAUSAL = frozenset({"ccomp", "xcomp", "advcl", "acl", "relcl", "pcomp", "csubj", "oprd"})
# Nominal arguments of a copula carry the copula's markers ("is not for sale", "could be late").
_PREDICATIVE = frozenset({"acomp", "attr", "oprd"})
# Objects whose event happens only if the governing verb's does.
_ARGUMENTS = frozenset({"dobj", "pobj", "attr", "dative", "nsubjpass"})
_MAX_DEPTH = 8
# Infinitival purpose and intention clauses ("to block the return") are not presented as having
# happened; UW rates them around +1.
PURPOSE = Commitment(1, 1)


def event_factuality(token: Token) -> Factuality:
    """FactBank label of the event ``token`` from the author's perspective."""
    return event_commitment(token).label


def event_commitment(token: Token) -> Commitment:
    return context(token, 0).then(local_commitment(token))


def local_commitment(token: Token, with_negation: bool = True) -> Commitment:
    """What the event's own clause says: negation, modals, hedge adverbs, "if", a question."""
    polarity = -1 if with_negation and is_negated(token) else 1
    strength = 3
    for child in _clause_markers(token):
        word = marker(child.text)
        if word is None or word.kind in {"negation", "negative_modifier"}:
            continue
        if (word.kind == "modifier") != (child.dep_ == "amod"):
            continue
        if word.kind == "condition" and child.dep_ != "mark":
            continue
        strength = min(strength, word.strength)
    if is_question(token):
        strength = 0
    return Commitment(1 if polarity > 0 else -1, strength)


def _clause_markers(token: Token) -> list[Token]:
    """The token's own auxiliaries, adverbs and subordinator, and its copula's."""
    found = [c for c in token.children if c.dep_ in {"aux", "advmod", "mark", "neg", "det", "amod"}]
    if token.dep_ in _PREDICATIVE or _is_copula_object(token):
        verb = token.head if token.dep_ in _PREDICATIVE else token.head.head
        found += [c for c in verb.children if c.dep_ in {"aux", "advmod", "mark", "neg"}]
    return found


def _is_copula_object(token: Token) -> bool:
    return token.dep_ == "pobj" and token.head.dep_ == "prep" and token.head.head.lemma_ == "be"


def is_negated(token: Token) -> bool:
    """``not``/``n't``/``never`` on the event or its copula, or ``no`` before an event noun."""
    for child in _clause_markers(token):
        word = marker(child.text)
        if word is None:
            continue
        if word.kind == "negative_modifier" and child.dep_ == "amod":
            return True
        if word.kind != "negation":
            continue
        if child.dep_ == "neg" or (child.dep_ in {"det", "advmod"} and child.lower_ != "nor"):
            return True
    return any(_is_negative_argument(c) for c in token.children)


def _is_negative_argument(token: Token) -> bool:
    """A negated argument negates the verb: "No one has claimed", "reached no agreement"."""
    if token.dep_ not in {"nsubj", "nsubjpass", "dobj"}:
        return False
    if token.lower_ in {"nobody", "nothing", "none"}:
        return True
    return any(c.dep_ == "det" and c.lower_ == "no" for c in token.children)


def is_question(token: Token) -> bool:
    """The main verb of a sentence that ends in a question mark."""
    sent = token.sent
    ends_in_question = any(t.text == "?" for t in sent[-2:])
    return ends_in_question and (
        token.dep_ == "ROOT" or (token.head.dep_ == "ROOT" and token.dep_ == "conj")
    )


def context(token: Token, depth: int) -> Commitment:
    """The commitment lent to ``token`` by everything it is embedded under."""
    head = token.head
    if head.i == token.i or depth > _MAX_DEPTH:
        return CERTAIN
    dep = token.dep_
    if dep == "conj":
        # "might take Elian or harm him": the conjunct shares the modality, not a "not".
        return context(head, depth + 1).then(local_commitment(head, with_negation=False))
    governor = _governor(token)
    if governor is None:
        return CERTAIN
    outer = context(governor, depth + 1)
    embedder = embedders().get(governor.lemma_.lower())
    if embedder is not None and (
        dep in _CLAUSAL or (dep == "dobj" and embedder.complement.polarity < 0)
    ):
        # A noun object is embedded only by a negative predicate ("declined comment"); "sought
        # the nomination" presents the nomination as no less real.
        return outer.then(embedded_under(governor, embedder))
    if dep in {"pobj", "pcomp"} and token.head.lower_ == "without":
        return outer.then(local_commitment(governor)).negated()
    if dep in _CLAUSAL:
        lent = local_commitment(governor, with_negation=False)
        if _is_infinitive(token) and dep in {"advcl", "acl", "xcomp", "relcl"}:
            lent = lent.then(PURPOSE)
        return outer.then(lent)
    if dep in _ARGUMENTS and governor.pos_ in {"VERB", "AUX"}:
        # "has not signed an agreement", "could cause damage": an event noun as object shares
        # the fate of the verb that would bring it about.
        return local_commitment(governor)
    return CERTAIN


def _governor(token: Token) -> Token | None:
    """The predicate that embeds ``token``: its head, or the noun or verb above its preposition."""
    head = token.head
    if token.dep_ in {"pobj", "pcomp"} and head.dep_ in {"prep", "agent"} and head.head.i != head.i:
        return head.head
    return head


def _is_infinitive(token: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children)


def embedded_under(governor: Token, embedder: Embedder) -> Commitment:
    """What ``governor`` lends its complement, given its own negation and modality."""
    lent = embedder.complement
    if is_negated(governor):
        rule = embedder.when_negated
        if rule == "flip":
            lent = lent.negated()
        elif rule != "keep":
            lent = rule
    return local_commitment(governor, with_negation=False).then(lent)
