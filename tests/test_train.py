"""`claimledger train attribution` learns cue verbs from a PolNeAR-style corpus, end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimledger.attribute import candidate_drafts, learn, lexicon
from claimledger.attribute.classifier import MODEL_NAME, cue_probabilities, load_model
from claimledger.attribute.frames import ROLES
from claimledger.cli import app
from claimledger.nlp import load_pipeline

SPLIT = Path(__file__).parent / "fixtures" / "polnear"


def _train(out_dir: Path) -> None:
    result = CliRunner().invoke(
        app,
        [
            "train",
            "attribution",
            str(SPLIT),
            "--out-dir",
            str(out_dir),
            "--min-count",
            "1",
            "--min-ratio",
            "0.1",
        ],
    )
    assert result.exit_code == 0, result.output


def test_train_counts_cue_heads_and_writes_a_reproducible_lexicon(tmp_path: Path) -> None:
    _train(tmp_path)
    out = tmp_path / "cues.learned.tsv"
    lines = out.read_text(encoding="utf-8").splitlines()
    header = [line for line in lines if line.startswith("#")]
    rows = [line.split("\t") for line in lines if not line.startswith("#")]
    assert any("PolNeAR" in line for line in header)
    assert any("heads >= 1" in line for line in header)
    # Every learned row is a verb the hand-written list lacks, counted from the gold cues.
    for lemma, cls, np_content, as_cue, total in rows:
        assert lemma not in lexicon.hand_cues()
        assert 1 <= int(as_cue) <= int(total)
        assert (cls, np_content) == ("assert", "yes")
    # Running it again gives the same files: what ships can be reproduced.
    again = tmp_path / "again" / "deeper"  # made by the command
    _train(again)
    for name in ("cues.learned.tsv", "attribution_model.json"):
        assert (again / name).read_text(encoding="utf-8") == (tmp_path / name).read_text(
            encoding="utf-8"
        )


def test_train_fits_a_cue_model_and_a_role_model_from_the_fixture(tmp_path: Path) -> None:
    _train(tmp_path)
    data = json.loads((tmp_path / "attribution_model.json").read_text(encoding="utf-8"))
    assert data["name"] == MODEL_NAME
    assert "PolNeAR" in data["data"]
    assert data["gold_cue_heads"] >= 1 and data["cue_candidates"] > data["gold_cue_heads"]
    assert 0.0 < data["threshold"] < 1.0 and 0.0 < data["frame_threshold"] < 1.0
    assert set(data["roles"]) == set(ROLES)
    assert "weights" in data["extent"] and data["end_contents"] >= 1
    assert 0.0 <= data["held_out_end_accuracy"] <= 1.0
    model = load_model(tmp_path / "attribution_model.json")
    assert model is not None
    # What it learned from: the cue verbs score above the nouns around them, and the subject
    # of a cue is its source.
    nlp = load_pipeline()
    with nlp.select_pipes(disable=["claimledger_attribution"]):
        doc = nlp((SPLIT / "text" / "alpha_2016-01-01_roe-budget_a1.txt").read_text())
    p = cue_probabilities(doc, candidate_drafts(doc), model.cue)
    word = {t.text: t.i for t in doc}
    assert p[word["said"]] > p[word["pass"]]
    assert p[word["told"]] > p[word["wait"]]
    # Nouns are scored only when a noun of that lemma headed a cue in training.
    assert model.cue.nouns is not None and "budget" not in model.cue.nouns
    assert word["budget"] not in p
    assert model.roles.role(["dep=nsubj", "dep+side=nsubj|L"]) == "source"


def test_counts_see_the_fixture_cues() -> None:
    counts = {c.lemma: c for c in learn.count_cue_heads(SPLIT)}
    assert counts["say"].as_cue >= 1
    assert counts["say"].as_cue <= counts["say"].total
    assert learn.select_cues(counts.values(), min_count=1, min_ratio=0.0)  # some verb qualifies
    assert all(c.lemma != "say" for c in learn.select_cues(counts.values(), 1, 0.0))


def test_train_on_a_folder_that_is_not_a_split_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["train", "attribution", str(tmp_path)])
    assert result.exit_code == 2


def test_the_shipped_learned_cues_are_loaded_with_the_hand_written_ones() -> None:
    learned = [
        line.split("\t")[0]
        for line in learn.LEARNED_CUES.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    assert learned, "cues.learned.tsv is empty: run claimledger train attribution"
    assert set(learned) <= set(lexicon.cues())
    assert set(lexicon.hand_cues()) <= set(lexicon.cues())


def test_cue_head_f1_counts_rule_supported_and_free_words_at_their_own_cuts() -> None:
    import numpy as np

    # Words with a rule candidate are cues from 0.3 up; words without one only from 0.7 up.
    p = np.array([0.2, 0.35, 0.4, 0.9, 0.5, 0.6, 0.75, 0.8])
    y = np.array([0, 1, 1, 1, 0, 0, 1, 1])
    ruled = np.array([True, True, True, True, False, False, False, False])
    assert learn._cue_head_f1(p, y, ruled, 0.3, 0.7) == 1.0
    # One cut for both keeps the two free non-cues: 5 right of 7 kept, 5 gold.
    assert learn._cue_head_f1(p, y, ruled, 0.3, 0.3) == 2 * 5 / (7 + 5)


def test_thresholds_are_chosen_on_the_held_out_articles_end_to_end(tmp_path: Path) -> None:
    _train(tmp_path)
    data = json.loads((tmp_path / "attribution_model.json").read_text(encoding="utf-8"))
    assert data["threshold"] in learn._CUTS and data["frame_threshold"] in learn._CUTS
    assert set(data["held_out_f1"]) == set(learn.TUNED_ON)
    assert all(0.0 <= f1 <= 1.0 for f1 in data["held_out_f1"].values())
    # The held-out fixture article is found at least in part by the model fitted without it.
    assert data["held_out_f1"]["attribution"] > 0.0


def test_train_refuses_an_output_folder_it_cannot_make_before_any_work(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["train", "attribution", str(SPLIT), "--out-dir", str(blocker / "out")]
    )
    assert result.exit_code == 2
    assert "cannot write here" in result.output


def test_training_needs_no_model_to_exist_yet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The first training of all, or one after the model was deleted: the parse runs without the
    # attribution component's model, which learned mode would otherwise insist on.
    from claimledger.attribute import classifier

    monkeypatch.setattr(classifier, "MODEL_PATH", tmp_path / "none" / "attribution_model.json")
    load_pipeline.cache_clear()  # a pipeline built now must not find the model either
    try:
        _train(tmp_path / "out")
    finally:
        load_pipeline.cache_clear()
    assert load_model(tmp_path / "out" / "attribution_model.json").cue.threshold > 0
