"""A learned filter over the rules' candidate statements.

The rules propose (source, cue, content) candidates generously; a logistic-regression model
trained on PolNeAR's train split (``claimledger train attribution``) scores each one from a few
dozen sparse features — the pattern that produced it, the cue's lemma and class, what kind of
phrase the source is, how long the content is — and candidates below the threshold are dropped.
Its probability becomes the statement's ``confidence``. The weights are a small JSON file beside
this module; without it, every candidate is kept (rules only).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc, Token

from claimledger.attribute import lexicon
from claimledger.model import Statement
from claimledger.nlp import text_of

MODEL_PATH = Path(__file__).with_name("attribution_model.json")
MODEL_NAME = "attribution-filter-v1"


@dataclass(frozen=True, slots=True)
class FilterModel:
    weights: dict[str, float]
    bias: float
    threshold: float

    def probability(self, features: Sequence[str]) -> float:
        z = self.bias + sum(self.weights.get(f, 0.0) for f in features)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@lru_cache(maxsize=4)
def load_model(path: Path = MODEL_PATH) -> FilterModel | None:
    """The shipped filter, or None when there is none (then the rules decide alone)."""
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return FilterModel(dict(data["weights"]), float(data["bias"]), float(data["threshold"]))


def features(doc: Doc, statement: Statement) -> list[str]:
    """Sparse, named features of one candidate statement."""
    cue = _cue_token(doc, statement)
    lemma = cue.lemma_.lower() if cue is not None else "<none>"
    entry = lexicon.cues().get(lemma)
    source_root = _source_root(doc, statement)
    words = len(statement.content.text.split())
    feats = [
        f"by={statement.by}",
        f"kind={statement.kind}",
        f"cue={lemma}",
        f"cue_class={entry.cls if entry else 'none'}",
        f"cue_learned={lemma not in lexicon.hand_cues()}",
        f"by+cue={statement.by}|{lemma}",
        f"len={_bucket(words)}",
        f"by+len={statement.by}|{_bucket(words)}",
        f"pieces={min(len(statement.content.pieces), 3)}",
        f"via={bool(statement.via)}",
        f"speaker={statement.speaker.type if statement.speaker else 'none'}",
    ]
    if cue is not None:
        feats += [
            f"cue_tag={cue.tag_}",
            f"cue_dep={cue.dep_}",
            f"cue_neg={any(c.dep_ == 'neg' for c in cue.children)}",
            f"cue_in_quote={_inside_quote(doc, cue.idx)}",
        ]
    if source_root is not None:
        feats += [
            f"src_pos={source_root.pos_}",
            f"src_ent={source_root.ent_type_ or 'none'}",
            f"src_pron={source_root.lower_ if source_root.pos_ == 'PRON' else 'no'}",
            f"by+src_pos={statement.by}|{source_root.pos_}",
        ]
    else:
        feats.append("src=none")
    first = doc.char_span(statement.content.start, statement.content.end, alignment_mode="expand")
    if first is not None and len(first):
        feats += [
            f"content_first={first[0].lower_ if first[0].is_stop else first[0].pos_}",
            f"content_root={first.root.pos_}",
        ]
    return feats


def filter_statements(doc: Doc, statements: Sequence[Statement]) -> list[Statement]:
    """The candidates the model keeps, each with its probability as ``confidence``."""
    model = load_model()
    if model is None:
        return list(statements)
    kept = []
    for statement in statements:
        p = model.probability(features(doc, statement))
        if p >= model.threshold:
            kept.append(replace(statement, confidence=round(p, 3)))
    return kept


def _bucket(words: int) -> str:
    for limit in (1, 2, 4, 8, 16, 32, 64):
        if words <= limit:
            return str(limit)
    return "more"


def _cue_token(doc: Doc, statement: Statement) -> Token | None:
    if statement.cue is None:
        return None
    span = doc.char_span(statement.cue.start, statement.cue.end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def _source_root(doc: Doc, statement: Statement) -> Token | None:
    if statement.source is None:
        return None
    span = doc.char_span(statement.source.start, statement.source.end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def _inside_quote(doc: Doc, offset: int) -> bool:
    """Whether an odd number of quotation marks stands before ``offset`` in its paragraph."""
    start = text_of(doc).rfind("\n", 0, offset) + 1
    before = text_of(doc)[start:offset]
    return (before.count("“") > before.count("”")) or before.count('"') % 2 == 1
