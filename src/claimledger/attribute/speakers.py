"""Who is speaking: the source phrase resolved to a named speaker within the article.

"Singh" -> the article's "Sabrina Singh"; "she" -> the nearest person before it whose first name
fits; "it" -> the nearest organisation or country; "the spokesperson" -> the person who holds that
role; "The NRC assessment" -> the National Resistance Center (a document speaks for its owner,
acronyms expanded where the article defines them); role and organisation from the words in front
of a name ("Pentagon Deputy Spokesperson Sabrina Singh") or an apposition ("Singh, a Pentagon
spokesperson").
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from claimledger.attribute import lexicon
from claimledger.attribute.names import (
    DETERMINERS,
    Person,
    acronyms,
    clean_name,
    entity_id,
    gender,
    name_key,
    name_start,
    people,
    role_and_org,
)
from claimledger.model import Speaker, SpeakerType
from claimledger.nlp import token_indices

_MALE = frozenset({"he", "him", "his", "himself"})
_FEMALE = frozenset({"she", "her", "hers", "herself"})
_NONPERSON = frozenset({"it", "its"})
_PLURAL = frozenset({"they", "them", "their"})


@dataclass(frozen=True, slots=True)
class Mention:
    start: int  # character offset of the mention
    speaker: Speaker


class SpeakerResolver:
    """Resolves source phrases of one document, in text order."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.acronyms = acronyms(doc)
        self.people = people(doc, self.acronyms)
        self.mentions = _mentions(doc, self.people, self.acronyms)
        # Span.ents rebuilds every entity of the doc on each call; read them once.
        self.ents = list(doc.ents)

    def resolve(self, source: SpacySpan) -> Speaker | None:
        root = source.root
        lower = root.lower_
        antecedent = _antecedent(root)
        if antecedent is not None:  # "Clinton, who has called for …": the speaker is Clinton
            return self.resolve(antecedent)
        if root.pos_ == "PRON" or lower in _MALE | _FEMALE | _NONPERSON | _PLURAL:
            return self._pronoun(lower, source.start_char)
        person = self._person_in(source)
        if person is not None:
            return person
        if root.pos_ == "NOUN" and lexicon.noun_kind(root.lemma_) == "document":
            owner = self._document_owner(root)
            if owner is not None:
                return owner
        titled = self._title_only(source)
        if titled is not None:
            return titled
        return self._named_or_unnamed(source)

    # -- the kinds of source phrase -------------------------------------------------------------

    def _pronoun(self, lower: str, before: int) -> Speaker | None:
        earlier = [m for m in self.mentions if m.start < before]
        for mention in reversed(earlier):
            sp = mention.speaker
            if lower in _MALE | _FEMALE and sp.type == "person" and _gender_fits(sp.name, lower):
                return sp
            if lower in _NONPERSON and sp.type in ("organization", "country"):
                return sp
            if lower in _PLURAL and sp.type in ("group", "organization", "unnamed", "country"):
                return sp
        return None

    def _person_in(self, source: SpacySpan) -> Speaker | None:
        """A person named in the source phrase: its last name token known as a person's."""
        for token in reversed(source):
            person = self.people.get(name_key(token.text)) if token.pos_ == "PROPN" else None
            if person is None and token.ent_type_ == "PERSON" and token.pos_ == "PROPN":
                person = Person(clean_name(token.text, {}), None, None)
            if person is None:
                continue
            role, org = role_and_org(self.doc, name_start(self.doc, token), token, self.acronyms)
            return Speaker(
                person.name,
                "person",
                role=role or person.role,
                organization=org or person.organization,
                entity_id=entity_id("person", person.name),
            )
        return None

    def _document_owner(self, root: Token) -> Speaker | None:
        for child in root.children:
            if child.dep_ in ("compound", "nmod", "poss") and child.pos_ == "PROPN":
                last = min(child.right_edge.i, root.i - 1)
                name = clean_name(self.doc[child.left_edge.i : last + 1].text, self.acronyms)
                kind: SpeakerType = "person" if child.ent_type_ == "PERSON" else "organization"
                person = self.people.get(name_key(name))
                if person is not None:
                    return Speaker(
                        person.name,
                        "person",
                        person.role,
                        person.organization,
                        entity_id("person", person.name),
                    )
                return Speaker(name, kind, entity_id=entity_id(kind, name))
        return None

    def _title_only(self, source: SpacySpan) -> Speaker | None:
        """ "the spokesperson", "the admiral": the person in the article holding that title."""
        words = [t.lower_ for t in source if t.lower_ not in DETERMINERS]
        if not words or any(w not in lexicon.roles() for w in words):
            return None
        for mention in reversed([m for m in self.mentions if m.start < source.start_char]):
            sp = mention.speaker
            titles = f"{sp.role or ''} {sp.organization or ''}".lower()
            if sp.type == "person" and words[-1] in titles:
                return sp
        return None

    def _named_or_unnamed(self, source: SpacySpan) -> Speaker:
        root = source.root
        ents = [
            e
            for e in self.ents
            if source.start <= e.start
            and e.end <= source.end
            and e.label_ in ("ORG", "GPE", "NORP", "FAC")
        ]
        kind = lexicon.noun_kind(root.lemma_)
        # The root inside a named entity (even when the tagger calls a sentence-initial name a
        # noun): the entity says what kind of speaker it is.
        if ents and (root.pos_ == "PROPN" or root.ent_type_ in ("ORG", "GPE", "FAC")):
            ent = ents[-1]
            stype: SpeakerType = "country" if ent.label_ == "GPE" else "organization"
            name = clean_name(ent.text, self.acronyms)
            return Speaker(name, stype, entity_id=entity_id(stype, name))
        if root.pos_ == "PROPN":
            name = clean_name(source.text, self.acronyms)
            return Speaker(name, "organization", entity_id=entity_id("organization", name))
        name = clean_name(source.text, self.acronyms)
        if kind == "group" or (ents and kind != "unnamed"):
            return Speaker(name, "group", entity_id=entity_id("group", name))
        # "Local sources" -> "local sources"; a name the tagger did not know keeps its case.
        common = kind is not None and not ents
        return Speaker(name.lower() if common else name, "unnamed")


