"""The ledger's claims, propositions and reports, kept up to date article by article.

Storing an article (inside its transaction, see ``ledger.Ledger.add_article``):
1. its report: the MinHash band keys find stored candidates with one indexed query; verified
   near-duplicates put it in the report of the earliest of them (two reports it joins merge
   into the older);
2. its claims: each is a node by its core words; a new node gets a vector and the next key;
3. the new nodes are added to the ANN index and linked to their nearest nodes
   (``aggregate.propositions.links``); a link between two propositions relabels the younger
   one's nodes with the older id;
4. every proposition it touched is summarised again (text, verdict, counts, dates).

The index is a cache beside the database (``<db>.claims.usearch``): it is saved when the ledger
is closed and rebuilt from the stored vectors when it is missing or does not hold every node.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast

import numpy as np

from claimledger.aggregate import claim_records, proposition_order
from claimledger.aggregate import duplicates as dup
from claimledger.aggregate.index import DIMENSIONS, ClaimIndex
from claimledger.aggregate.propositions import (
    FRAME_APART,
    NEAR,
    Node,
    attach,
    canonical_text,
    core_key,
    embed_nodes,
    entities_conflict,
    frame_similarity,
    node_of,
    proposition_id,
)
from claimledger.aggregate.stances import ClaimRecord, build_proposition
from claimledger.model import Article, Claim, Commitment, Proposition

if TYPE_CHECKING:
    from numpy.typing import NDArray

Encoder = Callable[[Sequence[str]], "NDArray[np.float32]"]

_RANK = {"contested": 0, "corroborated": 1, "denied": 2, "single_source": 3, "hedged": 4,
         "declined": 5}  # fmt: skip
_RECORD_SELECT = """
SELECT c.*, a.seq AS article_seq, a.path, a.outlet, a.title, a.published, r.report
FROM claims c
JOIN articles a ON a.id = c.article_id
JOIN article_reports r ON r.article_id = c.article_id
"""


def index_path(db_path: str) -> Path | None:
    return None if db_path in {"", ":memory:"} else Path(db_path + ".claims.usearch")


class Propositions:
    """The proposition tables of one open ledger connection, and the index beside them."""

    def __init__(self, conn: sqlite3.Connection, db_path: str, encode: Encoder | None = None):
        self._conn = conn
        self._path = index_path(db_path)
        self._encode = encode
        self._index: ClaimIndex | None = None
        self._dirty = False

    # -- writing (inside the caller's transaction) -----------------------------------------

    def add_article(self, article: Article) -> None:
        seq = int(self._conn.execute(
            "SELECT seq FROM articles WHERE id = ?", (article.id,)).fetchone()[0])  # fmt: skip
        report, merged = self._place_in_report(article)
        nodes_before = self._node_count()
        node_keys: dict[str, int] = {}
        new_nodes: list[Node] = []
        frames: list[str] = []
        for claim in article.claims:
            key = core_key(claim.core)
            if not key or key in node_keys:
                continue
            found = self._conn.execute(
                "SELECT key FROM claim_nodes WHERE core_key = ?", (key,)
            ).fetchone()
            if found is not None:
                node_keys[key] = int(found[0])
                continue
            node = node_of(nodes_before + len(new_nodes) + 1, claim)
            node_keys[key] = node.key
            new_nodes.append(node)
            frames.append(claim.frame)
        new_nodes, vectors = embed_nodes(new_nodes, frames, self._encoder())
        if new_nodes:
            self.index()  # loaded (or rebuilt) before the new nodes are stored, not after
        self._conn.executemany(
            "INSERT INTO claim_nodes (key, core_key, core, predicate, entities, vector,"
            " proposition) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [_node_row(n, v) for n, v in zip(new_nodes, vectors, strict=True)],
        )
        records = claim_records(article, seq, report, lambda c: node_keys.get(core_key(c.core), 0))
        # The claims are stored before linking, so that a link can see which clauses of one
        # statement must stay apart.
        self._conn.executemany(
            "INSERT INTO claims (article_id, id, seq, statement_id, start, end, text, core,"
            " polarity, commitment, predicate, entities, node, speaker, source, source_base,"
            " per_report, said_on, content, via, entity_id, frame)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [_claim_row(n, r) for n, r in enumerate(records) if r.node],
        )
        touched = self._link(new_nodes, vectors)
        touched |= self._labels({r.node for r in records if r.node})
        touched |= merged
        self.refresh(touched)

    def remove_article(self, article_id: str) -> None:
        """Before the article's rows are deleted: drop its nodes that no other claim holds and
        mark its propositions to be summarised again (``refresh_after_removal``)."""
        rows = self._conn.execute(
            "SELECT DISTINCT n.key, n.proposition FROM claims c JOIN claim_nodes n"
            " ON n.key = c.node WHERE c.article_id = ?",
            (article_id,),
        ).fetchall()
        self._removed_from = {int(r[1]) for r in rows}
        self._removed_nodes = [int(r[0]) for r in rows]

    def refresh_after_removal(self) -> None:
        orphans = [
            key for key in getattr(self, "_removed_nodes", [])
            if self._conn.execute("SELECT 1 FROM claims WHERE node = ? LIMIT 1", (key,))
            .fetchone() is None
        ]  # fmt: skip
        self._conn.executemany("DELETE FROM claim_nodes WHERE key = ?", [(k,) for k in orphans])
        if orphans and self._index is not None:
            self._index.remove(orphans)
            self._dirty = True
        touched: set[int] = set()
        for root in getattr(self, "_removed_from", set()):
            touched |= self._split(root)
        self.refresh(touched)
        self._removed_from, self._removed_nodes = set(), []

    def refresh(self, roots: Iterable[int]) -> None:
        """Summarise each of these propositions again from its claims (or drop it if none)."""
        for root in sorted(set(roots)):
            proposition = self._build(root)
            if proposition is None:
                self._conn.execute("DELETE FROM propositions WHERE id = ?", (root,))
                continue
            self._conn.execute(
                "INSERT OR REPLACE INTO propositions (id, text, verdict, rank,"
                " independent_sources, claims, first_said, last_said)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (root, proposition.text, proposition.verdict, _RANK[proposition.verdict],
                 proposition.independent_sources, proposition.claims,
                 proposition.first_said, proposition.last_said),
            )  # fmt: skip

    def save_index(self) -> None:
        if self._index is not None and self._dirty and self._path is not None:
            self._index.save()
            self._dirty = False

    # -- reading ---------------------------------------------------------------------------

    def propositions(
        self,
        verdict: str | None = None,
        speaker: str | None = None,
        text: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int | None = None,
    ) -> list[Proposition]:
        where, params = [], []
        if verdict:
            where.append("p.verdict = ?")
            params.append(verdict)
        if text:
            where.append(
                "(instr(lower(p.text), lower(?)) OR p.id IN (SELECT n.proposition FROM"
                " claim_nodes n WHERE instr(lower(n.core), lower(?))))"
            )
            params += [text, text]
        if speaker:
            where.append(
                "p.id IN (SELECT n.proposition FROM claims c JOIN claim_nodes n ON n.key ="
                " c.node WHERE instr(lower(c.speaker), lower(?)) OR instr(lower(c.source),"
                " lower(?)))"
            )
            params += [speaker, speaker]
        if since:
            where.append("COALESCE(p.last_said, '9999') >= ?")
            params.append(since)
        if until:
            where.append("COALESCE(p.first_said, '0000') <= ?")
            params.append(until + "\uffff")  # "2024-12" covers "2024-12-09"
        sql = (
            "SELECT p.id FROM propositions p"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY p.rank, p.independent_sources DESC, p.id LIMIT ?"
        )
        rows = self._conn.execute(sql, (*params, -1 if limit is None else limit))
        ids = [int(r[0]) for r in rows]
        built = [self._build(i) for i in ids]
        return [p for p in built if p is not None]

    def proposition(self, pid: str) -> Proposition | None:
        number = pid.removeprefix("p")
        return self._build(int(number)) if number.isdigit() else None

    def records(self, root: int) -> list[ClaimRecord]:
        rows = self._conn.execute(
            f"{_RECORD_SELECT} WHERE c.node IN"
            " (SELECT key FROM claim_nodes WHERE proposition = ?) ORDER BY a.seq, c.seq",
            (root,),
        ).fetchall()
        return [_record(r) for r in rows]

    def all_records(self) -> Iterable[tuple[int, ClaimRecord]]:
        """Every claim record with its proposition, in ingest order (for ``sources``)."""
        for row in self._conn.execute(
            f"SELECT n.proposition AS prop, x.* FROM ({_RECORD_SELECT}) x"
            " JOIN claim_nodes n ON n.key = x.node ORDER BY x.article_seq, x.seq"
        ):
            yield int(row["prop"]), _record(row)

    def matches(self, query: Claim, limit: int) -> list[tuple[int, float]]:
        """The propositions whose claims come nearest ``query``'s core: (root, cosine), best
        first, only those at least ``NEAR`` alike and not about other named things."""
        (asked,), vector = embed_nodes([node_of(0, query)], [query.frame], self._encoder())
        found = self.index().neighbours(vector, max(50, limit * 10))[0]
        if not found:
            return []
        nodes = self._nodes(k for k, _ in found)
        best: dict[int, float] = {}
        for key, similarity in found:
            node = nodes.get(key)
            if node is None or similarity < NEAR:
                continue
            if entities_conflict(asked.entities, node.entities):
                continue
            frames = frame_similarity(asked, node)
            if frames is not None and frames < FRAME_APART:
                continue  # the same subject, something else said of it
            root = self._labels([key]).pop()
            best[root] = max(best.get(root, 0.0), similarity)
        return sorted(best.items(), key=lambda item: -item[1])[:limit]

    def claims_of(self, article_id: str) -> tuple[Claim, ...]:
        rows = self._conn.execute(
            "SELECT * FROM claims WHERE article_id = ? ORDER BY seq", (article_id,)
        )
        return tuple(_claim(r) for r in rows)

    def counts(self) -> dict[str, int]:
        return {
            "claims": self._conn.execute("SELECT count(*) FROM claims").fetchone()[0],
            "propositions": self._conn.execute("SELECT count(*) FROM propositions").fetchone()[0],
        }

    # -- the index ---------------------------------------------------------------------------

    def index(self) -> ClaimIndex:
        """The ANN index, loaded or (when missing or stale) rebuilt from the stored vectors."""
        if self._index is not None:
            return self._index
        count = self._node_count()
        loaded = ClaimIndex.load(self._path) if self._path is not None else None
        if loaded is not None and len(loaded) == count and self._holds_newest(loaded):
            self._index = loaded
            return loaded
        keys, vectors = self._stored_vectors()
        self._index = ClaimIndex.build(keys, vectors, self._path)
        self._dirty = True
        return self._index

    def _holds_newest(self, index: ClaimIndex) -> bool:
        newest = self._conn.execute("SELECT max(key) FROM claim_nodes").fetchone()[0]
        return newest is None or index.contains(int(newest))

    def _stored_vectors(self) -> tuple[NDArray[np.uint64], NDArray[np.float32]]:
        rows = self._conn.execute("SELECT key, vector FROM claim_nodes ORDER BY key").fetchall()
        keys = np.array([r[0] for r in rows], dtype=np.uint64)
        vectors = np.zeros((len(rows), DIMENSIONS), dtype=np.float32)
        for i, row in enumerate(rows):
            vectors[i] = _core(row[1])
        return keys, vectors

    # -- internals ---------------------------------------------------------------------------

    def _encoder(self) -> Encoder:
        if self._encode is None:
            from claimledger.aggregate import embeddings

            self._encode = embeddings.encode
        return self._encode

    def _node_count(self) -> int:
        newest = self._conn.execute("SELECT COALESCE(max(key), 0) FROM claim_nodes").fetchone()
        return int(newest[0])

    def _link(self, new: Sequence[Node], vectors: NDArray[np.float32]) -> set[int]:
        if not new:
            return set()
        self._dirty = True
        return attach(_StoredGroups(self._conn), self.index(), new, vectors, self._nodes)

    def _nodes(self, keys: Iterable[int]) -> dict[int, Node]:
        wanted = sorted(set(keys))
        out: dict[int, Node] = {}
        for chunk in range(0, len(wanted), 500):
            part = wanted[chunk : chunk + 500]
            rows = self._conn.execute(
                "SELECT key, core, predicate, entities, vector FROM claim_nodes WHERE key IN"
                f" ({','.join('?' * len(part))})",
                part,
            )
            for r in rows:
                out[int(r[0])] = _stored_node(r)
        return out

    def _labels(self, keys: Iterable[int]) -> set[int]:
        out = set()
        for key in set(keys):
            row = self._conn.execute(
                "SELECT proposition FROM claim_nodes WHERE key = ?", (key,)
            ).fetchone()
            if row is not None:
                out.add(int(row[0]))
        return out

    def _build(self, root: int) -> Proposition | None:
        records = self.records(root)
        if not records:
            return None
        rows = self._conn.execute(
            "SELECT core, vector FROM claim_nodes WHERE proposition = ? ORDER BY key", (root,)
        ).fetchall()
        vectors = np.stack([_core(r[1]) for r in rows])
        text = canonical_text([r[0] for r in rows], vectors)
        return build_proposition(proposition_id(root), text, records)

    def _split(self, root: int) -> set[int]:
        """After a removal, the proposition ``root`` may fall apart: link its remaining nodes
        again among themselves (it is one proposition, so this is small) and label each part
        by its smallest key."""
        from claimledger.aggregate.propositions import Components, linked

        rows = self._conn.execute(
            "SELECT key, core, predicate, entities, vector FROM claim_nodes"
            " WHERE proposition = ? ORDER BY key",
            (root,),
        ).fetchall()
        if not rows:
            return {root}
        nodes = [_stored_node(r) for r in rows]
        vectors = np.stack([_core(r[4]) for r in rows])
        similarity = vectors @ vectors.T
        parts = Components()
        for node in nodes:
            parts.add(node.key)
        for i, a in enumerate(nodes):
            for j in range(i + 1, len(nodes)):
                if linked(a, nodes[j], float(similarity[i, j])):
                    parts.union(a.key, nodes[j].key)
        roots = {root}
        for low, keys in parts.groups().items():
            self._conn.executemany(
                "UPDATE claim_nodes SET proposition = ? WHERE key = ?", [(low, k) for k in keys]
            )
            roots.add(low)
        return roots

    def _place_in_report(self, article: Article) -> tuple[str, set[int]]:
        """Store the article's signature and band keys; return its report and the
        propositions whose counts a merge of reports changes."""
        signature = dup.article_signature(article)
        bands = dup.band_keys(signature)
        candidates: list[tuple[str, NDArray[np.uint32]]] = []
        if bands:
            rows = self._conn.execute(
                "SELECT DISTINCT r.article_id, r.signature, r.report, a.seq FROM report_bands b"
                " JOIN article_reports r ON r.article_id = b.article_id"
                " JOIN articles a ON a.id = r.article_id"
                f" WHERE b.band IN ({','.join('?' * len(bands))}) AND b.article_id != ?",
                (*bands, article.id),
            ).fetchall()
            report_by_id = {r[0]: (r[2], r[3]) for r in rows}
            candidates = [(r[0], dup.from_bytes(r[1])) for r in rows]
            matched = dup.near_duplicates(signature, candidates)
        else:
            report_by_id, matched = {}, []
        reports = sorted({report_by_id[m] for m in matched}, key=lambda rs: rs[1])
        report = reports[0][0] if reports else dup.report_id(article.id)
        merged: set[int] = set()
        for other, _ in reports[1:]:
            if other == report:
                continue
            merged |= self._propositions_of_report(other)
            self._conn.execute(
                "UPDATE article_reports SET report = ? WHERE report = ?", (report, other)
            )
        self._conn.execute(
            "INSERT INTO article_reports (article_id, report, signature) VALUES (?, ?, ?)",
            (article.id, report, dup.to_bytes(signature)),
        )
        self._conn.executemany(
            "INSERT INTO report_bands (band, article_id) VALUES (?, ?)",
            [(band, article.id) for band in bands],
        )
        if matched:
            merged |= self._propositions_of_report(report)
        return report, merged

    def _propositions_of_report(self, report: str) -> set[int]:
        rows = self._conn.execute(
            "SELECT DISTINCT n.proposition FROM article_reports r JOIN claims c"
            " ON c.article_id = r.article_id JOIN claim_nodes n ON n.key = c.node"
            " WHERE r.report = ?",
            (report,),
        )
        return {int(r[0]) for r in rows}

    def report_articles(self) -> list[tuple[str, list[str]]]:
        """Reports of more than one copy: (report id, article ids in ingest order)."""
        rows = self._conn.execute(
            "SELECT r.report, r.article_id FROM article_reports r JOIN articles a"
            " ON a.id = r.article_id WHERE r.report IN (SELECT report FROM article_reports"
            " GROUP BY report HAVING count(*) > 1) ORDER BY a.seq"
        )
        groups: dict[str, list[str]] = {}
        for report, article_id in rows:
            groups.setdefault(report, []).append(article_id)
        return list(groups.items())


class _StoredGroups:
    """The ledger's node labels as union-find: each node's ``proposition`` column holds its
    root, so a merge relabels the younger proposition's nodes with the older id."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def find(self, key: int) -> int:
        row = self._conn.execute(
            "SELECT proposition FROM claim_nodes WHERE key = ?", (key,)
        ).fetchone()
        return int(row[0]) if row is not None else key

    def union(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        low, high = min(ra, rb), max(ra, rb)
        if self._clash(low, high):
            return False
        self._conn.execute(
            "UPDATE claim_nodes SET proposition = ? WHERE proposition = ?", (low, high)
        )
        self._conn.execute("DELETE FROM propositions WHERE id = ?", (high,))
        return True

    def _clash(self, a: int, b: int) -> bool:
        """Whether one statement has clauses of opposite polarity in the two propositions."""
        found = self._conn.execute(
            "SELECT 1 FROM claims c1 JOIN claim_nodes n1 ON n1.key = c1.node"
            " JOIN claims c2 ON c2.article_id = c1.article_id"
            " AND c2.statement_id = c1.statement_id AND c2.polarity != c1.polarity"
            " JOIN claim_nodes n2 ON n2.key = c2.node"
            " WHERE n1.proposition = ? AND n2.proposition = ? LIMIT 1",
            (a, b),
        ).fetchone()
        return found is not None


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _node_row(node: Node, vector: NDArray[np.float32]) -> tuple[object, ...]:
    """A node as stored: its vector column holds the core's vector, then the frame's when the
    node has one (a ledger from before frames holds only the core's: read as no frame)."""
    entities = _dumps(sorted(node.entities))
    blob = _to_blob(vector if node.frame is None else np.concatenate([vector, node.frame]))
    return node.key, core_key(node.core), node.core, node.predicate, entities, blob, node.key


def _to_blob(vector: NDArray[np.float32]) -> bytes:
    return np.asarray(vector, dtype="<f2").tobytes()


def _from_blob(blob: bytes) -> NDArray[np.float32]:
    return np.frombuffer(blob, dtype="<f2").astype(np.float32)


def _core(blob: bytes) -> NDArray[np.float32]:
    return _from_blob(blob)[:DIMENSIONS]


def _stored_node(row: Sequence[Any]) -> Node:
    """A node from (key, core, predicate, entities, vector)."""
    vector = _from_blob(row[4])
    frame = vector[DIMENSIONS:] if len(vector) == 2 * DIMENSIONS else None
    return Node(int(row[0]), row[1], row[2], frozenset(json.loads(row[3])), frame)


def _claim_row(seq: int, r: ClaimRecord) -> tuple[object, ...]:
    c = r.claim
    return (
        r.article_id, c.id, seq, c.statement_id, c.start, c.end, c.text, c.core, c.polarity,
        c.commitment, c.predicate, _dumps(list(c.entities)), r.node, r.speaker, r.source,
        r.source_base, int(r.per_report), r.said_on, r.content, _dumps(list(r.via)), r.entity_id,
        c.frame,
    )  # fmt: skip


def _claim(row: sqlite3.Row) -> Claim:
    return Claim(
        id=row["id"],
        statement_id=row["statement_id"],
        start=row["start"],
        end=row["end"],
        text=row["text"],
        core=row["core"],
        polarity=cast(Literal[1, -1], row["polarity"]),
        commitment=cast(Commitment, row["commitment"]),
        predicate=row["predicate"],
        entities=tuple(json.loads(row["entities"])),
        frame=row["frame"],
    )


def _record(row: sqlite3.Row) -> ClaimRecord:
    return ClaimRecord(
        node=row["node"],
        article_id=row["article_id"],
        article_seq=row["article_seq"],
        claim=_claim(row),
        speaker=row["speaker"],
        source=row["source"],
        source_base=row["source_base"],
        per_report=bool(row["per_report"]),
        report=row["report"],
        said_on=row["said_on"],
        content=row["content"],
        path=row["path"],
        outlet=row["outlet"],
        title=row["title"],
        published=row["published"],
        via=tuple(json.loads(row["via"])),
        entity_id=row["entity_id"],
    )


def sort_propositions(propositions: Iterable[Proposition]) -> list[Proposition]:
    return sorted(propositions, key=proposition_order)
