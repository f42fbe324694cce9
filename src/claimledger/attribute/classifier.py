"""The learned attribution model: which words are cues, and the frame around each.

The rules propose candidate statements generously. A logistic-regression model trained on
PolNeAR's train split (``claimledger train attribution``) then scores every word of the article
as the head of a cue, from sparse features — its lemma and part of speech, its dependents, its
subject, whether it stands in a quotation, and which rules (if any) proposed a statement around
it. A rule candidate is kept when its cue word scores above the threshold; a word that scores
above it with no rule candidate gets a frame read by the role model (``frames.py``). The
probability becomes the statement's ``confidence``. The weights are one JSON file beside this
module, shipped in the package; learned mode refuses to run without it (``--attribution rules``
needs none), since the rules alone would quietly give other statements.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat
from pathlib import Path

from spacy.attrs import HEAD
from spacy.tokens import Doc

from claimledger.attribute import lexicon
from claimledger.attribute.draft import Draft
from claimledger.attribute.extent import ExtentModel
from claimledger.attribute.frames import RoleModel
from claimledger.errors import AttributionModelError
from claimledger.nlp import tokens_of

MODEL_PATH = Path(__file__).with_name("attribution_model.json")
MODEL_NAME = "attribution-frames-v2"
# Words that can head a cue: verbs, nouns ("announcement") and the colon or dash of a label
# ("PENCE: …"); any word a rule proposed as a cue is scored too. On PolNeAR dev 95% of gold cue
# heads are verbs or nouns; proper nouns, prepositions and adjectives together head 2% while
# being a third of the words, so scoring them cost more time than it could find.
CUE_POS = frozenset({"VERB", "AUX", "NOUN"})
CUE_PUNCT = frozenset({":", "—", "–", "--", "―"})
_QUOTE_MARKS = frozenset({"“", "”", '"', "``", "''"})


@dataclass(frozen=True, slots=True)
class CueModel:
    weights: Mapping[str, float]
    bias: float
    threshold: float
    # Nouns that headed a cue in training ("claim", "criticism"); other nouns are not scored
    # (they almost never pass, and nouns are half the words scored). None: score every noun.
    nouns: frozenset[str] | None = None
    # The cut for a word no rule proposed a candidate around: a learned frame rests on the
    # model alone, so it gets its own threshold, chosen with the other on held-out articles.
    frame_threshold: float = 0.5

    def probability(self, features: Sequence[str]) -> float:
        z = self.bias + sum(map(self.weights.get, features, repeat(0.0)))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@dataclass(frozen=True, slots=True)
class AttributionModel:
    cue: CueModel
    roles: RoleModel
    extent: ExtentModel | None = None


# What to do about a missing or foreign model file, said by every error about one.
_REMEDY = (
    "reinstall claimledger (pip install --force-reinstall claimledger), rebuild the model with "
    "`claimledger train attribution POLNEAR/train`, or pass --attribution rules to run the "
    "hand-written rules alone"
)


def load_model(path: Path | None = None) -> AttributionModel:
    """The model at ``path``, by default the shipped one (``MODEL_PATH``, read at call time).

    Raises ``AttributionModelError`` when the file is missing, unreadable or of another
    format: learned mode without its model would quietly become rules only.
    """
    return _read_model(MODEL_PATH if path is None else path)


@lru_cache(maxsize=4)
def _read_model(path: Path) -> AttributionModel:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AttributionModelError(
            f"{path}: the learned attribution model is missing; {_REMEDY}"
        ) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise AttributionModelError(
            f"{path}: the learned attribution model cannot be read ({error}); {_REMEDY}"
        ) from None
    name = data.get("name") if isinstance(data, dict) else None
    if name != MODEL_NAME:
        raise AttributionModelError(
            f"{path}: not an attribution model this claimledger reads "
            f"(format {name!r}, expected {MODEL_NAME!r}); {_REMEDY}"
        )
    nouns = data["cue"].get("nouns")
    cue = CueModel(
        dict(data["cue"]["weights"]),
        float(data["cue"]["bias"]),
        data["threshold"],
        frozenset(nouns) if nouns is not None else None,
        float(data.get("frame_threshold", 0.5)),
    )
    roles = RoleModel(
        {role: dict(m["weights"]) for role, m in data["roles"].items()},
        {role: float(m["bias"]) for role, m in data["roles"].items()},
    )
    extent = None
    if "extent" in data:
        extent = ExtentModel(dict(data["extent"]["weights"]), float(data["extent"]["bias"]))
    return AttributionModel(cue, roles, extent)


def quote_states(words: Sequence[str]) -> list[bool]:
    """For each token (given by its text), whether it stands inside a quotation (paired or
    straight marks)."""
    inside = False
    states = []
    for text in words:
        if text in _QUOTE_MARKS:
            if text in ("“", "``"):
                inside = True
            elif text in ("”", "''"):
                inside = False
            else:
                inside = not inside
        elif "\n" in text:
            inside = False  # a paragraph break ends an unclosed quote
        states.append(inside)
    return states


def rule_evidence(doc: Doc, drafts: Sequence[Draft]) -> dict[int, list[tuple[str, str]]]:
    """(pattern, kind) of every rule candidate, by the index of its cue's head token."""
    evidence: dict[int, list[tuple[str, str]]] = {}
    for draft in drafts:
        head = cue_head(doc, draft)
        if head is not None:
            evidence.setdefault(head, []).append((draft.by, draft.kind))
    return evidence


