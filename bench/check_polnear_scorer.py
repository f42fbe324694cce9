"""Check that `claimledger.eval.polnear` agrees with the reference PolNeAR scorer.

Run by hand (not a test; it reads the benchmark data, which never enters the repo):

    .venv/bin/python bench/check_polnear_scorer.py [SPLIT_DIR] [--seed N] [--reference PATH]

It turns the split's gold into predictions with seeded perturbations (about 20% of
attributions dropped, boundaries shifted, roles removed, duplicates and spurious statements
added, a few articles left out and one unknown article added), writes them as claimledger/1
JSONL, scores them with the reference script and with our scorer, prints both side by side and
exits 1 unless every number agrees to three decimals.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from claimledger.eval.polnear import (
    METRICS,
    Attribution,
    GoldDoc,
    Pieces,
    format_table,
    gold_kind,
    load_gold,
    score,
)
from claimledger.interchange import article_from_dict, article_to_dict
from claimledger.model import Article, Content, Span, Statement

DEFAULT_SPLIT = Path("/work/shared/benchmarks/polnear/dev")
DEFAULT_REFERENCE = Path("/work/shared/tools/polnear_score.py")
COUNTS = ("articles", "articles_missing", "gold_attributions", "pred_statements")


def perturbed_articles(gold: dict[str, GoldDoc], split: Path, rng: random.Random) -> list[Article]:
    articles = []
    for stem, doc in gold.items():
        if rng.random() < 0.04:  # the article was not extracted at all
            continue
        atts = [p for a in doc.attributions for p in _perturb(a, doc.text, rng)]
        atts += [_spurious(doc.text, rng) for _ in range(rng.randint(0, 2))]
        rng.shuffle(atts)  # order must not matter to either scorer
        articles.append(_article(split / "text" / f"{stem}.txt", doc.text, atts))
    stray = "Nobody annotated this. “It is not gold,” said the tester."
    articles.append(_article(split / "text" / "not-in-gold.txt", stray, [_spurious(stray, rng)]))
    return articles


def _perturb(att: Attribution, text: str, rng: random.Random) -> list[Attribution]:
    if rng.random() < 0.2:
        return []
    content = att.content
    if rng.random() < 0.25:
        content = _shift(content, text, rng, 25)
    cue = att.cue if rng.random() > 0.1 else None
    if cue and rng.random() < 0.1:
        cue = _shift(cue, text, rng, 6)
    source = att.source if rng.random() > 0.1 else None
    if source and rng.random() < 0.1:
        source = _shift(source, text, rng, 8)
    if rng.random() < 0.1:  # the whole extent instead of the pieces of a discontinuous quote
        content = ((content[0][0], content[-1][1]),)
    out = [Attribution(source, cue, content)]
    if rng.random() < 0.03:  # the same statement found twice
        out.append(out[0])
    return out


def _shift(pieces: Pieces, text: str, rng: random.Random, most: int) -> Pieces:
    (start, _), (_, end) = pieces[0], pieces[-1]
    start = min(max(0, start + rng.randint(-most, most)), len(text) - 1)
    end = max(min(len(text), end + rng.randint(-most, most)), start + 1)
    middle = list(pieces[1:-1]) if len(pieces) > 2 else []
    if len(pieces) == 1:
        return ((start, end),)
    first_end = max(start + 1, pieces[0][1])
    last_start = min(end - 1, pieces[-1][0])
    return ((start, first_end), *middle, (last_start, end))


def _spurious(text: str, rng: random.Random) -> Attribution:
    start = rng.randrange(0, max(1, len(text) - 60))
    end = min(len(text), start + rng.randint(10, 120))
    cue_at = min(len(text) - 1, end + 1)
    source = ((max(0, start - 10), start),) if rng.random() < 0.7 else None
    return Attribution(source, ((cue_at, min(len(text), cue_at + 4)),), ((start, end),))


def _article(path: Path, text: str, atts: list[Attribution]) -> Article:
    statements = tuple(_statement(f"s{n}", text, a) for n, a in enumerate(atts, 1))
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Article(id=f"sha256:{digest}", text=text, path=str(path), statements=statements)


def _statement(sid: str, text: str, att: Attribution) -> Statement:
    start, end = att.content[0][0], att.content[-1][1]
    pieces = att.content if len(att.content) > 1 else ()
    kind = gold_kind(text, att)
    return Statement(
        id=sid,
        kind="direct" if kind == "direct" else "indirect",
        source=_span(text, att.source),
        speaker=None,
        cue=_span(text, att.cue),
        content=Content(start, end, text[start:end], pieces),
        by="bench:perturbed-gold",
    )


def _span(text: str, pieces: Pieces | None) -> Span | None:
    if not pieces:
        return None
    start, end = pieces[0][0], pieces[-1][1]
    return Span(start, end, text[start:end])


def reference_scores(reference: Path, split: Path, jsonl: Path) -> dict[str, Any]:
    cmd = [sys.executable, str(reference), str(split), str(jsonl), "--json"]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    result: dict[str, Any] = json.loads(out)
    return result


def compare(ref: dict[str, Any], ours: dict[str, Any]) -> bool:
    agree = True
    print(f"{'metric':<14}{'reference P / R / F1':>26}   {'ours P / R / F1':>24}")
    for name in METRICS:
        theirs = [float(x) for x in ref[name]]
        mine = [ours[name][k] for k in ("precision", "recall", "f1")]
        same = all(round(a, 3) == round(b, 3) for a, b in zip(theirs, mine, strict=True))
        agree &= same
        print(f"{name:<14}{_fmt(theirs):>26}   {_fmt(mine):>24}  {'ok' if same else 'DIFFER'}")
    for name in COUNTS:
        same = ref[name] == ours[name]
        agree &= same
        print(f"{name:<14}{ref[name]:>26}   {ours[name]:>24}  {'ok' if same else 'DIFFER'}")
    return agree


def _fmt(values: list[float]) -> str:
    return " / ".join(f"{v:.4f}" for v in values)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("split", nargs="?", type=Path, default=DEFAULT_SPLIT)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--reference", type=Path, default=DEFAULT_REFERENCE)
    args = parser.parse_args()
    gold = load_gold(args.split)
    articles = perturbed_articles(gold, args.split, random.Random(args.seed))
    with tempfile.TemporaryDirectory() as tmp:
        jsonl = Path(tmp) / "pred.jsonl"
        with jsonl.open("w", encoding="utf-8") as f:
            for a in articles:
                f.write(json.dumps(article_to_dict(a), ensure_ascii=False) + "\n")
        ref = reference_scores(args.reference, args.split, jsonl)
        # Score what was written, read back, so the JSONL round trip is checked as well.
        with jsonl.open(encoding="utf-8") as f:
            report = score(args.split, [article_from_dict(json.loads(line)) for line in f])
    print(f"split {args.split}  seed {args.seed}\n")
    agree = compare(ref, report.to_dict())
    print("\nours in full:\n" + format_table(report))
    print("\nAGREE to 3 decimals" if agree else "\nDISAGREE")
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
