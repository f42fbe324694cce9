"""Which approximate nearest-neighbour index should sit beside the ledger?

Groundwork for matching claims across articles: each claim becomes a 384-dim
unit vector (all-MiniLM-L6-v2) and is matched against existing propositions
as it arrives. This compares hnswlib, usearch, faiss-cpu (HNSW) and
sqlite-vec (exact scan inside the SQLite file) on synthetic clustered unit
vectors, which stand in for sentence embeddings without needing the model.

Run by hand, in a venv of its own (the candidates are not project
dependencies), e.g.:

    python3.11 -m venv /tmp/annvenv
    /tmp/annvenv/bin/pip install numpy hnswlib usearch faiss-cpu sqlite-vec pysqlite3-binary
    /tmp/annvenv/bin/python bench/ann_choice.py --sizes 100000 300000

Each library runs in a child process of its own, so that peak RSS growth is
measured against a clean baseline and a crash in one leaves the others.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.metadata
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

DIM = 384
K = 10
M = 16
EF_CONSTRUCTION = 200
EF_SEARCHES = (64, 128)
N_QUERIES = 1000
N_INCREMENTAL = 10_000
LIBRARIES = ("hnswlib", "usearch", "faiss", "sqlite-vec")
# Distribution names for the licence lookup; the import name differs for faiss.
DISTRIBUTIONS = {
    "hnswlib": "hnswlib",
    "usearch": "usearch",
    "faiss": "faiss-cpu",
    "sqlite-vec": "sqlite-vec",
}
MODULES = {
    "hnswlib": "hnswlib",
    "usearch": "usearch.index",
    "faiss": "faiss",
    "sqlite-vec": "sqlite_vec",
}
# Our ids are 64-bit and chosen by the ledger; start far above 2**32 so a
# library that truncates to 32 bits would visibly fail the id check.
ID_OFFSET = 5_000_000_000
NOISE = 1.0


@dataclass
class Result:
    library: str
    n: int
    version: str = ""
    licence: str = ""
    build_s: float = float("nan")
    rss_growth_mb: float = float("nan")
    disk_mb: float = float("nan")
    load_s: float = float("nan")
    query_ms: dict[int, float] = field(default_factory=dict)
    recall: dict[int, float] = field(default_factory=dict)
    queries_timed: int = 0
    add_10k_s: float = float("nan")
    ids_ok: bool = False
    persistence: str = ""
    error: str = ""


def unit(x: np.ndarray) -> np.ndarray:
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def clustered(rng: np.random.Generator, centres: np.ndarray, n: int, noise: float) -> np.ndarray:
    """Points around random centres; noise 1.0 gives cos(point, centre) near 0.71
    and cos between two members near 0.5, roughly how differently worded claims
    of one proposition sit together in MiniLM space."""
    out = np.empty((n, DIM), dtype=np.float32)
    step = 100_000  # chunks keep the float32 temporaries small at 1,000,000 rows
    for start in range(0, n, step):
        m = min(step, n - start)
        which = rng.integers(0, len(centres), size=m)
        g = rng.standard_normal((m, DIM), dtype=np.float32) * (noise / np.sqrt(DIM))
        out[start : start + m] = unit(centres[which] + g)
    return out


def make_data(n: int, seed: int, workdir: Path) -> None:
    rng = np.random.default_rng(seed)
    n_clusters = max(100, n // 200)
    centres = unit(rng.standard_normal((n_clusters, DIM), dtype=np.float32))
    base = clustered(rng, centres, n, NOISE)
    queries = clustered(rng, centres, N_QUERIES, NOISE)
    extra = clustered(rng, centres, N_INCREMENTAL, NOISE)
    truth = np.empty((N_QUERIES, K), dtype=np.int64)
    for start in range(0, N_QUERIES, 100):
        sims = queries[start : start + 100] @ base.T
        top = np.argpartition(-sims, K, axis=1)[:, :K]
        order = np.argsort(-np.take_along_axis(sims, top, axis=1), axis=1)
        truth[start : start + 100] = np.take_along_axis(top, order, axis=1)
    np.save(workdir / "base.npy", base)
    np.save(workdir / "queries.npy", queries)
    np.save(workdir / "extra.npy", extra)
    np.save(workdir / "truth.npy", truth + ID_OFFSET)


def peak_rss_mb() -> float:
    """VmHWM, the peak RSS of this process image.

    Not getrusage: on Linux ru_maxrss survives fork and exec, so a worker
    would inherit the parent's peak from building the ground truth.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024.0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def dir_size_mb(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 2**20
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20


