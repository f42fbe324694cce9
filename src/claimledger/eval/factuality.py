"""Score event factuality against UW and MEANTIME (``claimledger eval factuality DIR``).

Both sets give tokenised news sentences (``text``, tokens joined by spaces) with target events
(``targets[].span1`` = [first token, end token), ``label`` in [-3, 3], +3 certainly happened,
-3 certainly did not), rated from the author's perspective. We parse the sentence text with the
claimledger pipeline, find each target's spaCy token by character offsets, label it with
:func:`claimledger.assess.events.event_factuality` and map the label to a number:

    CT+ 3, PR+ 2, PS+ 1, Uu 0, PS- -1, PR- -2, CT- -3      (``LABEL_VALUES``)

Reported per dataset: MAE, Pearson r, the MAE of always predicting +3, and precision / recall /
F1 of negated events (value < -1) and of hedged events (|value| < 2.5), a prediction counting
as negated or hedged by the same threshold on its mapped value.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from claimledger.assess.events import event_factuality
from claimledger.errors import InputError
from claimledger.nlp import DEFAULT_MODEL, load_pipeline

LABEL_VALUES: dict[str, float] = {
    "CT+": 3.0, "PR+": 2.0, "PS+": 1.0, "Uu": 0.0, "PS-": -1.0, "PR-": -2.0, "CT-": -3.0,
}  # fmt: skip
NEGATED_BELOW = -1.0
HEDGED_UNDER = 2.5
SPLITS = ("dev.jsonl",)


@dataclass(frozen=True, slots=True)
class Target:
    start: int  # first token
    end: int  # token after the last
    label: float
    text: str


@dataclass(frozen=True, slots=True)
class Sentence:
    tokens: tuple[str, ...]
    targets: tuple[Target, ...]

    @property
    def text(self) -> str:
        return " ".join(self.tokens)

    def char_span(self, target: Target) -> tuple[int, int]:
        """Character offsets of ``target`` in :attr:`text`."""
        start = sum(len(t) + 1 for t in self.tokens[: target.start])
        end = start + len(" ".join(self.tokens[target.start : target.end]))
        return start, end


@dataclass(frozen=True, slots=True)
class Prf:
    precision: float
    recall: float
    f1: float
    gold: int
    predicted: int

    @classmethod
    def of(cls, gold: Sequence[bool], predicted: Sequence[bool]) -> Prf:
        hits = sum(g and p for g, p in zip(gold, predicted, strict=True))
        n_gold, n_pred = sum(gold), sum(predicted)
        p = hits / n_pred if n_pred else 0.0
        r = hits / n_gold if n_gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return cls(round(p, 3), round(r, 3), round(f, 3), n_gold, n_pred)


@dataclass(frozen=True, slots=True)
class DatasetScore:
    name: str
    n: int
    mae: float
    pearson_r: float
    baseline_mae: float  # always +3
    negated: Prf
    hedged: Prf


@dataclass(frozen=True, slots=True)
class FactualityReport:
    datasets: tuple[DatasetScore, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"label_values": LABEL_VALUES, "datasets": [asdict(d) for d in self.datasets]}

    def format_table(self) -> str:
        return format_table(self)


def load(path: str | Path) -> list[Sentence]:
    """The sentences of one benchmark JSONL file, with their targets."""
    sentences = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                tokens = tuple(row["text"].split(" "))
                targets = tuple(
                    Target(int(t["span1"][0]), int(t["span1"][1]), float(t["label"]),
                           str(t.get("span_text", "")))
                    for t in row["targets"]
                )  # fmt: skip
            except (ValueError, KeyError, TypeError, IndexError) as exc:
                raise InputError(
                    f"{path}:{number}", f"not a factuality benchmark row ({exc})"
                ) from exc
            sentences.append(Sentence(tokens, targets))
    return sentences


def predict(sentences: Sequence[Sentence], model: str = DEFAULT_MODEL) -> list[list[str]]:
    """One FactBank label per target of each sentence."""
    nlp = load_pipeline(model)
    texts = (s.text for s in sentences)
    labels: list[list[str]] = []
    for sentence, doc in zip(
        sentences, nlp.pipe(texts, disable=["claimledger_attribution"]), strict=True
    ):
        row: list[str] = []
        for target in sentence.targets:
            start, end = sentence.char_span(target)
            span = doc.char_span(start, end, alignment_mode="expand")
            row.append(event_factuality(span.root) if span is not None and len(span) else "CT+")
        labels.append(row)
    return labels


def score(name: str, gold: Sequence[float], predicted: Sequence[float]) -> DatasetScore:
    n = len(gold)
    mae = sum(abs(g - p) for g, p in zip(gold, predicted, strict=True)) / n if n else 0.0
    baseline = sum(abs(g - 3.0) for g in gold) / n if n else 0.0
    return DatasetScore(
        name=name,
        n=n,
        mae=round(mae, 3),
        pearson_r=round(pearson(gold, predicted), 3),
        baseline_mae=round(baseline, 3),
        negated=Prf.of([g < NEGATED_BELOW for g in gold], [p < NEGATED_BELOW for p in predicted]),
        hedged=Prf.of(
            [abs(g) < HEDGED_UNDER for g in gold], [abs(p) < HEDGED_UNDER for p in predicted]
        ),
    )


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float:
    """Pearson's r; 0.0 when either side is constant."""
    n = len(xs)
    if n < 2:
        return 0.0
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    return sxy / math.sqrt(sxx * syy) if sxx and syy else 0.0


