"""Who is speaking: the source phrase resolved to a named speaker within the article.

"Singh" -> the article's "Sabrina Singh"; "she" -> the nearest person before it whose first name
fits; "it" -> the nearest organisation or country; "the spokesperson" -> the person who holds that
role; "The NRC assessment" -> the National Resistance Center (a document speaks for its owner,
acronyms expanded where the article defines them); role and organisation from the words in front
of a name ("Pentagon Deputy Spokesperson Sabrina Singh") or an apposition ("Singh, a Pentagon
spokesperson").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from claimledger.attribute import lexicon
from claimledger.model import Speaker, SpeakerType
from claimledger.nlp import text_of

_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those"})
_MALE = frozenset({"he", "him", "his", "himself"})
_FEMALE = frozenset({"she", "her", "hers", "herself"})
_NONPERSON = frozenset({"it", "its"})
_PLURAL = frozenset({"they", "them", "their"})
_ACRONYM = re.compile(r"\(([A-Z][A-Z.&]{1,9})\)")


@dataclass(frozen=True, slots=True)
class Person:
    name: str  # the fullest form of the name in the article
    role: str | None
    organization: str | None


@dataclass(frozen=True, slots=True)
class Mention:
    start: int  # character offset of the mention
    speaker: Speaker


class SpeakerResolver:
    """Resolves source phrases of one document, in text order."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.acronyms = _acronyms(doc)
        self.people = _people(doc, self.acronyms)
        self.mentions = _mentions(doc, self.people, self.acronyms)

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
            person = self.people.get(_key(token.text)) if token.pos_ == "PROPN" else None
            if person is None and token.ent_type_ == "PERSON" and token.pos_ == "PROPN":
                person = Person(_clean_name(token.text, {}), None, None)
            if person is None:
                continue
            role, org = _role_and_org(self.doc, _name_start(self.doc, token), token, self.acronyms)
            return Speaker(
                person.name,
                "person",
                role=role or person.role,
                organization=org or person.organization,
                entity_id=_entity_id("person", person.name),
            )
        return None

    def _document_owner(self, root: Token) -> Speaker | None:
        for child in root.children:
            if child.dep_ in ("compound", "nmod", "poss") and child.pos_ == "PROPN":
                last = min(child.right_edge.i, root.i - 1)
                name = _clean_name(self.doc[child.left_edge.i : last + 1].text, self.acronyms)
                kind: SpeakerType = "person" if child.ent_type_ == "PERSON" else "organization"
                person = self.people.get(_key(name))
                if person is not None:
                    return Speaker(
                        person.name,
                        "person",
                        person.role,
                        person.organization,
                        _entity_id("person", person.name),
                    )
                return Speaker(name, kind, entity_id=_entity_id(kind, name))
        return None

    def _title_only(self, source: SpacySpan) -> Speaker | None:
        """ "the spokesperson", "the admiral": the person in the article holding that title."""
        words = [t.lower_ for t in source if t.lower_ not in _DETERMINERS]
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
        ents = [e for e in source.ents if e.label_ in ("ORG", "GPE", "NORP", "FAC")]
        kind = lexicon.noun_kind(root.lemma_)
        if ents and root.pos_ == "PROPN":
            ent = ents[-1]
            stype: SpeakerType = "country" if ent.label_ == "GPE" else "organization"
            name = _clean_name(ent.text, self.acronyms)
            return Speaker(name, stype, entity_id=_entity_id(stype, name))
        if root.pos_ == "PROPN":
            name = _clean_name(source.text, self.acronyms)
            return Speaker(name, "organization", entity_id=_entity_id("organization", name))
        name = _clean_name(source.text, self.acronyms)
        if kind == "group" or (ents and kind != "unnamed"):
            return Speaker(name, "group", entity_id=_entity_id("group", name))
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


def _key(name: str) -> str:
    return name.replace("’s", "").replace("'s", "").strip().lower()


def _acronyms(doc: Doc) -> dict[str, str]:
    """ "National Resistance Center (NRC)" defines NRC."""
    found: dict[str, str] = {}
    for match in _ACRONYM.finditer(text_of(doc)):
        acronym = match.group(1)
        span = doc.char_span(match.start(1), match.end(1), alignment_mode="expand")
        if span is None or span.start < 2:
            continue
        words: list[str] = []
        i = span.start - 2  # skip "("
        while (i >= 0 and doc[i].is_title) or (
            i >= 0 and doc[i].lower_ in ("of", "for", "and", "on")
        ):
            words.insert(0, doc[i].text)
            i -= 1
        while words and words[0].lower() in ("of", "for", "and", "on"):
            words.pop(0)
        initials = "".join(w[0] for w in words if w[0].isupper())
        if words and initials.startswith(acronym.replace(".", "")[:1]):
            found[acronym] = " ".join(words)
    return found


