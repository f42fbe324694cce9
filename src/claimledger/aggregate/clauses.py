"""The clauses of a text that make claims: where each is, which clause inside it carries the
proposition, its subject when the clause has none of its own, and how firmly it is put.

The split follows ``assess.statements.clause_heads`` (the content's top predicates and the
clauses coordinated with them), so that claims and ``factuality_parts`` agree. Two repairs:

- a reduced relative the small parser reads as a clause of its own ("troops deployed to Russia
  are stationed in Kursk": "deployed" with "troops" as subject, "stationed" with none) becomes
  the subject of the clause after it;
- a frame ("we know that …", "I think …", "haven't seen them engaged") is followed down to the
  clause it frames, whose proposition the claim is; the frame's commitment is kept.

Example::

    doc = nlp("They are in Kursk but have not engaged in combat.")
    [(u.head.text, u.target.text) for u in clause_units(list(doc))]
    # [("are", "are"), ("engaged", "engaged")]; the second unit's subject: "They"
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from spacy.tokens import Token

from claimledger.assess.events import embedded_under, is_negated, local_commitment
from claimledger.assess.lexicon import CERTAIN, Commitment, Embedder, embedders
from claimledger.assess.statements import clause_commitment, clause_heads, is_no_comment
from claimledger.attribute.lexicon import cues as attribution_cues

SUBJECTS = frozenset({"nsubj", "nsubjpass", "expl", "csubj", "csubjpass"})
_VERBS = frozenset({"VERB", "AUX"})
# Cue classes whose clausal complement is what the framing clause is about.
_FRAMING_CLASSES = frozenset({"speech", "assert", "report", "belief", "confirm", "hedge"})
# A frame with no embedder entry of its own passes on its complement as "said" does.
_SAYING = Embedder("say", CERTAIN, Commitment(1, 0))
_MAX_FRAMES = 4
# What of a noun phrase says what kind of thing it is, rather than which or how many.
_RESTRICTING = frozenset({"amod", "compound", "nmod"})


@dataclass(frozen=True, slots=True)
class Unit:
    """One clause that makes a claim.

    ``head`` is the clause as written (``words`` are its own words, without the clauses
    coordinated with it; a repaired reduced relative's subject words among them); ``frames``
    lead from ``head`` down to ``target``, the clause whose proposition it is; ``subject`` holds
    the words of a subject restored from elsewhere when ``target`` has none of its own. An
    absolute clause ("with some participating …") has the ``restrictor`` its quantifier subject
    stands for and the ``support`` auxiliary its participle borrows (see ``with_absolutes``).
    """

    head: Token
    words: tuple[Token, ...]
    frames: tuple[Token, ...]
    subject: tuple[Token, ...] = ()
    restrictor: tuple[Token, ...] = ()
    support: Token | None = None

    @property
    def target(self) -> Token:
        return self.frames[-1]


@lru_cache(maxsize=1)
def claim_words() -> dict[str, dict[str, str]]:
    """claim_words.tsv by kind: ``{"booster": {"clearly": ""}, "contraction": {"'re": "are"}}``."""
    text = resources.files("claimledger.aggregate").joinpath("claim_words.tsv")
    out: dict[str, dict[str, str]] = {}
    for line in text.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, word, *rest = line.split("\t")
        out.setdefault(kind, {})[word] = rest[0].strip() if rest else ""
    return out


def clause_units(tokens: list[Token]) -> list[Unit]:
    """The clauses of ``tokens`` (a content or a sentence) that make claims, in text order.

    A clause needs a verb: a nominal content ("confirmed the deployment") is the caller's to
    take whole. A clause that only declines ("I don't have anything to speak to") or a frame
    whose complement the parser lost ("we believe —") makes no claim.
    """
    inside = {t.i for t in tokens}
    heads = [h for h in clause_heads(tokens) if h.pos_ in _VERBS]
    ids = {h.i for h in heads}
    words = {h.i: own_words(h, ids, inside) for h in heads}
    units: list[Unit] = []
    subjects: dict[int, tuple[Token, ...]] = {}
    skip: set[int] = set()
    for n, head in enumerate(heads):
        nxt = heads[n + 1] if n + 1 < len(heads) else None
        if nxt is not None and _reduced_relative(head, nxt, words[head.i]):
            # The participle and its subject become the subject words of the next clause.
            subjects[nxt.i] = tuple(words[head.i])
            words[nxt.i] = sorted([*words[head.i], *words[nxt.i]], key=lambda t: t.i)
            skip.add(head.i)
    for head in heads:
        if head.i in skip or not words[head.i]:
            continue
        if is_no_comment(head) or _empty_frame(head):
            continue
        frames = framed_chain(head)
        if head.i in subjects:  # a repaired reduced relative: its subject is in its words
            unit = Unit(head, tuple(words[head.i]), tuple(frames))
        else:
            subject = restored_subject(frames[-1], subjects)
            subjects[head.i] = subject or subject_words(head)
            unit = Unit(head, tuple(words[head.i]), tuple(frames), subject)
        units.extend(with_absolutes(unit, subjects.get(head.i, ())))
    return units


def with_absolutes(unit: Unit, subject: tuple[Token, ...]) -> list[Unit]:
    """``unit`` and the absolute clauses it holds, each a claim of its own: "were deployed to
    Kursk, [with some participating in engagements]" asserts the engagement too. The absolute's
    quantifier subject ("some") takes the head words of ``subject`` ("North Korean soldiers")
    and, for a bare participle, the clause's "be" ("were")."""
    target = unit.target
    absolutes = [
        verb
        for c in target.children
        if c.dep_ == "prep" and c.lower_ == "with" and (verb := _absolute_verb(c)) is not None
    ]
    if not absolutes:
        return [unit]
    taken = {t.i for a in absolutes for t in a.head.subtree}
    parent_words = tuple(t for t in unit.words if t.i not in taken)
    while parent_words and parent_words[-1].is_punct:
        parent_words = parent_words[:-1]
    support = next(
        (c for c in target.children if c.dep_ in {"aux", "auxpass"} and c.lemma_ == "be"), None
    )
    out = [dataclasses.replace(unit, words=parent_words)] if parent_words else []
    for verb in absolutes:
        own = tuple(t for t in unit.words if t.i == verb.i or verb.is_ancestor(t))
        if own:
            out.append(Unit(verb, own, (verb,), restrictor=_restrictor(subject), support=support))
    return out


def _absolute_verb(prep: Token) -> Token | None:
    """"with some participating": a verb with a subject of its own as the object of "with"."""
    objects = [c for c in prep.children if c.dep_ in {"pcomp", "pobj"}]
    if len(objects) == 1 and objects[0].pos_ == "VERB" and has_subject(objects[0]):
        return objects[0]
    return None


def _restrictor(subject: tuple[Token, ...]) -> tuple[Token, ...]:
    """The head noun of ``subject`` with its adjectives and compounds: "over 11,000 North
    Korean soldiers" -> "North Korean soldiers"."""
    if not subject:
        return ()
    ids = {t.i for t in subject}
    root = next((t for t in subject if t.head.i not in ids or t.head.i == t.i), subject[0])
    if root.pos_ in _VERBS:  # a repaired reduced relative: "troops deployed to Russia"
        root = next((c for c in root.children if c.dep_ in SUBJECTS), root)
    if root.pos_ not in {"NOUN", "PROPN"}:
        return ()
    kept: list[Token] = [root]
    stack = [c for c in root.children if c.dep_ in _RESTRICTING]
    while stack:
        token = stack.pop()
        kept.append(token)
        stack.extend(token.children)
    return tuple(sorted(kept, key=lambda t: t.i))


def own_words(head: Token, heads: set[int], inside: set[int]) -> list[Token]:
    """The clause's words within ``inside``, without the clauses coordinated in it, its
    subordinator or the conjunction that joins it to the next ("that", "but")."""
    found: list[Token] = []
    stack = [head]
    while stack:
        token = stack.pop()
        found.append(token)
        stack.extend(
            c
            for c in token.children
            if c.i in inside
            and c.i not in heads
            and not (token.i in heads and c.dep_ in {"cc", "mark"})
            and not c.is_space
        )
    kept = sorted(found, key=lambda t: t.i)
    while kept and kept[0].is_punct:
        kept.pop(0)
    while kept and kept[-1].is_punct and kept[-1].text not in {"”", '"', "’", ")"}:
        kept.pop()
    return kept


def has_subject(token: Token) -> bool:
    return any(c.dep_ in SUBJECTS for c in token.children)


def _reduced_relative(first: Token, second: Token, words: list[Token]) -> bool:
    """``first`` is a participle that modifies the subject of ``second``, misread as a clause:
    "troops deployed to Russia are stationed …" gives "deployed" the subject and leaves
    "stationed" (finite, right after it, on the same head) without one."""
    return (
        first.tag_ in {"VBN", "VBD"}  # "deployed" is read as either
        and has_subject(first)
        and not any(c.dep_ in {"aux", "auxpass"} for c in first.children)
        and second.head.i == first.head.i
        and second.dep_ == first.dep_
        and not has_subject(second)
        and any(c.dep_ in {"aux", "auxpass"} for c in second.children)
        and bool(words)
        and words[-1].i < second.i
    )


def _empty_frame(head: Token) -> bool:
    """A first-person or subjectless belief verb with nothing left to frame ("we believe —")."""
    cue = attribution_cues().get(head.lemma_.lower())
    if cue is None or cue.cls != "belief":
        return False
    subjects = [c for c in head.children if c.dep_ in SUBJECTS]
    first_person = all(s.lower_ in {"i", "we"} for s in subjects)
    has_complement = any(c.dep_ in {"ccomp", "xcomp", "dobj"} for c in head.children)
    return first_person and not has_complement


def framed_chain(head: Token) -> list[Token]:
    """``head`` and the clauses it frames, outermost first: "we know [that they're staged …]"
    -> [know, staged]; "I think [Ryder spoke to this, [that troops are there]]" -> three."""
    chain = [head]
    while len(chain) < _MAX_FRAMES and is_frame(chain[-1]):
        complement = next(
            (c for c in chain[-1].children if c.dep_ == "ccomp" and has_subject(c)), None
        )
        if complement is None:
            break
        chain.append(complement)
    return chain


def is_frame(token: Token) -> bool:
    """A verb of saying, believing or seeing, whose complement is what is vouched for."""
    lemma = token.lemma_.lower()
    if lemma in claim_words().get("perception", {}) or lemma in claim_words().get("frame", {}):
        return True
    cue = attribution_cues().get(lemma)
    return cue is not None and cue.cls in _FRAMING_CLASSES


def frames_commitment(frames: tuple[Token, ...]) -> Commitment:
    """How firmly the source puts the innermost clause, through the frames above it. A single
    clause is ``clause_commitment``; "haven't seen them engaged" denies the engagement."""
    if len(frames) == 1:
        commitment = clause_commitment(frames[0])
    else:
        commitment = CERTAIN
        for frame in frames[:-1]:
            commitment = commitment.then(_lent(frame))
        commitment = commitment.then(local_commitment(frames[-1]))
    if no_longer(frames[-1]) and not is_negated(frames[-1]):
        commitment = commitment.negated()
    return commitment


def _lent(frame: Token) -> Commitment:
    lemma = frame.lemma_.lower()
    if lemma in claim_words().get("perception", {}):
        return local_commitment(frame)  # not seeing is evidence against, as speakers use it
    return embedded_under(frame, embedders().get(lemma, _SAYING))


def no_longer(token: Token) -> list[Token]:
    """The words of "no longer" / "not any longer" on the clause, which negate it."""
    for child in token.children:
        if child.dep_ == "advmod" and child.lower_ == "longer":
            negators = [c for c in child.children if c.lower_ in {"no", "not", "any"}]
            if any(c.lower_ == "no" for c in negators):
                return [*negators, child]
    return []


def restored_subject(target: Token, known: dict[int, tuple[Token, ...]]) -> tuple[Token, ...]:
    """The subject of a clause that has none: that of the clause it is coordinated with
    ("are stationed … but have not engaged"), or the controller of an infinitive ("forces
    claim to have engaged": the cue's subject; "enable Russia to allocate": its object)."""
    if has_subject(target):
        return ()
    head = target
    while head.dep_ == "conj" and head.head.i != head.i:
        head = head.head
        if known.get(head.i):
            return known[head.i]
        subject = subject_words(head)
        if subject:
            return subject
    if head.dep_ in {"xcomp", "advcl"} and any(
        c.dep_ == "aux" and c.lower_ == "to" for c in head.children
    ):
        governor = head.head
        objects = [c for c in governor.children if c.dep_ == "dobj"]
        if objects:
            return tuple(sorted(objects[0].subtree, key=lambda t: t.i))
        return known.get(governor.i) or subject_words(governor)
    return ()


def subject_words(head: Token) -> tuple[Token, ...]:
    """The words of ``head``'s own subject, in text order (empty when it has none)."""
    for child in head.children:
        if child.dep_ in SUBJECTS:
            return tuple(sorted(child.subtree, key=lambda t: t.i))
    return ()
