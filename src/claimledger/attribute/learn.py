"""Learning the attribution lexicon from an annotated corpus (PolNeAR's train split).

Hand-written cue lists miss the long tail of verbs that news uses to attribute ("railed",
"touted", "lamented"). ``claimledger train attribution DIR`` parses the split's articles, counts
how often each verb lemma heads a gold cue, and writes the verbs that do so often enough to
``cues.learned.tsv`` beside this module; the rules then treat them as cues. The counts and the
thresholds are written into the file's header, so the shipped file can be reproduced exactly.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from claimledger.attribute import lexicon
from claimledger.errors import InputError
from claimledger.nlp import DEFAULT_MODEL, load_pipeline

LEARNED_CUES = Path(__file__).with_name("cues.learned.tsv")
# A verb becomes a cue when it heads at least MIN_COUNT gold cues and does so in at least
# MIN_RATIO of its occurrences: below that, it is attributive only in idioms we cannot tell apart.
MIN_COUNT = 5
MIN_RATIO = 0.3


@dataclass(frozen=True, slots=True)
class CueCount:
    lemma: str
    as_cue: int
    total: int

    @property
    def ratio(self) -> float:
        return self.as_cue / self.total if self.total else 0.0


def count_cue_heads(
    split: Path,
    model: str = DEFAULT_MODEL,
    progress: Callable[[int, int], None] | None = None,
) -> list[CueCount]:
    """How often each verb lemma heads a gold cue in a PolNeAR split, and occurs at all."""
    from claimledger.eval.polnear import load_gold  # eval reads the annotation format

    gold = load_gold(split)
    if not gold:
        raise InputError(str(split), "no PolNeAR annotations found (needs text/ and attributions/)")
    nlp = load_pipeline(model)
    as_cue: Counter[str] = Counter()
    total: Counter[str] = Counter()
    stems = sorted(gold)
    texts = ((gold[stem].text, stem) for stem in stems)
    with nlp.select_pipes(disable=["claimledger_attribution"]):
        for n, (doc, stem) in enumerate(nlp.pipe(texts, as_tuples=True, batch_size=16), start=1):
            heads = _cue_heads(doc, gold[stem].attributions)
            for token in doc:
                if token.pos_ == "VERB" and token.lemma_.isalpha():
                    lemma = token.lemma_.lower()
                    total[lemma] += 1
                    as_cue[lemma] += token.i in heads
            if progress:
                progress(n, len(stems))
    return [CueCount(lemma, as_cue[lemma], total[lemma]) for lemma in sorted(total)]


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