def cue_head(doc: Doc, draft: Draft) -> int | None:
    if draft.cue_token is not None:
        return draft.cue_token
    if draft.cue is None:
        return None
    span = doc.char_span(draft.cue[0], draft.cue[1], alignment_mode="expand")
    return span.root.i if span is not None and len(span) else None


@dataclass(frozen=True, slots=True)
class DocContext:
    """What the cue features read, as one list per token attribute, built once per article:
    reading attributes through spaCy Token objects was most of the feature cost."""

    lower: Sequence[str]
    lemma: Sequence[str]  # lower-cased
    pos: Sequence[str]
    tag: Sequence[str]
    dep: Sequence[str]
    ent: Sequence[str]
    head: Sequence[int]
    children: Sequence[Sequence[int]]
    in_quote: Sequence[bool]
    quoted_sentence: Sequence[bool]  # the token's sentence has a quotation mark
    evidence: Mapping[int, Sequence[tuple[str, str]]]  # rule candidates by cue head
    candidate: Sequence[bool]  # scored as a possible cue head


def doc_context(doc: Doc, drafts: Sequence[Draft]) -> DocContext:
    tokens = tokens_of(doc)
    words = [t.text for t in tokens]
    pos = [t.pos_ for t in tokens]
    # HEAD holds offsets to the head, stored unsigned: read them back as signed.
    head = [i + int(offset) for i, offset in enumerate(doc.to_array(HEAD).view("int64"))]
    children: list[list[int]] = [[] for _ in tokens]
    for i, h in enumerate(head):
        if h != i:
            children[h].append(i)
    quoted_sentence: list[bool] = []
    for sentence in doc.sents:
        quoted = any(w in _QUOTE_MARKS for w in words[sentence.start : sentence.end])
        quoted_sentence.extend([quoted] * (sentence.end - sentence.start))
    evidence = rule_evidence(doc, drafts)
    return DocContext(
        lower=[w.lower() for w in words],
        lemma=[t.lemma_.lower() for t in tokens],
        pos=pos,
        tag=[t.tag_ for t in tokens],
        dep=[t.dep_ for t in tokens],
        ent=[t.ent_type_ for t in tokens],
        head=head,
        children=children,
        in_quote=quote_states(words),
        quoted_sentence=quoted_sentence,
        evidence=evidence,
        candidate=[
            p in CUE_POS or w in CUE_PUNCT or i in evidence
            for i, (p, w) in enumerate(zip(pos, words, strict=True))
        ],
    )


