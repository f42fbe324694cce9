"""Check that `claimledger.eval.timex` agrees with the reference TempEval-3 scorer.

Run by hand (not a test; it reads the benchmark data, which never enters the repo):

    .venv/bin/python bench/check_timex_scorer.py [TIMEML_DIR …] [--reference PATH]

For each folder of .tml files (default: TimeBank and AQUAINT of the shared benchmarks) it runs
``te3_score.py prepare``, checks that our TimeML reader yields the same texts and DCTs, runs the
pipeline's time expressions over them, writes the predictions as claimledger/1 JSONL, scores them
with the reference script and with our scorer, prints both and exits 1 unless every number agrees
to three decimals.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from claimledger.eval.timex import find_documents, format_table, predict, score
from claimledger.interchange import article_to_dict

BENCH = Path("/work/shared/benchmarks/timeml")
DEFAULT_DIRS = [BENCH / "TimeBank", BENCH / "AQUAINT"]
DEFAULT_REFERENCE = Path("/work/shared/tools/te3_score.py")
METRICS = ("gold", "predicted", "strict_f1", "relaxed_f1", "value_accuracy", "value_f1")


def check_prepared(folder: Path, reference: Path, out: Path) -> None:
    """Our reader must produce the reference's text and DCT for every document."""
    subprocess.run([sys.executable, str(reference), "prepare", str(folder), str(out)], check=True)
    dcts = dict(line.split("\t") for line in (out / "dct.tsv").read_text().splitlines())
    for doc in find_documents(folder):
        prepared = (out / f"{doc.name}.txt").read_text(encoding="utf-8")
        if prepared != doc.text or dcts[doc.name][:10] != doc.dct:
            raise SystemExit(f"{doc.path}: text or DCT differs from te3_score.py prepare")


def check(folder: Path, reference: Path) -> bool:
    with tempfile.TemporaryDirectory() as tmp:
        check_prepared(folder, reference, Path(tmp) / "prepared")
        articles = list(predict(find_documents(folder)))
        jsonl = Path(tmp) / "pred.jsonl"
        jsonl.write_text("".join(json.dumps(article_to_dict(a)) + "\n" for a in articles))
        result = subprocess.run(
            [sys.executable, str(reference), "score", str(folder), str(jsonl), "--json"],
            check=True,
            capture_output=True,
            text=True,
        )
    theirs = json.loads(result.stdout)
    report = score(folder, articles)
    ours = {
        "gold": report.gold,
        "predicted": report.predicted,
        "strict_f1": report.strict_f1,
        "relaxed_f1": report.relaxed_f1,
        "value_accuracy": report.value_accuracy,
        "value_f1": report.value_f1,
    }
    print(f"== {folder}")
    print(format_table(report))
    agree = True
    for name in METRICS:
        same = round(float(ours[name]), 3) == round(float(theirs[name]), 3)
        agree &= same
        print(
            f"{name:16} ours {ours[name]:10.3f} te3_score {theirs[name]:10.3f}"
            f"{'' if same else '   DIFFERENT'}"
        )
    return agree


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dirs", nargs="*", type=Path, default=DEFAULT_DIRS)
    parser.add_argument("--reference", type=Path, default=DEFAULT_REFERENCE)
    args = parser.parse_args()
    results = [check(folder, args.reference) for folder in args.dirs]
    return 0 if all(results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
