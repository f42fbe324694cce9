"""Reported speech found from the dependency parse: "X said (that) …", "…, X said",
"X claims to …", "X confirmed the deployment", "X declined to comment on …", "according to X, …",
"it was reported by X", and a participle chained to a cited document ("A cited a B report,
stating that …": the statement is B's, via A).
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from claimledger.attribute import lexicon
from claimledger.attribute.draft import Draft
from claimledger.nlp import tokens_of

_SUBJECTS = ("nsubj", "nsubjpass", "csubj")
_FIRST_SECOND_PERSON = frozenset({"i", "we", "you", "me", "us"})
_TRIM = frozenset(" \t\n,;:—–-")
# Adverbs before a verb that are not part of its cue (they modify the whole clause).
_NOT_CUE_ADVERBS = frozenset({"when", "where", "why", "how", "as", "so", "then", "thus", "however"})
_COMMENT_LEMMAS = frozenset({"comment", "speak", "discuss", "say", "elaborate", "confirm"})


def find_indirect(doc: Doc, taken: set[int]) -> Iterator[Draft]:
    """Drafts for every cue verb in ``doc`` whose token index is not in ``taken``."""
    for token in tokens_of(doc):
        if token.i in taken:
            continue
        if token.lower_ == "according" and _according_to(token) is not None:
            draft = _according_to_draft(doc, token)
            if draft:
                yield draft
            continue
        if token.pos_ not in ("VERB", "AUX") or token.dep_ == "amod":
            continue
        cue = lexicon.cues().get(token.lemma_.lower())
        if cue is None:
            continue
        draft = _verb_draft(doc, token, cue)
        if draft is not None:
            yield draft


def _verb_draft(doc: Doc, verb: Token, cue: lexicon.Cue) -> Draft | None:
    if cue.cls == "raising":
        return _raising_draft(doc, verb)
    content = _content_tokens(verb, cue)
    if content is None:
        return None
    pieces, by, cue_end = content
    source, via = _source(doc, verb)
    # "It is believed that …", "X is expected to …": attributions without a source
    passive_no_source = (
        source is None
        and by in ("pattern:indirect-that", "pattern:claim-to")
        and any(c.dep_ == "nsubjpass" for c in verb.children)
    )
    if source is None and not passive_no_source:
        return None
    if passive_no_source and by == "pattern:claim-to":
        # "Turnout is expected to rise": what is expected is "turnout … to rise"
        subject = next(c for c in verb.children if c.dep_ == "nsubjpass")
        pieces = [(subject.left_edge.i, subject.right_edge.i), *pieces]
    if source is not None and source.root.lower_ in _FIRST_SECOND_PERSON:
        return None  # "we believe" inside a quote: the quote's speaker already owns it
    spans = [span for first, last in pieces if (span := _trimmed(doc, first, last, verb))]
    if not spans:
        return None
    cue_start = _cue_start(verb)
    return Draft(
        kind="indirect",
        cue=(doc[cue_start].idx, cue_end),
        content=spans,
        by=by if source is not None else by + "-no-source",
        source=source,
        cue_token=verb.i,
        via=via,
    )


Pieces = list[tuple[int, int]]
_PHRASAL_PREPS = frozenset({"for", "on", "against", "about", "to", "of", "over", "at"})


def _no_source_draft(doc: Doc, verb: Token, pieces: Pieces, by: str) -> Draft | None:
    spans = [span for first, last in pieces if (span := _trimmed(doc, first, last, verb))]
    if not spans:
        return None
    return Draft(
        kind="indirect",
        cue=(doc[_cue_start(verb)].idx, _cue_end_offset(verb)),
        content=spans,
        by=by,
        source=None,
        cue_token=verb.i,
    )


def _raising_draft(doc: Doc, verb: Token) -> Draft | None:
    """ "He seems to have a different set of rules": no one is cited; what seems is "he … to
    have a different set of rules"."""
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < verb.i]
    rest = [c for c in verb.rights if c.dep_ in ("xcomp", "acomp", "attr", "oprd", "prep")]
    if not subjects or not rest or subjects[0].lower_ in ("it", "there"):
        return None
    subject = subjects[0]
    last = _right_extent(verb, max(c.right_edge.i for c in rest))
    pieces = [(subject.left_edge.i, subject.right_edge.i), (rest[0].left_edge.i, last)]
    return _no_source_draft(doc, verb, pieces, "pattern:raising-no-source")


