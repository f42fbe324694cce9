"""Article stance towards a claim, as FNC-1 and Emergent score it (``claimledger eval stance``).

The scorer follows the FNC-1 baseline's scorer.py; the readers take FNC-1's two CSV files and
Emergent's one, with or without their stance column; the held-out part is drawn by body (by
claim), never by pair; and the decision itself runs the path ``check`` takes.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimledger.cli import app
from claimledger.eval import stance
from claimledger.eval.stance import (
    FNC_LABELS,
    fnc_weighted_score,
    is_held_out,
    read_emergent,
    read_fnc1,
    score_labels,
)

FIXTURES = Path(__file__).parent / "fixtures" / "stance"
BODIES = FIXTURES / "fnc_bodies.csv"
STANCES = FIXTURES / "fnc_stances.csv"
runner = CliRunner()


# -- The FNC-1 score ----------------------------------------------------------------------------

GOLD = ["agree", "disagree", "discuss", "unrelated", "unrelated"]


def test_a_perfect_prediction_scores_the_maximum_and_100_percent() -> None:
    assert fnc_weighted_score(GOLD, GOLD) == (3 * 1.0 + 2 * 0.25, 3.5)
    report = score_labels(GOLD, GOLD, FNC_LABELS, "FNC-1", weighted=True)
    assert report.fnc_score == pytest.approx(100.0)
    assert report.accuracy == 1.0
    assert report.macro_f1 == 1.0


def test_calling_everything_unrelated_earns_only_the_unrelated_pairs() -> None:
    predicted = ["unrelated"] * 5
    assert fnc_weighted_score(GOLD, predicted) == (0.5, 3.5)
    report = score_labels(GOLD, predicted, FNC_LABELS, "FNC-1", weighted=True)
    assert report.fnc_score == pytest.approx(100 * 0.5 / 3.5)
    # unrelated: precision 2/5, recall 1, F1 4/7; the three related classes score 0
    assert report.per_class["unrelated"].f1 == pytest.approx(4 / 7)
    assert report.macro_f1 == pytest.approx((4 / 7) / 4)


def test_swapping_agree_and_discuss_keeps_the_related_quarter_of_each() -> None:
    predicted = ["discuss", "disagree", "agree", "unrelated", "unrelated"]
    # agree->discuss 0.25, disagree 1.0, discuss->agree 0.25, two unrelated 0.25 each
    assert fnc_weighted_score(GOLD, predicted) == (2.0, 3.5)
    report = score_labels(GOLD, predicted, FNC_LABELS, "FNC-1", weighted=True)
    assert report.accuracy == pytest.approx(3 / 5)
    assert report.confusion[0] == (0, 0, 1, 0)  # gold agree, predicted discuss
    assert report.confusion[2] == (1, 0, 0, 0)
    assert report.per_class["agree"].f1 == 0.0
    assert report.macro_f1 == pytest.approx(0.5)


def test_an_unrelated_pair_called_related_earns_nothing() -> None:
    assert fnc_weighted_score(["unrelated"], ["discuss"]) == (0.0, 0.25)
    assert fnc_weighted_score(["agree"], ["unrelated"]) == (0.0, 1.0)


# -- Readers ------------------------------------------------------------------------------------


def test_fnc1_reader_takes_the_bom_and_a_quoted_body_over_several_lines() -> None:
    data = read_fnc1(BODIES, STANCES)
    assert list(data.bodies) == ["7", "12", "30"]
    assert data.bodies["7"].startswith("Officials in the city denied")
    assert "\n\n\"There is no crocodile, it is a hoax,\" the mayor said." in data.bodies["7"]
    assert data.labelled
    assert [p.stance for p in data.pairs] == [
        "disagree", "discuss", "unrelated", "agree", "unrelated",
    ]  # fmt: skip
    first = stance.FncPair("Crocodile found in public swimming pool", "7", "disagree")
    assert data.pairs[0] == first


def test_fnc1_reader_without_a_stance_column_gives_unlabelled_pairs() -> None:
    data = read_fnc1(BODIES, FIXTURES / "fnc_stances_unlabelled.csv")
    assert not data.labelled
    assert all(p.stance is None for p in data.pairs)
    assert len(data.pairs) == 6
    assert data.unknown_bodies == 1  # Body ID 999


def test_emergent_reader_maps_its_columns_with_and_without_the_stance() -> None:
    data = read_emergent(FIXTURES / "emergent.csv")
    assert data.labelled
    first = data.pairs[0]
    assert (first.claim_id, first.article_id, first.stance) == ("c1", "a1", "against")
    assert first.headline == "Crocodile in the pool? City says photo is a hoax"
    bare = read_emergent(FIXTURES / "emergent_unlabelled.csv")
    assert not bare.labelled
    assert [p.article_id for p in bare.pairs] == ["a1", "a2", "a3"]


def test_a_file_without_the_needed_columns_is_an_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(stance.StanceDataError, match=r"fnc_no_body_column\.csv: missing column"):
        read_fnc1(FIXTURES / "fnc_no_body_column.csv", STANCES)
    binary = tmp_path / "stances.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0")
    with pytest.raises(stance.StanceDataError, match="not a CSV file"):
        read_fnc1(BODIES, binary)
    bad_label = tmp_path / "labels.csv"
    bad_label.write_text("Headline,Body ID,Stance\nX,7,maybe\n", encoding="utf-8")
    with pytest.raises(stance.StanceDataError, match="row 2: stance 'maybe'"):
        read_fnc1(BODIES, bad_label)


# -- The held-out split -------------------------------------------------------------------------


def test_the_split_is_by_body_so_no_body_is_on_both_sides() -> None:
    from claimledger.aggregate.train_stance import examples, held_out

    bodies = {str(n): f"body {n}" for n in range(300)}
    pairs = tuple(
        stance.FncPair(f"headline {h}", str(n), "unrelated") for n in range(300) for h in range(4)
    )
    every = examples(stance.FncData(bodies, pairs, True), stance.EmergentData((), True))
    fit = {e.key for e in every if not held_out(e)}
    test = {e.key for e in every if held_out(e)}
    assert fit and test and not fit & test
    assert 0.1 < len(test) / 300 < 0.3  # about a fifth of the bodies


def test_the_split_depends_on_the_id_alone() -> None:
    ids = [str(n) for n in range(2000)]
    first = [is_held_out(i) for i in ids]
    assert first == [is_held_out(i) for i in ids]
    assert 0.17 < sum(first) / len(ids) < 0.23


# -- Predictions files --------------------------------------------------------------------------


def test_fnc_predictions_have_every_row_in_input_order(tmp_path: Path) -> None:
    data = read_fnc1(BODIES, STANCES)
    labels = ["agree", "discuss", "unrelated", "agree", "disagree"]
    out = tmp_path / "pred.csv"
    stance.write_fnc_predictions(out, data.pairs, labels)
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["Headline", "Body ID", "Stance"]
    assert [(r[1], r[2]) for r in rows[1:]] == [
        (p.body_id, label) for p, label in zip(data.pairs, labels, strict=True)
    ]


def test_emergent_predictions_name_article_and_claim(tmp_path: Path) -> None:
    data = read_emergent(FIXTURES / "emergent.csv")
    out = tmp_path / "pred.csv"
    stance.write_emergent_predictions(out, data.pairs, ["against", "observing", "for"])
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines == [
        "articleId,claimId,articleHeadlineStance",
        "a1,c1,against",
        "a2,c1,observing",
        "a3,c2,for",
    ]


# -- The command --------------------------------------------------------------------------------


def test_a_bad_file_is_one_error_line_and_exit_2() -> None:
    result = runner.invoke(
        app,
        ["eval", "stance", "fnc1", "--bodies", str(FIXTURES / "fnc_no_body_column.csv"),
         "--stances", str(STANCES)],
    )  # fmt: skip
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1
    assert "fnc_no_body_column.csv: missing column articleBody" in lines[0]


def test_emergent_file_missing_is_one_error_line_and_exit_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["eval", "stance", "emergent", str(tmp_path / "nope.csv")])
    assert result.exit_code == 2
    assert "nope.csv: no such file" in result.output
