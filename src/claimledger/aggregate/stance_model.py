"""The learned article-stance model, served in plain numpy from ``stance_model.json``.

Gradient-boosted trees (fitted with LightGBM by ``claimledger train stance``, see
``train_stance.py``) exported as arrays: for each tree, each inner node's feature, threshold and
children, and each leaf's value. A pair goes left when its feature value is at most the
threshold; the class scores are the sums of the leaves reached, turned into probabilities by a
softmax. No scikit-learn or LightGBM is needed at run time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from claimledger.errors import ModelNotFoundError

MODEL_PATH = Path(__file__).with_name("stance_model.json")
FORMAT = "claimledger-stance-trees/2"
# Texts with at most this many content words are headlines (Emergent's articles are; 99% of
# them have 18 or fewer, FNC-1's bodies a median of 200): they get the headline model's
# agree / disagree / discuss, which reads a headline's cues better than one fitted mostly on
# bodies; whether the text is related at all is still the body model's call.
HEADLINE_WORDS = 20


class StanceModelError(ModelNotFoundError):
    """The learned article-stance model (``stance_model.json``) is missing or not in a format
    this version reads; the message names the file and says what to do."""


@dataclass(frozen=True)
class Tree:
    """One regression tree. Children >= 0 are inner nodes; a child ``c < 0`` is leaf ``~c``."""

    feature: npt.NDArray[np.int32]
    threshold: npt.NDArray[np.float64]
    left: npt.NDArray[np.int32]
    right: npt.NDArray[np.int32]
    leaf: npt.NDArray[np.float64]

    def predict(self, x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """The leaf value reached by each row of ``x``."""
        if self.feature.size == 0:  # a stump: one leaf
            return np.full(x.shape[0], self.leaf[0])
        node = np.zeros(x.shape[0], dtype=np.int32)
        rows = np.arange(x.shape[0])
        active = np.ones(x.shape[0], dtype=bool)
        while active.any():
            at = node[active]
            goes_left = x[rows[active], self.feature[at]] <= self.threshold[at]
            node[active] = np.where(goes_left, self.left[at], self.right[at])
            active = node >= 0
        return self.leaf[~node]


@dataclass(frozen=True)
class StanceModel:
    """Boosted trees over :data:`~claimledger.aggregate.stance_features.FEATURE_NAMES`:
    ``trees[i]`` adds to the score of class ``classes[i % len(classes)]``."""

    classes: tuple[str, ...]
    features: tuple[str, ...]
    trees: tuple[Tree, ...]
    base: tuple[float, ...]
    report: dict[str, Any]
    # For headlines (see HEADLINE_WORDS): trees over the same features for the classes but
    # the last ("unrelated"), whose probability stays the body model's.
    headline: StanceModel | None = None

    def probabilities(self, x: npt.NDArray[np.floating[Any]]) -> npt.NDArray[np.float64]:
        """One row of class probabilities (``classes`` order) for each row of features."""
        rows = np.atleast_2d(np.asarray(x, dtype=np.float64))
        if rows.shape[1] != len(self.features):
            raise StanceModelError(
                f"the stance model reads {len(self.features)} features, got {rows.shape[1]};"
                " retrain it with `claimledger train stance`"
            )
        out = self._scores(rows)
        if self.headline is not None and "log_body_words" in self.features:
            words = rows[:, self.features.index("log_body_words")]
            short = words <= np.log1p(HEADLINE_WORDS)
            if short.any():
                related = self.headline._scores(rows[short])
                unrelated = out[short, -1:]
                out[short] = np.hstack([related * (1.0 - unrelated), unrelated])
        return out

    def _scores(self, rows: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        k = len(self.classes)
        scores = np.tile(np.asarray(self.base, dtype=np.float64), (rows.shape[0], 1))
        for i, tree in enumerate(self.trees):
            scores[:, i % k] += tree.predict(rows)
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return exp / exp.sum(axis=1, keepdims=True)  # type: ignore[no-any-return]


def model_to_dict(model: StanceModel) -> dict[str, Any]:
    out = _trees_to_dict(model)
    if model.headline is not None:
        out["headline"] = _trees_to_dict(model.headline)
    return out


def _trees_to_dict(model: StanceModel) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "classes": list(model.classes),
        "features": list(model.features),
        "base": list(model.base),
        "trees": [
            {
                "feature": t.feature.tolist(),
                "threshold": t.threshold.tolist(),
                "left": t.left.tolist(),
                "right": t.right.tolist(),
                "leaf": t.leaf.tolist(),
            }
            for t in model.trees
        ],
        "report": model.report,
    }


def model_from_dict(data: dict[str, Any]) -> StanceModel:
    headline = data.get("headline")
    model = _trees_from_dict(data)
    if isinstance(headline, dict):
        return StanceModel(model.classes, model.features, model.trees, model.base, model.report,
                           _trees_from_dict(headline))  # fmt: skip
    return model


def _trees_from_dict(data: dict[str, Any]) -> StanceModel:
    trees = tuple(
        Tree(
            feature=np.asarray(t["feature"], dtype=np.int32),
            threshold=np.asarray(t["threshold"], dtype=np.float64),
            left=np.asarray(t["left"], dtype=np.int32),
            right=np.asarray(t["right"], dtype=np.int32),
            leaf=np.asarray(t["leaf"], dtype=np.float64),
        )
        for t in data["trees"]
    )
    return StanceModel(
        classes=tuple(data["classes"]),
        features=tuple(data["features"]),
        trees=trees,
        base=tuple(float(b) for b in data.get("base", [0.0] * len(data["classes"]))),
        report=dict(data.get("report", {})),
    )


@lru_cache(maxsize=4)
def load_stance_model(path: Path = MODEL_PATH) -> StanceModel:
    """The stance model in ``path`` (the one shipped in the package by default), read once.

    Raises ``StanceModelError`` naming the file, and how to get it back, when it is missing or
    not in this version's format.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise StanceModelError(
            f"{path}: the stance model is missing; reinstall claimledger, or rebuild it with"
            " `claimledger train stance --fnc1 DIR --emergent FILE`"
        ) from None
    except (OSError, ValueError) as error:
        raise StanceModelError(
            f"{path}: not a readable stance model ({error}); reinstall claimledger, or rebuild"
            " it with `claimledger train stance`"
        ) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise StanceModelError(
            f"{path}: not a stance model of format {FORMAT}; reinstall claimledger, or rebuild"
            " it with `claimledger train stance`"
        )
    return model_from_dict(data)