def _content_tokens(verb: Token, cue: lexicon.Cue) -> tuple[Pieces, str, int] | None:
    """Token ranges of the content, the pattern name and the cue's end offset."""
    end_of_cue = _cue_end_offset(verb)
    if cue.cls == "refuse":
        # "refrained from commenting on X" even when the parser makes part of X a clause
        declined = _declined_comment(verb)
        if declined is not None:
            return declined
    clauses = [
        c for c in verb.children if c.dep_ == "ccomp" or (c.dep_ == "csubj" and c.i > verb.i)
    ]
    if clauses:
        # A clause after the cue is its content even when the parse hangs one before it too
        # ("Writing for the panel, she noted that …"): a content comes before its cue only
        # when no clause follows the cue.
        child = min(clauses, key=lambda c: (c.i < verb.i, c.i))
        first, last = _subtree_edges(child)
        if child.i > verb.i:
            return [(first, _right_extent(verb, last))], "pattern:indirect-that", end_of_cue
        # "A, and B, officials said": the parse may hang each clause on the cue.
        last = max([last] + [c.right_edge.i for c in clauses if c.i < verb.i])
        return (
            [(first, last), *_after_parenthetical(verb)],
            "pattern:content-before-cue",
            end_of_cue,
        )
    as_clause = _as_clause(verb, cue)
    if as_clause is not None:
        return as_clause, "pattern:as-clause", end_of_cue
    if cue.cls == "refuse":
        return None
    for child in verb.children:
        if (
            child.dep_ == "xcomp"
            and child.i > verb.i
            and any(c.dep_ == "aux" and c.lower_ == "to" for c in child.children)
        ):
            first, last = _subtree_edges(child)
            # "urged both sides to return to the table": the object belongs to the content
            objects = [c for c in verb.children if c.dep_ == "dobj" and verb.i < c.i < child.i]
            if objects:
                first = objects[0].left_edge.i
            return [(first, _right_extent(verb, last))], "pattern:claim-to", end_of_cue
    if cue.takes_np_content and not _relays_a_document(verb):
        for child in verb.children:
            # a pronoun object is content only with a complement after it ("called it a lie")
            pronoun_alone = child.pos_ == "PRON" and child.i == verb.right_edge.i
            if child.dep_ == "dobj" and not pronoun_alone and child.i > verb.i:
                first, last = _subtree_edges(child)
                return [(first, _right_extent(verb, last))], "pattern:object-content", end_of_cue
    # Only the hand-written cues take a prepositional object: "called for", "railed against";
    # a learned verb with one is mostly an action ("will vote on the budget").
    phrasal = _phrasal_object(verb) if verb.lemma_.lower() in lexicon.hand_cues() else None
    if phrasal is not None:
        return phrasal
    return _parenthetical(verb, end_of_cue)


def _phrasal_object(verb: Token) -> tuple[Pieces, str, int] | None:
    """ "called for X", "railed against X", "pointed to X": the preposition joins the cue."""
    rights = [c for c in verb.rights if c.dep_ not in ("punct", "advmod", "npadvmod")]
    if not rights or rights[0].dep_ != "prep" or rights[0].lower_ not in _PHRASAL_PREPS:
        return None
    prep = rights[0]
    objs = [c for c in prep.children if c.dep_ in ("pobj", "pcomp")]
    if not objs or lexicon.noun_kind(objs[0].lemma_) == "speech_event":
        return None
    first, last = _subtree_edges(objs[0])
    return [(first, _right_extent(verb, last))], "pattern:phrasal-object", prep.idx + len(prep.text)


def _parenthetical(verb: Token, cue_end: int) -> tuple[Pieces, str, int] | None:
    """ "Lenox was a juggernaut, Mr. Clarke said, until it went bankrupt": the cue clause sits
    inside the content, which is the rest of its sentence, in two pieces."""
    if verb.dep_ != "parataxis" or not any(c.dep_ == "nsubj" for c in verb.children):
        return None
    head = verb.head
    pieces = [
        (head.left_edge.i, verb.left_edge.i - 1),
        (verb.right_edge.i + 1, head.right_edge.i),
    ]
    pieces = [(a, b) for a, b in pieces if b >= a]
    return (pieces, "pattern:parenthetical", cue_end) if pieces else None


