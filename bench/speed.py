"""Throughput of the whole claimledger pipeline against a bare ``nlp.pipe`` of the same model.

Usage: python bench/speed.py [DIR_OF_TXT] [--model NAME] [--repeat N]

Both runs read the same texts on one core (BLAS threads pinned to 1) in one process; the
figure that matters is the ratio (the issue asks for >= 0.8). Run by hand; results go in the
issue note, never in a test.
"""

from __future__ import annotations

import os

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

import argparse  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import spacy  # noqa: E402

from claimledger.ingest import read_text  # noqa: E402
from claimledger.model import Article  # noqa: E402
from claimledger.nlp import DEFAULT_MODEL, load_pipeline  # noqa: E402
from claimledger.pipeline import analyze_articles  # noqa: E402

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "shared/benchmarks/polnear/dev/text"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--model", default=DEFAULT_MODEL)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    texts = [p.read_text(encoding="utf-8") for p in sorted(args.dir.glob("*.txt"))]
    bare = spacy.load(args.model)
    ours = load_pipeline(args.model)
    tokens = sum(len(d) for d in bare.pipe(texts))  # also warms both caches
    list(analyze_articles([read_text(texts[0])], args.model))
    best_bare = best_ours = float("inf")
    for _ in range(args.repeat):
        start = time.perf_counter()
        for _doc in bare.pipe(texts, batch_size=16):
            pass
        best_bare = min(best_bare, time.perf_counter() - start)
        articles = [read_text(t, path=f"bench-{n}") for n, t in enumerate(texts)]
        start = time.perf_counter()
        results = list(analyze_articles(articles, args.model))
        best_ours = min(best_ours, time.perf_counter() - start)
        statements = sum(len(a.statements) for a in results if isinstance(a, Article))
    print(f"texts {len(texts)}, tokens {tokens}, statements {statements}")
    print(f"pipeline {ours.pipe_names}")
    print(f"bare nlp.pipe      {tokens / best_bare:9.0f} tokens/s ({best_bare:.2f} s)")
    print(f"claimledger        {tokens / best_ours:9.0f} tokens/s ({best_ours:.2f} s)")
    print(f"ratio              {best_bare / best_ours:9.2f}")


if __name__ == "__main__":
    main()
