"""Learned attribution frames: the source, cue and content around a cue word, from the parse.

Given the head token of a cue ("said", "criticized", "according", "announcement"), each
dependent of it is a candidate for one role — part of the cue ("has", "out", "for"), the source
(the subject phrase), the content (the complement clause, the object, the prepositional phrase)
or none (a time adverbial, a conjoined verb) — and so is the cue's own head, standing for the
rest of its clause ("The program has expanded, they say"). A multi-class logistic model trained
on PolNeAR's train split (``claimledger train attribution``) labels each candidate from
syntactic features; the frame is the union of what it labels. Rules draw content boundaries at
clause edges; the guidelines draw them by role, which is what this model learns.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import repeat

from spacy.tokens import Doc, Token

from claimledger.attribute.draft import Draft
from claimledger.attribute.indirect import cut_speech_event, cut_trailing_aside
from claimledger.nlp import text_of, tokens_of

ROLES = ("none", "cue", "source", "content")
# A word of the cue can govern a phrase of its own: "according [to] the report", "is
# [critical] [of] the plan", "made a strong [condemnation] [of] the attack". Its dependents are
# candidates in turn, this many levels below the cue's head.
MAX_DEPTH = 3
_FUNCTION_POS = frozenset({"ADP", "SCONJ", "PART", "AUX", "ADV", "PRON", "PUNCT", "DET", "CCONJ"})
_TRIM = frozenset(" \t\n\r\u00a0\"'“”‘’.,;:!?—–-()")


@dataclass(frozen=True, slots=True)
class Candidate:
    """A phrase that may fill a role of the frame headed by ``head``.

    ``kind`` is "child" (``token`` is a dependent of ``head`` and the phrase its subtree),
    "head" (``token`` is the head's own head; the phrase is its subtree without the cue's) or
    "via-prep" (a dependent of a preposition of the cue).
    """

    kind: str
    head: Token
    token: Token
    tokens: frozenset[int]
    depth: int = 0


def candidates(head: Token) -> Iterator[Candidate]:
    """The first-level candidates of the frame around ``head``."""
    for child in head.children:
        yield Candidate("child", head, child, _subtree(child))
    if head.head is not head:
        yield Candidate("head", head, head.head, _subtree(head.head) - _subtree(head))


def inner_candidates(cue_word: Candidate) -> Iterator[Candidate]:
    """The phrases that a word of the cue governs ("according to [the report]")."""
    for child in cue_word.token.children:
        yield Candidate("inner", cue_word.token, child, _subtree(child), cue_word.depth + 1)


def _subtree(token: Token) -> frozenset[int]:
    return frozenset(range(token.left_edge.i, token.right_edge.i + 1))


def role_features(candidate: Candidate) -> list[str]:
    """Sparse, named features of one candidate: its relation to the cue, what it is, where."""
    head, token = candidate.head, candidate.token
    lemma = head.lemma_.lower()
    dep = "^" + head.dep_ if candidate.kind == "head" else token.dep_
    side = "L" if token.i < head.i else "R"
    word = f"word={token.lower_}" if token.pos_ in _FUNCTION_POS else f"pos={token.pos_}"
    feats = [
        f"dep={dep}",
        f"lemma+dep={lemma}|{dep}",
        f"dep+pos={dep}|{token.pos_}",
        f"dep+side={dep}|{side}",
        f"head_pos+dep={head.pos_}|{dep}",
        word,
        f"dep+word={dep}|{token.lower_}",
        f"lemma+word+dep={lemma}|{token.lower_}|{dep}",
        f"head_dep+dep={head.dep_}|{dep}",
        f"ent+dep={token.ent_type_}|{dep}",
        f"dist={min(abs(token.i - head.i), 6)}|{side}",
    ]
    feats += [f"child_dep={dep}|{d}" for d in sorted({c.dep_ for c in token.children})]
    if candidate.kind == "inner":
        feats += ["inner", f"inner+dep={head.dep_}|{dep}"]
    if candidate.kind != "head":
        feats += _phrase_features(candidate, dep, side)
    return feats


def _phrase_features(candidate: Candidate, dep: str, side: str) -> list[str]:
    head, token, doc = candidate.head, candidate.token, candidate.head.doc
    words = tokens_of(doc)
    last = max(candidate.tokens)
    after = doc[last + 1] if last + 1 < len(doc) else None
    siblings = [c for c in head.children if (c.i < head.i) == (token.i < head.i)]
    order = siblings.index(token) if token.i > head.i else len(siblings) - 1 - siblings.index(token)
    feats = [
        f"len={min(len(candidate.tokens) // 3, 6)}|{dep}",
        f"has_verb={any(words[i].pos_ in ('VERB', 'AUX') for i in candidate.tokens)}|{dep}",
        f"next={after.text if after is not None and after.is_punct else 'word'}|{dep}",
        f"order={order}|{dep}|{side}",
    ]
    if token.dep_ == "prep":
        objects = [c for c in token.children if c.dep_ == "pobj"]
        if objects:
            feats.append(f"pobj={objects[0].pos_}|{token.lower_}|{head.lemma_.lower()}")
    return feats


class RoleModel:
    """One-vs-rest logistic scores per role; the best-scoring role wins."""

    def __init__(self, weights: dict[str, dict[str, float]], biases: dict[str, float]) -> None:
        self.weights = weights
        self.biases = biases

    def role(self, feats: Sequence[str]) -> str:
        best, best_score = "none", -math.inf
        for role, weights in self.weights.items():
            score = self.biases.get(role, 0.0) + sum(map(weights.get, feats, repeat(0.0)))
            if score > best_score:
                best, best_score = role, score
        return best


def labelled(head: Token, model: RoleModel) -> Iterator[tuple[Candidate, str]]:
    """Every candidate of the frame around ``head`` with the role the model gives it; a word
    labelled cue opens its own dependents as candidates."""
    pending = [(c, model.role(role_features(c))) for c in candidates(head)]
    while pending:
        candidate, role = pending.pop(0)
        yield candidate, role
        if role == "cue" and candidate.kind != "head" and candidate.depth < MAX_DEPTH:
            pending += [(c, model.role(role_features(c))) for c in inner_candidates(candidate)]


def cue_words(doc: Doc, head: Token, model: RoleModel) -> tuple[int, int] | None:
    """The cue around ``head`` as the role model reads it ("has said", "pointed out", "is
    critical of"): the head and the adjacent words labelled cue, as a character span.

    A cue is one run of words, so only candidates near the head are labelled (labelling the
    whole frame cost more than the rest of the stage)."""
    cue = {head.i}
    pending = [c for c in candidates(head) if c.kind == "child" and _near(c, head)]
    while pending:
        candidate = pending.pop(0)
        if model.role(role_features(candidate)) != "cue":
            continue
        cue.add(candidate.token.i)
        if candidate.depth < MAX_DEPTH:
            pending += [c for c in inner_candidates(candidate) if _near(c, head)]
    first = last = head.i
    while first - 1 in cue:
        first -= 1
    while last + 1 in cue:
        last += 1
    pieces = token_pieces(doc, set(range(first, last + 1)))
    return (pieces[0][0], pieces[-1][1]) if pieces else None


# Farther than this from the cue's head, a word cannot be in the run of cue words in practice.
_CUE_REACH = 6


def _near(candidate: Candidate, head: Token) -> bool:
    return abs(candidate.token.i - head.i) <= _CUE_REACH


def learned_frame(doc: Doc, head: Token, model: RoleModel) -> Draft | None:
    """The statement the model reads around the cue ``head``, or None without any content."""
    cue = {head.i}
    source: set[int] = set()
    content: set[int] = set()
    for candidate, role in labelled(head, model):
        if role == "cue" and candidate.kind != "head":
            cue.add(candidate.token.i)
        elif role == "source":
            source |= candidate.tokens
        elif role == "content":
            content |= candidate.tokens
    content -= cue | source
    content = _without_trailing_aside(doc, content)
    pieces = token_pieces(doc, content)
    cue_span = token_pieces(doc, set(range(min(cue), max(cue) + 1)))
    if not pieces or not cue_span:
        return None
    source_span = doc[min(source) : max(source) + 1] if source else None
    return Draft(
        kind="indirect",
        cue=(cue_span[0][0], cue_span[-1][1]),
        content=list(pieces),
        by="learned:frame",
        source=source_span,
        cue_token=head.i,
    )


def _without_trailing_aside(doc: Doc, content: set[int]) -> set[int]:
    """The content without a trailing speech event ("in an interview on Monday") or a trailing
    aside after a comma (", which …", ", sending …"), cut as the rules cut them."""
    if not content:
        return content
    first, last = min(content), max(content)
    end = cut_trailing_aside(doc, first, cut_speech_event(doc, first, last))
    return {i for i in content if i <= end}


def token_pieces(doc: Doc, tokens: set[int] | frozenset[int]) -> list[tuple[int, int]]:
    """Character pieces of a token set: one per run of adjacent tokens, blanks, quote marks
    and edge punctuation trimmed, empty pieces dropped."""
    text = text_of(doc)
    pieces = []
    for first, last in _runs(sorted(tokens)):
        start, end = doc[first].idx, doc[last].idx + len(doc[last])
        while start < end and text[start] in _TRIM:
            start += 1
        while end > start and text[end - 1] in _TRIM:
            end -= 1
        if end > start:
            pieces.append((start, end))
    return pieces


def _runs(indices: Sequence[int]) -> Iterator[tuple[int, int]]:
    if not indices:
        return
    first = prev = indices[0]
    for i in indices[1:]:
        if i != prev + 1:
            yield first, prev
            first = i
        prev = i
    yield first, prev
