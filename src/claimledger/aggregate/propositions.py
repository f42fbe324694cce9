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

A proposition is a connected component of the links (union-find), with one constraint: the
clauses of one statement that differ in polarity ("are stationed in Kursk [+] but have not
engaged in combat [−]") are by the speaker's own words different claims, so a link that would
put them in one proposition is refused. Links are merged strongest first, so that such a clash
is settled in favour of the closer pair. Components depend on the order of arrival only through
such clashes, so a corpus ingested in two halves gives the propositions it gives at once but
for them; each new node is only compared with its nearest neighbours in the index.
A component is named after its oldest node ("p1" holds node 1), so ids stay as articles arrive;
when a new claim joins two propositions, the merged one keeps the older id.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol

import numpy as np

from claimledger.aggregate.index import DIMENSIONS, ClaimIndex
from claimledger.model import Claim

if TYPE_CHECKING:
    from numpy.typing import NDArray

# Measured on Emergent train (article headlines under the same claim vs other claims) and
# checked on the example; see bench/propositions.md.
JOIN = 0.70  # a claim joins the proposition of a claim this alike …
NEAR = 0.55  # … or this alike with the same predicate;
SAME = 0.85  # two propositions a claim links are merged only through a link this close
NEIGHBOURS = 32  # how many nearest nodes each new node is compared with
# Two claims whose frames are this far apart say different things of their subject ("are
# stationed in Kursk" / "have engaged in combat": 0.19), however alike the whole sentences
# are (0.74, by the words they share about the subject); paraphrased frames score 0.5–0.95.
FRAME_APART = 0.35

_WORD = re.compile(r"\w+(?:['’]\w+)*")
_PRONOUN_START = frozenset(
    {"he", "she", "it", "they", "them", "we", "i", "you", "this", "that", "these", "those",
     "there", "some"}
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Node:
    """Claims with one core text. ``key`` is the node's number, in order of first arrival;
    ``frame`` is the vector of what the claims say of their subject (``Claim.frame``), None
    when they have no frame or it was not kept (a ledger written before frames)."""

    key: int
    core: str
    predicate: str | None
    entities: frozenset[str]
    frame: NDArray[np.float32] | None = field(default=None, compare=False, repr=False)


def embedding_text(core: str) -> str:
    """The core as it is embedded: every other name of a country or body written as its one
    name ("DPRK troops", "Pyongyang", "North Korean soldiers" -> "North Korea …"), so that two
    claims are not kept apart by which name a source used. Only capitalised forms are
    replaced, so the pronoun "us" stays."""
    pattern, names = _name_forms()
    return pattern.sub(lambda m: names[m.group(0).casefold()], core)


@lru_cache(maxsize=1)
def _name_forms() -> tuple[re.Pattern[str], dict[str, str]]:
    from claimledger.aggregate.names import _demonyms, aliases

    names = {alias: name for alias, (name, _) in aliases().items()}
    names.update(_demonyms())
    shown = {form: name.title().replace("'S", "'s") for form, name in names.items()}
    forms = sorted(shown, key=len, reverse=True)
    alternatives = "|".join(re.escape(f) for f in forms)
    # Case-insensitive on the rest of the form, but the first letter must be a capital.
    pattern = re.compile(rf"(?<![\w.])(?=[A-Z])(?i:{alternatives})(?![\w])")
    return pattern, shown


class NodeTable:
    """Nodes as claims arrive: one per distinct core (``core_key``), numbered from 1 in order
    of first arrival, with the frame of the first claim that brought it."""

    def __init__(self) -> None:
        self.nodes: dict[str, Node] = {}
        self.frames: dict[str, str] = {}

    def key_of(self, claim: Claim) -> int:
        key = core_key(claim.core)
        if key not in self.nodes:
            self.nodes[key] = node_of(len(self.nodes) + 1, claim)
            self.frames[key] = claim.frame
        return self.nodes[key].key

    def embedded(
        self, encode: Callable[[list[str]], NDArray[np.float32]]
    ) -> tuple[list[Node], NDArray[np.float32]]:
        """The nodes in key order, with their frame vectors, and their core vectors."""
        keys = list(self.nodes)
        return embed_nodes([self.nodes[k] for k in keys], [self.frames[k] for k in keys], encode)


def node_of(key: int, claim: Claim) -> Node:
    return Node(key, claim.core, claim.predicate, frozenset(claim.entities))


def embed_nodes(
    nodes: Sequence[Node], frames: Sequence[str], encode: Callable[[list[str]], NDArray[np.float32]]
) -> tuple[list[Node], NDArray[np.float32]]:
    """The core vector of each node (the rows the index holds) and the nodes with their frame
    vectors, from one call of ``encode`` over every distinct text."""
    texts = [embedding_text(n.core) for n in nodes]
    frame_texts = [embedding_text(f) if f.strip() else "" for f in frames]
    distinct = list(dict.fromkeys([*texts, *(f for f in frame_texts if f)]))
    if not distinct:
        return list(nodes), np.zeros((0, DIMENSIONS), np.float32)
    vectors = encode(distinct)
    row = {text: n for n, text in enumerate(distinct)}
    cores = vectors[[row[t] for t in texts]] if texts else np.zeros((0, DIMENSIONS), np.float32)
    pairs = zip(nodes, frame_texts, strict=True)
    framed = [replace(n, frame=vectors[row[f]]) if f else n for n, f in pairs]
    return framed, cores


def core_key(core: str) -> str:
    """The text claims are grouped by before any comparison: words only, casefolded."""
    return " ".join(_WORD.findall(core.casefold()))


def entities_conflict(a: frozenset[str], b: frozenset[str]) -> bool:
    return bool(a) and bool(b) and a.isdisjoint(b)


def frame_similarity(a: Node, b: Node) -> float | None:
    if a.frame is None or b.frame is None:
        return None
    return float(a.frame @ b.frame)


def linked(a: Node, b: Node, similarity: float) -> bool:
    """Whether two nodes assert the same thing (see the module docstring)."""
    if entities_conflict(a.entities, b.entities):
        return False
    frames = frame_similarity(a, b)
    if frames is not None and frames < FRAME_APART:
        return False
    if similarity >= JOIN:
        return True
    return similarity >= NEAR and a.predicate is not None and a.predicate == b.predicate


def links(
    index: ClaimIndex,
    new: Sequence[Node],
    vectors: NDArray[np.float32],
    lookup: Callable[[Iterable[int]], Mapping[int, Node]],
    neighbours: int = NEIGHBOURS,
) -> list[tuple[int, int, float]]:
    """Add ``new`` to ``index`` and return the links (a, b, cosine) of each new node to its
    nearest nodes, old or new, strongest first. ``lookup`` gives the nodes for keys the index
    returns (the new ones included)."""
    index.add(np.array([n.key for n in new], dtype=np.uint64), vectors)
    found = index.neighbours(vectors, neighbours + 1)  # +1: a node finds itself
    known = lookup({key for row in found for key, _ in row})
    pairs = []
    for node, row in zip(new, found, strict=True):
        for key, similarity in row:
            other = known.get(key)
            if key != node.key and other is not None and linked(node, other, similarity):
                pairs.append((node.key, key, similarity))
    return sorted(pairs, key=lambda pair: (-pair[2], pair[0], pair[1]))


class Components:
    """Union-find over node keys; each root is the smallest (oldest) key of its component.
    ``apart`` holds the pairs of nodes that must not share a component."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}
        self.members: dict[int, list[int]] = {}
        self.apart: dict[int, set[int]] = {}

    def add(self, key: int) -> None:
        if key not in self.parent:
            self.parent[key] = key
            self.members[key] = [key]

    def keep_apart(self, a: int, b: int) -> None:
        if a != b:
            self.apart.setdefault(a, set()).add(b)
            self.apart.setdefault(b, set()).add(a)

    def find(self, key: int) -> int:
        root = key
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[key] != root:  # path compression
            self.parent[key], key = root, self.parent[key]
        return root

    def union(self, a: int, b: int) -> bool:
        """Join the components of ``a`` and ``b``; False (and nothing done) when that would
        put two nodes kept apart together."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        low, high = min(ra, rb), max(ra, rb)
        if self._clash(low, high):
            return False
        self.parent[high] = low
        self.members[low].extend(self.members.pop(high))
        return True

    def _clash(self, a: int, b: int) -> bool:
        small, large = sorted((a, b), key=lambda r: len(self.members[r]))
        for key in self.members[small]:
            if any(self.find(other) == large for other in self.apart.get(key, ())):
                return True
        return False

    def groups(self) -> dict[int, list[int]]:
        return {root: sorted(keys) for root, keys in self.members.items()}


def opposed_pairs(claims: Iterable[tuple[str, str | None, int, int]]) -> set[tuple[int, int]]:
    """The node pairs to keep apart: (article id, statement id, polarity, node) of claims;
    two claims of one statement with opposite polarity."""
    by_statement: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for article_id, statement_id, polarity, node in claims:
        if statement_id is not None:
            by_statement.setdefault((article_id, statement_id), []).append((polarity, node))
    pairs = set()
    for found in by_statement.values():
        for polarity, node in found:
            for other_polarity, other in found:
                if other_polarity != polarity and node < other:
                    pairs.add((node, other))
    return pairs


class Groups(Protocol):
    """Where nodes' propositions are kept: in memory (``Components``) or in a ledger."""

    def find(self, key: int) -> int: ...

    def union(self, a: int, b: int) -> bool: ...


def attach(
    groups: Groups,
    index: ClaimIndex,
    new: Sequence[Node],
    vectors: NDArray[np.float32],
    lookup: Callable[[Iterable[int]], Mapping[int, Node]],
) -> set[int]:
    """Give each of ``new`` (one article's new nodes, in order) its proposition: the one of its
    closest linked node; a further proposition it is linked to is merged in only when that
    link is very close (>= ``SAME``), so that one claim worded between two propositions does
    not chain them together. The links of the whole batch are taken strongest first.
    Returns the roots of the propositions touched."""
    row = {n.key: i for i, n in enumerate(new)}
    joined: set[int] = set()
    # The members of each proposition that only this batch's nodes make (its root is new:
    # roots are the oldest keys), for the group-average test below.
    fresh: dict[int, list[int]] = {n.key: [n.key] for n in new}
    # Strongest link first across the whole batch, so that a clause that must stay apart from
    # another of its statement does not take the claims both are near before the closer
    # pair is settled.
    for a, b, similarity in links(index, new, vectors, lookup):
        ra, rb = groups.find(a), groups.find(b)
        if ra == rb:
            joined.update((a, b))
            continue
        free = a not in joined or (b in row and b not in joined)
        alike = free or similarity >= SAME or _alike_on_average(fresh, ra, rb, row, vectors)
        if alike and groups.union(a, b):
            joined.update((a, b))
            root = groups.find(a)
            merged = fresh.pop(ra, []) + fresh.pop(rb, [])
            if root in row:  # both were this batch's alone
                fresh[root] = merged
    touched = {groups.find(n.key) for n in new}
    return {groups.find(root) for root in touched}


def _alike_on_average(
    fresh: Mapping[int, list[int]],
    ra: int,
    rb: int,
    row: Mapping[int, int],
    vectors: NDArray[np.float32],
) -> bool:
    """Whether two propositions made of this batch's claims alone are alike on average (the
    mean cosine between their members >= ``JOIN``): one article's claims of one thing, split
    because a clause of the same statement kept the first link apart, come together; a
    single claim worded between two things does not chain them (its one link is not the
    average)."""
    if ra not in fresh or rb not in fresh:
        return False
    left = vectors[[row[k] for k in fresh[ra]]].mean(axis=0)
    right = vectors[[row[k] for k in fresh[rb]]].mean(axis=0)
    return float(left @ right) >= JOIN


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
