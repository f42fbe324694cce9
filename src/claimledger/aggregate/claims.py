"""The claims stage: each statement's content, and the article's own narration, split into the
clauses it asserts, each with its polarity, its commitment and its core (see ``cores``).

"The Pentagon asserts that North Korean troops deployed to Russia are stationed in Kursk Oblast
but have not yet engaged in combat" makes two claims of statement s1:

- ``s1.c1`` "North Korean troops deployed to Russia are stationed in Kursk Oblast", +1, certain
- ``s1.c2`` "have not yet engaged in combat", -1, certain; core "North Korean troops deployed
  to Russia have engaged in combat" (the subject put back, the negation taken out)

Sentences outside every statement and outside the page furniture are the author's own claims
("n.c1", "n.c2", …, ``statement_id`` None); questions and verbless fragments make none.

Example::

    doc = nlp(article.text)
    article = article_claims(doc, assess_article(doc, article))
    [(c.id, c.polarity, c.core) for c in article.claims]
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from claimledger.aggregate.clauses import (
    Unit,
    clause_units,
    frames_commitment,
    no_longer,
    subject_words,
)
from claimledger.aggregate.cores import (
    core_text,
    frame_text,
    grammatical_number,
    phrase_text,
    predicate_of,
)
from claimledger.aggregate.names import entities_of
from claimledger.assess.lexicon import CERTAIN, Commitment, parse_label
from claimledger.assess.statements import cue_commitment
from claimledger.model import Article, Claim, Statement
from claimledger.model import Commitment as CommitmentName
from claimledger.nlp import text_of, with_text

_COMMITMENTS: dict[int, CommitmentName] = {
    3: "certain",
    2: "probable",
    1: "possible",
    0: "uncommitted",
}
# A narration clause of fewer words is a heading or a caption more often than a claim.
MIN_NARRATION_WORDS = 3
_PERSONS = frozenset({"he", "him", "she", "her"})


class EmptyClaimError(ValueError):
    """A claim to check that holds no words."""


def article_claims(doc: Doc, article: Article) -> Article:
    """``article`` with ``claims`` filled: its statements' claims in statement order, then its
    narration's; ``doc`` is the parse of ``article.text``."""
    times = time_tokens(doc, article)
    claims: list[Claim] = []
    for statement in article.statements:
        claims.extend(statement_claims(doc, statement, times))
    claims.extend(narration_claims(doc, article, times))
    return dataclasses.replace(article, claims=tuple(event_nouns_resolved(doc, claims)))


# Suffixes that make a noun of a verb ("deployment", "invasion", "denial", "acceptance").
_NOMINAL_SUFFIXES = ("ment", "ation", "tion", "sion", "ion", "al", "ance", "ence")


def event_stem(word: str) -> str:
    """The verb stem a noun of an event is made from: "deployments" -> "deploy",
    "engagement" -> "engag", "attack" -> "attack"; a verb lemma gives its own stem
    ("engage" -> "engag"), so that the two meet."""
    lower = word.casefold()
    for suffix in _NOMINAL_SUFFIXES:
        if lower.endswith(suffix) and len(lower) - len(suffix) >= 4:
            lower = lower[: -len(suffix)]
            break
    return lower[:-1] if lower.endswith("e") else lower


def event_nouns_resolved(doc: Doc, claims: Sequence[Claim]) -> list[Claim]:
    """A verbless content that names an event ("has confirmed the deployment", "refrained from
    commenting on combat engagements") asserts what the article said of that event before:
    it takes the core of the nearest earlier claim whose predicate is that event's verb or
    that names the event's noun, and keeps its own words, polarity and commitment. A noun
    that no earlier claim speaks of stays as it is."""
    out = list(claims)
    for n, claim in enumerate(claims):
        head = _event_noun(doc, claim)
        if head is None:
            continue
        stem = event_stem(head)
        earlier = sorted(
            (c for c in claims if c.end <= claim.start and _event_noun(doc, c) is None),
            key=lambda c: -c.end,
        )
        for other in earlier:
            if _speaks_of(other, stem):
                out[n] = dataclasses.replace(
                    claim,
                    core=other.core,
                    predicate=other.predicate,
                    entities=other.entities,
                    frame=other.frame,
                )
                break
    return out


