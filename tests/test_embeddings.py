"""Claim embeddings: the shipped int8 MiniLM, run by onnxruntime on the CPU, no torch."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from claimledger.aggregate import embeddings
from claimledger.aggregate.embeddings import DIMENSIONS, encode
from claimledger.errors import EmbeddingModelError, ModelNotFoundError

# Same claim in other words / a claim about something else, from news of several kinds.
PARAPHRASES = [
    (
        "North Korean troops are stationed in the Kursk region.",
        "Soldiers from North Korea have been deployed to Kursk.",
    ),
    (
        "The central bank raised interest rates by half a point.",
        "Borrowing costs were increased by 0.5 percentage points by the central bank.",
    ),
    (
        "The company laid off 1,200 workers last month.",
        "Last month the firm cut 1,200 jobs.",
    ),
    (
        "Heavy rain flooded hundreds of homes in the valley.",
        "Hundreds of houses in the valley were under water after downpours.",
    ),
    (
        "The minister resigned after the vote.",
        "Following the vote, the minister stepped down.",
    ),
]


def test_each_text_gets_one_unit_length_float32_row_of_384() -> None:
    texts = [a for a, _ in PARAPHRASES]
    vectors = encode(texts)
    assert vectors.shape == (len(texts), DIMENSIONS) == (5, 384)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_no_texts_give_an_empty_matrix_of_the_same_width() -> None:
    vectors = encode([])
    assert vectors.shape == (0, 384)
    assert vectors.dtype == np.float32


MIXED_LENGTHS = [
    "The storm knocked out power to about 300,000 homes across the state on Sunday night.",
    "Yes.",
    "Police arrested three men.",
    "Negotiators met in Geneva for a third round of talks on the ceasefire and prisoners.",
    "No one has claimed responsibility.",
]


def test_a_texts_vector_is_the_same_whatever_it_is_encoded_with() -> None:
    # Claims of one article are encoded together, a query claim with an article's claims, a
    # corpus in two halves or at once: each claim must get one vector all the same.
    together = encode(MIXED_LENGTHS)
    alone = np.vstack([encode([text]) for text in MIXED_LENGTHS])
    reversed_ = encode(MIXED_LENGTHS[::-1])[::-1]
    np.testing.assert_allclose(together, alone, atol=1e-6)
    np.testing.assert_allclose(reversed_, alone, atol=1e-6)


def test_rows_stay_in_the_order_given_when_batches_are_sorted_by_length() -> None:
    together = encode(MIXED_LENGTHS, batch_size=2)
    alone = np.vstack([encode([text]) for text in MIXED_LENGTHS])
    similarity = together @ alone.T  # batched int8 runs differ a little, never by the row
    assert list(similarity.argmax(axis=1)) == [0, 1, 2, 3, 4]
    assert similarity.diagonal().min() > 0.95


def test_a_paraphrase_is_closer_than_the_other_claims() -> None:
    vectors = encode([text for pair in PARAPHRASES for text in pair])
    firsts, seconds = vectors[0::2], vectors[1::2]
    similarity = firsts @ seconds.T  # [i, j]: claim i against the rewording of claim j
    for i, (claim, rewording) in enumerate(PARAPHRASES):
        others = np.delete(similarity[i], i)
        assert similarity[i, i] > 0.6, (claim, rewording, similarity[i, i])
        assert similarity[i, i] > others.max() + 0.2, (claim, similarity[i])


def test_a_text_longer_than_the_model_reads_is_cut_not_refused() -> None:
    lead = "The government announced a package of spending increases on Monday."
    long_text = lead + " It includes higher pensions and new subsidies for households." * 60
    vectors = encode([long_text, lead])
    assert vectors.shape == (2, 384)
    assert np.isfinite(vectors).all()
    assert float(vectors[0] @ vectors[1]) > 0.5  # the first 128 tokens still say the same


def test_threads_can_be_raised_without_changing_the_vectors(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    texts = [a for a, _ in PARAPHRASES]
    one = encode(texts)
    np.testing.assert_allclose(encode(texts, threads=2), one, atol=1e-5)
    monkeypatch.setenv(embeddings.THREADS_VARIABLE, "none")
    with pytest.raises(ValueError, match=embeddings.THREADS_VARIABLE):
        encode(texts)


def test_a_missing_model_file_is_an_installation_error_that_names_it_and_the_remedy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "model.onnx"
    monkeypatch.setattr(embeddings, "MODEL_PATH", missing)
    with pytest.raises(EmbeddingModelError) as raised:
        encode(["Troops are stationed in Kursk."])
    assert isinstance(raised.value, ModelNotFoundError)  # the pipeline's installation errors
    message = str(raised.value)
    assert str(missing) in message
    assert "reinstall claimledger" in message
    assert "claimledger train embeddings" in message


def test_an_unreadable_model_or_tokenizer_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "model.onnx").write_bytes(b"not a protobuf")
    shutil.copyfile(embeddings.TOKENIZER_PATH, tmp_path / "tokenizer.json")
    with pytest.raises(EmbeddingModelError, match=r"model\.onnx: not an ONNX model"):
        encode(["A claim."], model_dir=tmp_path)
    shutil.copyfile(embeddings.MODEL_PATH, tmp_path / "model.onnx")
    (tmp_path / "tokenizer.json").write_text("{}", encoding="utf-8")
    with pytest.raises(EmbeddingModelError, match=r"tokenizer\.json: not a tokenizer"):
        encode(["A claim."], model_dir=tmp_path)


def test_importing_claimledger_and_the_module_does_not_load_onnxruntime() -> None:
    program = (
        "import sys, claimledger, claimledger.aggregate.embeddings; "
        "print('onnxruntime' in sys.modules, 'torch' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.split() == ["False", "False"]