def _antecedent(root: Token) -> SpacySpan | None:
    """The noun phrase a relative pronoun stands for, without the relative clause."""
    if root.lower_ not in ("who", "which", "that") or root.head.dep_ != "relcl":
        return None
    noun = root.head.head
    start = noun.left_edge.i
    end = noun.i + 1
    # keep a name's own words after the head (none usually), drop the clause and punctuation
    return noun.doc[start:end] if end > start else None


# -- building the article's inventory of people and mentions -------------------------------------


def _mentions(doc: Doc, people: dict[str, Person], acronyms: dict[str, str]) -> list[Mention]:
    """Named mentions in text order, for pronouns to look back on."""
    mentions: list[Mention] = []
    for i in token_indices(doc, pos="PROPN"):
        token = doc[i]
        person = people.get(name_key(token.text))
        if person is None or _continues_name(doc, token, people):
            continue
        sp = Speaker(
            person.name,
            "person",
            person.role,
            person.organization,
            entity_id("person", person.name),
        )
        mentions.append(Mention(doc[name_start(doc, token)].idx, sp))
    for ent in doc.ents:
        if ent.label_ in ("ORG", "GPE") and not any(people.get(name_key(t.text)) for t in ent):
            stype: SpeakerType = "country" if ent.label_ == "GPE" else "organization"
            name = clean_name(ent.text, acronyms)
            mentions.append(
                Mention(ent.start_char, Speaker(name, stype, entity_id=entity_id(stype, name)))
            )
    for i in token_indices(doc, pos="NOUN"):
        token = doc[i]
        if (
            token.tag_ == "NNS"
            and lexicon.noun_kind(token.lemma_) in ("group", "unnamed")
            and token.dep_ in ("nsubj", "nsubjpass")
        ):
            phrase = doc[token.left_edge.i : token.i + 1].text
            kind: SpeakerType = "group" if lexicon.noun_kind(token.lemma_) == "group" else "unnamed"
            mentions.append(Mention(token.idx, Speaker(clean_name(phrase, acronyms), kind)))
    return sorted(mentions, key=lambda m: m.start)


def _continues_name(doc: Doc, token: Token, people: dict[str, Person]) -> bool:
    """Whether the next token is still the same person's name ("Ana" in "Ana Ruiz")."""
    nxt = doc[token.i + 1] if token.i + 1 < len(doc) else None
    return nxt is not None and people.get(name_key(nxt.text)) is people.get(name_key(token.text))


def _gender_fits(name: str, pronoun: str) -> bool:
    guessed = gender(name.split()[0]) if " " in name else "unknown"
    if pronoun in _MALE:
        return guessed not in ("female", "mostly_female")
    return guessed not in ("male", "mostly_male")