def _event_noun(doc: Doc, claim: Claim) -> str | None:
    """The head noun of a claim of a verbless noun phrase, if it is one."""
    span = doc.char_span(claim.start, claim.end, alignment_mode="expand")
    if span is None or any(t.pos_ in {"VERB", "AUX"} for t in span):
        return None
    words = [t for t in span if not t.is_punct]
    if not words:
        return None
    head = _root(words)
    return head.lemma_ if head.pos_ == "NOUN" else None


def _speaks_of(claim: Claim, stem: str) -> bool:
    if claim.predicate and event_stem(claim.predicate) == stem:
        return True
    return any(event_stem(w) == stem for w in re.findall(r"[A-Za-z]+", claim.core))


def time_tokens(doc: Doc, article: Article) -> frozenset[int]:
    """The indices of the tokens inside the article's time expressions."""
    found: set[int] = set()
    for t in article.time_expressions:
        span = doc.char_span(t.start, t.end, alignment_mode="expand")
        if span is not None:
            found.update(range(span.start, span.end))
    return frozenset(found)


def statement_claims(
    doc: Doc, statement: Statement, times: frozenset[int] | None = None
) -> list[Claim]:
    """The claims of one statement's content, "s3.c1", "s3.c2", … in text order. A content of
    one clause makes one claim with the statement's factuality; a verbless one ("confirmed
    the deployment") one claim of its words."""
    tokens = _content_tokens(doc, statement)
    if not tokens:
        return []
    cue = cue_commitment(doc, statement)
    units = clause_units(tokens)
    if not units:
        words = [t for t in tokens if not t.is_punct] or tokens
        commitment = cue if statement.factuality is None else parse_label(statement.factuality)
        return [
            _claim(
                f"{statement.id}.c1",
                statement.id,
                words,
                commitment,
                phrase_text(words),
                _root(words).lemma_.lower(),
                entities_of(words),
                "",
            )
        ]
    claims: list[Claim] = []
    named: list[tuple[Token, ...]] = []
    for unit in units:
        commitment = cue.then(frames_commitment(unit.frames))
        if _as_assessed(units, statement):
            commitment = parse_label(statement.factuality or "Uu")
        antecedent = _antecedent(unit.target, named)
        claims.append(
            _unit_claim(f"{statement.id}.c{len(claims) + 1}", statement.id, unit, commitment,
                        antecedent, times)
        )  # fmt: skip
        subject = unit.subject or subject_words(unit.target)
        if subject and _root(subject).pos_ not in {"PRON", "DET"}:
            named.append(subject)
    return claims


def narration_claims(
    doc: Doc, article: Article, times: frozenset[int] | None = None
) -> list[Claim]:
    """The author's own claims: the clauses of sentences that hold no statement's content or
    cue and no furniture, "n.c1", "n.c2", …; questions and clauses of fewer than
    ``MIN_NARRATION_WORDS`` words are left out."""
    taken = [(f.start, f.end) for f in article.furniture]
    for s in article.statements:
        taken.extend(s.content.pieces or ((s.content.start, s.content.end),))
        if s.cue is not None:
            taken.append((s.cue.start, s.cue.end))
    claims: list[Claim] = []
    for sent in doc.sents:
        start, end = sent.start_char, sent.end_char
        if any(a < end and start < b for a, b in taken) or _is_question(sent):
            continue
        tokens = [t for t in sent if not t.is_space]
        for unit in clause_units(tokens):
            if sum(1 for t in unit.words if not t.is_punct) < MIN_NARRATION_WORDS:
                continue
            claims.append(
                _unit_claim(f"n.c{len(claims) + 1}", None, unit,
                            frames_commitment(unit.frames), (), times)
            )  # fmt: skip
    return claims