def _clean_name(text: str, acronyms: dict[str, str]) -> str:
    text = _ACRONYM.sub("", text)
    text = re.sub(r"\s*\([^)]*$", "", text)  # an acronym cut off by the end of the phrase
    text = re.sub(r"\s+", " ", text).strip(" ,;:’'\"“”")
    words = text.split(" ")
    while words and words[0].lower() in _DETERMINERS:
        words.pop(0)
    if words and words[-1] in ("’s", "'s"):
        words.pop()
    name = " ".join(words).removesuffix("’s").removesuffix("'s")
    return acronyms.get(name, name)


def _people(doc: Doc, acronyms: dict[str, str]) -> dict[str, Person]:
    """Every person named in the document, keyed by each form of the name ("sabrina singh",
    "singh"), with the fullest name and the role and organisation first given for them.

    The tagger's PERSON entities give the surnames; every other occurrence of a surname is then
    read too, because the entity recogniser often misses the first, fullest mention
    ("Pentagon Deputy Spokesperson Sabrina Singh")."""
    surnames = {e[-1].text for e in doc.ents if e.label_ == "PERSON" and e[-1].is_title}
    missed = _names_the_tagger_missed(doc)
    surnames |= missed
    people: dict[str, Person] = {}
    found: list[tuple[str, str, str | None, str | None]] = []  # (surname, name, role, org)
    for token in doc:
        if token.text not in surnames:
            continue
        if token.ent_type_ not in ("", "PERSON") and token.text not in missed:
            continue
        first = _name_start(doc, token)
        name = doc[first : token.i + 1].text
        role, org = _role_and_org(doc, first, token, acronyms)
        found.append((token.text, name, role, org))
    for surname in surnames:
        forms = [f for f in found if f[0] == surname]
        if not forms:
            continue
        name = max((f[1] for f in forms), key=len)
        role = next((f[2] for f in forms if f[2]), None)
        org = next((f[3] for f in forms if f[3]), None)
        person = Person(name, role, org)
        for form in forms:
            people[_key(form[1])] = person
        people[_key(surname)] = person
    return people


def _names_the_tagger_missed(doc: Doc) -> set[str]:
    """Surnames of people the entity recogniser did not label: a run of capitalised proper
    nouns that starts with a known first name ("Ana Ruiz") or follows a title ("Mayor Ruiz")."""
    roles = lexicon.roles()
    found: set[str] = set()
    i = 0
    while i < len(doc):
        token = doc[i]
        if not _name_word(token, roles):
            i += 1
            continue
        j = i
        while j + 1 < len(doc) and _name_word(doc[j + 1], roles) and doc[j].whitespace_:
            j += 1
        run = doc[i : j + 1]
        titled = i > 0 and roles.get(doc[i - 1].lower_) in ("role", "honorific")
        first_name = len(run) >= 2 and _gender(run[0].text) not in ("unknown",)
        organisation = len(run) > 3 or any(
            t.ent_type_ in ("GPE", "NORP", "LOC") or lexicon.noun_kind(t.lemma_) == "institution"
            for t in run
        )
        if (titled or first_name) and not organisation:
            found.add(run[-1].text)
        i = j + 1
    return found


def _name_word(token: Token, roles: dict[str, str]) -> bool:
    return (
        token.pos_ == "PROPN"
        and token.is_title
        and token.lower_ not in roles
        and token.ent_type_ not in ("DATE", "TIME", "GPE", "NORP", "LOC")
    )


def _same_entity(token: Token, last: Token) -> bool:
    """Whether ``token`` and ``last`` lie in one entity (even one mislabelled ORG)."""
    return last.ent_iob_ == "I" and all(
        t.ent_iob_ == "I" for t in token.doc[token.i + 1 : last.i + 1]
    )


def _name_start(doc: Doc, surname: Token) -> int:
    """First token of the name ending at ``surname``: the given names before it."""
    first = surname.i
    roles = lexicon.roles()
    while first > 0:
        prev = doc[first - 1]
        if (
            prev.pos_ != "PROPN"
            or not prev.is_title
            or prev.lower_ in roles
            or (prev.ent_type_ not in ("", "PERSON") and not _same_entity(prev, surname))
            or prev.whitespace_ == ""
            or prev.is_sent_end
            or prev.dep_ != "compound"
        ):
            break
        first -= 1
    return first


def _mentions(doc: Doc, people: dict[str, Person], acronyms: dict[str, str]) -> list[Mention]:
    """Named mentions in text order, for pronouns to look back on."""
    mentions: list[Mention] = []
    for token in doc:
        person = people.get(_key(token.text)) if token.pos_ == "PROPN" else None
        if person is None or _continues_name(doc, token, people):
            continue
        sp = Speaker(
            person.name,
            "person",
            person.role,
            person.organization,
            _entity_id("person", person.name),
        )
        mentions.append(Mention(doc[_name_start(doc, token)].idx, sp))
    for ent in doc.ents:
        if ent.label_ in ("ORG", "GPE") and not any(people.get(_key(t.text)) for t in ent):
            stype: SpeakerType = "country" if ent.label_ == "GPE" else "organization"
            name = _clean_name(ent.text, acronyms)
            mentions.append(
                Mention(ent.start_char, Speaker(name, stype, entity_id=_entity_id(stype, name)))
            )
    for token in doc:
        if (
            token.pos_ == "NOUN"
            and token.tag_ == "NNS"
            and lexicon.noun_kind(token.lemma_) in ("group", "unnamed")
            and token.dep_ in ("nsubj", "nsubjpass")
        ):
            phrase = doc[token.left_edge.i : token.i + 1].text
            kind: SpeakerType = "group" if lexicon.noun_kind(token.lemma_) == "group" else "unnamed"
            mentions.append(Mention(token.idx, Speaker(_clean_name(phrase, acronyms), kind)))
    return sorted(mentions, key=lambda m: m.start)


