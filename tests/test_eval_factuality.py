"""Factuality scorer on a four-sentence, hand-written fixture in the UW/MEANTIME format.

tests/fixtures/factuality/TOY/dev.jsonl, gold and the labels the rules give:
  said 3.0 (CT+ 3), reopened 3.0 (CT+ 3), left 0.8 ("may": PS+ 1), sell -2.6 ("did not": CT- -3),
  plans 3.0 (CT+ 3), build 2.8 ("plans to": Uu 0)
MAE = (0 + 0 + 0.2 + 0.4 + 0 + 2.8) / 6 = 0.567; the +3 baseline (0 + 0 + 2.2 + 5.6 + 0 + 0.2) / 6
= 1.333. Negated (< -1): gold {sell}, predicted {sell}. Hedged (|x| < 2.5): gold {left} (sell's
|-2.6| is not under 2.5), predicted {left, build}.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimledger.errors import InputError
from claimledger.eval.factuality import LABEL_VALUES, load, pearson, predict, run

FIXTURE = Path(__file__).parent / "fixtures" / "factuality"


def test_load_reads_tokens_and_targets() -> None:
    sentences = load(FIXTURE / "TOY" / "dev.jsonl")
    assert len(sentences) == 4
    first = sentences[0]
    assert first.tokens[5] == "reopened"
    start, end = first.char_span(first.targets[1])
    assert first.text[start:end] == "reopened"


def test_predict_labels_each_target() -> None:
    labels = predict(load(FIXTURE / "TOY" / "dev.jsonl"))
    assert labels == [["CT+", "CT+"], ["PS+"], ["CT-"], ["CT+", "Uu"]]


def test_run_scores_the_fixture() -> None:
    report = run(FIXTURE)
    (toy,) = report.datasets
    assert toy.name == "TOY/dev"
    assert toy.n == 6
    assert toy.mae == pytest.approx(0.567, abs=1e-3)
    assert toy.baseline_mae == pytest.approx(1.333, abs=1e-3)
    assert (toy.negated.precision, toy.negated.recall) == (1.0, 1.0)
    assert (toy.hedged.precision, toy.hedged.recall) == (0.5, 1.0)
    assert toy.pearson_r > 0.5
    assert json.loads(json.dumps(report.to_dict()))["datasets"][0]["n"] == 6
    assert "TOY/dev" in report.format_table()


def test_a_single_file_can_be_scored() -> None:
    assert run(FIXTURE / "TOY" / "dev.jsonl").datasets[0].n == 6


def test_missing_input_says_what_to_pass(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"no dev\.jsonl"):
        run(tmp_path)


def test_bad_row_names_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "dev.jsonl"
    bad.write_text('{"text": "a b", "targets": [{"span1": [0]}]}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"dev\.jsonl:1"):
        load(bad)


def test_label_values_span_the_scale() -> None:
    assert LABEL_VALUES["CT+"] == 3.0 and LABEL_VALUES["CT-"] == -3.0 and LABEL_VALUES["Uu"] == 0.0


def test_pearson() -> None:
    assert pearson([1, 2, 3], [2, 4, 6]) == pytest.approx(1.0)
    assert pearson([1, 1, 1], [1, 2, 3]) == 0.0