def licence_of(dist: str) -> str:
    md = importlib.metadata.metadata(dist)
    text = md.get("License-Expression") or md.get("License") or ""
    if not text:
        classifiers = md.get_all("Classifier") or []
        text = "; ".join(c.split("::")[-1].strip() for c in classifiers if "License" in c)
    return text.splitlines()[0][:40] if text else "not in metadata"


def recall_at_k(found: np.ndarray, truth: np.ndarray) -> float:
    hits = sum(len(set(f.tolist()) & set(t.tolist())) for f, t in zip(found, truth, strict=True))
    return hits / truth.size


# --- one adapter per library: build, save, load, set_ef, query, add ----------


class HnswlibIndex:
    def __init__(self, threads: int) -> None:
        import hnswlib

        self.hnswlib = hnswlib
        self.threads = threads
        self.index: Any = None

    def build(self, x: np.ndarray, ids: np.ndarray) -> None:
        self.index = self.hnswlib.Index(space="ip", dim=DIM)
        self.index.init_index(
            max_elements=len(x), ef_construction=EF_CONSTRUCTION, M=M, allow_replace_deleted=True
        )
        self.index.add_items(x, ids, num_threads=self.threads)

    def save(self, path: Path) -> Path:
        target = path / "index.hnswlib"
        self.index.save_index(str(target))
        return target

    def load(self, path: Path, n: int) -> None:
        self.index = self.hnswlib.Index(space="ip", dim=DIM)
        target = str(path / "index.hnswlib")
        self.index.load_index(target, max_elements=n, allow_replace_deleted=True)

    def set_ef(self, ef: int) -> None:
        self.index.set_ef(ef)

    def query(self, q: np.ndarray) -> np.ndarray:
        labels, _ = self.index.knn_query(q[None, :], k=K, num_threads=1)
        return np.asarray(labels[0], dtype=np.int64)

    def add(self, x: np.ndarray, ids: np.ndarray) -> None:
        # The graph has a fixed capacity; growing it is an explicit step.
        self.index.resize_index(self.index.get_current_count() + len(x))
        self.index.add_items(x, ids, num_threads=self.threads)


class UsearchIndex:
    def __init__(self, threads: int) -> None:
        from usearch.index import Index

        self.Index = Index
        self.threads = threads
        self.index: Any = None

    def _new(self) -> Any:
        return self.Index(
            ndim=DIM,
            metric="ip",
            dtype="f32",
            connectivity=M,
            expansion_add=EF_CONSTRUCTION,
            expansion_search=EF_SEARCHES[0],
        )

    def build(self, x: np.ndarray, ids: np.ndarray) -> None:
        self.index = self._new()
        self.index.add(ids.astype(np.uint64), x, threads=self.threads)

    def save(self, path: Path) -> Path:
        target = path / "index.usearch"
        self.index.save(str(target))
        return target

    def load(self, path: Path, n: int) -> None:
        self.index = self._new()
        self.index.load(str(path / "index.usearch"))

    def set_ef(self, ef: int) -> None:
        self.index.expansion_search = ef

    def query(self, q: np.ndarray) -> np.ndarray:
        return np.asarray(self.index.search(q, K, threads=1).keys, dtype=np.int64)

    def add(self, x: np.ndarray, ids: np.ndarray) -> None:
        self.index.add(ids.astype(np.uint64), x, threads=self.threads)


class FaissIndex:
    def __init__(self, threads: int) -> None:
        import faiss

        self.faiss = faiss
        self.threads = threads
        self.index: Any = None
        faiss.omp_set_num_threads(threads)

    def build(self, x: np.ndarray, ids: np.ndarray) -> None:
        inner = self.faiss.IndexHNSWFlat(DIM, M, self.faiss.METRIC_INNER_PRODUCT)
        inner.hnsw.efConstruction = EF_CONSTRUCTION
        # HNSW in faiss numbers vectors 0..n-1; our own ids need the map wrapper.
        self.index = self.faiss.IndexIDMap2(inner)
        self.index.add_with_ids(x, ids)

    def save(self, path: Path) -> Path:
        target = path / "index.faiss"
        self.faiss.write_index(self.index, str(target))
        return target

    def load(self, path: Path, n: int) -> None:
        self.index = self.faiss.read_index(str(path / "index.faiss"))

    def set_ef(self, ef: int) -> None:
        self.faiss.downcast_index(self.index.index).hnsw.efSearch = ef

    def query(self, q: np.ndarray) -> np.ndarray:
        self.faiss.omp_set_num_threads(1)
        _, labels = self.index.search(q[None, :], K)
        self.faiss.omp_set_num_threads(self.threads)
        return np.asarray(labels[0], dtype=np.int64)

    def add(self, x: np.ndarray, ids: np.ndarray) -> None:
        self.index.add_with_ids(x, ids)