def _continues_name(doc: Doc, token: Token, people: dict[str, Person]) -> bool:
    """Whether the next token is still the same person's name ("Ana" in "Ana Ruiz")."""
    nxt = doc[token.i + 1] if token.i + 1 < len(doc) else None
    return nxt is not None and people.get(_key(nxt.text)) is people.get(_key(token.text))


def _role_and_org(
    doc: Doc, first: int, root: Token, acronyms: dict[str, str]
) -> tuple[str | None, str | None]:
    """Role and organisation from the words before a name, or from its apposition."""
    role, org = _split_title(_premodifiers(doc, first, root.i), acronyms)
    if role is None:
        for child in root.children:
            if child.dep_ == "appos" and child.i > root.i:
                appos = [t for t in child.subtree if not t.is_punct]
                r2, o2 = _split_title(appos, acronyms)
                role, org = r2 or role, org or o2
    return role, org


def _premodifiers(doc: Doc, first: int, last: int) -> list[Token]:
    """Title-case words right before a name that modify it ("Ukrainian Armed Forces Chief of
    Staff"): a run of capitalised words (and "of", hyphens) whose heads all lie in the run or
    the name."""
    i = first - 1
    while i >= 0:
        token = doc[i]
        glued = token.text in ("-", "–") and token.whitespace_ == "" and i > 0
        if token.is_sent_end or token.is_space:
            break
        role_word = lexicon.roles().get(token.lower_) in ("role", "modifier")
        if not (
            glued
            or role_word
            or token.is_title
            or token.is_upper
            or token.lower_ in ("of", "for", "and")
        ):
            break
        if token.is_sent_start:
            i -= 1
            break
        i -= 1
    start = i + 1
    while start < first:
        run = range(start, last + 1)
        if all(doc[j].head.i in run for j in range(start, first)):
            break
        start += 1
    words = list(doc[start:first])
    while words and words[0].lower_ in ("of", "for", "and", "-", "–"):
        words.pop(0)
    return words


def _split_title(words: list[Token], acronyms: dict[str, str]) -> tuple[str | None, str | None]:
    """["Pentagon", "Deputy", "Spokesperson"] -> ("Deputy Spokesperson", "Pentagon")."""
    roles = lexicon.roles()
    kinds = [roles.get(w.lower_) for w in words]
    first_role = next((i for i, k in enumerate(kinds) if k in ("role", "modifier")), None)
    honorific = next((w.text for w, k in zip(words, kinds, strict=True) if k == "honorific"), None)
    if first_role is None:
        org_words = [w.text_with_ws for w, k in zip(words, kinds, strict=True) if k is None]
        org = _organization("".join(org_words), acronyms) if org_words else None
        return honorific, org
    # Lower-case words right before the role word qualify it ("regional secretary",
    # "deputy spokesperson"); a possessive or a capitalised word names the organisation.
    while (
        first_role > 0
        and words[first_role - 1].is_lower
        and words[first_role - 1].tag_ != "POS"
        and not any(t.tag_ == "POS" for t in words[first_role - 1].children)
        and kinds[first_role - 1] is None
    ):
        first_role -= 1
    role_words = [
        w.text_with_ws
        for w, k in zip(words[first_role:], kinds[first_role:], strict=True)
        if k != "honorific"
    ]
    while role_words and roles.get(role_words[-1].lower()) == "modifier":
        role_words.pop()
    org_text = "".join(
        w.text_with_ws for w in words[:first_role] if roles.get(w.lower_) != "honorific"
    )
    role = " ".join("".join(role_words).split()) or honorific
    return role, _organization(org_text, acronyms) if org_text else None


def _organization(text: str, acronyms: dict[str, str]) -> str | None:
    text = _clean_name(text, acronyms)
    if not text:
        return None
    return lexicon.demonyms().get(text, text)


@lru_cache(maxsize=1)
def _detector() -> Any:
    from gender_guesser.detector import Detector  # imported lazily: it reads a 2 MB name list

    return Detector(case_sensitive=False)


@lru_cache(maxsize=4096)
def _gender(first_name: str) -> str:
    return str(_detector().get_gender(first_name))


def _gender_fits(name: str, pronoun: str) -> bool:
    gender = _gender(name.split()[0]) if " " in name else "unknown"
    if pronoun in _MALE:
        return gender not in ("female", "mostly_female")
    return gender not in ("male", "mostly_male")


def _entity_id(kind: str, name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return f"{kind}:{slug}"
