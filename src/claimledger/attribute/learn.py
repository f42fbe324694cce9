"""Learning the attribution lexicon from an annotated corpus (PolNeAR's train split).

Hand-written cue lists miss the long tail of verbs that news uses to attribute ("railed",
"touted", "lamented"). ``claimledger train attribution DIR`` parses the split's articles, counts
how often each verb lemma heads a gold cue, and writes the verbs that do so often enough to
``cues.learned.tsv`` beside this module; the rules then treat them as cues. The counts and the
thresholds are written into the file's header, so the shipped file can be reproduced exactly.
"""

from __future__ import annotations

import dataclasses
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
# MIN_RATIO of its occurrences. The thresholds are loose on purpose: the cue model, not the
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


# -- the learned model ------------------------------------------------------------------------

_EPOCHS = 300
# Light regularisation: the cue model sees half a million words, and heavier L2 (1e-3) cost
# five points of cue F1 on the dev split by flattening the rare lemmas' weights.
_L2 = 1e-5
# A feature seen fewer times than this in training gets no weight (it could only memorise).
_MIN_FEATURE_COUNT = 2
# Weights smaller than this change no decision (dev scores are the same without them);
# dropping them halves the shipped file.
_MIN_WEIGHT = 0.02
# Every fifth training article is held out once to choose the cue threshold.
_HOLD_OUT = 5


@dataclass(frozen=True, slots=True)
class TrainingReport:
    words: int  # cue candidates scored
    cue_heads: int  # of which head a gold cue
    threshold: float
    held_out_f1: float  # cue-head F1 on the held-out articles at that threshold
    role_examples: int
    role_accuracy: float  # on the held-out articles
    features: int
    frame_threshold: float = 0.5  # for words no rule proposed a candidate around
    contents: int = 0  # rule contents the end model learned from
    end_accuracy: float = 0.0  # share of held-out contents given the gold end
    rules_end_accuracy: float = 0.0  # the same share for the candidates' own ends


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


def cue_examples(
    parsed: Iterable[tuple[Any, Any]],
) -> tuple[list[list[str]], list[int], list[int]]:
    """Features of every cue candidate word, its label (1 when it heads a gold cue) and the
    index of its article."""
    from claimledger.attribute import candidate_drafts
    from claimledger.attribute.classifier import cue_features, doc_context

    rows: list[list[str]] = []
    labels: list[int] = []
    articles: list[int] = []
    for n, (doc, gold) in enumerate(parsed):
        heads = _cue_heads(doc, gold.attributions)
        context = doc_context(doc, candidate_drafts(doc))
        for i, candidate in enumerate(context.candidate):
            if candidate:
                rows.append(cue_features(i, context))
                labels.append(int(i in heads))
                articles.append(n)
    return rows, labels, articles


def role_examples(
    parsed: Iterable[tuple[Any, Any]],
) -> tuple[list[list[str]], list[int], list[int]]:
    """Features of every frame candidate around every gold cue, its role (an index into
    ``frames.ROLES``: the gold role covering most of it) and the index of its article."""
    from claimledger.attribute.frames import (
        MAX_DEPTH,
        ROLES,
        candidates,
        inner_candidates,
        role_features,
    )

    rows: list[list[str]] = []
    labels: list[int] = []
    articles: list[int] = []
    for n, (doc, gold) in enumerate(parsed):
        for attribution in gold.attributions:
            head = _cue_head(doc, attribution)
            if head is None:
                continue
            roles = {role: _trimmed_chars(doc, getattr(attribution, role)) for role in ROLES[1:]}
            pending = list(candidates(head))
            while pending:
                candidate = pending.pop(0)
                role = _role_of(doc, candidate.tokens, roles)
                # A word of the cue that governs a phrase ("critical [of the plan]") is cue
                # itself, and its dependents are candidates in turn.
                if candidate.kind != "head" and _role_of(doc, {candidate.token.i}, roles) == "cue":
                    role = "cue"
                    if candidate.depth < MAX_DEPTH:
                        pending += inner_candidates(candidate)
                rows.append(role_features(candidate))
                labels.append(ROLES.index(role))
                articles.append(n)
    return rows, labels, articles


