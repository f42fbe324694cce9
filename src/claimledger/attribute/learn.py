"""Learning the attribution lexicon from an annotated corpus (PolNeAR's train split).

Hand-written cue lists miss the long tail of verbs that news uses to attribute ("railed",
"touted", "lamented"). ``claimledger train attribution DIR`` parses the split's articles, counts
how often each verb lemma heads a gold cue, and writes the verbs that do so often enough to
``cues.learned.tsv`` beside this module; the rules then treat them as cues. The counts and the
thresholds are written into the file's header, so the shipped file can be reproduced exactly.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claimledger.attribute import lexicon
from claimledger.errors import InputError
from claimledger.nlp import DEFAULT_MODEL, load_pipeline

LEARNED_CUES = Path(__file__).with_name("cues.learned.tsv")
# A verb becomes a cue when it heads at least MIN_COUNT gold cues and does so in at least
# MIN_RATIO of its occurrences. The thresholds are loose on purpose: the candidate filter, not the
# list, decides which of the rarer verbs' candidates to keep. These are what ships.
MIN_COUNT = 3
MIN_RATIO = 0.2


@dataclass(frozen=True, slots=True)
class CueCount:
    lemma: str
    as_cue: int
    total: int

    @property
    def ratio(self) -> float:
        return self.as_cue / self.total if self.total else 0.0


def count_cue_heads(split: Path, model: str = DEFAULT_MODEL) -> list[CueCount]:
    """How often each verb lemma heads a gold cue in a PolNeAR split, and occurs at all."""
    return count_in_parsed(parse_split(split, model))


def _cue_heads(doc: object, attributions: Iterable[object]) -> set[int]:
    heads: set[int] = set()
    for attribution in attributions:
        for start, end in getattr(attribution, "cue", None) or ():
            span = doc.char_span(start, end, alignment_mode="expand")  # type: ignore[attr-defined]
            if span is not None and len(span):
                heads.add(span.root.i)
    return heads


def select_cues(
    counts: Iterable[CueCount], min_count: int = MIN_COUNT, min_ratio: float = MIN_RATIO
) -> list[CueCount]:
    """The verbs worth treating as cues that the hand-written list does not already have."""
    known = lexicon.hand_cues()
    return [
        c for c in counts if c.as_cue >= min_count and c.ratio >= min_ratio and c.lemma not in known
    ]


def write_learned_cues(
    selected: Iterable[CueCount],
    split: Path,
    path: Path = LEARNED_CUES,
    min_count: int = MIN_COUNT,
    min_ratio: float = MIN_RATIO,
) -> int:
    """Write the learned cue verbs; returns how many."""
    rows = sorted(selected, key=lambda c: (-c.as_cue, c.lemma))
    header = [
        "# Cue verbs learned from an annotated corpus by `claimledger train attribution`.",
        f"# Data: the {split.name!r} split of PolNeAR (Newell, Margolin & Ruths, LREC 2018).",
        f"# Rule: heads >= {min_count} gold cues and >= {min_ratio:.0%} of its occurrences;"
        " verbs already in cues.tsv are left out.",
        "# Columns: lemma <TAB> class <TAB> takes_np_content <TAB> times a cue <TAB> occurrences",
    ]
    lines = [f"{c.lemma}\tassert\tyes\t{c.as_cue}\t{c.total}" for c in rows]
    path.write_text("\n".join(header + lines) + "\n", encoding="utf-8")
    return len(rows)


# -- the candidate filter ----------------------------------------------------------------------

_FOLDS = 5
_EPOCHS = 300
_L2 = 1e-3


@dataclass(frozen=True, slots=True)
class TrainingReport:
    candidates: int
    positives: int
    gold: int
    threshold: float
    cross_validated_f1: float
    features: int


def parse_split(
    split: Path, model: str = DEFAULT_MODEL, progress: Callable[[int, int], None] | None = None
) -> list[tuple[Any, Any]]:
    """(doc, gold document) for every annotated article of a PolNeAR split, parsed once."""
    from claimledger.eval.polnear import load_gold

    gold = load_gold(split)
    if not gold:
        raise InputError(str(split), "no PolNeAR annotations found (needs text/ and attributions/)")
    nlp = load_pipeline(model)
    stems = sorted(gold)
    parsed = []
    with nlp.select_pipes(disable=["claimledger_attribution"]):
        texts = ((gold[stem].text, stem) for stem in stems)
        for n, (doc, stem) in enumerate(nlp.pipe(texts, as_tuples=True, batch_size=16), start=1):
            doc.tensor = doc.tensor[
                :0
            ]  # the parse is all we keep; the tensor is most of the memory
            parsed.append((doc, gold[stem]))
            if progress:
                progress(n, len(stems))
    return parsed


def count_in_parsed(parsed: Iterable[tuple[Any, Any]]) -> list[CueCount]:
    as_cue: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for doc, gold in parsed:
        heads = _cue_heads(doc, gold.attributions)
        for token in doc:
            if token.pos_ == "VERB" and token.lemma_.isalpha():
                lemma = token.lemma_.lower()
                total[lemma] += 1
                as_cue[lemma] += token.i in heads
    return [CueCount(lemma, as_cue[lemma], total[lemma]) for lemma in sorted(total)]


def candidate_examples(parsed: Iterable[tuple[Any, Any]]) -> tuple[list[list[str]], list[int], int]:
    """Features and labels of every rule candidate (label 1 when its content matches a gold
    content at character Jaccard >= 0.5, the evaluation's own criterion), and the gold count."""
    from claimledger.attribute import attribute_doc
    from claimledger.attribute.classifier import features
    from claimledger.eval.polnear import MIN_JACCARD

    rows: list[list[str]] = []
    labels: list[int] = []
    gold_count = 0
    for doc, gold in parsed:
        gold_sets = [_chars(a.content) for a in gold.attributions]
        gold_count += len(gold_sets)
        for statement in attribute_doc(doc, use_filter=False):
            pieces = statement.content.pieces or ((statement.content.start, statement.content.end),)
            chars = _chars(pieces)
            match = any(
                len(chars & g) / len(chars | g) >= MIN_JACCARD for g in gold_sets if chars | g
            )
            rows.append(features(doc, statement))
            labels.append(int(match))
    return rows, labels, gold_count


def _chars(pieces: Iterable[tuple[int, int]]) -> set[int]:
    out: set[int] = set()
    for start, end in pieces:
        out.update(range(start, end))
    return out


def fit_filter(
    rows: list[list[str]], labels: list[int], gold: int
) -> tuple[dict[str, Any], TrainingReport]:
    """Logistic regression (L2, full-batch gradient descent) on the candidates, with the keep
    threshold chosen by cross-validated F1 against the gold attributions."""
    import numpy as np

    vocab = {f: i for i, f in enumerate(sorted({f for row in rows for f in row}))}
    index = [np.array([vocab[f] for f in row], dtype=np.int64) for row in rows]
    y = np.array(labels, dtype=np.float64)
    folds = np.arange(len(rows)) % _FOLDS
    out_of_fold = np.zeros(len(rows))
    for k in range(_FOLDS):
        train = np.flatnonzero(folds != k)
        test = np.flatnonzero(folds == k)
        w, b = _gradient_descent([index[i] for i in train], y[train], len(vocab))
        out_of_fold[test] = _predict([index[i] for i in test], w, b)
    threshold, f1 = _best_threshold(out_of_fold, y, gold * (len(rows) and 1))
    w, b = _gradient_descent(index, y, len(vocab))
    weights = {f: round(float(w[i]), 5) for f, i in vocab.items() if abs(w[i]) >= 1e-4}
    model = {
        "name": "attribution-filter-v1",
        "bias": round(float(b), 5),
        "threshold": round(threshold, 3),
        "weights": weights,
    }
    report = TrainingReport(len(rows), int(y.sum()), gold, threshold, f1, len(weights))
    return model, report


def _gradient_descent(index: list[Any], y: Any, n: int) -> tuple[Any, float]:
    import numpy as np

    flat = np.concatenate(index) if index else np.zeros(0, dtype=np.int64)
    lengths = np.array([len(i) for i in index])
    offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
    w = np.zeros(n)
    b = 0.0
    m = np.zeros(n)
    v = np.zeros(n)
    for step in range(1, _EPOCHS + 1):  # Adam: robust to the very uneven feature frequencies
        z = b + np.add.reduceat(w[flat], offsets) if len(flat) else np.full(len(y), b)
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
        err = (p - y) / len(y)
        grad = np.bincount(flat, weights=np.repeat(err, lengths), minlength=n) + _L2 * w
        b -= 0.5 * err.sum()
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad * grad
        w -= 0.05 * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
    return w, b


def _predict(index: list[Any], w: Any, b: float) -> Any:
    import numpy as np

    z = np.array([b + w[i].sum() for i in index])
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


def _best_threshold(p: Any, y: Any, gold: int) -> tuple[float, float]:
    """The probability cut that maximises F1 = 2 TP / (kept + gold) over the candidates."""
    import numpy as np

    best = (0.5, 0.0)
    for t in np.arange(0.05, 0.95, 0.01):
        kept = p >= t
        tp = float(y[kept].sum())
        f1 = 2 * tp / (kept.sum() + gold) if gold else 0.0
        if f1 > best[1]:
            best = (float(t), f1)
    return best


def write_filter(model: dict[str, Any], report: TrainingReport, split: Path, path: Path) -> None:
    model = {
        **model,
        "data": f"the {split.name!r} split of PolNeAR (Newell, Margolin & Ruths, LREC 2018)",
        "candidates": report.candidates,
        "positives": report.positives,
        "gold_attributions": report.gold,
        "cross_validated_f1": round(report.cross_validated_f1, 4),
    }
    path.write_text(json.dumps(model, indent=1, sort_keys=True) + "\n", encoding="utf-8")
