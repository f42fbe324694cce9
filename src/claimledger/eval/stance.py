"""Score article-level stance on FNC-1 and Emergent (``claimledger eval stance …``).

FNC-1 pairs a headline (the claim) with an article body: ``agree`` = the body presents the claim
as true, ``disagree`` = as false, ``discuss`` = reports it without committing, ``unrelated`` =
no claim of the body matches. Emergent pairs a claim with an article's headline: ``for`` /
``against`` / ``observing``, which are agree / disagree / discuss.

The FNC-1 weighted score is the official one (the FNC-1 baseline's ``scorer.py``): +0.25 for
each pair whose related/unrelated decision is right, +0.75 more for the exact label of a related
pair; reported as a percentage of the best possible score for the gold labels (0.25 for each
unrelated pair, 1.0 for each related one), as the published 75.20 (baseline) and 82.02
(winner) are.

Held-out parts are drawn by body (FNC-1) and by claim (Emergent), never by pair: one body
comes under many headlines, and a split by pair would score bodies the model was fitted on.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from claimledger.errors import InputError

FncLabel = Literal["agree", "disagree", "discuss", "unrelated"]
FNC_LABELS: tuple[FncLabel, ...] = ("agree", "disagree", "discuss", "unrelated")
RELATED: frozenset[str] = frozenset(("agree", "disagree", "discuss"))
EMERGENT_LABELS: tuple[str, ...] = ("for", "against", "observing")
# Emergent's labels in FNC-1's terms (FNC-1 was built from Emergent's articles).
EMERGENT_TO_FNC: dict[str, FncLabel] = {
    "for": "agree",
    "against": "disagree",
    "observing": "discuss",
}
FNC_TO_EMERGENT: dict[str, str] = {fnc: emergent for emergent, fnc in EMERGENT_TO_FNC.items()}

HELD_OUT_FRACTION = 0.2


class StanceDataError(InputError):
    """A benchmark file that cannot be read: names the file and what is wrong with it."""


@dataclass(frozen=True, slots=True)
class FncPair:
    headline: str
    body_id: str
    stance: FncLabel | None  # None when the file has no Stance column


@dataclass(frozen=True, slots=True)
class FncData:
    bodies: dict[str, str]  # Body ID -> articleBody, in file order
    pairs: tuple[FncPair, ...]
    labelled: bool  # the stances file has a Stance column

    @property
    def unknown_bodies(self) -> int:
        """How many pairs name a Body ID the bodies file lacks."""
        return sum(1 for p in self.pairs if p.body_id not in self.bodies)


@dataclass(frozen=True, slots=True)
class EmergentPair:
    claim_id: str
    claim: str  # claimHeadline
    article_id: str
    headline: str  # articleHeadline
    stance: str | None  # for / against / observing; None without the column


@dataclass(frozen=True, slots=True)
class EmergentData:
    pairs: tuple[EmergentPair, ...]
    labelled: bool


def _read_rows(path: Path, required: Sequence[str]) -> tuple[list[str], list[dict[str, str]]]:
    """The header and rows of a CSV file; ``StanceDataError`` for anything that is not a CSV
    with the ``required`` columns. A byte order mark and quoted multi-line cells are fine."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise StanceDataError(str(path), "no such file; check the path") from None
    except IsADirectoryError:
        raise StanceDataError(str(path), "a folder, not a CSV file") from None
    except OSError as error:
        raise StanceDataError(str(path), f"cannot be read ({error.strerror})") from None
    if b"\0" in raw[:4096]:
        raise StanceDataError(str(path), "not a CSV file (binary data)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise StanceDataError(
            str(path), f"not UTF-8 text (byte {error.start}); save it as UTF-8 CSV"
        ) from None
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
        header = [name.strip() for name in (reader.fieldnames or [])]
        reader.fieldnames = header
        rows = [{k: v for k, v in row.items() if k is not None} for row in reader]
    except csv.Error as error:
        raise StanceDataError(str(path), f"not a readable CSV file ({error})") from None
    missing = [name for name in required if name not in header]
    if missing:
        found = ", ".join(repr(h) for h in header[:6]) or "none"
        raise StanceDataError(
            str(path),
            f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}"
            f" (columns found: {found})",
        )
    return header, rows