def sqlite_module() -> Any:
    """The stdlib sqlite3 when it can load extensions, else pysqlite3.

    pyenv and some distribution builds of Python omit enable_load_extension,
    which sqlite-vec needs; pysqlite3-binary ships its own SQLite that has it.
    """
    import sqlite3

    if hasattr(sqlite3.connect(":memory:"), "enable_load_extension"):
        return sqlite3
    return importlib.import_module("pysqlite3.dbapi2")


class SqliteVecIndex:
    """vec0 virtual table: an exact scan, kept inside the ledger's own file."""

    def __init__(self, threads: int) -> None:
        import sqlite_vec

        self.sqlite_vec = sqlite_vec
        self.sqlite = sqlite_module()
        self.db: Any = None
        self.path: Path | None = None

    def _connect(self, path: Path) -> None:
        self.db = self.sqlite.connect(str(path))
        self.db.enable_load_extension(True)
        self.sqlite_vec.load(self.db)
        self.db.enable_load_extension(False)

    def _insert(self, x: np.ndarray, ids: np.ndarray) -> None:
        rows = ((int(i), v.tobytes()) for i, v in zip(ids, x, strict=True))
        with self.db:
            self.db.executemany("INSERT INTO vec_claims(rowid, embedding) VALUES (?, ?)", rows)

    def build(self, x: np.ndarray, ids: np.ndarray) -> None:
        # sqlite-vec has no separate save step: the table is written as it is built.
        self.path = Path(tempfile.mkdtemp(dir=os.environ.get("ANN_WORKDIR"))) / "ledger.sqlite"
        self._connect(self.path)
        self.db.execute(
            "CREATE VIRTUAL TABLE vec_claims USING "
            f"vec0(embedding float[{DIM}] distance_metric=cosine)"
        )
        self._insert(x, ids)

    def save(self, path: Path) -> Path:
        assert self.path is not None
        self.db.close()
        target = path / "ledger.sqlite"
        self.path.replace(target)
        return target

    def load(self, path: Path, n: int) -> None:
        self._connect(path / "ledger.sqlite")

    def set_ef(self, ef: int) -> None:
        pass  # exact search: nothing to tune

    def query(self, q: np.ndarray) -> np.ndarray:
        rows = self.db.execute(
            "SELECT rowid FROM vec_claims WHERE embedding MATCH ? AND k = ? ORDER BY distance",
            (q.tobytes(), K),
        ).fetchall()
        return np.asarray([r[0] for r in rows], dtype=np.int64)

    def add(self, x: np.ndarray, ids: np.ndarray) -> None:
        self._insert(x, ids)


ADAPTERS = {
    "hnswlib": HnswlibIndex,
    "usearch": UsearchIndex,
    "faiss": FaissIndex,
    "sqlite-vec": SqliteVecIndex,
}
PERSISTENCE = {
    "hnswlib": "own file; reload needs max_elements",
    "usearch": "own file; load or mmap view",
    "faiss": "own file (write/read_index)",
    "sqlite-vec": "inside the SQLite file",
}


def worker(library: str, workdir: Path, threads: int, max_queries: int) -> Result:
    base = np.load(workdir / "base.npy")
    queries = np.load(workdir / "queries.npy")
    extra = np.load(workdir / "extra.npy")
    truth = np.load(workdir / "truth.npy")
    n = len(base)
    res = Result(library=library, n=n, persistence=PERSISTENCE[library])
    res.version = importlib.metadata.version(DISTRIBUTIONS[library])
    res.licence = licence_of(DISTRIBUTIONS[library])
    ids = np.arange(n, dtype=np.int64) + ID_OFFSET
    rss0 = peak_rss_mb()
    adapter = ADAPTERS[library](threads)
    t0 = time.perf_counter()
    adapter.build(base, ids)
    res.build_s = time.perf_counter() - t0
    res.rss_growth_mb = peak_rss_mb() - rss0
    store = Path(tempfile.mkdtemp(dir=workdir))
    res.disk_mb = dir_size_mb(adapter.save(store))
    del adapter
    reloaded = ADAPTERS[library](threads)
    t0 = time.perf_counter()
    reloaded.load(store, n + N_INCREMENTAL)
    res.load_s = time.perf_counter() - t0
    n_q = min(max_queries, N_QUERIES)
    res.queries_timed = n_q
    # An exact scan gives the same answer at every ef, so time it once.
    efs = (EF_SEARCHES[0],) if library == "sqlite-vec" else EF_SEARCHES
    for ef in efs:
        reloaded.set_ef(ef)
        found = np.empty((n_q, K), dtype=np.int64)
        t0 = time.perf_counter()
        for i in range(n_q):
            got = reloaded.query(queries[i])
            found[i, : len(got)] = got
            found[i, len(got) :] = -1
        res.query_ms[ef] = (time.perf_counter() - t0) / n_q * 1000
        res.recall[ef] = recall_at_k(found, truth[:n_q])
        res.ids_ok = bool(found.min() >= ID_OFFSET) if ef == efs[0] else res.ids_ok
    extra_ids = np.arange(N_INCREMENTAL, dtype=np.int64) + ID_OFFSET + n
    t0 = time.perf_counter()
    reloaded.add(extra, extra_ids)
    res.add_10k_s = time.perf_counter() - t0
    # The newly added vectors must come back under the ids we gave them.
    probe = reloaded.query(extra[0])
    res.ids_ok = res.ids_ok and int(extra_ids[0]) in probe.tolist()
    return res


