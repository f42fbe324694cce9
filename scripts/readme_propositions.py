"""Write the output in README.md's "Where sources disagree" from real runs of its commands.

A ledger is made from the example and a second, shorter report on the same story
(``tests/fixtures/propositions/kursk_followup.txt``) in a scratch folder that mirrors the
checkout's paths; each command then runs in a pseudo-terminal 80 columns wide, as
``scripts/readme_example.py`` runs ``make demo``'s, so that the README shows what a person sees.
Run: ``python scripts/readme_propositions.py`` after a change to what these commands print.
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import shutil
import struct
import subprocess
import sys
import tempfile
import termios
from pathlib import Path

from readme_example import _ANSI, WIDTH, _read_all

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
ARTICLES = ("examples/kursk.txt", "tests/fixtures/propositions/kursk_followup.txt")
BEGIN = "<!-- where sources disagree output (COLUMNS=80), written by scripts/readme_propositions.py -->\n"
END = "<!-- end of where sources disagree output -->"
CLAIM = "North Korean troops have not engaged in combat"
PYTHON = """\
import claimledger
with claimledger.Ledger("ledger.db", readonly=True) as ledger:
    for p in ledger.propositions(verdict="contested"):
        print(p.id, p.verdict, p.independent_sources, "|", p.text)
        for s in p.stances:
            print("   ", s.stance, s.speaker, "for", s.source)
"""


def in_terminal(args: list[str], cwd: Path) -> str:
    """What ``args`` prints (stdout and stderr) on a terminal 80 columns wide, colours
    removed, trailing spaces stripped."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 50, WIDTH, 0, 0))
    env = {**os.environ, "COLUMNS": str(WIDTH), "TERM": "xterm", "NO_COLOR": "1"}
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        env.pop(name, None)
    process = subprocess.Popen(
        args, stdin=subprocess.DEVNULL, stdout=follower, stderr=follower, cwd=cwd, env=env
    )
    os.close(follower)
    output = _read_all(leader)
    if process.wait(timeout=300) != 0:
        raise RuntimeError(f"{' '.join(args)} exited {process.returncode}:\n{output.decode()}")
    text = _ANSI.sub("", output.decode("utf-8")).replace("\r\n", "\n")
    return "".join(line.rstrip() + "\n" for line in text.rstrip().splitlines())


def render() -> str:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        for name in ARTICLES:
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(ROOT / name, folder / name)
        cli = [sys.executable, "-m", "claimledger.cli"]
        ingest = ["ingest", *ARTICLES, "--db", "ledger.db", "--published", "2024-12-10"]
        # piped, so that the progress bar (redrawn many times) leaves only the summary line
        stored = subprocess.run(
            [*cli, *ingest], cwd=folder, capture_output=True, text=True, check=True
        )
        parts = [_shown(ingest), stored.stdout, stored.stderr]
        listed = subprocess.run(
            [*cli, "propositions", "--db", "ledger.db", "--verdict", "contested", "--json"],
            cwd=folder, capture_output=True, text=True, check=True,
        )  # fmt: skip
        contested = json.loads(listed.stdout)["propositions"]
        commands = [
            ["propositions", "--db", "ledger.db", "--verdict", "contested"],
            ["check", CLAIM, "--db", "ledger.db", "--limit", "1"],
            *([["timeline", contested[0]["id"], "--db", "ledger.db"]] if contested else []),
        ]
        for command in commands:
            parts += ["\n", _shown(command), in_terminal([*cli, *command], folder)]
        python = in_terminal([sys.executable, "-c", PYTHON], folder)
    return (
        "```\n" + "".join(parts) + "```\n\nand from Python:\n\n```python\n" + PYTHON + "```\n"
        "```\n" + python + "```\n"
    )


def _shown(command: list[str]) -> str:
    words = [f'"{w}"' if " " in w else w for w in command]
    return "$ claimledger " + " ".join(words) + "\n"


def main() -> None:
    readme = README.read_text(encoding="utf-8")
    before, rest = readme.split(BEGIN, 1)
    after = rest.split(END, 1)[1]
    README.write_text(before + BEGIN + render() + END + after, encoding="utf-8")
    sys.stdout.write(f"wrote the where-sources-disagree output into {README}\n")


if __name__ == "__main__":
    main()