def _label(path: Path, line: int, value: str, allowed: Iterable[str]) -> str:
    label = value.strip().lower()
    if label not in allowed:
        raise StanceDataError(
            str(path), f"row {line}: stance {value!r} is not one of {', '.join(allowed)}"
        )
    return label


def read_fnc1(bodies_path: Path, stances_path: Path) -> FncData:
    """FNC-1's two files: ``Body ID, articleBody`` and ``Headline, Body ID[, Stance]``.

    Example: ``read_fnc1(Path("train_bodies.csv"), Path("train_stances.csv")).pairs[0].stance``
    """
    _, body_rows = _read_rows(bodies_path, ("Body ID", "articleBody"))
    bodies: dict[str, str] = {}
    for row in body_rows:
        bodies.setdefault(row["Body ID"].strip(), row["articleBody"] or "")
    header, stance_rows = _read_rows(stances_path, ("Headline", "Body ID"))
    labelled = "Stance" in header
    pairs = tuple(
        FncPair(
            headline=row["Headline"] or "",
            body_id=(row["Body ID"] or "").strip(),
            stance=_label(stances_path, n, row["Stance"] or "", FNC_LABELS)  # type: ignore[arg-type]
            if labelled
            else None,
        )
        for n, row in enumerate(stance_rows, start=2)
    )
    return FncData(bodies, pairs, labelled)


def read_emergent(path: Path) -> EmergentData:
    """Emergent's CSV: ``claimHeadline, articleHeadline[, articleHeadlineStance], articleId,
    claimId`` (a first unnamed index column is ignored).

    Example: ``read_emergent(Path("emergent/train.csv")).pairs[0].stance`` -> ``"observing"``
    """
    header, rows = _read_rows(path, ("claimHeadline", "articleHeadline", "articleId", "claimId"))
    labelled = "articleHeadlineStance" in header
    pairs = tuple(
        EmergentPair(
            claim_id=(row["claimId"] or "").strip(),
            claim=row["claimHeadline"] or "",
            article_id=(row["articleId"] or "").strip(),
            headline=row["articleHeadline"] or "",
            stance=_label(path, n, row["articleHeadlineStance"] or "", EMERGENT_LABELS)
            if labelled
            else None,
        )
        for n, row in enumerate(rows, start=2)
    )
    return EmergentData(pairs, labelled)


def is_held_out(key: str, fraction: float = HELD_OUT_FRACTION) -> bool:
    """Whether the body (FNC-1 Body ID) or claim (Emergent claimId) ``key`` is in the held-out
    part: decided by a hash of the key alone, so the split is the same on every machine and
    run, and every pair of one body (or claim) falls on the same side."""
    digest = hashlib.sha256(f"claimledger-stance:{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < fraction


# -- Scores ----------------------------------------------------------------------------------


def fnc_weighted_score(gold: Sequence[str], predicted: Sequence[str]) -> tuple[float, float]:
    """The FNC-1 score and the best possible one for ``gold`` (the official scorer's rules).

    Example: ``fnc_weighted_score(["agree", "unrelated"], ["discuss", "unrelated"])`` ->
    ``(0.5, 1.25)``: 0.25 for the related decision of the first pair, 0.25 for the second.
    """
    score = best = 0.0
    for g, p in zip(gold, predicted, strict=True):
        best += 1.0 if g in RELATED else 0.25
        if g == p:
            score += 0.25 if g == "unrelated" else 0.75
        if g in RELATED and p in RELATED:
            score += 0.25
    return score, best


@dataclass(frozen=True, slots=True)
class ClassScores:
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True, slots=True)
class StanceReport:
    """Scores of predicted against gold labels over ``labels`` (the confusion matrix's rows are
    gold, its columns predicted, both in ``labels`` order)."""

    dataset: str
    labels: tuple[str, ...]
    pairs: int
    accuracy: float
    macro_f1: float
    per_class: dict[str, ClassScores]
    confusion: tuple[tuple[int, ...], ...]
    fnc_score: float | None = None  # percentage of the best possible weighted score
    fnc_raw: tuple[float, float] | None = None  # (score, best)
    part: str = "all"  # "all" or "held-out"
    notes: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        scores: dict[str, Any] = {"dataset": self.dataset, "part": self.part, "pairs": self.pairs}
        if self.fnc_score is not None and self.fnc_raw is not None:
            scores["fnc_score"] = round(self.fnc_score, 2)
            scores["fnc_raw"] = {"score": self.fnc_raw[0], "max": self.fnc_raw[1]}
        scores["accuracy"] = round(self.accuracy, 4)
        scores["macro_f1"] = round(self.macro_f1, 4)
        scores["per_class"] = {
            label: {
                "precision": round(c.precision, 4),
                "recall": round(c.recall, 4),
                "f1": round(c.f1, 4),
                "support": c.support,
            }
            for label, c in self.per_class.items()
        }
        scores["confusion"] = {
            "labels": list(self.labels),
            "rows_gold_columns_predicted": [list(row) for row in self.confusion],
        }
        if self.notes:
            scores["notes"] = list(self.notes)
        return scores

    def format_table(self) -> str:
        lines = [f"{self.dataset} stance, {self.part} ({self.pairs} pairs)"]
        if self.fnc_score is not None and self.fnc_raw is not None:
            score, best = self.fnc_raw
            lines.append(
                f"FNC-1 weighted score  {self.fnc_score:6.2f}  ({score:.2f} of {best:.2f})"
            )
        lines.append(f"accuracy              {self.accuracy:6.4f}")
        lines.append(f"macro-F1              {self.macro_f1:6.4f}")
        lines.append("")
        lines.append(f"{'class':<11}{'precision':>10}{'recall':>8}{'F1':>8}{'support':>9}")
        for label, c in self.per_class.items():
            lines.append(
                f"{label:<11}{c.precision:>10.4f}{c.recall:>8.4f}{c.f1:>8.4f}{c.support:>9}"
            )
        lines.append("")
        width = max(len(label) for label in self.labels) + 2
        header = "".join(f"{x:>11}" for x in self.labels)
        lines.append("gold \\ predicted".ljust(width + 6) + header)
        for label, row in zip(self.labels, self.confusion, strict=True):
            lines.append(label.ljust(width + 6) + "".join(f"{n:>11}" for n in row))
        lines.extend(self.notes)
        return "\n".join(lines)


