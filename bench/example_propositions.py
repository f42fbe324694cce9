"""Score the propositions of the example against its hand annotation.

``../shared/examples/kursk.expected.json`` names, for each of its 15 statements, the
propositions it bears on and its sign ("P2:-": denies P2). Every claim we find is mapped to the
annotated statement whose content it overlaps; a proposition of ours then *stands for* an
annotated one when the annotated statements its claims come from are exactly that
proposition's (narration claims, which no annotated statement holds, are left out). The stance
of each such statement is compared with the annotated sign (+ supports, - denies, ? declines or
uncommitted; a hedge counts for the sign it leans to).

Run: ``python bench/example_propositions.py [--expected PATH] [--json]``; prints each
annotated proposition, the one of ours that stands for it (or the nearest, when none does), and
the count matched (acceptance: at least 6 of 7).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import claimledger
from claimledger.aggregate import aggregate
from claimledger.model import Article, Proposition

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = ROOT.parent / "shared" / "examples" / "kursk.expected.json"
PUBLISHED = "2024-12-10"
SIGN = {"supports": "+", "denies": "-", "declines": "?"}


def statement_of(start: int, end: int, statements: Sequence[dict[str, Any]]) -> str | None:
    """The annotated statement whose content overlaps [start, end) the most."""
    best, overlap = None, 0
    for s in statements:
        a, b = s["content_span"]
        shared = min(end, b) - max(start, a)
        if shared > overlap:
            best, overlap = s["id"], shared
    return best


def signs_of(
    p: Proposition, article: Article, statements: Sequence[dict[str, Any]]
) -> dict[str, str]:
    """The annotated statements a proposition's claims come from, with the sign of each."""
    claims = {c.id: c for c in article.claims}
    found: dict[str, str] = {}
    for stance in p.stances:
        for e in stance.evidence:
            claim = claims.get(e.claim_id)
            if claim is None or e.statement_id is None:
                continue
            sid = statement_of(claim.start, claim.end, statements)
            if sid is None:
                continue
            if stance.stance == "hedges":
                sign = "+" if e.polarity > 0 else "-"
            else:
                sign = SIGN.get(stance.stance, "?")
            if e.commitment == "uncommitted":
                sign = "?"
            found[sid] = sign
    return found


def score(expected_path: Path) -> dict[str, Any]:
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    statements = expected["statements"]
    gold: dict[str, dict[str, str]] = {p["id"]: {} for p in expected["propositions"]}
    for s in statements:
        for mark in s["propositions"]:
            pid, sign = mark.split(":")
            gold[pid][s["id"]] = sign
    article = claimledger.extract(ROOT / "examples" / "kursk.txt", PUBLISHED)
    ours = aggregate([article]).propositions
    found = [(p, signs_of(p, article, statements)) for p in ours]
    rows = []
    for pid, want in gold.items():
        exact = [(p, got) for p, got in found if set(got) == set(want)]
        if exact:
            p, got = exact[0]
        else:  # the nearest: most statements in common, fewest others
            p, got = max(
                found, key=lambda f: (len(set(f[1]) & set(want)), -len(set(f[1]) - set(want)))
            )
        rows.append(
            {
                "annotated": pid,
                "statements": sorted(want, key=lambda s: int(s[1:])),
                "ours": p.id,
                "text": p.text,
                "verdict": p.verdict,
                "our_statements": sorted(got, key=lambda s: int(s[1:])),
                "right_statements": bool(exact),
                "signs_agree": sum(got.get(s) == sign for s, sign in want.items()),
                "stances": [(st.speaker, st.stance) for st in p.stances],
            }
        )
    return {
        "matched": sum(r["right_statements"] for r in rows),
        "of": len(rows),
        "propositions": len(ours),
        "rows": rows,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--expected", type=Path, default=EXPECTED)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    result = score(args.expected)
    if args.json:
        print(json.dumps(result, indent=1))
        return 0
    for r in result["rows"]:
        mark = "ok " if r["right_statements"] else "-- "
        print(
            f"{mark}{r['annotated']} {','.join(r['statements'])}  ->  {r['ours']} "
            f"[{r['verdict']}] {','.join(r['our_statements'])}  signs {r['signs_agree']}/"
            f"{len(r['statements'])}  | {r['text']}"
        )
        print("      " + "; ".join(f"{s} {st}" for s, st in r["stances"]))
    print(
        f"{result['matched']} of {result['of']} annotated propositions with the right "
        f"statements ({result['propositions']} propositions found)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
