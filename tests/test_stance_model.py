"""The article-stance model as ``check`` and ``eval stance`` serve it: boosted trees read from
``stance_model.json`` in numpy, a headline model for headline-length texts, and the model the
package ships (trained by ``claimledger train stance``; its held-out figures travel with it)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from claimledger.aggregate.article_stance import LABELS
from claimledger.aggregate.stance_features import FEATURE_NAMES
from claimledger.aggregate.stance_model import (
    HEADLINE_WORDS,
    MODEL_PATH,
    StanceModel,
    StanceModelError,
    Tree,
    load_stance_model,
    model_from_dict,
    model_to_dict,
)
from claimledger.cli import app

FIXTURES = Path(__file__).parent / "fixtures" / "stance"
WORDS = FEATURE_NAMES.index("log_body_words")


def leaf(value: float) -> Tree:
    empty = np.zeros(0, dtype=np.int32)
    return Tree(empty, np.zeros(0), empty, empty, np.array([value]))


def split(feature: int, threshold: float, low: float, high: float) -> Tree:
    """One split: ``low`` when the feature is at most ``threshold``, else ``high``."""
    return Tree(
        np.array([feature], dtype=np.int32),
        np.array([threshold]),
        np.array([~0], dtype=np.int32),
        np.array([~1], dtype=np.int32),
        np.array([low, high]),
    )


def body_model(headline: StanceModel | None = None) -> StanceModel:
    # agree +2 for every row; unrelated +1: agree wins everywhere.
    trees = (leaf(2.0), leaf(0.0), leaf(0.0), leaf(1.0))
    return StanceModel(LABELS, FEATURE_NAMES, trees, (0.0,) * 4, {}, headline)


def headline_model() -> StanceModel:
    # discuss wins among the related labels.
    trees = (leaf(0.0), leaf(0.0), leaf(3.0))
    return StanceModel(LABELS[:-1], FEATURE_NAMES, trees, (0.0,) * 3, {})


def rows(*body_words: int) -> np.ndarray:
    x = np.zeros((len(body_words), len(FEATURE_NAMES)))
    x[:, WORDS] = np.log1p(body_words)
    return x


def test_the_scores_of_the_trees_reached_become_softmax_probabilities() -> None:
    model = StanceModel(
        LABELS, FEATURE_NAMES, (split(0, 0.5, 0.0, 4.0), leaf(0.0), leaf(0.0), leaf(0.0)),
        (0.0,) * 4, {},
    )  # fmt: skip
    x = np.zeros((2, len(FEATURE_NAMES)))
    x[1, 0] = 1.0
    p = model.probabilities(x)
    assert p.sum(axis=1) == pytest.approx([1.0, 1.0])
    assert p[0] == pytest.approx([0.25] * 4)  # every score 0
    assert p[1, 0] == pytest.approx(np.exp(4) / (np.exp(4) + 3))


def test_a_headline_takes_the_headline_models_labels_and_the_body_models_unrelated() -> None:
    model = body_model(headline_model())
    long, short = model.probabilities(rows(HEADLINE_WORDS + 100, HEADLINE_WORDS))
    assert LABELS[int(long.argmax())] == "agree"  # a body: the body model alone
    assert LABELS[int(short.argmax())] == "discuss"  # a headline: the headline model
    unrelated = body_model().probabilities(rows(HEADLINE_WORDS))[0, -1]
    assert short[-1] == pytest.approx(unrelated)  # related or not: still the body model's
    assert short.sum() == pytest.approx(1.0)


def test_a_model_survives_its_json_form() -> None:
    model = body_model(headline_model())
    again = model_from_dict(json.loads(json.dumps(model_to_dict(model))))
    x = rows(3, 500)
    assert again.probabilities(x) == pytest.approx(model.probabilities(x))
    assert again.headline is not None and again.headline.classes == LABELS[:-1]


def test_features_of_another_width_are_refused_with_what_to_do() -> None:
    with pytest.raises(StanceModelError, match="retrain it with `claimledger train stance`"):
        body_model().probabilities(np.zeros((1, 3)))


def test_a_missing_model_file_names_itself_and_the_way_back(tmp_path: Path) -> None:
    with pytest.raises(StanceModelError, match=r"stance_model\.json: the stance model is missing"):
        load_stance_model(tmp_path / "stance_model.json")


def test_another_format_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    path.write_text('{"format": "something-else/1"}', encoding="utf-8")
    with pytest.raises(StanceModelError, match="not a stance model of format"):
        load_stance_model(path)


# -- The shipped model ----------------------------------------------------------------------


def test_the_package_ships_a_model_over_todays_features_with_its_held_out_figures() -> None:
    assert MODEL_PATH.is_file(), "run `claimledger train stance` (aggregate/STANCE_MODEL_CARD.md)"
    model = load_stance_model()
    assert model.features == FEATURE_NAMES
    assert model.classes == LABELS
    assert model.headline is not None
    held = model.report["held_out"]
    assert held["fnc1"]["pairs"] > 10_000 and held["emergent"]["pairs"] > 300
    assert 0.0 < held["fnc1"]["fnc_score"] <= 100.0


def test_eval_stance_runs_the_check_path_on_fnc_files_without_a_stance_column(
    tmp_path: Path,
) -> None:
    unlabelled = tmp_path / "stances.csv"
    unlabelled.write_text(
        "Headline,Body ID\n"
        "A crocodile was found in the public swimming pool,7\n"
        "The city council will open the bridge in March,12\n",
        encoding="utf-8",
    )
    out = tmp_path / "pred.csv"
    result = CliRunner().invoke(
        app,
        ["eval", "stance", "fnc1", "--bodies", str(FIXTURES / "fnc_bodies.csv"),
         "--stances", str(unlabelled), "--predictions", str(out), "--json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "Headline,Body ID,Stance"
    assert len(lines) == 3
    assert {line.rsplit(",", 1)[1] for line in lines[1:]} <= set(LABELS)