def query_claim(nlp: Language, text: str) -> Claim:
    """A claim typed by a user (``claimledger check "CLAIM"``), read as its main clause: "North
    Korean troops have not engaged in combat" -> polarity -1, core "North Korean troops have
    engaged in combat". Id "q.c1", offsets into ``text``.

    Raises ``EmptyClaimError`` for a text with no words.
    """
    if not text.strip():
        raise EmptyClaimError("the claim to check is empty; give it as text, in quotes")
    doc = nlp(with_text(nlp, text))
    tokens = [t for t in doc if not t.is_space]
    units = clause_units(tokens)
    if not units:
        words = [t for t in tokens if not t.is_punct] or tokens
        return _claim("q.c1", None, words, CERTAIN, phrase_text(words),
                      _root(words).lemma_.lower(), entities_of(words), "")  # fmt: skip
    main = next((u for u in units if u.head.dep_ == "ROOT"), units[0])
    return _unit_claim("q.c1", None, main, frames_commitment(main.frames), ())


def _unit_claim(
    claim_id: str,
    statement_id: str | None,
    unit: Unit,
    commitment: Commitment,
    antecedent: Sequence[Token],
    times: frozenset[int] | None = None,
) -> Claim:
    target = unit.target
    scope = (
        [t for t in unit.words if t.i == target.i or target.is_ancestor(t)]
        if unit.frames[1:]
        else unit.words
    )
    about = [*scope, *unit.subject, *unit.restrictor, *antecedent]
    return _claim(
        claim_id,
        statement_id,
        list(unit.words),
        commitment,
        core_text(unit, antecedent, times),
        predicate_of(target),
        entities_of(about),
        frame_text(unit, antecedent, times),
    )


def _claim(
    claim_id: str,
    statement_id: str | None,
    words: Sequence[Token],
    commitment: Commitment,
    core: str,
    predicate: str | None,
    entities: tuple[str, ...],
    frame: str,
) -> Claim:
    """The claim over ``words`` (from the first to the last, as the article writes them)."""
    doc = words[0].doc
    start = words[0].idx
    end = words[-1].idx + len(words[-1].text)
    return Claim(
        id=claim_id,
        statement_id=statement_id,
        start=start,
        end=end,
        text=text_of(doc)[start:end],
        core=core,
        polarity=-1 if commitment.strength > 0 and commitment.polarity < 0 else 1,
        commitment=_COMMITMENTS[max(0, min(commitment.strength, 3))],
        predicate=predicate or None,
        entities=entities,
        frame=frame,
    )


def _as_assessed(units: list[Unit], statement: Statement) -> bool:
    """One plain clause: the claim has the statement's own factuality. A frame followed down
    or a "no longer" ``assess`` does not read is the claim's own to weigh."""
    if len(units) != 1 or statement.factuality is None:
        return False
    unit = units[0]
    return len(unit.frames) == 1 and not no_longer(unit.target)


def _content_tokens(doc: Doc, statement: Statement) -> list[Token]:
    """The content's tokens, punctuation included (the core keeps "by sharing duties, …")."""
    pieces = statement.content.pieces or ((statement.content.start, statement.content.end),)
    tokens: list[Token] = []
    for start, end in pieces:
        span = doc.char_span(start, end, alignment_mode="contract")
        if span is not None:
            tokens.extend(t for t in span if not t.is_space)
    return tokens


def _root(tokens: Sequence[Token]) -> Token:
    ids = {t.i for t in tokens}
    return next((t for t in tokens if t.head.i not in ids or t.head.i == t.i), tokens[0])


def _antecedent(target: Token, named: list[tuple[Token, ...]]) -> tuple[Token, ...]:
    """What a personal pronoun subject stands for, when the same statement named it before:
    the latest subject of that number ("DPRK troops are there … Haven't seen them engaged")."""
    pronoun = next((c for c in target.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    if pronoun is None or pronoun.pos_ != "PRON":
        return ()
    lower = pronoun.lower_
    for subject in reversed(named):
        person = any(t.ent_type_ == "PERSON" for t in subject)
        number = grammatical_number(subject)
        if lower in {"they", "them"} and number == "plural" and not person:
            return subject
        if lower in _PERSONS and number == "singular" and person:
            return subject
        if lower == "it" and number == "singular" and not person:
            return subject
    return ()


def _is_question(sent: Span) -> bool:
    tokens = [t for t in sent if not t.is_space and t.text not in {"”", '"', "’", ")"}]
    return bool(tokens) and tokens[-1].text.endswith("?")