def _as_clause(verb: Token, cue: lexicon.Cue) -> Pieces | None:
    """ "As many experts have pointed out, Trump is free to disclose his returns", "…, as
    police have said", "As he told reporters, …": the cue in an "as" clause reports the clause
    it modifies, around it."""
    head = verb.head
    if verb.dep_ != "advcl" or head is verb:
        return None
    if not any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children):
        return None
    # A cue with content of its own is an event at the same time ("as he discussed his plan");
    # the object of a verb that takes none is whom it was said to ("as he told reporters").
    if any(
        c.dep_ in ("ccomp", "xcomp", "csubj", "conj")
        or (c.dep_ == "dobj" and cue.takes_np_content)
        or _prepositional_object(verb, c)
        for c in verb.children
    ):
        return None
    sentence_last = verb.sent.end - 1
    first, last = head.left_edge.i, min(head.right_edge.i, sentence_last)
    pieces = [(first, verb.left_edge.i - 1), (verb.right_edge.i + 1, last)]
    return [(a, b) for a, b in pieces if a <= b] or None


def _prepositional_object(verb: Token, prep: Token) -> bool:
    """Whether ``prep`` opens the verb's prepositional object ("called for a ban", "pointed to
    the data"), not when or where ("said on Monday")."""
    return (
        prep.dep_ == "prep"
        and prep.i == verb.i + 1
        and prep.lower_ in _PHRASAL_PREPS
        and not any(c.ent_type_ in ("DATE", "TIME") for c in prep.children)
    )


def _after_parenthetical(verb: Token) -> Pieces:
    """The rest of a content the cue clause interrupts ("A, he said, B"): B."""
    doc = verb.doc
    end = verb.right_edge.i
    nxt = end + 1
    if nxt >= verb.sent.end - 1 or (doc[end].text != "," and doc[nxt].text != ","):
        return []
    rights = [c for c in verb.rights if c.dep_ not in ("punct", "nsubj")]
    if rights:
        return [(rights[0].left_edge.i, verb.sent.end - 1)]
    return [(nxt, verb.sent.end - 1)] if doc[verb.left_edge.i - 1].text == "," else []


def _relays_a_document(verb: Token) -> bool:
    """ "A cited a B report, stating …": A only relays; the statement is B's (see ``_source``)."""
    return any(
        c.dep_ in ("advcl", "xcomp") and c.tag_ == "VBG" and c.lemma_.lower() in lexicon.cues()
        for c in verb.children
    )


def _right_extent(verb: Token, last: int) -> int:
    """Where a content after its cue ends: news runs it to the end of the sentence, so the
    parser's clause edge is extended over what follows, stopping at a new clause with its own
    subject or another cue ("…, but officials said …"), or at a date that says when it was said."""
    doc = verb.doc
    # A cue in a clause subordinate to what follows ("While X confirmed Y, it refrained …")
    # cannot report words beyond its own clause.
    # So can a cue in a relative clause ("The senators, who said X, left early").
    own_clause = verb.head.i > verb.i or verb.dep_ in ("relcl", "acl")
    end = verb.right_edge.i + 1 if own_clause else verb.sent.end
    i = last + 1
    while i < end:
        token = doc[i]
        if token.pos_ in ("VERB", "AUX") and any(
            c.dep_ in ("nsubj", "nsubjpass") and c.i > last for c in token.children
        ):
            i = min([c.left_edge.i for c in token.lefts if c.i > last] + [i])
            break
        if (
            lexicon.cues().get(token.lemma_.lower())
            and token.pos_ == "VERB"
            and any(c.dep_ == "nsubj" for c in token.children)
        ):
            break
        if (
            token.dep_ == "prep"
            and token.head.i == verb.i
            and any(c.ent_type_ in ("DATE", "TIME") for c in token.children)
        ):
            break
        if token.dep_ == "conj" and token.pos_ == "VERB" and token.lemma_.lower() in lexicon.cues():
            # "… he believed a deal was possible, and told reporters: …": a new attribution,
            # wherever the parser hung it
            i = min([c.i for c in token.lefts if c.dep_ in ("cc", "punct")] + [token.left_edge.i])
            break
        if token.head.i == verb.i and (
            token.dep_ == "conj"  # "X said A, and called B": B is a statement of its own
            or (token.dep_ == "npadvmod" and token.ent_type_ in ("DATE", "TIME"))
        ):
            i = token.left_edge.i
            break
        i += 1
    stop = i - 1
    if stop < end - 1 or i == end:
        while stop > last and (doc[stop].is_punct or doc[stop].dep_ == "cc" or doc[stop].is_space):
            stop -= 1
    return max(stop, last)


