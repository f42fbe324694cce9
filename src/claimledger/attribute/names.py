"""Names in an article: who the people are, their fullest names, roles and organisations.

Used by ``speakers`` to resolve a source phrase: "Singh" -> "Sabrina Singh" (Deputy
Spokesperson, Pentagon). Person names come from the entity recogniser and from runs of
capitalised words it missed (a known first name or a title in front); roles and organisations
from the words before a name ("Pentagon Deputy Spokesperson") or an apposition.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from spacy.tokens import Doc, Token

from claimledger.attribute import lexicon
from claimledger.nlp import text_of, token_indices, tokens_of

DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those"})
ACRONYM = re.compile(r"\(([A-Z][A-Z.&]{1,9})\)")


@dataclass(frozen=True, slots=True)
class Person:
    name: str  # the fullest form of the name in the article
    role: str | None
    organization: str | None


def name_key(name: str) -> str:
    return name.replace("’s", "").replace("'s", "").strip().lower()


def acronyms(doc: Doc) -> dict[str, str]:
    """ "National Resistance Center (NRC)" defines NRC."""
    found: dict[str, str] = {}
    for match in ACRONYM.finditer(text_of(doc)):
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


def clean_name(text: str, acronyms: dict[str, str]) -> str:
    text = ACRONYM.sub("", text)
    text = re.sub(r"\s*\([^)]*$", "", text)  # an acronym cut off by the end of the phrase
    text = re.sub(r"\s+", " ", text).strip(" ,;:’'\"“”")
    words = text.split(" ")
    while words and words[0].lower() in DETERMINERS:
        words.pop(0)
    if words and words[-1] in ("’s", "'s"):
        words.pop()
    name = " ".join(words).removesuffix("’s").removesuffix("'s")
    return acronyms.get(name, name)


def people(doc: Doc, acronyms: dict[str, str]) -> dict[str, Person]:
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
    for i in token_indices(doc, words=surnames):
        token = doc[i]
        if token.ent_type_ not in ("", "PERSON") and token.text not in missed:
            continue
        first = name_start(doc, token)
        name = doc[first : token.i + 1].text
        role, org = role_and_org(doc, first, token, acronyms)
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
            people[name_key(form[1])] = person
        people[name_key(surname)] = person
    return people


def _names_the_tagger_missed(doc: Doc) -> set[str]:
    """Surnames of people the entity recogniser did not label: a run of capitalised proper
    nouns that starts with a known first name ("Ana Ruiz") or follows a title ("Mayor Ruiz")."""
    roles = lexicon.roles()
    found: set[str] = set()
    tokens = tokens_of(doc)
    proper = token_indices(doc, pos="PROPN")
    done = 0  # the words up to here are read (a run of names reads several)
    for i in proper:
        if i < done or not _name_word(tokens[i], roles):
            continue
        j = i
        while j + 1 < len(tokens) and _name_word(tokens[j + 1], roles) and tokens[j].whitespace_:
            j += 1
        run = doc[i : j + 1]
        titled = i > 0 and roles.get(doc[i - 1].lower_) in ("role", "honorific")
        first_name = len(run) >= 2 and gender(run[0].text) not in ("unknown",)
        organisation = len(run) > 3 or any(
            t.ent_type_ in ("GPE", "NORP", "LOC") or lexicon.noun_kind(t.lemma_) == "institution"
            for t in run
        )
        if (titled or first_name) and not organisation:
            found.add(run[-1].text)
        done = j + 1
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


def name_start(doc: Doc, surname: Token) -> int:
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


def role_and_org(
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
    text = clean_name(text, acronyms)
    if not text:
        return None
    return lexicon.demonyms().get(text, text)


# Percent of a name's bearers who are women at which it is read as a woman's name ("female",
# "mostly_female"), and at or under which as a man's; between them it may be either ("andy").
# "Sabrina" is 100, "Kim" 84, "Jordan" 26, "Chris" 14, "Daniel" 0.
FEMALE, MOSTLY_FEMALE, MOSTLY_MALE, MALE = 90, 75, 25, 10


@lru_cache(maxsize=1)
def first_names() -> dict[str, int]:
    """Known first names (lower case) and the percent of their bearers who are women, from the
    U.S. Social Security Administration's baby-name counts (first_names.tsv, written by
    scripts/first_names.py)."""
    text = resources.files("claimledger.attribute").joinpath("first_names.tsv")
    table: dict[str, int] = {}
    for line in text.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, percent = line.split("\t")
            table[name] = int(percent)
    return table


@lru_cache(maxsize=4096)
def gender(first_name: str) -> str:
    """What a first name says of its bearer: "female", "mostly_female", "andy" (either),
    "mostly_male", "male", or "unknown" when it is no first name the table knows ("Kursk").
    Accents are ignored ("Zoë" reads as "zoe"), as the table has none."""
    letters = unicodedata.normalize("NFKD", first_name.lower())
    percent = first_names().get("".join(c for c in letters if not unicodedata.combining(c)))
    if percent is None:
        return "unknown"
    if percent >= FEMALE:
        return "female"
    if percent >= MOSTLY_FEMALE:
        return "mostly_female"
    if percent <= MALE:
        return "male"
    if percent <= MOSTLY_MALE:
        return "mostly_male"
    return "andy"


def entity_id(kind: str, name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return f"{kind}:{slug}"