def available(library: str) -> str:
    """'' when the library imports, else why not."""
    try:
        importlib.import_module(MODULES[library])
        if library == "sqlite-vec":
            sqlite_module()
    except ImportError as exc:
        return f"not installed ({exc.name}): pip install {DISTRIBUTIONS[library]}"
    return ""


def fmt(x: float, digits: int = 2) -> str:
    return "n/a" if x != x else f"{x:.{digits}f}"


def table(results: list[Result]) -> str:
    head = (
        "| library | version | licence | N | build s | peak RSS +MB | disk MB | load s | "
        "query ms ef64 | recall ef64 | query ms ef128 | recall ef128 | add 10k s | "
        "our 64-bit ids | persistence |"
    )
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in results:
        if r.error:
            lines.append(f"| {r.library} | {r.version} | {r.licence} | {r.n} | {r.error} |")
            continue
        q64, q128 = r.query_ms.get(64, float("nan")), r.query_ms.get(128, float("nan"))
        r64, r128 = r.recall.get(64, float("nan")), r.recall.get(128, float("nan"))
        if r.library == "sqlite-vec":
            q128, r128 = q64, r64
        note = "" if r.queries_timed == N_QUERIES else f" ({r.queries_timed} q)"
        lines.append(
            f"| {r.library} | {r.version} | {r.licence} | {r.n:,} | {fmt(r.build_s, 1)} | "
            f"{fmt(r.rss_growth_mb, 0)} | {fmt(r.disk_mb, 0)} | {fmt(r.load_s)} | "
            f"{fmt(q64, 3)}{note} | {fmt(r64, 3)} | {fmt(q128, 3)} | {fmt(r128, 3)} | "
            f"{fmt(r.add_10k_s)} | {'yes' if r.ids_ok else 'NO'} | {r.persistence} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--libraries", nargs="+", default=list(LIBRARIES), choices=LIBRARIES)
    parser.add_argument("--seed", type=int, default=12)
    threads = os.cpu_count() or 1
    parser.add_argument("--threads", type=int, default=threads, help="threads for build and add")
    parser.add_argument(
        "--sqlite-queries",
        type=int,
        default=N_QUERIES,
        help="cap on timed queries for the exact sqlite-vec scan",
    )
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        max_q = args.sqlite_queries if args.worker == "sqlite-vec" else N_QUERIES
        print(json.dumps(asdict(worker(args.worker, args.workdir, args.threads, max_q))))
        return

    results: list[Result] = []
    for n in args.sizes:
        with tempfile.TemporaryDirectory(prefix="ann_choice_") as tmp:
            workdir = Path(tmp)
            t0 = time.perf_counter()
            make_data(n, args.seed, workdir)
            took = time.perf_counter() - t0
            print(f"# N={n:,}: data and exact top-{K} in {took:.1f} s", file=sys.stderr)
            for lib in args.libraries:
                why = available(lib)
                if why:
                    results.append(Result(library=lib, n=n, error=why))
                    continue
                cmd = [sys.executable, __file__, "--worker", lib, "--workdir", str(workdir)]
                cmd += ["--threads", str(args.threads)]
                cmd += ["--sqlite-queries", str(args.sqlite_queries)]
                t0 = time.perf_counter()
                env = {**os.environ, "ANN_WORKDIR": str(workdir)}
                proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
                if proc.returncode != 0:
                    tail = proc.stderr.strip().splitlines()[-1:] or ["no output"]
                    results.append(Result(library=lib, n=n, error=f"failed: {tail[0][:80]}"))
                else:
                    raw = json.loads(proc.stdout.strip().splitlines()[-1])
                    raw["query_ms"] = {int(k): v for k, v in raw["query_ms"].items()}
                    raw["recall"] = {int(k): v for k, v in raw["recall"].items()}
                    results.append(Result(**raw))
                print(f"#   {lib}: {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in results], indent=1))


if __name__ == "__main__":
    main()
