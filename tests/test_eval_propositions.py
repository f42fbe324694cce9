"""`claimledger eval propositions emergent`: how well headlines of one claim are grouped into
one proposition, and headlines of different claims kept apart."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimledger.cli import app
from claimledger.eval.propositions import score_grouping

FIXTURE = Path(__file__).parent / "fixtures" / "propositions" / "emergent_grouping.csv"
runner = CliRunner()


def test_a_perfect_grouping_scores_one() -> None:
    scores = score_grouping(["a", "a", "b"], [7, 7, 9])
    assert (scores.bcubed_f1, scores.pairwise_f1) == (1.0, 1.0)
    assert (scores.claims, scores.groups) == (2, 2)


def test_splitting_a_claim_costs_recall_and_merging_claims_costs_precision() -> None:
    split = score_grouping(["a", "a", "a", "a"], [1, 1, 2, 2])
    assert split.bcubed_precision == 1.0
    assert split.bcubed_recall == pytest.approx(0.5)
    assert split.pairwise_recall == pytest.approx(2 / 6)
    merged = score_grouping(["a", "a", "b", "b"], [1, 1, 1, 1])
    assert merged.bcubed_recall == 1.0
    assert merged.bcubed_precision == pytest.approx(0.5)
    assert merged.pairwise_precision == pytest.approx(2 / 6)


def test_the_command_groups_paraphrases_and_negations_and_keeps_claims_apart() -> None:
    result = runner.invoke(app, ["eval", "propositions", "emergent", str(FIXTURE), "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    assert scores["headlines"] == 6 and scores["claims"] == 3
    # Different claims (a crocodile, a central bank, a comet) are never put together …
    assert scores["bcubed_precision"] == 1.0
    # … and the denial "No crocodile was found" is the crocodile claim, not another one.
    assert scores["groups"] == 3


def test_a_file_that_is_not_emergent_is_named_with_the_columns_it_lacks(tmp_path: Path) -> None:
    bad = tmp_path / "other.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    result = runner.invoke(app, ["eval", "propositions", "emergent", str(bad)])
    assert result.exit_code == 1
    assert "other.csv" in result.output and "claimHeadline" in result.output
