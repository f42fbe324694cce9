"""Claims per statement and narration claims on a folder of texts, and the time the claims stage
takes beside the whole pipeline.

Usage: python bench/claims.py [DIR_OF_TXT] [--limit N]

Prints how many claims each statement makes (a histogram), how many narration claims the
articles have, how often a one-claim statement's commitment differs from its factuality, and
the seconds spent in ``article_claims`` against those of the whole analysis. Run by hand; the
figures go in the issue note, never in a test.
"""

from __future__ import annotations

import os

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

import argparse  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from pathlib import Path  # noqa: E402

from spacy.tokens import Doc  # noqa: E402

import claimledger.pipeline as pipeline  # noqa: E402
from claimledger.aggregate.claims import article_claims  # noqa: E402
from claimledger.assess.lexicon import parse_label  # noqa: E402
from claimledger.ingest import read_text  # noqa: E402
from claimledger.model import Article  # noqa: E402

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "shared/benchmarks/polnear/dev/text"
_STRENGTH = {"certain": 3, "probable": 2, "possible": 1, "uncommitted": 0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    paths = sorted(args.dir.glob("*.txt"))[: args.limit]
    spent = [0.0]

    def timed(doc: Doc, article: Article) -> Article:
        start = time.perf_counter()
        result = article_claims(doc, article)
        spent[0] += time.perf_counter() - start
        return result

    pipeline.STAGES = tuple(timed if s is article_claims else s for s in pipeline.STAGES)
    articles = [read_text(p.read_text(encoding="utf-8"), path=str(p)) for p in paths]
    list(pipeline.analyze_articles(articles[:1]))  # warm the model and the lexicons
    spent[0] = 0.0
    start = time.perf_counter()
    results = [a for a in pipeline.analyze_articles(articles) if isinstance(a, Article)]
    total = time.perf_counter() - start

    per_statement: Counter[int] = Counter()
    narration = differ = single = 0
    for article in results:
        counts = Counter(c.statement_id for c in article.claims)
        narration += counts.pop(None, 0)
        for statement in article.statements:
            n = counts.get(statement.id, 0)
            per_statement[n] += 1
            if n == 1 and statement.factuality is not None:
                (claim,) = [c for c in article.claims if c.statement_id == statement.id]
                single += 1
                label = parse_label(statement.factuality)
                polarity = -1 if label.strength and label.polarity < 0 else 1
                if (_STRENGTH[claim.commitment], claim.polarity) != (label.strength, polarity):
                    differ += 1
    statements = sum(per_statement.values())
    claims = sum(n * k for n, k in per_statement.items())
    print(f"articles {len(results)}, statements {statements}, statement claims {claims} "
          f"({claims / max(statements, 1):.2f} a statement), narration claims {narration} "
          f"({narration / max(len(results), 1):.1f} an article)")  # fmt: skip
    print("claims a statement:", ", ".join(f"{n}: {k}" for n, k in sorted(per_statement.items())))
    print(f"one-claim statements whose claim differs from the statement's factuality: "
          f"{differ} of {single}")  # fmt: skip
    print(f"claims stage {spent[0]:.2f} s of {total:.2f} s ({100 * spent[0] / total:.1f}%)")


if __name__ == "__main__":
    main()