def files(dir_or_file: str | Path, splits: Iterable[str] = SPLITS) -> list[tuple[str, Path]]:
    """(name, path) of each dataset to score: ``DIR/<dataset>/dev.jsonl``, ``DIR/dev.jsonl`` or
    the file itself."""
    root = Path(dir_or_file)
    if root.is_file():
        return [(root.parent.name + "/" + root.stem, root)]
    if not root.is_dir():
        raise InputError(str(root), "no such file or directory; pass a factuality benchmark folder")
    found = [(root.name + "/" + Path(s).stem, root / s) for s in splits if (root / s).is_file()]
    for sub in sorted(p for p in root.iterdir() if p.is_dir()):
        found += [(sub.name + "/" + Path(s).stem, sub / s) for s in splits if (sub / s).is_file()]
    if not found:
        raise InputError(
            str(root), f"no {', '.join(splits)} here or in its folders (UW/, MEANTIME/)"
        )
    return found


def run(
    dir_or_file: str | Path, model: str = DEFAULT_MODEL, splits: Iterable[str] = SPLITS
) -> FactualityReport:
    """Score every dataset found under ``dir_or_file``.

    Example: ``run("../shared/benchmarks/factuality").format_table()``
    """
    scores = []
    for name, path in files(dir_or_file, tuple(splits)):
        sentences = load(path)
        labels = predict(sentences, model)
        gold = [t.label for s in sentences for t in s.targets]
        values = [LABEL_VALUES[label] for row in labels for label in row]
        scores.append(score(name, gold, values))
    return FactualityReport(tuple(scores))


def format_table(report: FactualityReport) -> str:
    head = f"{'dataset':<16} {'n':>6} {'MAE':>6} {'+3 MAE':>7} {'r':>6}"
    lines = [f"{head}   {'negated P/R/F1':<18} hedged P/R/F1"]
    for d in report.datasets:
        neg = f"{d.negated.precision:.2f}/{d.negated.recall:.2f}/{d.negated.f1:.2f}"
        hed = f"{d.hedged.precision:.2f}/{d.hedged.recall:.2f}/{d.hedged.f1:.2f}"
        figures = f"{d.mae:>6.3f} {d.baseline_mae:>7.3f} {d.pearson_r:>6.3f}"
        lines.append(f"{d.name:<16} {d.n:>6} {figures}   {neg:<18} {hed}")
    return "\n".join(lines)
