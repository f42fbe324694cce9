"""A claim's core: what its clause asserts, in the positive and without hedges, as one short
sentence — the text claims are embedded and matched by, and a proposition's canonical text.

Negation, modals, hedge and booster adverbs, aspect words ("yet", "still"), connectives, the
frames ``clauses`` follows down ("we know that", "haven't seen"), "you know" asides and date
adjuncts are left out; a subject the clause lacks is put back; an object pronoun that becomes
the subject is put in the subject case. Cheap agreement only: "have not" -> "have", "may be"
-> "is"/"are", "'re" -> "are"; a verb that loses "did not" keeps "did" ("did deploy").

Example::

    doc = nlp("Troops are in Kursk but have not yet engaged in combat.")
    units = clause_units(list(doc))
    core_text(units[1])  # "Troops have engaged in combat"
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Token

from claimledger.aggregate.clauses import SUBJECTS, Unit, claim_words, no_longer
from claimledger.assess.lexicon import marker

_QUOTES = frozenset({"“", "”", '"', "‘", "’", "«", "»", "''", "``"})
_PERSONAL = frozenset({"they", "them", "he", "him", "she", "her", "it"})
_PLURAL_PRONOUNS = frozenset({"they", "them", "we", "us", "you"})
_DROP_DEPS = frozenset({"parataxis", "intj"})
_TIME_ENTS = frozenset({"DATE", "TIME"})
_ARGUMENTS = frozenset({*SUBJECTS, "dobj", "attr", "pobj"})
# Subjects that stand for part of a group named before ("some", "many of them").
_QUANTIFIERS = frozenset({"some", "many", "most", "several", "all", "few", "both", "others",
                          "dozens", "hundreds", "thousands"})  # fmt: skip


def core_text(
    unit: Unit,
    antecedent: Sequence[Token] = (),
    times: frozenset[int] | None = None,
    with_subject: bool = True,
) -> str:
    """The core of ``unit``; ``antecedent`` replaces a personal pronoun subject ("they" ->
    "DPRK troops") when the statement named what it stands for; ``times`` are the tokens of
    time expressions, left out (see ``_is_time_adjunct``). Without the subject
    (``with_subject=False``) it is the claim's *frame*, what is said of the subject ("have
    engaged in combat"; "" when the clause has no subject to leave out): see ``frame_text``."""
    target = unit.target
    scope = [t for t in unit.words if _within(t, target)] if unit.frames[1:] else list(unit.words)
    dropped = _dropped(target, scope, times)
    pieces: list[tuple[Token | None, str]] = []
    subject = _own_subject(target)
    if not with_subject and subject is None and not unit.subject:
        return ""  # no subject found: what is said of it cannot be told from the rest
    if unit.subject and with_subject:
        pieces.extend((t, t.text) for t in unit.subject if _keep_in_subject(t))
    in_subject = {t.i for t in subject.subtree} if subject is not None else set()
    conjugate = False
    for token in scope:
        if token.i in dropped:
            conjugate = conjugate or dropped[token.i] == "conjugate"
            continue
        if not with_subject and token.i in in_subject:
            continue
        is_subject = subject is not None and token.i == subject.i
        if is_subject and antecedent and token.lower_ in _PERSONAL:
            pieces.extend((t, t.text) for t in antecedent if _keep_in_subject(t))
            continue
        if token.i == target.i and _borrows_support(unit):
            pieces.append((None, unit.support.text.lower() if unit.support else ""))
        form = _form(token, is_subject)
        if conjugate and token.pos_ in {"AUX", "VERB"}:
            form = _agree(token, form, _subject_tokens(unit, subject, antecedent))
            conjugate = False
        pieces.append((token, form))
        if is_subject and unit.restrictor and token.lower_ in _QUANTIFIERS:
            pieces.extend((t, t.text) for t in unit.restrictor)  # "some" -> "some … soldiers"
    return _join_pieces(pieces)


def frame_text(
    unit: Unit, antecedent: Sequence[Token] = (), times: frozenset[int] | None = None
) -> str:
    """What the claim says of its subject: the core without the subject ("North Korean
    troops are stationed in Kursk" -> "are stationed in Kursk"). Two claims about the same
    troops share most of their words; their frames show whether they say the same of them.

    Example::

        frame_text(units[1])  # "have engaged in combat"
    """
    return core_text(unit, antecedent, times, with_subject=False)


