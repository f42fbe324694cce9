"""How long the ``claimledger`` command takes to answer ``--help`` and ``--version``, and which
heavy libraries ``import claimledger.cli`` pulls in (it should pull in none).

Usage: python bench/startup.py [--repeat N]

Each run is a fresh process (what a person typing the command waits for); the figure is the
median wall time. Run by hand; results go in the issue note, never in a test (the test suite
checks only that spaCy, trafilatura, numpy and the store are not imported).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

HEAVY = ("spacy", "thinc", "numpy", "trafilatura", "lxml", "sqlite3", "claimledger.api")


def wall_time(args: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(args, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    repeat = parser.parse_args().repeat
    command = [sys.executable, "-m", "claimledger.cli"]
    for extra in (["--help"], ["--version"], ["extract", "--help"]):
        seconds = wall_time([*command, *extra], repeat)
        print(f"claimledger {' '.join(extra)}: {seconds:.3f} s (median of {repeat})")
    probe = "import sys, claimledger.cli; print(' '.join(sorted(sys.modules)))"
    loaded = subprocess.run(
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True
    ).stdout.split()
    heavy = ", ".join(m for m in HEAVY if m in loaded) or "none"
    print(f"import claimledger.cli: {len(loaded)} modules; heavy ones: {heavy}")


if __name__ == "__main__":
    main()