def cue_features(i: int, c: DocContext) -> list[str]:
    """Sparse, named features of token ``i`` as a possible cue head."""
    lemma, pos, dep, h = c.lemma[i], c.pos[i], c.dep[i], c.head[i]
    quoted = c.in_quote[i]
    feats = [
        f"lemma={lemma}",
        f"pos={pos}",
        f"lemma+pos={lemma}|{pos}",
        f"dep={dep}",
        f"lemma+dep={lemma}|{dep}",
        f"tag={c.tag[i]}",
        f"head={c.lemma[h]}",
        f"head_pos+dep={c.pos[h]}|{dep}",
        f"quoted={quoted}",
        f"lemma+quoted={lemma}|{quoted}",
        f"suffix={lemma[-3:]}|{pos}",
    ]
    kids = c.children[i]
    for child_dep in sorted({c.dep[k] for k in kids}):
        feats += [f"child={child_dep}", f"lemma+child={lemma}|{child_dep}"]
    for k in kids:
        kdep, kpos = c.dep[k], c.pos[k]
        if kdep in ("prep", "prt"):
            feats += [f"prep={c.lower[k]}", f"lemma+prep={lemma}|{c.lower[k]}"]
        elif kdep in ("nsubj", "nsubjpass"):
            feats.append(f"subject={c.ent[k] or kpos}")
            word = c.lemma[k] if kpos in ("PRON", "NOUN") else c.ent[k]
            feats.append(f"subject_word={word or kpos}")
        elif kdep == "mark":
            feats.append(f"mark={c.lower[k]}")
        if kdep in ("ccomp", "xcomp", "dobj", "attr", "acomp"):
            feats += [f"{kdep}_pos={kpos}", f"lemma+{kdep}={lemma}|{kpos}"]
        if kdep in ("dobj", "attr", "acomp"):
            feats.append(f"lemma+object={lemma}|{c.lemma[k]}")  # "raise questions"
        if kdep == "ccomp":
            marks = [c.lower[m] for m in c.children[k] if c.dep[m] == "mark"]
            feats.append(f"ccomp_mark={marks[0] if marks else 'none'}")
    grand = c.head[h]
    feats += [
        f"head+dep={c.lemma[h]}|{dep}",
        f"grandparent={c.lemma[grand]}|{c.dep[h]}",
        f"lemma+head_pos={lemma}|{c.pos[h]}|{dep}",
    ]
    if i > 1:
        feats.append(f"prev2={c.lower[i - 2]}|{c.lower[i - 1]}")
    if i > 0:
        feats.append(f"prev={c.lower[i - 1]}")
    if i + 1 < len(c.lower):
        feats += [f"next={c.lower[i + 1]}", f"lemma+next={lemma}|{c.lower[i + 1]}"]
    entry = lexicon.cues().get(lemma)
    if entry is not None:
        feats.append(f"lexicon={entry.cls}|{pos}")
    rules = c.evidence.get(i, ())
    for by, kind in rules:
        feats += [f"rule={by}", f"rule_kind={kind}", f"rule+lemma={by}|{lemma}"]
    if not rules:
        feats.append("rule=none")
    feats.append(f"sentence_quoted={c.quoted_sentence[i]}")
    return feats


def cue_probabilities(doc: Doc, drafts: Sequence[Draft], model: CueModel) -> dict[int, float]:
    """The probability that each candidate word of ``doc`` (and each rule candidate's cue head)
    heads a cue, by token index."""
    context = doc_context(doc, drafts)
    nouns = model.nouns
    return {
        i: model.probability(cue_features(i, context))
        for i, candidate in enumerate(context.candidate)
        if candidate
        and (
            nouns is None
            or context.pos[i] != "NOUN"
            or context.lemma[i] in nouns
            or i in context.evidence
        )
    }
