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
# Every fifth training article is held out once: the models are fitted without them to judge
# them on those articles and to choose the cue thresholds.
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
    # The held-out articles' F1s (source, cue, …) at the chosen thresholds.
    held_out_scores: dict[str, float] = dataclasses.field(default_factory=dict)


def parse_split(
    split: Path, model: str = DEFAULT_MODEL, progress: Callable[[int, int], None] | None = None
) -> list[tuple[Any, Any]]:
    """(doc, gold document) for every annotated article of a PolNeAR split, parsed once."""
    from claimledger.eval.polnear import load_gold

    gold = load_gold(split)
    if not gold:
        raise InputError(str(split), "no PolNeAR annotations found (needs text/ and attributions/)")
    nlp = load_pipeline(model, "rules")  # the parse alone: there may be no model yet to learn from
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


@dataclass
class HeldOutModel:
    """The models fitted again without the held-out articles, to judge them on those."""

    cue: dict[str, Any]
    roles: dict[str, dict[str, Any]]
    extent: dict[str, Any] | None = None
    # Each held-out cue candidate's probability, gold label and whether a rule proposed it.
    cue_scores: tuple[Any, Any, Any] | None = None


def fit_model(
    cue_data: tuple[list[list[str]], list[int], list[int]],
    role_data: tuple[list[list[str]], list[int], list[int]],
) -> tuple[dict[str, Any], TrainingReport, HeldOutModel]:
    """The cue-head model and the one-vs-rest role models, fitted on all articles, and again
    without the held-out ones; ``fit_extent`` adds the content-end model, ``tune_thresholds``
    the cue thresholds."""
    import numpy as np

    from claimledger.attribute.classifier import MODEL_NAME
    from claimledger.attribute.frames import ROLES

    rows, labels, articles = cue_data
    y = np.array(labels, dtype=np.float64)
    held = np.array(articles) % _HOLD_OUT == 0
    held_cue = _fit_weights(rows, y, ~held)
    p = 1.0 / (1.0 + np.exp(-np.clip(_score_rows(rows, held, held_cue), -30, 30)))
    ruled = np.array(["rule=none" not in rows[i] for i in np.flatnonzero(held)])
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
    held_cue["nouns"] = cue["nouns"]

    role_rows, role_labels, role_articles = role_data
    role_y = np.array(role_labels)
    role_held = np.array(role_articles) % _HOLD_OUT == 0
    held_scores = []
    roles: dict[str, dict[str, Any]] = {}
    held_roles: dict[str, dict[str, Any]] = {}
    for k, role in enumerate(ROLES):
        target = (role_y == k).astype(np.float64)
        held_roles[role] = _fit_weights(role_rows, target, ~role_held)
        held_scores.append(_score_rows(role_rows, role_held, held_roles[role]))
        roles[role] = _fit_weights(role_rows, target, np.ones(len(role_rows), dtype=bool))
    accuracy = float(np.mean(np.argmax(np.array(held_scores), axis=0) == role_y[role_held]))

    model = {"name": MODEL_NAME, "cue": cue, "roles": roles}
    features = len(cue["weights"]) + sum(len(r["weights"]) for r in roles.values())
    report = TrainingReport(
        len(rows), int(y.sum()), 0.5, 0.0, len(role_rows), accuracy, features, 0.5
    )
    return model, report, HeldOutModel(held_cue, held_roles, cue_scores=(p, y[held], ruled))


