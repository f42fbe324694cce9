"""Score time expressions against TimeML files (``claimledger eval timex DIR``).

The metrics are TempEval-3 Task A's (UzZaman et al. 2013), computed exactly as the project's
reference scorer ``shared/tools/te3_score.py`` does: gold TIMEX3 tags are matched one to one with
predicted expressions, in gold order, to the first unused prediction that overlaps (an exact one
preferred); strict counts exact-span matches, relaxed every match; value accuracy is the share of
relaxed matches with the gold value, and value F1 = relaxed F1 x value accuracy, by which
TempEval-3 ranked systems. Each file is read with its ``<DCT>`` as the publication date.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claimledger.errors import InputError
from claimledger.model import Article
from claimledger.nlp import DEFAULT_MODEL

_TAG = re.compile(r"<[^>]+>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')
_PIECE = re.compile(r"<TIMEX3([^>]*)>(.*?)</TIMEX3>|<[^>]+>|[^<]+", re.S)
_DCT = re.compile(r"<DCT>.*?value=\"([^\"]+)\"", re.S)
_TEXT = re.compile(r"<TEXT>(.*?)</TEXT>", re.S)


@dataclass(frozen=True, slots=True)
class GoldTimex:
    start: int
    end: int
    value: str | None
    type: str | None


@dataclass(frozen=True, slots=True)
class TimemlDoc:
    """One TimeML file: its plain text (tags removed, entities unescaped), DCT and gold tags."""

    name: str
    path: Path
    text: str
    dct: str
    gold: tuple[GoldTimex, ...]


@dataclass(frozen=True, slots=True)
class TimexReport:
    """TempEval-3 Task A figures over a set of documents."""

    documents: int
    gold: int
    predicted: int
    strict: int
    relaxed: int
    value_correct: int

    def _f1(self, tp: int) -> float:
        total = self.gold + self.predicted
        return 2 * tp / total if total else 0.0

    @property
    def strict_f1(self) -> float:
        return self._f1(self.strict)

    @property
    def relaxed_f1(self) -> float:
        return self._f1(self.relaxed)

    @property
    def strict_precision(self) -> float:
        return self.strict / self.predicted if self.predicted else 0.0

    @property
    def strict_recall(self) -> float:
        return self.strict / self.gold if self.gold else 0.0

    @property
    def relaxed_precision(self) -> float:
        return self.relaxed / self.predicted if self.predicted else 0.0

    @property
    def relaxed_recall(self) -> float:
        return self.relaxed / self.gold if self.gold else 0.0

    @property
    def value_accuracy(self) -> float:
        return self.value_correct / self.relaxed if self.relaxed else 0.0

    @property
    def value_f1(self) -> float:
        return self.relaxed_f1 * self.value_accuracy

    def __add__(self, other: TimexReport) -> TimexReport:
        return TimexReport(
            self.documents + other.documents,
            self.gold + other.gold,
            self.predicted + other.predicted,
            self.strict + other.strict,
            self.relaxed + other.relaxed,
            self.value_correct + other.value_correct,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "gold": self.gold,
            "predicted": self.predicted,
            "strict": {
                "precision": self.strict_precision,
                "recall": self.strict_recall,
                "f1": self.strict_f1,
            },
            "relaxed": {
                "precision": self.relaxed_precision,
                "recall": self.relaxed_recall,
                "f1": self.relaxed_f1,
            },
            "value_accuracy": self.value_accuracy,
            "value_f1": self.value_f1,
        }


EMPTY = TimexReport(0, 0, 0, 0, 0, 0)


def load_timeml(path: Path | str) -> tuple[str, str, tuple[GoldTimex, ...]]:
    """``(text, dct, gold)`` of one TimeML file; ``dct`` is the DCT's date (YYYY-MM-DD).

    Example: ``text, dct, gold = load_timeml("wsj_0006.tml")`` -> dct ``'1989-11-02'``.
    """
    raw = Path(path).read_text(encoding="utf-8")
    dct, body = _DCT.search(raw), _TEXT.search(raw)
    if dct is None or body is None:
        raise InputError(str(path), "not a TimeML file (no <DCT> or <TEXT>); check the folder")
    pieces: list[str] = []
    gold: list[GoldTimex] = []
    position = 0
    for match in _PIECE.finditer(body.group(1)):
        if match.group(0).startswith("<TIMEX3"):
            inner = html.unescape(_TAG.sub("", match.group(2)))
            attrs = dict(_ATTR.findall(match.group(1)))
            gold.append(
                GoldTimex(position, position + len(inner), attrs.get("value"), attrs.get("type"))
            )
            piece = inner
        elif match.group(0).startswith("<"):
            continue
        else:
            piece = html.unescape(match.group(0))
        pieces.append(piece)
        position += len(piece)
    return "".join(pieces), dct.group(1)[:10], tuple(gold)


def find_documents(root: Path | str) -> list[TimemlDoc]:
    """Every ``.tml`` file under ``root`` (recursively), by path."""
    base = Path(root)
    if not base.is_dir():
        raise InputError(str(root), "no such folder; give a folder of TimeML (.tml) files")
    docs = []
    for path in sorted(base.rglob("*.tml")):
        text, dct, gold = load_timeml(path)
        docs.append(TimemlDoc(path.stem, path, text, dct, gold))
    return docs


def score_document(
    gold: Sequence[GoldTimex], predicted: Sequence[tuple[int, int, str | None]]
) -> TimexReport:
    """One document's counts, with the reference scorer's greedy one-to-one matching."""
    used: set[int] = set()
    strict = relaxed = value_ok = 0
    for g in gold:
        best: int | None = None
        for j, (start, end, _) in enumerate(predicted):
            if j in used or end <= g.start or start >= g.end:
                continue
            if best is None or (start, end) == (g.start, g.end):
                best = j
        if best is None:
            continue
        used.add(best)
        relaxed += 1
        start, end, value = predicted[best]
        strict += (start, end) == (g.start, g.end)
        value_ok += value == g.value
    return TimexReport(1, len(gold), len(predicted), strict, relaxed, value_ok)


def score(root: Path | str, predictions: Iterable[Article]) -> TimexReport:
    """Score articles (matched to files by the stem of ``article.path``) against ``root``."""
    by_stem = {Path(a.path or "").stem: a for a in predictions}
    total = EMPTY
    for doc in find_documents(root):
        article = by_stem.get(doc.name)
        spans = [(t.start, t.end, t.value) for t in article.time_expressions] if article else []
        total = total + score_document(doc.gold, spans)
    return total


def predict(docs: Iterable[TimemlDoc], model: str = DEFAULT_MODEL) -> Iterator[Article]:
    """Run the whole pipeline over TimeML documents, each with its DCT as the publication date."""
    from claimledger.ingest import read_text
    from claimledger.pipeline import analyze_articles

    articles = (read_text(d.text, path=str(d.path), published=d.dct) for d in docs)
    for item in analyze_articles(articles, model):
        if isinstance(item, Article):
            yield item


def run(root: Path | str, model: str = DEFAULT_MODEL) -> TimexReport:
    """Score the pipeline's time expressions on every TimeML file under ``root``.

    Example: ``run("../shared/benchmarks/timeml").value_f1``
    """
    docs = find_documents(root)
    return score(root, predict(docs, model))


def format_table(report: TimexReport) -> str:
    """The report as a small text table."""
    lines = [
        f"{'':10} {'P':>6} {'R':>6} {'F1':>6}",
        f"{'strict':10} {report.strict_precision:6.3f} {report.strict_recall:6.3f} "
        f"{report.strict_f1:6.3f}",
        f"{'relaxed':10} {report.relaxed_precision:6.3f} {report.relaxed_recall:6.3f} "
        f"{report.relaxed_f1:6.3f}",
        f"value accuracy {report.value_accuracy:.3f}   value F1 {report.value_f1:.3f}",
        f"{report.documents} documents, {report.gold} gold, {report.predicted} predicted",
    ]
    return "\n".join(lines)