def _declined_comment(verb: Token) -> tuple[Pieces, str, int] | None:
    """ "refrained from commenting on X" / "declined to comment on X": content X, cue the rest."""
    for child in verb.subtree:
        if child.lemma_.lower() in _COMMENT_LEMMAS and child.i > verb.i:
            for prep in child.children:
                if prep.dep_ == "prep" and prep.lower_ in ("on", "about", "regarding"):
                    objs = [c for c in prep.children if c.dep_ in ("pobj", "pcomp")]
                    if objs:
                        first, last = _subtree_edges(objs[0])
                        last = _right_extent(verb, last)
                        cue_end = prep.idx + len(prep.text)
                        return [(first, last)], "pattern:declined-comment", cue_end
            for comp in child.children:  # "declined to say whether the talks would resume"
                if comp.dep_ == "ccomp" and comp.i > child.i:
                    first, last = _subtree_edges(comp)
                    cue_end = child.idx + len(child.text)
                    pieces = [(first, _right_extent(verb, last))]
                    return pieces, "pattern:declined-comment", cue_end
            return None
    return None


def _subtree_edges(token: Token) -> tuple[int, int]:
    return token.left_edge.i, token.right_edge.i


def _cue_start(verb: Token) -> int:
    """The cue includes the auxiliaries, negation and adverbs right before the verb ("has
    confirmed", "still says", "has repeatedly wondered"), as PolNeAR draws it."""
    start = verb.i
    for child in sorted(verb.children, key=lambda t: -t.i):
        if child.i == start - 1 and child.dep_ in ("aux", "auxpass", "neg", "advmod"):
            if child.dep_ == "advmod" and (not child.is_lower or child.lower_ in _NOT_CUE_ADVERBS):
                break
            start = child.i
    return start


def _cue_end_offset(verb: Token) -> int:
    """Where the cue ends: after the verb, or after its particle ("laid out", "pointed out")."""
    nxt = verb.doc[verb.i + 1] if verb.i + 1 < len(verb.doc) else None
    if nxt is not None and nxt.dep_ == "prt" and nxt.head.i == verb.i:
        return nxt.idx + len(nxt.text)
    return verb.idx + len(verb.text)


def _source(
    doc: Doc, verb: Token
) -> tuple[SpacySpan | None, list[tuple[SpacySpan, tuple[int, int] | None]]]:
    """The source phrase of a cue verb and any relay (``via``) in front of it."""
    for child in verb.children:
        if child.dep_ in ("nsubj",):
            return _phrase(doc, child), []
        if child.dep_ == "agent":
            objs = [c for c in child.children if c.dep_ == "pobj"]
            if objs:
                return _phrase(doc, objs[0]), []
    head = verb.head
    if head is verb:
        return None, []
    if verb.dep_ == "conj":  # "X said A and added B"
        return _source(doc, head)
    if verb.dep_ == "xcomp" and verb.tag_ == "VB":  # "X needs to lay out …", "X wants to say …"
        return _source(doc, head)
    if verb.dep_ == "pcomp" and head.head is not head:  # "X responded by saying …"
        return _source(doc, head.head)
    if verb.dep_ in ("advcl", "xcomp") and verb.tag_ == "VBG":
        head_cue = lexicon.cues().get(head.lemma_.lower()) or head.lemma_.lower() == "cite"
        relay, _ = _source(doc, head)
        cited = [c for c in head.children if c.dep_ == "dobj"]
        if head_cue and cited and lexicon.noun_kind(cited[0].lemma_) == "document":
            via: list[tuple[SpacySpan, tuple[int, int] | None]] = []
            if relay is not None:
                via.append((relay, (head.idx, head.idx + len(head.text))))
            return _phrase(doc, cited[0], drop_preps=True), via
        return relay, []
    return None, []


def _phrase(doc: Doc, token: Token, drop_preps: bool = False) -> SpacySpan:
    """The noun phrase headed by ``token``, without trailing punctuation (and, for a cited
    document, without the prepositional phrases that date or place it)."""
    first, last = token.left_edge.i, token.right_edge.i
    if drop_preps:
        right = [c for c in token.rights if c.dep_ in ("prep", "acl", "relcl")]
        if right:
            last = min(c.left_edge.i for c in right) - 1
    while last > first and (doc[last].is_punct or doc[last].is_space):
        if doc[last].text == ")" and any(t.text == "(" for t in doc[first:last]):
            break  # "Rep. John Mica (R-Fla.)": the closing parenthesis belongs to the name
        last -= 1
    while first < last and (doc[first].is_punct or doc[first].is_space):
        first += 1
    return doc[first : last + 1]


