"""The names a claim is about, normalised so that claims from different articles compare:
"North Korean", "the DPRK" and "Pyongyang" are all ``"north korea"``.

Example::

    normalise_name("the DPRK", "ORG")        # "north korea"
    normalise_name("North Korean", "NORP")   # "north korea"
    normalise_name("Sabrina Singh", "PERSON")  # "sabrina singh"
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

from spacy.tokens import Token

from claimledger.attribute.lexicon import demonyms

# The entity types a proposition can be about; dates, numbers and money are its details.
ENTITY_TYPES = frozenset({"GPE", "NORP", "ORG", "PERSON", "LOC", "FAC", "EVENT", "PRODUCT"})
_POSSESSIVE = ("'s", "’s", "'", "’")


@lru_cache(maxsize=1)
def aliases() -> dict[str, tuple[str, bool]]:
    """Alternative names, abbreviations and capitals by casefolded form (aliases.tsv): the
    name, and whether the alias is also a person's name."""
    text = resources.files("claimledger.aggregate").joinpath("aliases.tsv").read_text("utf-8")
    rows = (line.split("\t") for line in text.splitlines() if line.strip() and line[0] != "#")
    return {
        r[0].strip().casefold(): (r[1].strip().casefold(), r[2:3] == ["person"]) for r in rows
    }


@lru_cache(maxsize=1)
def _demonyms() -> dict[str, str]:
    return {k.casefold(): v.casefold() for k, v in demonyms().items()}


def normalise_name(text: str, label: str) -> str:
    """``text`` (an entity of type ``label``) as claims are compared by: casefolded, without a
    leading "the" or a possessive, a nationality as its country, an alias as its name."""
    name = " ".join(text.split()).casefold()
    for suffix in _POSSESSIVE:
        if name.endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
            break
    if name.startswith("the "):
        name = name[4:]
    alias = aliases().get(name)
    if alias is not None and not (alias[1] and label == "PERSON"):
        return alias[0]
    if label == "PERSON":
        return name
    demonym = _demonyms().get(name)
    if demonym is None and label == "NORP" and name.endswith("s"):
        demonym = _demonyms().get(name[:-1])  # "Ukrainians"
    return demonym if demonym is not None else name


def entities_of(tokens: Iterable[Token]) -> tuple[str, ...]:
    """The normalised names of the entities that the tokens are part of, in text order, once
    each."""
    seen: dict[str, None] = {}
    done: set[tuple[int, int]] = set()
    for token in sorted(tokens, key=lambda t: t.i):
        if not token.ent_type_ or token.ent_type_ not in ENTITY_TYPES:
            continue
        span = _entity_span(token)
        if span in done:
            continue
        done.add(span)
        doc = token.doc
        text = doc[span[0] : span[1]].text
        seen.setdefault(normalise_name(text, token.ent_type_), None)
    return tuple(name for name in seen if name)


def _entity_span(token: Token) -> tuple[int, int]:
    """The token offsets of the entity ``token`` is part of (BILUO: back to its B, on to its
    last I)."""
    doc = token.doc
    start = token.i
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    end = token.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return start, end
