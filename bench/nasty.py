"""A battery of nasty inputs through the real CLI: time, peak memory and manners of each.

Usage: python bench/nasty.py [--only NAME ...] [--keep DIR] [--prose-dir DIR]

Each case is generated here (nothing is downloaded), run by ``claimledger`` in a subprocess of
its own, and checked: the exit code, no traceback on stderr, one line naming each bad input,
the good inputs of a batch output or stored. Peak memory is the child's maximum resident set
(``wait4``), so one case's figure is its own. The slow cases (a 5 MB article, a 2 MB line of
"said") take minutes; run by hand, figures go in the issue note, never in a test.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PROSE = ROOT.parent / "shared/benchmarks/polnear/dev/text"
# The installed command beside this Python (the venv's), else the one on PATH.
_BESIDE = Path(sys.executable).with_name("claimledger")
CLAIMLEDGER = [str(_BESIDE) if _BESIDE.exists() else "claimledger"]
MB = 1_000_000


@dataclass
class Run:
    rc: int
    wall: float
    peak_mb: float
    stdout: str
    stderr: str


@dataclass
class Case:
    name: str
    what: str
    make: Callable[[Path], list[str]]  # writes its inputs under the folder, returns CLI args
    check: Callable[[Run, Path], list[str]]  # problems found, [] when all is well


def run(args: list[str], cwd: Path) -> Run:
    """Run claimledger with ``args``; its wall time and peak resident memory."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen([*CLAIMLEDGER, *args], cwd=cwd, stdout=out, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(
            child.returncode,
            wall,
            usage.ru_maxrss / 1024,  # kilobytes on Linux
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
        )


# --- inputs --------------------------------------------------------------------------------


def prose(size: int, prose_dir: Path) -> str:
    """Ordinary news prose of ``size`` bytes in UTF-8 (whole paragraphs), from the texts of
    ``prose_dir`` (PolNeAR dev) or else the example, repeated."""
    sources = sorted(prose_dir.glob("*.txt")) or [ROOT / "examples/kursk.txt"]
    corpus = "\n\n".join(p.read_text(encoding="utf-8") for p in sources)
    paragraphs: list[str] = []
    total = 0
    while True:
        for paragraph in corpus.split("\n\n"):
            cost = len(paragraph.encode("utf-8")) + 2
            if total + cost > size:
                return "\n\n".join(paragraphs)
            paragraphs.append(paragraph)
            total += cost


