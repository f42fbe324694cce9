"""How fast, how big and how right is the near-duplicate grouping (aggregate/duplicates.py)?

Synthetic corpus: articles composed of real sentences (from FNC-1's train bodies, read at run
time, never copied into the repo), of which a share are reprints of an earlier article with the
edits outlets make: another headline, their boilerplate, a sentence or two changed, the end cut.
The truth is which original each reprint copies, so the grouping's pairwise precision and recall
can be counted. Measured: signatures per second on one core, the in-memory DuplicateIndex, and
the ledger's recipe (band keys in an indexed SQLite table, one query per new article), with
peak memory and the database's size. Then, as a check of the threshold on real news, the groups
found among FNC-1's 1,683 train bodies.

    .venv/bin/python bench/duplicates.py --articles 100000 --out bench/duplicates.json

Figures and their reading are in bench/duplicates.md.
"""

from __future__ import annotations

import argparse
import csv
import gc
import json
import os
import random
import re
import resource
import sqlite3
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from claimledger.aggregate.duplicates import (
    BANDS,
    MIN_WORDS,
    ROWS,
    SHINGLE_WORDS,
    THRESHOLD,
    DuplicateIndex,
    band_keys,
    from_bytes,
    near_duplicates,
    signature,
    to_bytes,
    words,
)

ROOT = Path(__file__).resolve().parent.parent
BODIES = ROOT.parent / "shared" / "benchmarks" / "fnc1" / "train_bodies.csv"
SENTENCE_END = re.compile(r"(?<=[.!?”\"])\s+(?=[A-Z“\"])")

OUTLET_TOPS = (
    "By Staff and wire reports | Published {h}:{m:02d} AM | 3 min read\nShare on Facebook\n",
    "{outlet} News Desk\nUpdated {h}:{m:02d} GMT\n",
    "Advertisement\n{outlet} — World\n",
    "",
)
OUTLET_ENDS = (
    "\nCopyright {year} {outlet}. All rights reserved. This material may not be published, "
    "broadcast, rewritten or redistributed.",
    "\nRead more: {related}\nSign up for the {outlet} morning newsletter.",
    "\nFollow {outlet} on Twitter and Facebook for the latest news.",
    "\nReporting by {person}; editing by {person2}.",
    "",
)
OUTLETS = ("The Daily Courier", "Metro Herald", "Valley Times", "Globe Wire", "Evening Post")
PEOPLE = ("Anna Keller", "James Ortiz", "Mei Tanaka", "Tom Briggs", "Leila Haddad")


def rss_mib() -> float:
    """Peak resident set size of this process so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def read_bodies(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8", newline="") as f:
        return {row["Body ID"]: row["articleBody"] for row in csv.DictReader(f)}


def sentence_pool(bodies: dict[str, str]) -> list[str]:
    pool = []
    for body in bodies.values():
        for paragraph in body.split("\n"):
            for sentence in SENTENCE_END.split(paragraph.strip()):
                if 6 <= len(sentence.split()) <= 60:
                    pool.append(sentence.strip())
    return sorted(set(pool))


@dataclass
class Generated:
    texts: list[str]
    truth: list[int]  # the original (index) each article copies; itself for an original
    edit: list[str]  # "original" or the kind of reprint


def compose(rng: random.Random, pool: list[str]) -> list[str]:
    """An article: 6 to 30 sentences (about 120 to 600 words) in paragraphs of 1 to 3."""
    return rng.sample(pool, rng.randint(6, 30))


def as_text(sentences: list[str], rng: random.Random) -> str:
    paragraphs, i = [], 0
    while i < len(sentences):
        step = rng.randint(1, 3)
        paragraphs.append(" ".join(sentences[i : i + step]))
        i += step
    return "\n\n".join(paragraphs)


def reprint(rng: random.Random, sentences: list[str], pool: list[str]) -> tuple[str, str]:
    """An outlet's copy of ``sentences`` and the kind of edit made to it."""
    kind = rng.choices(
        ("verbatim", "headline+boilerplate", "sentences changed", "end cut"),
        weights=(1, 3, 4, 2),
    )[0]
    copy = list(sentences)
    if kind == "sentences changed":
        for _ in range(rng.randint(1, 2)):
            copy[rng.randrange(len(copy))] = rng.choice(pool)
    elif kind == "end cut":
        copy = copy[: max(3, round(len(copy) * rng.uniform(0.7, 0.9)))]
    body = as_text(copy, rng)
    if kind == "verbatim":
        return body, kind
    outlet = rng.choice(OUTLETS)
    fill = {
        "outlet": outlet,
        "h": rng.randint(1, 12),
        "m": rng.randint(0, 59),
        "year": rng.randint(2014, 2026),
        "related": rng.choice(pool),
        "person": rng.choice(PEOPLE),
        "person2": rng.choice(PEOPLE),
    }
    top = rng.choice(OUTLET_TOPS).format(**fill)
    end = rng.choice(OUTLET_ENDS).format(**fill)
    headline = rng.choice(pool).rstrip(".")
    return f"{headline}\n\n{top}\n{body}\n{end}", kind