def _borrows_support(unit: Unit) -> bool:
    """A bare participle of an absolute clause takes its clause's "be": "with some
    participating" -> "some … were participating"."""
    target = unit.target
    bare = not any(c.dep_ in {"aux", "auxpass"} for c in target.children)
    return unit.support is not None and bare and target.tag_ == "VBG"


def _within(token: Token, head: Token) -> bool:
    return token.i == head.i or head.is_ancestor(token)


def _dropped(
    target: Token, scope: list[Token], times: frozenset[int] | None
) -> dict[int, str]:
    """Token index -> why it leaves the core ("drop", or "conjugate" where the verb after it
    must agree with the subject instead)."""
    inside = {t.i for t in scope}
    anchors = {target.i} | {c.i for c in target.children if c.dep_ in {"aux", "auxpass", "cop"}}
    out = {t.i: why for t in scope if (why := _why_dropped(t, target, anchors)) is not None}
    for token in scope:
        if token.i == target.i:
            continue
        aside = token.head.i == target.i and token.dep_ in _DROP_DEPS
        as_well = token.lower_ == "well" and any(c.lower_ == "as" for c in token.children)
        if aside or as_well or _is_time_adjunct(token, times):
            out.update((t.i, "drop") for t in token.subtree if t.i in inside)
    for token in no_longer(target):
        out[token.i] = "drop"
    return out


def _why_dropped(token: Token, target: Token, anchors: set[int]) -> str | None:
    """Why one word leaves the core, if it does: the clause's negation, modal, hedge, booster
    or connective, a quotation mark, the "to" of an infinitive whose subject is put back."""
    text = token.text
    if text in _QUOTES or token.is_space:
        return "drop"
    lower = token.lower_.replace("’", "'")
    found = marker(text)
    kind = found.kind if found is not None else None
    head = token.head
    on_clause = head.i in anchors
    if kind == "negation" and on_clause:
        if token.dep_ == "neg" or (token.dep_ in {"det", "advmod"} and lower != "nor"):
            return "drop"
        return None
    if kind == "modal" and token.dep_ == "aux" and on_clause:
        return "conjugate"
    hedge = kind == "adverb" and token.dep_ == "advmod"
    if hedge or (token.dep_ == "advmod" and on_clause and _is_clause_word(lower)):
        return "drop"
    dep = token.dep_
    if head.i == target.i and token.i < target.i and dep in {"cc", "mark"}:
        return "drop"
    if head.i == target.i and dep == "aux" and lower == "to":
        return "conjugate"  # an infinitive whose subject is put back
    if dep == "det" and lower == "no" and head.dep_ in _ARGUMENTS:
        return "drop"
    return None


def _is_clause_word(lower: str) -> bool:
    words = claim_words()
    return any(lower in words.get(kind, {}) for kind in ("booster", "aspect", "discourse"))


def _is_time_adjunct(token: Token, times: frozenset[int] | None) -> bool:
    """A date or time adjunct ("last week", "on Monday", "since last month"): the claim's
    details, kept with the statement, not part of what it asserts. ``times`` are the tokens of
    the article's time expressions; without them, the parser's DATE and TIME entities."""

    def is_time(t: Token) -> bool:
        return t.i in times if times is not None else t.ent_type_ in _TIME_ENTS

    if token.dep_ in {"npadvmod", "tmod", "advmod"}:
        return is_time(token) and all(is_time(t) or t.is_punct for t in token.subtree)
    if token.dep_ == "prep":
        objects = [t for t in token.subtree if t.i != token.i and not t.is_punct]
        return bool(objects) and all(is_time(t) for t in objects)
    return False


def _own_subject(target: Token) -> Token | None:
    return next((c for c in target.children if c.dep_ in SUBJECTS), None)


def _keep_in_subject(token: Token) -> bool:
    return token.text not in _QUOTES and not token.is_space and token.dep_ not in {"cc", "mark"}