def _trimmed(doc: Doc, first: int, last: int, verb: Token) -> tuple[int, int] | None:
    """Character span of tokens first..last, without speech-event phrases at its end ("in an
    interview with Kyodo News on December 1" says where it was said, not what) or edge
    punctuation."""
    last = cut_speech_event(doc, first, last)
    last = cut_trailing_aside(doc, first, last)
    while first <= last and (doc[first].is_space or doc[first].text in _TRIM):
        first += 1
    # A sentence-initial "And"/"But" links to what came before; it is not part of what was said.
    if first < last and doc[first].dep_ == "cc" and doc[first].is_title:
        first += 1
    while last >= first and (
        doc[last].is_space or doc[last].text in _TRIM or doc[last].text == "."
    ):
        last -= 1
    if last < first:
        return None
    return doc[first].idx, doc[last].idx + len(doc[last].text)


def cut_trailing_aside(doc: Doc, first: int, last: int) -> int:
    """ ", sending him to cities like Philadelphia": a participle clause after a comma says what
    else happened, not what was said. Only a clause that runs to the end is cut: "The program,
    which was created in 1990, has expanded" goes on after its aside."""
    for token in doc[first + 1 : last]:
        nxt = doc[token.i + 1]
        if token.text != ",":
            continue
        participle = nxt.tag_ == "VBG" and nxt.dep_ in ("advcl", "xcomp", "acl")
        if participle and nxt.head.i < token.i and _runs_to(nxt, last):
            return token.i - 1
        # ", who says …" / ", which …": a non-restrictive relative clause adds the reporter's
        # aside (and often a statement of its own), not the content.
        relative = nxt.lower_ in ("who", "which", "whom", "whose") and nxt.head.dep_ == "relcl"
        if relative and _runs_to(nxt.head, last):
            return token.i - 1
    return last


def _runs_to(clause: Token, last: int) -> bool:
    """Whether the clause headed by ``clause`` reaches token ``last`` (bar end punctuation)."""
    end = clause.right_edge.i
    while end < last and (clause.doc[end + 1].is_punct or clause.doc[end + 1].is_space):
        end += 1
    return end >= last


def cut_speech_event(doc: Doc, first: int, last: int) -> int:
    """Where the content ends before "in an interview", "at a briefing", "in a statement"."""
    for token in doc[first : last + 1]:
        if token.dep_ == "prep" and token.i > first + 2:
            objs = [c for c in token.children if c.dep_ == "pobj"]
            kind = lexicon.noun_kind(objs[0].lemma_) if objs else None
            occasion = kind == "speech_event" and token.lower_ in ("in", "at", "during", "on")
            # "in a statement", "in a tweet": the medium it was said in
            medium = kind == "document" and token.lower_ == "in" and _indefinite(objs[0])
            if occasion or medium:
                return token.i - 1
    return last


def _indefinite(noun: Token) -> bool:
    return any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in noun.children)


def _according_to(token: Token) -> Token | None:
    for child in token.children:
        if child.lower_ == "to":
            objs = [c for c in child.children if c.dep_ == "pobj"]
            if objs:
                return objs[0]
    nxt = token.nbor(1) if token.i + 1 < len(token.doc) else None
    if nxt is not None and nxt.lower_ == "to":
        objs = [c for c in nxt.children if c.dep_ == "pobj"]
        if objs:
            return objs[0]
    return None


def _source_before_comma(doc: Doc, source: SpacySpan, obj: Token, token: Token) -> SpacySpan:
    """The source of a sentence-initial "According to X, …" ends at its first comma when the
    parse hangs the rest of the sentence on it ("According to Rush Limbaugh, the move reeks
    of fear", with "reeks" read as a noun in apposition): otherwise nothing is left to say."""
    sent = token.sent
    last = sent.end - 1
    while last > token.i and (doc[last].is_punct or doc[last].is_space):
        last -= 1
    if token.i > sent.start + 1 or source.end <= last:
        return source
    comma = next((t.i for t in doc[obj.i + 1 : source.end] if t.text == ","), None)
    return source if comma is None else doc[source.start : comma]


def _according_to_draft(doc: Doc, token: Token) -> Draft | None:
    """ "According to X, C." / "C, according to X.": content is the rest of the sentence."""
    obj = _according_to(token)
    if obj is None:
        return None
    source = _source_before_comma(doc, _phrase(doc, obj), obj, token)
    sent = token.sent
    phrase_end = max(token.i + 1, source.end - 1)
    before = (sent.start, token.i - 1)
    after = (phrase_end + 1, sent.end - 1)
    first, last = after if (after[1] - after[0]) > (before[1] - before[0]) else before
    span = _trimmed(doc, first, last, token)
    if span is None:
        return None
    cue_end = token.nbor(1).idx + len(token.nbor(1).text)
    return Draft(
        kind="according_to",
        cue=(token.idx, cue_end),
        content=[span],
        by="pattern:according-to",
        source=source,
        cue_token=token.i,
    )