def quote_heavy(marks: int) -> str:
    """One paragraph of quotes: curly ones with their cue, straight scare quotes, 4 marks a
    sentence pair."""
    return " ".join(
        f"“We will build {n} new bridges,” she said. He called it \"a plan for {n}\" and left."
        for n in range(marks // 4)
    )


def nested_divs(depth: int) -> str:
    article = "<p>" + " ".join(["The mayor said the bridge will reopen on Friday."] * 8) + "</p>"
    return (
        "<html><head><title>Deep page</title></head><body>"
        + "<div>" * depth
        + f"<article><h1>Bridge reopens</h1>{article * 4}</article>"
        + "</div>" * depth
        + "</body></html>"
    )


GOOD = (
    "Bridge Reopens\nBy Ana Lopez\n\n"
    "The mayor said on Friday that the bridge will reopen in March. "
    "“We are ready,” said Tom Berg, the city engineer.\n"
)


def make_batch(folder: Path) -> dict[str, str]:
    """A folder of good articles and bad inputs; the bad ones by file name, with what ought to
    be said about them."""
    batch = folder / "batch"
    batch.mkdir()
    for n in range(3):
        (batch / f"good-{n}.txt").write_text(GOOD.replace("March", f"month {n + 3}"))
    (batch / "empty.txt").write_bytes(b"")
    (batch / "scan.pdf").write_bytes(b"%PDF-1.4\n" + bytes(random.Random(1).randbytes(2000)))
    (batch / "noise.bin").write_bytes(bytes(random.Random(2).randbytes(5000)))
    (batch / "huge.txt").write_text("word " * (6 * MB // 5))
    (batch / "stray-byte.txt").write_bytes(GOOD.replace("Lopez", "Lóp").encode() + b"\xff.\n")
    (batch / "deep.html").write_text(nested_divs(50_000))
    return {
        "empty.txt": "empty",
        "scan.pdf": "PDF",
        "noise.bin": "binary",
        "huge.txt": "max-size",
    }


# --- checks --------------------------------------------------------------------------------


def manners(run: Run) -> list[str]:
    problems = []
    if "Traceback" in run.stderr:
        problems.append("traceback on stderr")
    if run.rc < 0 or run.rc > 2:
        problems.append(f"exit code {run.rc}")
    return problems


def one_article(min_statements: int) -> Callable[[Run, Path], list[str]]:
    def check(run: Run, folder: Path) -> list[str]:
        problems = manners(run)
        if run.rc != 0:
            problems.append(f"exit code {run.rc}: {run.stderr.strip()[-300:]}")
        lines = [line for line in run.stdout.splitlines() if line.strip()]
        if len(lines) != 1:
            return [*problems, f"{len(lines)} output lines, not 1"]
        statements = json.loads(lines[0]).get("statements", [])
        if len(statements) < min_statements:
            problems.append(f"{len(statements)} statements, expected at least {min_statements}")
        return problems

    return check


def article_or_one_line(run: Run, folder: Path) -> list[str]:
    problems = manners(run)
    errors = [line for line in run.stderr.splitlines() if line.strip()]
    if run.stdout.strip():
        statements = json.loads(run.stdout.splitlines()[0]).get("statements", [])
        if not statements:
            problems.append("an article with no statements")
    elif len(errors) != 1 or "deep.html" not in errors[0]:
        problems.append(f"neither an article nor one line naming the page: {errors[:3]}")
    return problems


def batch_check(expected: dict[str, str]) -> Callable[[Run, Path], list[str]]:
    def check(run: Run, folder: Path) -> list[str]:
        problems = manners(run)
        lines = run.stderr.splitlines()
        for name in expected:
            said = [line for line in lines if name in line]
            if len(said) != 1:
                problems.append(f"{name}: {len(said)} lines on stderr, not 1")
        with sqlite3.connect(folder / "ledger.db") as db:
            stored = {path for (path,) in db.execute("SELECT path FROM articles")}
        for n in range(3):
            if not any(f"good-{n}.txt" in (p or "") for p in stored):
                problems.append(f"good-{n}.txt not stored")
        if not any("stray-byte.txt" in (p or "") for p in stored):
            problems.append("stray-byte.txt (one bad byte in UTF-8) not stored")
        return problems

    return check


def cases(prose_dir: Path) -> list[Case]:
    def write(name: str, text: str) -> Callable[[Path], list[str]]:
        def make(folder: Path) -> list[str]:
            (folder / name).write_text(text, encoding="utf-8")
            return ["extract", name, "--format", "jsonl", "--published", "2024-12-10"]

        return make

    def batch(folder: Path) -> list[str]:
        expected.update(make_batch(folder))
        return ["ingest", "batch", "--db", "ledger.db", "--published", "2024-12-10"]

    expected: dict[str, str] = {}
    big = prose(int(4.9 * MB), prose_dir)
    return [
        Case(
            "prose-5mb",
            "4.9 MB of news prose, one article",
            write("prose.txt", big),
            one_article(1000),
        ),
        Case(
            "said-2mb",
            "a 2 MB line of 'said said …'",
            write("said.txt", "said " * (2 * MB // 5)),
            one_article(0),
        ),
        Case(
            "quotes-20k",
            "20,000 quotation marks in one paragraph",
            write("quotes.txt", quote_heavy(20_000)),
            one_article(5000),
        ),
        Case(
            "divs-50k",
            "50,000 nested <div>s around an article",
            write("deep.html", nested_divs(50_000)),
            article_or_one_line,
        ),
        Case(
            "batch",
            "3 good articles beside empty, PDF, binary, too big, stray byte, deep",
            batch,
            batch_check(expected),
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="run only the cases of these names")
    parser.add_argument("--keep", type=Path, help="write the inputs here and keep them")
    parser.add_argument("--prose-dir", type=Path, default=DEFAULT_PROSE)
    args = parser.parse_args()
    rows = []
    for case in cases(args.prose_dir):
        if args.only and case.name not in args.only:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            folder = args.keep / case.name if args.keep else Path(tmp)
            folder.mkdir(parents=True, exist_ok=True)
            result = run(case.make(folder), folder)
            problems = case.check(result, folder)
        rows.append((case, result, problems))
        verdict = "ok" if not problems else "; ".join(problems)
        print(
            f"{case.name:12s} rc {result.rc:3d} {result.wall:8.1f} s {result.peak_mb:8.0f} MB  "
            f"{verdict}",
            flush=True,
        )
    print()
    print(f"{'case':12s} {'what':68s} {'rc':>3s} {'time s':>8s} {'peak MB':>8s}  verdict")
    for case, result, problems in rows:
        verdict = "ok" if not problems else "FAIL"
        print(
            f"{case.name:12s} {case.what:68s} {result.rc:3d} {result.wall:8.1f} "
            f"{result.peak_mb:8.0f}  {verdict}"
        )
    sys.exit(1 if any(problems for _, _, problems in rows) else 0)


if __name__ == "__main__":
    main()