def score_labels(
    gold: Sequence[str],
    predicted: Sequence[str],
    labels: Sequence[str],
    dataset: str,
    *,
    part: str = "all",
    weighted: bool = False,
    notes: Sequence[str] = (),
) -> StanceReport:
    """Accuracy, per-class precision / recall / F1, macro-F1 over ``labels`` and the confusion
    matrix; with ``weighted``, the FNC-1 score too.

    Example: ``score_labels(["agree"], ["agree"], FNC_LABELS, "FNC-1").accuracy`` -> ``1.0``
    """
    index = {label: n for n, label in enumerate(labels)}
    matrix = [[0] * len(labels) for _ in labels]
    for g, p in zip(gold, predicted, strict=True):
        matrix[index[g]][index[p]] += 1
    per_class: dict[str, ClassScores] = {}
    for n, label in enumerate(labels):
        hits = matrix[n][n]
        said = sum(row[n] for row in matrix)
        support = sum(matrix[n])
        precision = hits / said if said else 0.0
        recall = hits / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class[label] = ClassScores(precision, recall, f1, support)
    total = len(gold)
    accuracy = sum(matrix[n][n] for n in range(len(labels))) / total if total else 0.0
    macro = sum(c.f1 for c in per_class.values()) / len(labels)
    fnc_score = fnc_raw = None
    if weighted:
        fnc_raw = fnc_weighted_score(gold, predicted)
        fnc_score = 100.0 * fnc_raw[0] / fnc_raw[1] if fnc_raw[1] else 0.0
    return StanceReport(
        dataset=dataset,
        labels=tuple(labels),
        pairs=total,
        accuracy=accuracy,
        macro_f1=macro,
        per_class=per_class,
        confusion=tuple(tuple(row) for row in matrix),
        fnc_score=fnc_score,
        fnc_raw=fnc_raw,
        part=part,
        notes=tuple(notes),
    )


# -- Predictions files -----------------------------------------------------------------------


def write_fnc_predictions(path: Path, pairs: Sequence[FncPair], labels: Sequence[str]) -> None:
    """``Headline,Body ID,Stance`` for every pair, in input order (what FNC-1's scorer reads)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Headline", "Body ID", "Stance"])
        for pair, label in zip(pairs, labels, strict=True):
            writer.writerow([pair.headline, pair.body_id, label])


def write_emergent_predictions(
    path: Path, pairs: Sequence[EmergentPair], labels: Sequence[str]
) -> None:
    """``articleId,claimId,articleHeadlineStance`` for every pair, in input order."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["articleId", "claimId", "articleHeadlineStance"])
        for pair, label in zip(pairs, labels, strict=True):
            writer.writerow([pair.article_id, pair.claim_id, label])