def fit_extent(
    model: dict[str, Any],
    report: TrainingReport,
    extent_data: tuple[list[list[str]], list[int], list[int], list[tuple[int, int, bool]]],
    held_out: HeldOutModel,
) -> tuple[dict[str, Any], TrainingReport]:
    """``model`` with the content-end model added (its held-out accuracy measured on the
    held-out articles first, then refitted on all)."""
    import numpy as np

    rows, labels, articles, groups = extent_data
    y = np.array(labels, dtype=np.float64)
    held = np.array(articles) % _HOLD_OUT == 0
    held_out.extent = _fit_weights(rows, y, ~held)
    end_accuracy, own_accuracy = _end_accuracy(
        _score_rows(rows, held, held_out.extent),
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


# The cuts tried for the two thresholds, and what they are chosen to maximise: the mean of the
# five F1s `claimledger eval polnear` prints first (source, cue, content, attribution, triple).
_CUTS = tuple(round(0.15 + 0.05 * k, 2) for k in range(9))  # 0.15 … 0.55
TUNED_ON = ("source", "cue", "content", "attribution", "triple")


def tune_thresholds(
    parsed: list[tuple[Any, Any]],
    model: dict[str, Any],
    report: TrainingReport,
    held_out: HeldOutModel,
) -> tuple[dict[str, Any], TrainingReport]:
    """Choose the two cue thresholds (rule candidates, learned frames) by running the whole
    attribute stage — fitted without the held-out articles — on the held-out articles at every
    pair of cuts and scoring it as the evaluation does."""
    from claimledger.attribute import candidate_drafts, scored_drafts
    from claimledger.attribute.direct import intro_points
    from claimledger.attribute.quotes import find_quotes

    judged = _held_out_attribution_model(held_out)
    low = (min(_CUTS), min(_CUTS))
    documents = []
    for n, (doc, gold) in enumerate(parsed):
        if n % _HOLD_OUT == 0:
            quotes = find_quotes(doc.text, intro_points(doc))
            drafts = candidate_drafts(doc, quotes)
            documents.append((doc, gold, scored_drafts(doc, drafts, judged, quotes, low)))
    best: tuple[float, float, float, dict[str, float]] | None = None
    for threshold in _CUTS:
        for frame_threshold in _CUTS:
            f1s = _held_out_f1s(documents, threshold, frame_threshold)
            mean = sum(f1s.values()) / len(f1s)
            if best is None or mean > best[0] + 1e-12:
                best = (mean, threshold, frame_threshold, f1s)
    assert best is not None
    _, threshold, frame_threshold, f1s = best
    cue_f1 = (
        _cue_head_f1(*held_out.cue_scores, threshold, frame_threshold)
        if held_out.cue_scores is not None
        else 0.0
    )
    report = dataclasses.replace(
        report,
        threshold=threshold,
        frame_threshold=frame_threshold,
        held_out_f1=cue_f1,
        held_out_scores=f1s,
    )
    return {**model, "threshold": threshold, "frame_threshold": frame_threshold}, report


def _held_out_attribution_model(held_out: HeldOutModel) -> Any:
    from claimledger.attribute.classifier import AttributionModel, CueModel
    from claimledger.attribute.extent import ExtentModel
    from claimledger.attribute.frames import RoleModel

    cue = held_out.cue
    extent = held_out.extent
    return AttributionModel(
        CueModel(cue["weights"], cue["bias"], 0.5, frozenset(cue["nouns"])),
        RoleModel(
            {role: m["weights"] for role, m in held_out.roles.items()},
            {role: m["bias"] for role, m in held_out.roles.items()},
        ),
        ExtentModel(extent["weights"], extent["bias"]) if extent is not None else None,
    )


def _held_out_f1s(
    documents: list[tuple[Any, Any, Any]], threshold: float, frame_threshold: float
) -> dict[str, float]:
    from claimledger.attribute import finished, select
    from claimledger.eval.polnear import score_documents

    pairs = []
    for doc, gold, scored in documents:
        # finished() adds pieces to contents: work on copies, the scores are reused.
        chosen = [
            dataclasses.replace(d, content=list(d.content))
            for d in select(scored, threshold, frame_threshold)
        ]
        pairs.append((gold, [_attribution(d) for d in finished(doc, chosen)]))
    scores = score_documents(pairs).to_dict()
    return {name: float(scores[name]["f1"]) for name in TUNED_ON}


def _attribution(draft: Any) -> Any:
    """A draft as the evaluation reads its statement (a floating quote has no source span)."""
    from claimledger.eval.polnear import Attribution

    source = None
    if draft.source is not None and not draft.inherits_speaker:
        source = ((draft.source.start_char, draft.source.end_char),)
    cue = (draft.cue,) if draft.cue else None
    return Attribution(source, cue, tuple(draft.content))


def _cue_head_f1(p: Any, y: Any, ruled: Any, threshold: float, frame_threshold: float) -> float:
    """Cue-head F1 on the held-out words at the two cuts: 2 TP / (kept + gold)."""
    kept = (ruled & (p >= threshold)) | (~ruled & (p >= frame_threshold))
    gold = float(y.sum())
    return float(2 * (kept * y).sum() / (kept.sum() + gold)) if gold else 0.0


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
        "held_out_f1": {name: round(f1, 4) for name, f1 in report.held_out_scores.items()},
    }
    path.write_text(
        json.dumps(model, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8"
    )
