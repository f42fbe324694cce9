"""Sentence embeddings for claims: all-MiniLM-L6-v2 as an int8 ONNX graph, on a CPU, no torch.

The network ships in the package (``minilm/model.onnx``, exported and quantised once by
``claimledger train embeddings``; ``minilm/MODEL_CARD.md`` says how and what it is). At run time
only onnxruntime, tokenizers and numpy are needed: the tokenizer turns each text into at most
``MAX_TOKENS`` word pieces, the graph gives one 384-dimensional vector per piece, and the vector of
the text is their mean over the attention mask, scaled to unit length — what sentence-transformers
does for this model, so a dot product of two rows is their cosine.

onnxruntime is imported on the first call, never with ``claimledger``: the command's ``--help``
and the stages that need no vectors must not wait for it.

Example::

    vectors = encode(["Troops are stationed in Kursk.", "Soldiers are based in Kursk."])
    float(vectors[0] @ vectors[1])  # about 0.9
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from claimledger.errors import EmbeddingModelError

MODEL_DIR = Path(__file__).with_name("minilm")
MODEL_PATH = MODEL_DIR / "model.onnx"
TOKENIZER_PATH = MODEL_DIR / "tokenizer.json"
DIMENSIONS = 384
# all-MiniLM-L6-v2 was trained on pieces of up to 128 tokens; a claim is one clause, far shorter,
# so a longer text is cut rather than run through positions the model saw little of.
MAX_TOKENS = 128
# Texts per run of the graph. One: the int8 graph quantises its activations with one scale per
# run (dynamic quantisation), so texts run together would change each other's vectors (cosine
# down to 0.96 between the same text alone and in a batch of 64); alone, a text always gets the
# same vector, whatever it is encoded with — which matching claims across articles, ingested in
# any order, relies on. On one core it costs nothing: 122 texts/s alone, 123/s in batches of 64
# (bench/embeddings_choice.md).
BATCH_SIZE = 1
# Texts tokenised and sorted by length together: sorting a larger group pads less, a smaller one
# holds fewer token lists in memory at once.
_CHUNK = 4096
THREADS_VARIABLE = "CLAIMLEDGER_EMBEDDING_THREADS"

_REMEDY = (
    "reinstall claimledger (pip install --force-reinstall claimledger), or rebuild it with "
    "`claimledger train embeddings` (needs pip install 'claimledger[train]')"
)


@dataclass(frozen=True, slots=True)
class _Encoder:
    session: Any  # onnxruntime.InferenceSession (untyped)
    inputs: frozenset[str]
    tokenizer: Any  # tokenizers.Tokenizer
    pad_id: int


def encode(
    texts: Sequence[str],
    batch_size: int = BATCH_SIZE,
    threads: int | None = None,
    model_dir: Path | None = None,
) -> np.ndarray:
    """One unit-length float32 row of ``DIMENSIONS`` values per text, in the order given.

    ``batch_size``: texts per run of the graph; above 1 (sorted by length, padded) a text's
    vector depends slightly on the others in its batch, so keep 1 unless only throughput counts.
    ``threads``: onnxruntime's intra-op threads; by default ``$CLAIMLEDGER_EMBEDDING_THREADS``
    or 1 (claimledger runs one process per core, so one thread each avoids oversubscription).
    ``model_dir``: a folder with model.onnx and tokenizer.json instead of the shipped ones
    (``claimledger train embeddings`` checks a new export this way). Raises
    ``EmbeddingModelError`` naming the file when the model is missing or unreadable.

    Example::

        encode(["Pyongyang sent troops."]).shape  # (1, 384)
    """
    out = np.empty((len(texts), DIMENSIONS), dtype=np.float32)
    if not texts:
        return out
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, not {batch_size}")
    if model_dir is None:
        model_path, tokenizer_path = MODEL_PATH, TOKENIZER_PATH  # read at call time
    else:
        model_path, tokenizer_path = model_dir / MODEL_PATH.name, model_dir / TOKENIZER_PATH.name
    encoder = _encoder(model_path, tokenizer_path, _threads(threads))
    for start in range(0, len(texts), _CHUNK):
        chunk = texts[start : start + _CHUNK]
        # One text at a time (encode, not encode_batch): encode_batch starts a thread pool,
        # and a process forked after that (the local engine's workers) warns and disables it.
        pieces = [encoder.tokenizer.encode(text).ids for text in chunk]
        # Similar lengths in one batch pad less; the rows go back to their own places.
        order = sorted(range(len(pieces)), key=lambda i: len(pieces[i]))
        for first in range(0, len(order), batch_size):
            rows = order[first : first + batch_size]
            out[[start + i for i in rows]] = _embed(encoder, [pieces[i] for i in rows])
    return out


def _embed(encoder: _Encoder, pieces: Sequence[list[int]]) -> np.ndarray:
    width = max(len(ids) for ids in pieces)
    ids = np.full((len(pieces), width), encoder.pad_id, dtype=np.int64)
    mask = np.zeros((len(pieces), width), dtype=np.int64)
    for row, tokens in enumerate(pieces):
        ids[row, : len(tokens)] = tokens
        mask[row, : len(tokens)] = 1
    feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
    hidden = encoder.session.run(None, {k: v for k, v in feeds.items() if k in encoder.inputs})[0]
    weights = mask[:, :, None].astype(np.float32)
    pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    return np.asarray(pooled / np.maximum(norms, 1e-12), dtype=np.float32)


def _threads(threads: int | None) -> int:
    if threads is None:
        raw = os.environ.get(THREADS_VARIABLE, "1")
        try:
            threads = int(raw)
        except ValueError:
            raise ValueError(f"${THREADS_VARIABLE}={raw!r}: not a whole number") from None
    if threads < 1:
        raise ValueError(f"embedding threads must be at least 1, not {threads}")
    return threads


@lru_cache(maxsize=4)
def _encoder(model_path: Path, tokenizer_path: Path, threads: int) -> _Encoder:
    """The session and tokenizer, loaded once per (files, threads)."""
    import onnxruntime as ort
    from tokenizers import Tokenizer

    try:
        graph = model_path.read_bytes()
    except OSError as error:
        raise EmbeddingModelError(
            f"{model_path}: the embedding model cannot be read ({error.strerror}); {_REMEDY}"
        ) from None
    try:
        tokenizer_text = tokenizer_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise EmbeddingModelError(
            f"{tokenizer_path}: the embedding model's tokenizer cannot be read ({error}); "
            f"{_REMEDY}"
        ) from None
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3  # errors only: its warnings are not the user's business
    try:
        session = ort.InferenceSession(graph, options, providers=["CPUExecutionProvider"])
    except Exception as error:  # onnxruntime raises its own untyped pybind11 errors
        raise EmbeddingModelError(
            f"{model_path}: not an ONNX model onnxruntime can load ({error}); {_REMEDY}"
        ) from None
    try:
        tokenizer = Tokenizer.from_str(tokenizer_text)
    except Exception as error:  # tokenizers raises a bare Exception for a malformed file
        raise EmbeddingModelError(
            f"{tokenizer_path}: not a tokenizer the tokenizers package reads ({error}); {_REMEDY}"
        ) from None
    shape = session.get_outputs()[0].shape
    if len(shape) != 3 or shape[-1] != DIMENSIONS:
        raise EmbeddingModelError(
            f"{model_path}: gives vectors of shape {shape}, not [batch, tokens, {DIMENSIONS}]; "
            f"{_REMEDY}"
        )
    tokenizer.no_padding()  # padding is done per batch in _embed
    tokenizer.enable_truncation(max_length=MAX_TOKENS)
    pad_id = tokenizer.token_to_id("[PAD]")
    return _Encoder(
        session,
        frozenset(i.name for i in session.get_inputs()),
        tokenizer,
        0 if pad_id is None else pad_id,
    )