# -- Running the check path over a benchmark -------------------------------------------------


@dataclass(frozen=True, slots=True)
class Run:
    """What one ``eval stance`` run predicted, and for which rows (input order)."""

    rows: tuple[int, ...]  # indices of the pairs predicted (all of them, or the held-out part)
    labels: tuple[str, ...]  # one per row, in the data set's own vocabulary
    notes: tuple[str, ...] = ()


def predict_fnc1(
    fnc: FncData,
    model: str,
    *,
    held_out: bool = False,
    attribution: str = "learned",
    progress: Callable[[int, int], None] | None = None,
) -> Run:
    """The stance of each pair's body on its headline by the check path: each body analysed
    once, each headline made a query claim and checked against the body's claims. A pair whose
    Body ID the bodies file lacks is predicted ``unrelated`` (and counted in a note)."""
    from claimledger.eval.stance_check import check_texts, decide_pairs

    rows = [n for n, p in enumerate(fnc.pairs) if not held_out or is_held_out(p.body_id)]
    known = [n for n in rows if fnc.pairs[n].body_id in fnc.bodies]
    bodies = {fnc.pairs[n].body_id for n in known}
    checked = check_texts(
        {key: text for key, text in fnc.bodies.items() if key in bodies},
        [fnc.pairs[n].headline for n in known],
        model,
        attribution,
        progress,
    )
    decided = decide_pairs(checked, [(fnc.pairs[n].headline, fnc.pairs[n].body_id) for n in known])
    labels: dict[int, str] = {n: d.label for n, d in zip(known, decided, strict=True)}
    unknown = len(rows) - len(known)
    notes = (
        (f"{unknown} pair{'s' if unknown != 1 else ''} name a Body ID the bodies file lacks:"
         " predicted unrelated",)
        if unknown
        else ()
    )
    return Run(tuple(rows), tuple(labels.get(n, "unrelated") for n in rows), notes)


def predict_emergent(
    emergent: EmergentData,
    model: str,
    *,
    held_out: bool = False,
    attribution: str = "learned",
    progress: Callable[[int, int], None] | None = None,
) -> Run:
    """The stance of each article headline on its claim by the check path; Emergent has no
    unrelated pairs, so the most probable of agree / disagree / discuss is taken."""
    from claimledger.eval.stance_check import check_texts, decide_pairs

    rows = [n for n, p in enumerate(emergent.pairs) if not held_out or is_held_out(p.claim_id)]
    texts: dict[str, str] = {}
    for n in rows:
        texts.setdefault(emergent.pairs[n].article_id, emergent.pairs[n].headline)
    queries = [emergent.pairs[n].claim for n in rows]
    checked = check_texts(texts, queries, model, attribution, progress)
    decided = decide_pairs(
        checked, [(emergent.pairs[n].claim, emergent.pairs[n].article_id) for n in rows]
    )
    labels = [
        FNC_TO_EMERGENT[max(d.probabilities[:3], key=lambda pair: pair[1])[0]] for d in decided
    ]
    return Run(tuple(rows), tuple(labels))


def score_fnc1(fnc: FncData, run: Run, held_out: bool) -> StanceReport | None:
    """The scores of ``run`` against the Stance column; ``None`` when the file has none."""
    if not fnc.labelled:
        return None
    gold = [fnc.pairs[n].stance or "" for n in run.rows]
    part = "held-out part (20% of bodies, by a hash of the Body ID)" if held_out else "all"
    return score_labels(gold, run.labels, FNC_LABELS, "FNC-1", part=part, weighted=True,
                        notes=run.notes)


def score_emergent(emergent: EmergentData, run: Run, held_out: bool) -> StanceReport | None:
    """The scores of ``run`` against the articleHeadlineStance column; ``None`` without it."""
    if not emergent.labelled:
        return None
    gold = [emergent.pairs[n].stance or "" for n in run.rows]
    part = "held-out part (20% of claims, by a hash of the claimId)" if held_out else "all"
    return score_labels(gold, run.labels, EMERGENT_LABELS, "Emergent", part=part,
                        notes=run.notes)