def generate(n: int, reprint_share: float, pool: list[str], seed: int) -> Generated:
    rng = random.Random(seed)
    texts: list[str] = []
    truth: list[int] = []
    edit: list[str] = []
    originals: list[tuple[int, list[str]]] = []
    for i in range(n):
        if originals and rng.random() < reprint_share:
            # Popular stories are reprinted more: pick recent originals more often.
            back = min(len(originals) - 1, int(rng.expovariate(1 / 500)))
            index, sentences = originals[-1 - back]
            text, kind = reprint(rng, sentences, pool)
            texts.append(text)
            truth.append(index)
            edit.append(kind)
        else:
            sentences = compose(rng, pool)
            originals.append((i, sentences))
            texts.append(as_text(sentences, rng))
            truth.append(i)
            edit.append("original")
    return Generated(texts, truth, edit)


def pairs(groups: dict[Any, list[int]]) -> int:
    return sum(len(g) * (len(g) - 1) // 2 for g in groups.values())


def score(found: list[int], truth: list[int], edit: list[str]) -> dict[str, Any]:
    """Pairwise precision and recall of the found groups (found[i]: article i's group) against
    the true ones, and per edit kind the share of reprints grouped with their original."""
    by_found: dict[int, list[int]] = defaultdict(list)
    by_truth: dict[int, list[int]] = defaultdict(list)
    both: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i, (f, t) in enumerate(zip(found, truth, strict=True)):
        by_found[f].append(i)
        by_truth[t].append(i)
        both[(f, t)].append(i)
    agreed, found_pairs, true_pairs = pairs(both), pairs(by_found), pairs(by_truth)
    kinds: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for i, kind in enumerate(edit):
        if kind != "original":
            kinds[kind][0] += found[i] == found[truth[i]]
            kinds[kind][1] += 1
    return {
        "true_pairs": true_pairs,
        "found_pairs": found_pairs,
        "precision": agreed / found_pairs if found_pairs else 1.0,
        "recall": agreed / true_pairs if true_pairs else 1.0,
        "reprints_with_original": {
            k: {"grouped": a, "of": b, "share": a / b} for k, (a, b) in sorted(kinds.items())
        },
        "false_merges": sum(1 for g in by_found.values() if len({truth[i] for i in g}) > 1),
    }


def run_memory(sigs: list[Any]) -> tuple[list[int], dict[str, float]]:
    gc.collect()
    before = rss_mib()
    start, cpu = time.perf_counter(), time.process_time()
    index = DuplicateIndex()
    last = max(0, len(sigs) - 1000)
    for i, sig in enumerate(sigs):
        if i == last:
            last_start = time.perf_counter()
        index.add_signature(str(i), sig)
    last_seconds = time.perf_counter() - last_start
    reports = index.reports()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    found = [0] * len(sigs)
    for number, report in enumerate(reports):
        for article in report.articles:
            found[int(article)] = number
    figures = {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "rss_growth_mib": rss_mib() - before,
        "reports": len(reports),
        "last_1000_ms_per_article": last_seconds,  # seconds for 1,000 = ms for one
    }
    return found, figures


def run_sqlite(sigs: list[Any], path: Path) -> tuple[list[int], dict[str, float]]:
    """The ledger's recipe, as in tests/test_duplicates.py: signatures in a BLOB column, band keys
    in a table indexed by key, one candidate query per new article, groups as report ids."""
    db = sqlite3.connect(path)
    db.executescript(
        """
        PRAGMA journal_mode = WAL;
        PRAGMA synchronous = NORMAL;
        CREATE TABLE article_signature (article INTEGER PRIMARY KEY, signature BLOB NOT NULL,
                                         report INTEGER NOT NULL);
        CREATE TABLE article_band (key INTEGER NOT NULL, article INTEGER NOT NULL,
                                   PRIMARY KEY (key, article)) WITHOUT ROWID;
        CREATE INDEX article_signature_report ON article_signature (report);
        """
    )
    start, cpu = time.perf_counter(), time.process_time()
    lookups = 0.0
    batch = 1000
    last_start, last_count = 0.0, 1
    for first in range(0, len(sigs), batch):
        if first + batch >= len(sigs):  # the last batch: adds to a full ledger
            last_start, last_count = time.perf_counter(), len(sigs) - first
        with db:
            for i in range(first, min(first + batch, len(sigs))):
                sig = sigs[i]
                keys = band_keys(sig)
                t = time.perf_counter()
                marks = ",".join("?" * len(keys))
                rows = db.execute(
                    "SELECT article, signature, report FROM article_signature WHERE article IN "
                    f"(SELECT article FROM article_band WHERE key IN ({marks}))",
                    keys,
                ).fetchall()
                report_of = {a: r for a, _, r in rows}
                matches = near_duplicates(sig, ((a, from_bytes(blob)) for a, blob, _ in rows))
                lookups += time.perf_counter() - t
                reports = sorted({report_of[a] for a in matches})
                report = reports[0] if reports else i  # a report is named by its first article
                if len(reports) > 1:  # a bridge: the later reports join the earliest
                    db.execute(
                        f"UPDATE article_signature SET report = ? WHERE report IN "
                        f"({','.join('?' * (len(reports) - 1))})",
                        [report, *reports[1:]],
                    )
                db.execute(
                    "INSERT INTO article_signature VALUES (?, ?, ?)", (i, to_bytes(sig), report)
                )
                db.executemany("INSERT INTO article_band VALUES (?, ?)", [(k, i) for k in keys])
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    last_seconds = time.perf_counter() - last_start
    found = [0] * len(sigs)
    for article, report in db.execute("SELECT article, report FROM article_signature"):
        found[article] = report
    db.close()
    size = sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    figures = {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "lookup_seconds": lookups,
        "last_batch_ms_per_article": 1000 * last_seconds / last_count,
        "db_mib": size / 2**20,
        "bytes_per_article": size / len(sigs),
    }
    return found, figures


def fnc1_groups(bodies: dict[str, str]) -> dict[str, Any]:
    index = DuplicateIndex()
    for body_id, text in bodies.items():
        index.add(body_id, text)
    groups = index.groups()
    sizes = Counter(len(g.articles) for g in groups)
    examples = []
    for g in sorted(groups, key=lambda g: -len(g.articles))[:3]:
        examples.append(
            [(a, bodies[a].strip().split("\n")[0][:160], len(words(bodies[a]))) for a in g.articles]
        )
    return {
        "bodies": len(bodies),
        "groups": len(groups),
        "bodies_in_groups": sum(len(g.articles) for g in groups),
        "sizes": dict(sorted(sizes.items())),
        "short_bodies": sum(1 for t in bodies.values() if len(words(t)) < MIN_WORDS),
        "largest": examples,
    }


def fnc1_related_pairs(bodies: dict[str, str], stances: Path) -> dict[str, Any]:
    """How alike are two FNC-1 bodies on the same story? Pairs of bodies that share a headline
    they agree with, disagree with or discuss: mostly separately written reports, plus the
    reprints FNC-1 holds. Exact Jaccard of their shingle sets, for several shingle lengths,
    beside that of the benchmark's generated reprints (the threshold must sit between)."""
    related: dict[str, set[str]] = defaultdict(set)
    with stances.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["Stance"] != "unrelated":
                related[row["Headline"]].add(row["Body ID"])
    pairs_ = sorted({(a, b) for ids in related.values() for a in ids for b in ids if a < b})
    rng = random.Random(3)
    pool = sentence_pool(bodies)
    longer = [t for t in bodies.values() if len(words(t)) >= MIN_WORDS]
    copies = []
    for text in rng.sample(longer, 400):
        sentences = [s for p in text.split("\n") for s in SENTENCE_END.split(p.strip()) if s]
        copies.append((text, reprint(rng, sentences, pool)[0]))
    out: dict[str, Any] = {"related_pairs": len(pairs_), "generated_reprints": len(copies)}
    for k in (3, 5, 8):

        def shingle_set(text: str, k: int = k) -> set[tuple[str, ...]]:
            w = words(text)
            return {tuple(w[i : i + k]) for i in range(len(w) - k + 1)}

        cache = {b: shingle_set(bodies[b]) for b in {x for pair in pairs_ for x in pair}}
        same_story = sorted(jaccard(cache[a], cache[b]) for a, b in pairs_)
        reprints = sorted(jaccard(shingle_set(a), shingle_set(b)) for a, b in copies)
        out[f"k{k}"] = {
            "same_story_at_least": {t: sum(j >= t for j in same_story) for t in (0.2, 0.3, 0.5)},
            "same_story_p50_p90_p99": [same_story[int(q * len(same_story))] for q in QUANTILES],
            "reprints_below": {t: sum(j < t for j in reprints) for t in (0.3, 0.5, 0.7)},
            "reprints_p5_p50": [reprints[int(q * len(reprints))] for q in (0.05, 0.5)],
        }
    return out


QUANTILES = (0.5, 0.9, 0.99)


def jaccard(a: set[Any], b: set[Any]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def scale_signatures(n: int, seed: int) -> tuple[list[Any], list[int]]:
    """``n`` signatures without texts, for the grouping's cost at sizes whose texts would take
    too long to hash: 90% random (unrelated articles), 10% copies of an earlier one with a fifth
    of the values redrawn (an estimated Jaccard of about 0.8)."""
    rng = np.random.default_rng(seed)
    sigs = rng.integers(0, 2**32 - 1, size=(n, 128), dtype=np.uint32)
    truth = list(range(n))
    for i in range(1, n):
        if rng.random() < 0.10:
            source = int(rng.integers(0, i))
            redraw = rng.random(128) < 0.2
            sigs[i] = np.where(redraw, sigs[i], sigs[source])
            truth[i] = truth[source]
    return list(sigs), truth


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--articles", type=int, default=100_000, help="synthetic articles with texts (0: none)"
    )
    parser.add_argument("--reprints", type=float, default=0.10, help="share of reprints")
    parser.add_argument("--bodies", type=Path, default=BODIES)
    parser.add_argument("--seed", type=int, default=10)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument(
        "--fnc1-pairs",
        type=Path,
        metavar="STANCES.csv",
        help="also compare FNC-1 bodies that share a headline (train_stances.csv)",
    )
    parser.add_argument(
        "--scale",
        type=int,
        nargs="*",
        default=[],
        help="also group this many synthetic signatures (no texts), e.g. 1000000",
    )
    args = parser.parse_args()
    result: dict[str, Any] = {}
    for n in args.scale:
        sigs, truth = scale_signatures(n, args.seed)
        found, figures = run_memory(sigs)
        kinds = ["original" if t == i else "copy" for i, t in enumerate(truth)]
        entry = {"memory_index": figures | score(found, truth, kinds)}
        if not args.skip_sqlite:
            with tempfile.TemporaryDirectory() as tmp:
                found_sql, figures = run_sqlite(sigs, Path(tmp) / "duplicates.db")
            pairs_seen = {(a, b) for a, b in zip(found, found_sql, strict=True)}
            same = len(pairs_seen) == len(set(found)) == len(set(found_sql))
            entry["sqlite"] = figures | {"same_groups_as_memory": same}
        result[f"scale_{n}"] = entry
        print(f"scale {n}", json.dumps(entry), flush=True)
        del sigs, found
    if args.articles:
        result |= texts_and_fnc1(args)
    if args.fnc1_pairs:
        result["fnc1_pairs"] = fnc1_related_pairs(read_bodies(args.bodies), args.fnc1_pairs)
        print("fnc1 pairs", json.dumps(result["fnc1_pairs"]), flush=True)
    result["peak_rss_mib"] = rss_mib()
    if args.out:
        text = json.dumps(result, indent=1, ensure_ascii=False) + "\n"
        args.out.write_text(text, encoding="utf-8")


def texts_and_fnc1(args: argparse.Namespace) -> dict[str, Any]:
    result: dict[str, Any] = {}

    bodies = read_bodies(args.bodies)
    pool = sentence_pool(bodies)
    corpus = generate(args.articles, args.reprints, pool, args.seed)
    n_words = [len(words(t)) for t in corpus.texts]
    result |= {
        "settings": {
            "articles": args.articles,
            "reprint_share": args.reprints,
            "seed": args.seed,
            "sentence_pool": len(pool),
            "shingle_words": SHINGLE_WORDS,
            "min_words": MIN_WORDS,
            "threshold": THRESHOLD,
            "bands": BANDS,
            "rows": ROWS,
            "median_words": sorted(n_words)[len(n_words) // 2],
            "edits": dict(Counter(corpus.edit)),
            "python": sys.version.split()[0],
            "cpus": os.cpu_count(),
        }
    }
    print(json.dumps(result["settings"]), flush=True)

    gc.collect()
    before = rss_mib()
    start, cpu = time.perf_counter(), time.process_time()
    sigs = [signature(t) for t in corpus.texts]
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    result["signatures"] = {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "cpu_ms_per_article": 1000 * cpu / len(sigs),
        "per_article_ms": 1000 * seconds / len(sigs),
        "articles_per_second": len(sigs) / seconds,
        "rss_growth_mib": rss_mib() - before,
    }
    print("signatures", json.dumps(result["signatures"]), flush=True)

    found, figures = run_memory(sigs)
    result["memory_index"] = figures | score(found, corpus.truth, corpus.edit)
    print("memory", json.dumps(result["memory_index"]), flush=True)

    if not args.skip_sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            found_sql, figures = run_sqlite(sigs, Path(tmp) / "duplicates.db")
        pairs_seen = {(a, b) for a, b in zip(found, found_sql, strict=True)}
        same = len(pairs_seen) == len(set(found)) == len(set(found_sql))
        result["sqlite"] = figures | {"same_groups_as_memory": same}
        print("sqlite", json.dumps(result["sqlite"]), flush=True)

    start = time.perf_counter()
    result["fnc1"] = fnc1_groups(bodies) | {"seconds": time.perf_counter() - start}
    print("fnc1", json.dumps(result["fnc1"], ensure_ascii=False), flush=True)
    return result


if __name__ == "__main__":
    main()