def extent_examples(
    parsed: Iterable[tuple[Any, Any]], roles: Any = None
) -> tuple[list[list[str]], list[int], list[int], list[tuple[int, int, bool]]]:
    """Features of every possible end of every rule candidate (and, given the role model, of
    every learned frame around a gold cue no rule used) that shares its cue and some content
    with a gold attribution; its label (1 at the gold end), the index of its article, and per
    candidate (group, article, whether it is the candidate's own end)."""
    from claimledger.attribute import candidate_drafts
    from claimledger.attribute.classifier import rule_evidence
    from claimledger.attribute.extent import (
        QUOTED_PATTERNS,
        candidate_ends,
        content_head,
        content_tokens,
        end_features,
        trimmed_end,
    )
    from claimledger.attribute.frames import learned_frame
    from claimledger.eval.polnear import chars

    rows: list[list[str]] = []
    labels: list[int] = []
    articles: list[int] = []
    groups: list[tuple[int, int, bool]] = []
    group = 0
    for n, (doc, gold) in enumerate(parsed):
        text = doc.text
        golds = [
            (chars(text, a.cue) if a.cue else frozenset(), chars(text, a.content), a)
            for a in gold.attributions
        ]
        drafts = candidate_drafts(doc)
        if roles is not None:
            used = rule_evidence(doc, drafts)
            # In token order, so that training is the same from run to run.
            heads = sorted({h.i for a in gold.attributions if (h := _cue_head(doc, a)) is not None})
            frames = (learned_frame(doc, doc[i], roles) for i in heads if i not in used)
            drafts += [f for f in frames if f is not None]
        for draft in drafts:
            bounds = content_tokens(doc, draft)
            if draft.by in QUOTED_PATTERNS or draft.cue is None or bounds is None:
                continue
            cue = set(range(*draft.cue))
            content = chars(text, tuple(draft.content))
            matches = [a for c, g, a in golds if c & cue and g & content]
            last_piece = chars(text, matches[0].content[-1:]) if matches else frozenset()
            if not last_piece:
                continue
            first, last = bounds
            ends = candidate_ends(doc, first, last)
            # The end as the evaluation sees it: trimmed like every span it compares.
            seen = [
                max(chars(text, ((draft.content[-1][0], trimmed_end(doc, e)),)) or {-1})
                for e in ends
            ]
            gold_end = max(last_piece)
            if gold_end not in seen:
                continue
            head = content_head(doc, first, last)
            for k, end in enumerate(ends):
                rows.append(end_features(doc, draft, first, last, end, k, head))
                labels.append(int(seen[k] == gold_end))
                articles.append(n)
                groups.append((group, n, end == last))
            group += 1
    return rows, labels, articles, groups


