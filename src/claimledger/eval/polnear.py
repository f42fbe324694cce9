"""Score attributions against a PolNeAR split (``claimledger eval polnear DIR``).

PolNeAR (Newell, Margolin & Ruths, LREC 2018) annotates attributions in BRAT standoff:
``text/<stem>.txt`` and ``attributions/<stem>_<annotator>.ann``. Scoring is at document level
on character offsets, with the semantics of the project's reference scorer
(``shared/tools/polnear_score.py``) so that every figure we report means the same thing:

* role exact P/R/F1: the distinct source / cue / content spans of a document that equal a gold
  span of that role, after trimming blanks, quote marks and end punctuation;
* attribution P/R/F1: predicted and gold contents matched one to one, greedily by character
  Jaccard (best first), when Jaccard >= 0.5;
* triple P/R/F1: an attribution match whose cue and source also overlap the gold ones (a gold
  role that is absent, such as the source of a no-source attribution, is not checked);
* content coverage: character P/R/F1 of all predicted content against all gold content.

Attribution and triple scores are also broken down by kind (direct / indirect / no-source, see
:func:`gold_kind`). A match counts in the kind of its gold attribution and an unmatched
prediction in its own kind, so the kinds add up to the totals.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from claimledger.eval.polnear_gold import QUOTE_CHARS as QUOTE_CHARS  # re-exported
from claimledger.eval.polnear_gold import TRIM_CHARS as TRIM_CHARS  # re-exported
from claimledger.eval.polnear_gold import Attribution as Attribution  # re-exported
from claimledger.eval.polnear_gold import GoldDoc as GoldDoc  # re-exported
from claimledger.eval.polnear_gold import Kind as Kind  # re-exported
from claimledger.eval.polnear_gold import Pieces as Pieces  # re-exported
from claimledger.eval.polnear_gold import chars as chars  # re-exported
from claimledger.eval.polnear_gold import gold_kind as gold_kind  # re-exported
from claimledger.eval.polnear_gold import load_gold as load_gold  # re-exported
from claimledger.eval.polnear_gold import trim as trim  # re-exported
from claimledger.model import Article, Span, Statement

KINDS: tuple[Kind, ...] = ("direct", "indirect", "no-source")
ROLES = ("source", "cue", "content")
MIN_JACCARD = 0.5


@dataclass(frozen=True, slots=True)
class Prf:
    """Counts behind one precision / recall / F1 figure."""

    tp: int
    predicted: int
    gold: int

    @property
    def precision(self) -> float:
        return self.tp / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Prf) -> Prf:
        return Prf(self.tp + other.tp, self.predicted + other.predicted, self.gold + other.gold)

    def to_dict(self) -> dict[str, float | int]:
        return {
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "tp": self.tp,
            "predicted": self.predicted,
            "gold": self.gold,
        }


ZERO = Prf(0, 0, 0)


@dataclass(frozen=True, slots=True)
class KindScores:
    """Attribution and triple scores restricted to one kind of attribution."""

    attribution: Prf = ZERO
    triple: Prf = ZERO

    def __add__(self, other: KindScores) -> KindScores:
        return KindScores(self.attribution + other.attribution, self.triple + other.triple)


@dataclass(frozen=True, slots=True)
class PolnearReport:
    """Scores of a set of predictions against one PolNeAR split."""

    source: Prf
    cue: Prf
    content: Prf
    attribution: Prf
    triple: Prf
    coverage: Prf  # counts are characters
    by_kind: Mapping[Kind, KindScores] = field(default_factory=dict)
    articles: int = 0
    articles_missing: int = 0  # gold articles with no prediction line at all

    @property
    def gold_attributions(self) -> int:
        return self.attribution.gold

    @property
    def pred_statements(self) -> int:
        return self.attribution.predicted

    def to_dict(self) -> dict[str, Any]:
        return {
            "benchmark": "polnear",
            **{name: getattr(self, name).to_dict() for name in METRICS},
            "by_kind": {
                kind: {"attribution": s.attribution.to_dict(), "triple": s.triple.to_dict()}
                for kind, s in self.by_kind.items()
            },
            "articles": self.articles,
            "articles_missing": self.articles_missing,
            "gold_attributions": self.gold_attributions,
            "pred_statements": self.pred_statements,
        }


METRICS = ("source", "cue", "content", "attribution", "triple", "coverage")


@dataclass(frozen=True, slots=True)
class ErrorExample:
    """A missed gold attribution or a spurious prediction, with its sentence for reading."""

    stem: str
    kind: Kind
    start: int
    end: int
    content: str
    sentence: str
    source: str | None
    cue: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "stem": self.stem,
            "kind": self.kind,
            "start": self.start,
            "end": self.end,
            "content": self.content,
            "sentence": self.sentence,
            "source": self.source,
            "cue": self.cue,
        }


# ---------------------------------------------------------------------------------------------
# Predictions


def _article_stem(article: Article) -> str:
    return os.path.splitext(os.path.basename(article.path or ""))[0]


def predictions_by_stem(predictions: Iterable[Article]) -> dict[str, tuple[Attribution, ...]]:
    """Predicted attributions keyed by the stem of the article path (a later article wins)."""
    return {_article_stem(a): tuple(_statement(s) for s in a.statements) for a in predictions}


def _statement(s: Statement) -> Attribution:
    content = s.content.pieces or ((s.content.start, s.content.end),)
    return Attribution(_span(s.source), _span(s.cue), content)


def _span(span: Span | None) -> Pieces | None:
    return ((span.start, span.end),) if span is not None else None


# ---------------------------------------------------------------------------------------------
# Scoring


@dataclass(frozen=True, slots=True)
class _DocResult:
    roles: Mapping[str, Prf]
    attribution: Prf
    triple: Prf
    coverage: Prf
    by_kind: Mapping[Kind, KindScores]
    missed: tuple[int, ...]  # indices of unmatched gold attributions
    spurious: tuple[int, ...]  # indices of unmatched predictions


def score(split_dir: Path, predictions: Iterable[Article]) -> PolnearReport:
    """Score predicted articles against the gold of a split, matched by path stem."""
    gold = load_gold(split_dir)
    pred = predictions_by_stem(predictions)
    report = score_documents((doc, pred.get(stem, ())) for stem, doc in gold.items())
    return dataclasses.replace(report, articles_missing=sum(1 for stem in gold if stem not in pred))


def score_documents(pairs: Iterable[tuple[GoldDoc, Sequence[Attribution]]]) -> PolnearReport:
    """Score predicted attributions against gold documents, given in pairs."""
    results = [_score_doc(doc, pred) for doc, pred in pairs]
    return PolnearReport(
        source=_sum(r.roles["source"] for r in results),
        cue=_sum(r.roles["cue"] for r in results),
        content=_sum(r.roles["content"] for r in results),
        attribution=_sum(r.attribution for r in results),
        triple=_sum(r.triple for r in results),
        coverage=_sum(r.coverage for r in results),
        by_kind={k: _sum_kind(r.by_kind[k] for r in results) for k in KINDS},
        articles=len(results),
        articles_missing=0,
    )


def _sum(prfs: Iterable[Prf]) -> Prf:
    return sum(prfs, ZERO)


def _sum_kind(scores: Iterable[KindScores]) -> KindScores:
    return sum(scores, KindScores())


def _score_doc(doc: GoldDoc, pred: Sequence[Attribution]) -> _DocResult:
    text, gold = doc.text, doc.attributions
    gc = [chars(text, a.content) for a in gold]
    pc = [chars(text, a.content) for a in pred]
    matches = match_contents(gc, pc)
    triples = {(i, j) for i, j in matches if _roles_overlap(text, gold[i], pred[j])}
    all_g, all_p = frozenset().union(*gc), frozenset().union(*pc)
    matched_g, matched_p = {i for i, _ in matches}, {j for _, j in matches}
    return _DocResult(
        roles={role: _role_exact(text, gold, pred, role) for role in ROLES},
        attribution=Prf(len(matches), len(pc), len(gc)),
        triple=Prf(len(triples), len(pc), len(gc)),
        coverage=Prf(len(all_g & all_p), len(all_p), len(all_g)),
        by_kind=_by_kind(text, gold, pred, matches, triples),
        missed=tuple(i for i in range(len(gold)) if i not in matched_g),
        spurious=tuple(j for j in range(len(pred)) if j not in matched_p),
    )


def _role_exact(
    text: str, gold: Sequence[Attribution], pred: Sequence[Attribution], role: str
) -> Prf:
    # Distinct spans: one cue shared by two attributions is one span to find, not two.
    def spans(atts: Sequence[Attribution]) -> set[frozenset[int]]:
        return {chars(text, a.role(role)) for a in atts if a.role(role)} - {frozenset()}

    g, p = spans(gold), spans(pred)
    return Prf(len(g & p), len(p), len(g))


def match_contents(
    gold: Sequence[frozenset[int]], pred: Sequence[frozenset[int]]
) -> list[tuple[int, int]]:
    """One-to-one (gold, pred) index pairs with character Jaccard >= 0.5, best first.

    Ties go to the later gold, then the later prediction, as in the reference scorer, so that
    both always pick the same pairs.
    """
    pairs = []
    for i, g in enumerate(gold):
        for j, p in enumerate(pred):
            if g and p:
                jaccard = len(g & p) / len(g | p)
                if jaccard >= MIN_JACCARD:
                    pairs.append((jaccard, i, j))
    used_g: set[int] = set()
    used_p: set[int] = set()
    matches = []
    for _, i, j in sorted(pairs, reverse=True):
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            matches.append((i, j))
    return matches


def _roles_overlap(text: str, gold: Attribution, pred: Attribution) -> bool:
    # A role the gold lacks cannot be wrong: a no-source attribution's source is not checked.
    for role in ("cue", "source"):
        g = chars(text, gold.role(role))
        if g and not g & chars(text, pred.role(role)):
            return False
    return True


def _by_kind(
    text: str,
    gold: Sequence[Attribution],
    pred: Sequence[Attribution],
    matches: Sequence[tuple[int, int]],
    triples: set[tuple[int, int]],
) -> dict[Kind, KindScores]:
    # A prediction is counted in the kind of the gold it matched, else in its own kind.
    g_kind = [gold_kind(text, a) for a in gold]
    p_kind = [gold_kind(text, a) for a in pred]
    for i, j in matches:
        p_kind[j] = g_kind[i]
    out = {}
    for kind in KINDS:
        ng, np_ = g_kind.count(kind), p_kind.count(kind)
        tp = sum(1 for i, _ in matches if g_kind[i] == kind)
        tp3 = sum(1 for i, _ in triples if g_kind[i] == kind)
        out[kind] = KindScores(Prf(tp, np_, ng), Prf(tp3, np_, ng))
    return out


# ---------------------------------------------------------------------------------------------
# Error analysis


def error_examples(
    split_dir: Path, predictions: Iterable[Article], n: int
) -> tuple[list[ErrorExample], list[ErrorExample]]:
    """Up to ``n`` missed gold attributions and ``n`` spurious predictions, in document order."""
    gold = load_gold(split_dir)
    pred = predictions_by_stem(predictions)
    missed: list[ErrorExample] = []
    spurious: list[ErrorExample] = []
    for stem, doc in gold.items():
        if len(missed) >= n and len(spurious) >= n:
            break
        atts = pred.get(stem, ())
        result = _score_doc(doc, atts)
        missed += [_example(doc, doc.attributions[i]) for i in result.missed]
        spurious += [_example(doc, atts[j]) for j in result.spurious]
    return missed[:n], spurious[:n]


def _example(doc: GoldDoc, att: Attribution) -> ErrorExample:
    text = doc.text
    start, end = max(0, att.content[0][0]), min(len(text), att.content[-1][1])
    return ErrorExample(
        stem=doc.stem,
        kind=gold_kind(text, att),
        start=start,
        end=end,
        content=" … ".join(text[s:e] for s, e in att.content),
        sentence=sentence_around(text, start, end),
        source=_text(text, att.source),
        cue=_text(text, att.cue),
    )


def _text(text: str, pieces: Pieces | None) -> str | None:
    return " … ".join(text[s:e] for s, e in pieces) if pieces else None


# A sentence ends at ., ! or ? (maybe followed by a closing quote) before a blank, or at a
# line break: rough, but it only frames an example for a reader.
_SENTENCE_END = re.compile(r"[.!?][\"'”’]?(?=\s)|\n")


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence(s) holding ``text[start:end]``, on one line."""
    left = 0
    for before in _SENTENCE_END.finditer(text, 0, start):
        left = before.end()
    after = _SENTENCE_END.search(text, max(end, start + 1) - 1)
    right = after.end() if after else len(text)
    return " ".join(text[left : max(right, end)].split())


# ---------------------------------------------------------------------------------------------
# Table


def format_table(report: PolnearReport) -> str:
    """A plain-text table of the report, percentages to one decimal."""
    lines = [f"{'metric':<24}{'P':>7}{'R':>7}{'F1':>7}{'tp':>8}{'pred':>8}{'gold':>8}"]
    lines += [_row(name, getattr(report, name)) for name in METRICS]
    for kind, s in report.by_kind.items():
        lines.append(_row(f"{kind} attribution", s.attribution))
        lines.append(_row(f"{kind} triple", s.triple))
    lines.append(
        f"articles {report.articles} (no prediction: {report.articles_missing}), "
        f"gold attributions {report.gold_attributions}, predicted {report.pred_statements}"
    )
    return "\n".join(lines)


def _row(name: str, prf: Prf) -> str:
    return (
        f"{name:<24}{prf.precision * 100:7.1f}{prf.recall * 100:7.1f}{prf.f1 * 100:7.1f}"
        f"{prf.tp:8d}{prf.predicted:8d}{prf.gold:8d}"
    )
