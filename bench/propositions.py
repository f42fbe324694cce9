"""Grouping claims into propositions at scale: 100,000 and 1,000,000 claims, in memory and in a
ledger, and ``check`` on the largest ledger.

Usage:
    .venv/bin/python bench/propositions.py texts          # embed the real texts once (cached)
    .venv/bin/python bench/propositions.py memory 100000  # group N claims in memory
    .venv/bin/python bench/propositions.py ledger 1000000 --db /tmp/big.db  # store N claims,
                        # then add 1,000 more articles and time ``check`` on the ledger

The claims come from real text: sentences of PolNeAR dev articles and FNC-1 / Emergent train
headlines (read from ``../shared/benchmarks``, never copied), each with generated variants —
a paraphrase (a word dropped, a synonym swapped, the clause order changed), a negation, a
hedge ("reportedly", "may") and a distractor that shares most words but names another subject
— all embedded by the shipped model (``texts``; cached in /tmp). Embedding a million texts on
one core would take hours (the embedder's own speed is in bench/embeddings_shipped.py), so each
of the N claims is one of these real vectors, jittered (cosine ~0.95 to it: a light rewording),
with its real predicate and entities: neighbourhoods are those of real claims, every claim a
distinct node. Claims arrive in articles of ``--per-article`` claims, as a ledger takes them.

Figures printed: seconds, claims per second, peak RSS (each run in its own process), the
propositions found; for ``ledger``, also the time to add 1,000 articles to the full ledger and
the time of ``check`` (the median of several claims). Run by hand; the figures go in the issue
note, never in a test.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse
import csv
import hashlib
import json
import random
import re
import resource
import statistics
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

SHARED = Path(__file__).resolve().parents[2] / "shared" / "benchmarks"
CACHE = Path("/tmp/claimledger-bench-propositions.npz")
BASES = 2500
SYNONYMS = {
    "said": "stated", "says": "states", "troops": "soldiers", "big": "large", "help": "aid",
    "people": "citizens", "country": "nation", "government": "administration",
    "killed": "slain", "attack": "assault", "buy": "purchase", "began": "started",
    "shows": "reveals", "new": "fresh", "president": "leader", "told": "informed",
}  # fmt: skip
SUBJECTS = ["The company", "Police", "The ministry", "Rebels", "The senator", "Scientists",
            "The court", "Officials in Ohio", "The army", "Local residents"]  # fmt: skip


# -- real texts and their variants ------------------------------------------------------------


def real_sentences(limit: int) -> list[str]:
    """Claim-like sentences: FNC-1 and Emergent headlines, PolNeAR dev sentences."""
    found: list[str] = []
    with (SHARED / "fnc1" / "train_stances.csv").open(encoding="utf-8") as f:
        found += sorted({row["Headline"] for row in csv.DictReader(f)})
    with (SHARED / "emergent" / "train.csv").open(encoding="utf-8") as f:
        found += sorted({row["articleHeadline"] for row in csv.DictReader(f)})
    for path in sorted((SHARED / "polnear" / "dev" / "text").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        found += [s.strip() for s in re.split(r"(?<=[.!?])\s+", text)]
    kept = [s for s in dict.fromkeys(found) if 6 <= len(s.split()) <= 30]
    random.Random(7).shuffle(kept)
    return kept[:limit]


def variants(sentence: str, rng: random.Random) -> list[str]:
    """A paraphrase, a negation, a hedge and a distractor of ``sentence``."""
    words = sentence.rstrip(".!?").split()
    para = [SYNONYMS.get(w.lower(), w) for w in words]
    if len(para) > 8:
        del para[rng.randrange(2, len(para) - 1)]
    verb = next((i for i, w in enumerate(words) if w.lower() in {"is", "are", "was", "were",
                 "has", "have", "had", "will", "can", "did"}), None)  # fmt: skip
    if verb is not None:
        negated = [*words[: verb + 1], "not", *words[verb + 1 :]]
    else:
        negated = ["It is not true that", words[0].lower(), *words[1:]]
    hedged = [rng.choice(["Reportedly,", "It may be that", "Sources suggest"]),
              words[0].lower(), *words[1:]]  # fmt: skip
    distractor = [rng.choice(SUBJECTS), *words[min(3, len(words) - 1) :]]
    return [" ".join(w) for w in (para, negated, hedged, distractor)]


def build_texts() -> None:
    """Embed the bases and their variants once; cache vectors, predicates and entities."""
    import claimledger
    from claimledger.aggregate.claims import query_claim
    from claimledger.aggregate.embeddings import encode
    from claimledger.aggregate.propositions import embedding_text
    from claimledger.nlp import load_pipeline

    rng = random.Random(11)
    nlp = load_pipeline(attribution="rules")
    texts: list[str] = []
    for sentence in real_sentences(BASES):
        texts += [sentence, *variants(sentence, rng)]
    start = time.perf_counter()
    claims = [query_claim(nlp, t) for t in texts]
    parsed = time.perf_counter() - start
    start = time.perf_counter()
    vectors = encode([embedding_text(c.core) for c in claims])
    embedded = time.perf_counter() - start
    np.savez(
        CACHE,
        vectors=vectors.astype(np.float32),
        cores=np.array([c.core for c in claims]),
        predicates=np.array([c.predicate or "" for c in claims]),
        entities=np.array([json.dumps(list(c.entities)) for c in claims]),
    )
    print(f"{len(texts)} texts from {BASES} real sentences (claimledger {claimledger.__version__})"
          f": read as claims in {parsed:.0f} s, embedded in {embedded:.0f} s"
          f" ({len(texts) / embedded:.0f} texts/s); cached in {CACHE}")  # fmt: skip


def claims_of(n: int, seed: int = 3) -> Iterator[tuple[str, str, tuple[str, ...], np.ndarray]]:
    """``n`` claims (core, predicate, entities, unit vector): real ones, jittered."""
    data = np.load(CACHE)
    vectors, cores = data["vectors"], data["cores"]
    predicates, entities = data["predicates"], data["entities"]
    rng = np.random.default_rng(seed)
    sigma = 0.33 / np.sqrt(vectors.shape[1])  # cosine ~0.95 to the real vector
    for i in range(n):
        j = int(rng.integers(len(vectors)))
        v = vectors[j] + rng.normal(0.0, sigma, vectors.shape[1]).astype(np.float32)
        yield (f"{cores[j]} [{i}]", str(predicates[j]) or "", tuple(json.loads(entities[j])),
               v / np.linalg.norm(v))  # fmt: skip


# -- in memory -------------------------------------------------------------------------------


def memory(n: int, per_article: int) -> None:
    from claimledger.aggregate import group_nodes
    from claimledger.aggregate.propositions import Node

    nodes, rows = [], []
    for key, (core, predicate, entities, vector) in enumerate(claims_of(n), start=1):
        nodes.append(Node(key, core, predicate or None, frozenset(entities)))
        rows.append(vector)
    vectors = np.vstack(rows).astype(np.float32)
    batches = [per_article] * (n // per_article) + ([n % per_article] if n % per_article else [])
    start = time.perf_counter()
    components = group_nodes(nodes, vectors, batches=batches)
    seconds = time.perf_counter() - start
    sizes = sorted((len(m) for m in components.groups().values()), reverse=True)
    print(json.dumps({
        "claims": n, "seconds": round(seconds, 1), "claims_per_s": round(n / seconds),
        "peak_rss_mib": _peak_mib(), "propositions": len(sizes), "largest": sizes[:5],
        "threads": os.environ.get("CLAIMLEDGER_THREADS", "all"),
    }))  # fmt: skip


# -- in a ledger -----------------------------------------------------------------------------


def articles(claims: Sequence[tuple[str, str, tuple[str, ...], np.ndarray]], per_article: int,
             tag: str) -> Iterator[object]:  # fmt: skip
    """Synthetic analysed articles: each claim one statement of a named speaker."""
    from claimledger.model import Article, Claim, Content, Speaker, Statement

    speakers = ["Pentagon", "Sabrina Singh", "Kremlin", "Reuters", "officials", "Ukrainian Army",
                "Marta Rossi", "the ministry", "John Smith", "NATO"]  # fmt: skip
    for a in range(0, len(claims), per_article):
        text, statements, out = f"{tag} article {a}.", [], []
        for n, (core, predicate, entities, _) in enumerate(claims[a : a + per_article], 1):
            who = speakers[(a + n) % len(speakers)]
            start = len(text) + len(f" {who} said ")
            text += f" {who} said {core}."
            content = Content(start, start + len(core), core)
            kind = "unnamed" if who.islower() else "person" if " " in who else "organization"
            statements.append(Statement(f"s{n}", "indirect", None, Speaker(who, kind), None,
                                        content, "bench", said_on="2024-12-01"))  # fmt: skip
            polarity = -1 if " not " in core else 1
            out.append(Claim(f"s{n}.c1", f"s{n}", start, start + len(core), core, core,
                             polarity, "certain", predicate or None, entities))  # fmt: skip
        digest = hashlib.sha256(text.encode()).hexdigest()
        yield Article(
            id=f"sha256:{digest}",
            text=text,
            path=f"{tag}-{a}.txt",
            outlet=speakers[a % 3],
            statements=tuple(statements),
            claims=tuple(out),
        )


def ledger(n: int, per_article: int, db: Path, checks: Sequence[str]) -> None:
    import claimledger
    from claimledger.aggregate.propositions import embedding_text
    from claimledger.store.ledger import Ledger as Store

    for path in db.parent.glob(db.name + "*"):
        path.unlink()
    claims = list(claims_of(n + 1000 * per_article))
    lookup = {embedding_text(c[0]): c[3] for c in claims}

    def encode(texts: Sequence[str]) -> np.ndarray:
        return np.vstack([lookup[t] for t in texts]).astype(np.float32)

    start = time.perf_counter()
    with Store(str(db), encode=encode) as store:
        store.add_articles(articles(claims[:n], per_article, "base"))
    built = time.perf_counter() - start
    start = time.perf_counter()
    with Store(str(db), encode=encode) as store:
        store.add_articles(articles(claims[n:], per_article, "new"))
        counts = store.claims.counts()
    added = time.perf_counter() - start
    timings = []
    with claimledger.Ledger(str(db), readonly=True) as opened:
        opened.check(checks[0])  # the first loads spaCy, the embedder and the index
        for claim in checks:
            start = time.perf_counter()
            result = opened.check(claim)
            timings.append(time.perf_counter() - start)
    print(json.dumps({
        "claims": n, "build_seconds": round(built, 1), "claims_per_s": round(n / built),
        "add_1000_articles_seconds": round(added, 1), "claims_in_ledger": counts["claims"],
        "propositions": counts["propositions"],
        "check_median_s": round(statistics.median(timings), 3),
        "check_max_s": round(max(timings), 3), "matches_of_last_check": len(result.matches),
        "db_mib": round(db.stat().st_size / 2**20), "peak_rss_mib": _peak_mib(),
    }))  # fmt: skip


def _peak_mib() -> int:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["texts", "memory", "ledger"])
    parser.add_argument("claims", nargs="?", type=int, default=100_000)
    parser.add_argument("--per-article", type=int, default=10)
    parser.add_argument("--db", type=Path, default=Path("/tmp/claimledger-bench.db"))
    args = parser.parse_args()
    if args.what == "texts":
        build_texts()
        return
    if not CACHE.exists():
        sys.exit(f"{CACHE}: no cached texts; run `python bench/propositions.py texts` first")
    if args.what == "memory":
        memory(args.claims, args.per_article)
    else:
        checks = ["North Korean troops have engaged in combat", "The company did not buy the firm",
                  "Police said the man was arrested", "Apple will release a new phone",
                  "The senator may resign"]  # fmt: skip
        ledger(args.claims, args.per_article, args.db, checks)


if __name__ == "__main__":
    main()