def _form(token: Token, is_subject: bool) -> str:
    """The token as the core writes it: a contraction written out, a negative pronoun put in
    the positive, an object pronoun made subject."""
    words = claim_words()
    lower = token.lower_.replace("’", "'")
    if token.pos_ in {"AUX", "VERB"}:
        if lower in words.get("contraction", {}):
            return words["contraction"][lower]
        if lower in {"'s", "'d"}:
            return {"be": "is", "have": "has", "would": "would"}.get(token.lemma_, "had")
    if lower in words.get("negative_pronoun", {}) and token.dep_ in _ARGUMENTS:
        return words["negative_pronoun"][lower]
    if is_subject and lower in words.get("subject_case", {}):
        return words["subject_case"][lower]
    if token.is_sent_start and token.pos_ != "PROPN" and token.text != "I" and token.is_title:
        return token.text.lower()  # "Haven't seen …" no longer starts the sentence
    return token.text


def _subject_tokens(
    unit: Unit, subject: Token | None, antecedent: Sequence[Token]
) -> list[Token]:
    if unit.subject:
        return list(unit.subject)
    if subject is None:
        return []
    if subject.lower_ in _PERSONAL and antecedent:
        return list(antecedent)
    return [subject]


def _agree(verb: Token, form: str, subject: list[Token]) -> str:
    """``be``/``have`` in the present, agreeing with ``subject``, where a modal or "to" stood
    before them ("may be" -> "is", "to have engaged" -> "have engaged"); other verbs keep their
    base form, as the plural present has it."""
    if verb.tag_ != "VB" or verb.lemma_ not in {"be", "have"}:
        return form
    number = grammatical_number(subject)
    if verb.lemma_ == "be":
        return {"first": "am", "plural": "are"}.get(number, "is")
    return "has" if number == "singular" else "have"


def grammatical_number(subject: Sequence[Token]) -> str:
    """"first" (I), "plural" or "singular", from the head word of the subject's words."""
    if not subject:
        return "plural"  # no subject: the plural form is the base form, the safe default
    ids = {t.i for t in subject}
    root = next((t for t in subject if t.head.i not in ids or t.head.i == t.i), subject[0])
    lower = root.lower_
    if lower == "i":
        return "first"
    if lower in _PLURAL_PRONOUNS or root.tag_ in {"NNS", "NNPS"}:
        return "plural"
    if any(c.dep_ == "conj" for c in root.children):
        return "plural"
    return "singular"


def _join_pieces(pieces: list[tuple[Token | None, str]]) -> str:
    """The forms as text, with the article's own spacing where two words stood together."""
    out: list[str] = []
    previous: Token | None = None
    for token, form in pieces:
        if not form:
            continue
        glued = (
            previous is not None
            and token is not None
            and token.i == previous.i + 1
            and not previous.whitespace_
            and form == token.text
        )
        if out and not glued:
            out.append(" ")
        out.append(form)
        previous = token
    text = "".join(out).strip(" ,;:—–-")
    text = " ".join(text.split()).replace(" ,", ",").replace(",,", ",")
    return text[:1].upper() + text[1:] if text else text


def phrase_text(tokens: Sequence[Token]) -> str:
    """A verbless content as a core ("confirmed [the deployment]"): its words without quotes."""
    return _join_pieces([(t, t.text) for t in tokens if t.text not in _QUOTES and not t.is_space])


def predicate_of(target: Token) -> str:
    """The lemma of the clause's predicate; for a copula its complement ("is necessary" ->
    "necessary"), "be" when it has none ("are in Kursk"). Aspectual and light verbs stay the
    predicate ("is negotiating to acquire" -> "negotiate"): the clause asserts the
    negotiation, the acquisition is only its aim."""
    lemma = target.lemma_.lower().replace("’", "'")
    written = claim_words().get("contraction", {}).get(lemma)
    if written is not None:  # "they're there": the lemma of "'re" is itself
        lemma = {"are": "be", "am": "be"}.get(written, written)
    if lemma == "be":
        complement = next((c for c in target.children if c.dep_ in {"acomp", "attr"}), None)
        if complement is not None:
            return complement.lemma_.lower()
    return lemma
