"""Propositions: claims that assert the same thing, whatever the wording, polarity, hedging or
speaker.

Claims are compared by their ``core`` (the clause in the positive, negation and hedges taken
out: they become the stance, not a different claim). Claims with the same core, word for word,
are one *node* (a wire story's copies collapse here). Two nodes are *linked* when their core
vectors are close and nothing says they are about different things:

- very close (cosine >= ``SAME``): linked, unless their named entities conflict;
- close (cosine >= ``NEAR``): linked only when the predicates agree as well, so that "deployed
  to Kursk" and "engaged in combat", which share most words about the same troops, stay apart;
- entities conflict when both claims name some and none in common: "Russian troops …" and
  "North Korean troops …" are different claims however alike the sentences.

A proposition is a connected component of the links (union-find). Components do not depend on
the order in which claims arrive, so a corpus ingested in two halves gives the propositions it
gives at once, and each new node is only compared with its nearest neighbours in the index.
A component is named after its oldest node ("p1" holds node 1), so ids stay as articles arrive;
when a new claim joins two propositions, the merged one keeps the older id.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from claimledger.aggregate.index import ClaimIndex

if TYPE_CHECKING:
    from numpy.typing import NDArray

# Measured on Emergent train (article headlines under the same claim vs other claims) and
# checked on the example; see bench/propositions.md.
SAME = 0.80
NEAR = 0.62
NEIGHBOURS = 32  # how many nearest nodes each new node is compared with

_WORD = re.compile(r"\w+(?:['’]\w+)*")
_PRONOUN_START = frozenset(
    {"he", "she", "it", "they", "them", "we", "i", "you", "this", "that", "these", "those",
     "there", "some"}
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Node:
    """Claims with one core text. ``key`` is the node's number, in order of first arrival."""

    key: int
    core: str
    predicate: str | None
    entities: frozenset[str]


def core_key(core: str) -> str:
    """The text claims are grouped by before any comparison: words only, casefolded."""
    return " ".join(_WORD.findall(core.casefold()))


def entities_conflict(a: frozenset[str], b: frozenset[str]) -> bool:
    return bool(a) and bool(b) and a.isdisjoint(b)


def linked(a: Node, b: Node, similarity: float) -> bool:
    """Whether two nodes assert the same thing (see the module docstring)."""
    if entities_conflict(a.entities, b.entities):
        return False
    if similarity >= SAME:
        return True
    return similarity >= NEAR and a.predicate is not None and a.predicate == b.predicate


def links(
    index: ClaimIndex,
    new: Sequence[Node],
    vectors: NDArray[np.float32],
    lookup: Callable[[Iterable[int]], Mapping[int, Node]],
    neighbours: int = NEIGHBOURS,
) -> list[tuple[int, int]]:
    """Add ``new`` to ``index`` and return the links of each new node to its nearest nodes, old
    or new. ``lookup`` gives the nodes for keys the index returns (the new ones included)."""
    index.add(np.array([n.key for n in new], dtype=np.uint64), vectors)
    found = index.neighbours(vectors, neighbours + 1)  # +1: a node finds itself
    known = lookup({key for row in found for key, _ in row})
    pairs = []
    for node, row in zip(new, found, strict=True):
        for key, similarity in row:
            other = known.get(key)
            if key != node.key and other is not None and linked(node, other, similarity):
                pairs.append((node.key, key))
    return pairs


class Components:
    """Union-find over node keys; each root is the smallest (oldest) key of its component."""

    def __init__(self, parent: dict[int, int] | None = None) -> None:
        self.parent: dict[int, int] = parent if parent is not None else {}

    def add(self, key: int) -> None:
        self.parent.setdefault(key, key)

    def find(self, key: int) -> int:
        root = key
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[key] != root:  # path compression
            self.parent[key], key = root, self.parent[key]
        return root

    def union(self, a: int, b: int) -> int:
        ra, rb = self.find(a), self.find(b)
        low, high = min(ra, rb), max(ra, rb)
        self.parent[high] = low
        return low

    def groups(self) -> dict[int, list[int]]:
        out: dict[int, list[int]] = {}
        for key in self.parent:
            out.setdefault(self.find(key), []).append(key)
        return out


def proposition_id(root: int) -> str:
    return f"p{root}"


def canonical_text(cores: Sequence[str], vectors: NDArray[np.float32]) -> str:
    """The member core that best stands for the proposition: the one nearest the centroid of
    all members, among those that name their subject (no leading pronoun) and are of a
    readable length; any core when none qualifies."""
    if not cores:
        return ""
    centroid = vectors.mean(axis=0)
    order = np.argsort(-(vectors @ centroid), kind="stable")
    for i in order:
        words = cores[i].split()
        if 3 <= len(words) <= 30 and words[0].casefold() not in _PRONOUN_START:
            return _sentence_case(cores[i])
    return _sentence_case(cores[int(order[0])])


def _sentence_case(text: str) -> str:
    text = text.strip().rstrip(".,;:")
    return text[:1].upper() + text[1:] if text else text