def _cue_head(doc: Any, attribution: Any) -> Any:
    if not attribution.cue:
        return None
    start, end = attribution.cue[0]
    span = doc.char_span(start, end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def _trimmed_chars(doc: Any, pieces: Iterable[tuple[int, int]] | None) -> set[int]:
    from claimledger.eval.polnear import chars

    return set(chars(doc.text, tuple(pieces or ())))


def _role_of(doc: Any, tokens: Iterable[int], roles: dict[str, set[int]]) -> str:
    """The gold role covering at least half of the tokens' (trimmed) characters, else none."""
    from claimledger.attribute.frames import token_pieces

    covered: set[int] = set()
    for start, end in token_pieces(doc, set(tokens)):
        covered.update(range(start, end))
    if not covered:
        return "none"
    for role in ("cue", "source", "content"):
        if len(covered & roles[role]) * 2 >= len(covered):
            return role
    return "none"


def fit_model(
    cue_data: tuple[list[list[str]], list[int], list[int]],
    role_data: tuple[list[list[str]], list[int], list[int]],
) -> tuple[dict[str, Any], TrainingReport]:
    """The cue-head model (threshold chosen on held-out articles, then refitted on all) and the
    one-vs-rest role models; ``fit_extent`` adds the content-end model."""
    import numpy as np

    from claimledger.attribute.classifier import MODEL_NAME
    from claimledger.attribute.frames import ROLES

    rows, labels, articles = cue_data
    y = np.array(labels, dtype=np.float64)
    held = np.array(articles) % _HOLD_OUT == 0
    vocab = _vocabulary(rows, ~held)
    index = _index(rows, vocab)
    w, b = _gradient_descent([index[i] for i in np.flatnonzero(~held)], y[~held], len(vocab))
    p = _predict([index[i] for i in np.flatnonzero(held)], w, b)
    ruled = np.array(["rule=none" not in rows[i] for i in np.flatnonzero(held)])
    threshold, free_threshold, f1 = _best_thresholds(p, y[held], ruled)
    cue = _fit_weights(rows, y, np.ones(len(rows), dtype=bool))
    cue["nouns"] = sorted(
        {
            f.split("=", 1)[1]
            for row, label in zip(rows, labels, strict=True)
            if label and "pos=NOUN" in row
            for f in row
            if f.startswith("lemma=")
        }
    )

    role_rows, role_labels, role_articles = role_data
    role_y = np.array(role_labels)
    role_held = np.array(role_articles) % _HOLD_OUT == 0
    held_scores = []
    roles: dict[str, dict[str, Any]] = {}
    for k, role in enumerate(ROLES):
        target = (role_y == k).astype(np.float64)
        part = _fit_weights(role_rows, target, ~role_held)
        held_scores.append(_score_rows(role_rows, role_held, part))
        roles[role] = _fit_weights(role_rows, target, np.ones(len(role_rows), dtype=bool))
    accuracy = float(np.mean(np.argmax(np.array(held_scores), axis=0) == role_y[role_held]))

    model = {
        "name": MODEL_NAME,
        "threshold": round(threshold, 3),
        "frame_threshold": round(free_threshold, 3),
        "cue": cue,
        "roles": roles,
    }
    features = len(cue["weights"]) + sum(len(r["weights"]) for r in roles.values())
    report = TrainingReport(
        len(rows), int(y.sum()), threshold, f1, len(role_rows), accuracy, features, free_threshold
    )
    return model, report


def fit_extent(
    model: dict[str, Any],
    report: TrainingReport,
    extent_data: tuple[list[list[str]], list[int], list[int], list[tuple[int, int, bool]]],
) -> tuple[dict[str, Any], TrainingReport]:
    """``model`` with the content-end model added (its held-out accuracy measured on the
    held-out articles first, then refitted on all)."""
    import numpy as np

    rows, labels, articles, groups = extent_data
    y = np.array(labels, dtype=np.float64)
    held = np.array(articles) % _HOLD_OUT == 0
    part = _fit_weights(rows, y, ~held)
    end_accuracy, own_accuracy = _end_accuracy(
        _score_rows(rows, held, part),
        [g for g, keep in zip(groups, held, strict=True) if keep],
        y[held],
    )
    extent = _fit_weights(rows, y, np.ones(len(rows), dtype=bool))
    report = dataclasses.replace(
        report,
        features=report.features + len(extent["weights"]),
        contents=len({g for g, _, _ in groups}),
        end_accuracy=end_accuracy,
        rules_end_accuracy=own_accuracy,
    )
    return {**model, "extent": extent}, report


def _end_accuracy(
    scores: Any, groups: list[tuple[int, int, bool]], labels: Any
) -> tuple[float, float]:
    """Share of contents whose best-scored end is the gold one, and the share where the rules'
    own end is."""
    best: dict[int, tuple[float, float]] = {}
    rules: dict[int, float] = {}
    for score, (group, _, own), label in zip(scores, groups, labels, strict=True):
        if group not in best or score > best[group][0]:
            best[group] = (float(score), float(label))
        if own:
            rules[group] = float(label)
    if not best:
        return 0.0, 0.0
    return (
        sum(label for _, label in best.values()) / len(best),
        sum(rules.values()) / len(best),
    )


def _vocabulary(rows: list[list[str]], use: Any) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for row, keep in zip(rows, use, strict=True):
        if keep:
            counts.update(row)
    return {
        f: i for i, f in enumerate(sorted(f for f, c in counts.items() if c >= _MIN_FEATURE_COUNT))
    }


def _index(rows: list[list[str]], vocab: dict[str, int]) -> list[Any]:
    import numpy as np

    return [np.array([vocab[f] for f in row if f in vocab], dtype=np.int64) for row in rows]


def _fit_weights(rows: list[list[str]], y: Any, use: Any) -> dict[str, Any]:
    """Logistic regression on the rows where ``use`` is true, as named weights and a bias."""
    import numpy as np

    vocab = _vocabulary(rows, use)
    index = _index(rows, vocab)
    chosen = np.flatnonzero(use)
    w, b = _gradient_descent([index[i] for i in chosen], y[chosen], len(vocab))
    weights = {f: round(float(w[i]), 3) for f, i in vocab.items() if abs(w[i]) >= _MIN_WEIGHT}
    return {"bias": round(float(b), 4), "weights": weights}


def _score_rows(rows: list[list[str]], use: Any, model: dict[str, Any]) -> Any:
    import numpy as np

    weights = model["weights"]
    return np.array(
        [
            model["bias"] + sum(weights.get(f, 0.0) for f in row)
            for row, keep in zip(rows, use, strict=True)
            if keep
        ]
    )


def _gradient_descent(index: list[Any], y: Any, n: int) -> tuple[Any, float]:
    import numpy as np

    flat = np.concatenate(index) if index else np.zeros(0, dtype=np.int64)
    lengths = np.array([len(i) for i in index], dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
    nonempty = lengths > 0
    w = np.zeros(n)
    b = 0.0
    m = np.zeros(n)
    v = np.zeros(n)
    for step in range(1, _EPOCHS + 1):  # Adam: robust to the very uneven feature frequencies
        z = np.full(len(y), b)
        if len(flat):
            sums = np.add.reduceat(w[flat], offsets[nonempty])
            z[nonempty] += sums
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
        err = (p - y) / max(len(y), 1)
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


def _best_thresholds(p: Any, y: Any, ruled: Any) -> tuple[float, float, float]:
    """Two probability cuts, one for words a rule proposed a candidate around and one for the
    rest (which only a learned frame can turn into a statement), that together maximise
    cue-head F1 = 2 TP / (kept + gold); and that F1."""
    import numpy as np

    cuts = np.arange(0.05, 0.95, 0.01)
    gold = float(y.sum())
    if not gold:
        return 0.5, 0.5, 0.0

    def counts(part: Any) -> tuple[Any, Any]:
        kept = p[part][None, :] >= cuts[:, None]
        return (kept * y[part][None, :]).sum(axis=1), kept.sum(axis=1)

    tp_rule, kept_rule = counts(ruled)
    tp_free, kept_free = counts(~ruled)
    f1 = (
        2 * (tp_rule[:, None] + tp_free[None, :]) / (kept_rule[:, None] + kept_free[None, :] + gold)
    )
    i, j = np.unravel_index(int(np.argmax(f1)), f1.shape)
    return float(cuts[i]), float(cuts[j]), float(f1[i, j])


def write_model(model: dict[str, Any], report: TrainingReport, split: Path, path: Path) -> None:
    model = {
        **model,
        "data": f"the {split.name!r} split of PolNeAR (Newell, Margolin & Ruths, LREC 2018)",
        "cue_candidates": report.words,
        "gold_cue_heads": report.cue_heads,
        "held_out_cue_f1": round(report.held_out_f1, 4),
        "role_examples": report.role_examples,
        "held_out_role_accuracy": round(report.role_accuracy, 4),
        "end_contents": report.contents,
        "held_out_end_accuracy": round(report.end_accuracy, 4),
        "held_out_rules_end_accuracy": round(report.rules_end_accuracy, 4),
    }
    path.write_text(
        json.dumps(model, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8"
    )
