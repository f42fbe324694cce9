"""``claimledger eval timex``: TempEval-3 scoring on a tiny TimeML file written for the tests."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from claimledger.eval.timex import GoldTimex, load_timeml, run, score, score_document
from claimledger.ingest import read_text
from claimledger.model import TimeExpression

FIXTURES = Path(__file__).parent / "fixtures" / "timeml"


def test_load_timeml_strips_tags_and_unescapes_so_offsets_point_into_the_text() -> None:
    text, dct, gold = load_timeml(FIXTURES / "harbour.tml")
    assert dct == "2024-12-10"
    assert "&amp;" not in text and " & costs" in text
    assert [text[g.start : g.end] for g in gold] == [
        "Saturday",
        "three months",
        "last week",
        "November",
    ]
    assert [g.value for g in gold] == ["2024-12-07", "P3M", "2024-W49", "2024-11"]


def test_matching_is_one_to_one_and_prefers_the_exact_span() -> None:
    gold = [GoldTimex(10, 16, "2024-12-07", "DATE")]
    report = score_document(gold, [(5, 16, "2024-12-07"), (10, 16, "2024-12-06")])
    assert (report.relaxed, report.strict, report.value_correct) == (1, 1, 0)
    assert report.predicted == 2


def test_scores_follow_tempeval3_definitions() -> None:
    text, dct, gold = load_timeml(FIXTURES / "harbour.tml")
    exprs = (
        TimeExpression("t1", gold[0].start, gold[0].end, "Saturday", "2024-12-07"),
        TimeExpression("t2", gold[2].start - 5, gold[2].end, "x last week", "2024-W48"),
        TimeExpression("t3", 0, 3, "The", None),
    )
    article = replace(read_text(text, path="harbour.tml", published=dct), time_expressions=exprs)
    report = score(FIXTURES, [article])
    assert (report.gold, report.predicted, report.strict, report.relaxed) == (4, 3, 1, 2)
    assert report.strict_f1 == pytest.approx(2 * 1 / 7)
    assert report.relaxed_f1 == pytest.approx(2 * 2 / 7)
    assert report.value_accuracy == pytest.approx(0.5)
    assert report.value_f1 == pytest.approx(2 * 2 / 7 * 0.5)
    assert set(report.to_dict()) >= {"strict", "relaxed", "value_accuracy", "value_f1"}


def test_run_finds_every_expression_of_the_fixture_with_its_value() -> None:
    report = run(FIXTURES)
    assert report.documents == 1
    assert report.strict_f1 == pytest.approx(1.0)
    assert report.value_accuracy == pytest.approx(1.0)
