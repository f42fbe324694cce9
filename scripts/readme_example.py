"""Write the example output in README.md's Quickstart from a real run of ``make demo``'s command.

The command runs in a pseudo-terminal 80 columns wide, so the README shows what a person sees
in a terminal (boxes; piped, the report is one line per statement instead). Run:
``python scripts/readme_example.py``; tests/test_docs.py fails when the README block differs
from a fresh run.
"""

from __future__ import annotations

import errno
import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import tempfile
import termios
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
COMMAND = ["analyze", "examples/kursk.txt", "--published", "2024-12-10"]
WIDTH = 80
BEGIN = "<!-- make demo output (COLUMNS=80), written by scripts/readme_example.py -->\n```\n"
END = "```\n<!-- end of make demo output -->"
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")


def render() -> str:
    """What ``claimledger analyze examples/kursk.txt --published 2024-12-10`` prints on a
    terminal 80 columns wide, colours removed, trailing spaces stripped."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 50, WIDTH, 0, 0))
    env = {**os.environ, "COLUMNS": str(WIDTH), "TERM": "xterm", "NO_COLOR": "1"}
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        env.pop(name, None)
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(
            [sys.executable, "-m", "claimledger.cli", *COMMAND],
            stdin=subprocess.DEVNULL,
            stdout=follower,
            stderr=errors,
            cwd=ROOT,
            env=env,
        )
        os.close(follower)
        output = _read_all(leader)
        if process.wait(timeout=300) != 0:
            errors.seek(0)
            message = errors.read().decode("utf-8", "replace")
            command = " ".join(COMMAND)
            raise RuntimeError(f"claimledger {command} exited {process.returncode}:\n{message}")
    text = _ANSI.sub("", output.decode("utf-8")).replace("\r\n", "\n")
    return "".join(line.rstrip() + "\n" for line in text.rstrip().splitlines())


def _read_all(leader: int) -> bytes:
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError as error:  # Linux reports the closed terminal as EIO
            if error.errno != errno.EIO:
                raise
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    return b"".join(chunks)


def readme_block(readme: str) -> str:
    """The example output as the README holds it."""
    return readme.split(BEGIN, 1)[1].split(END, 1)[0]


def main() -> None:
    readme = README.read_text(encoding="utf-8")
    before, rest = readme.split(BEGIN, 1)
    after = rest.split(END, 1)[1]
    README.write_text(before + BEGIN + render() + END + after, encoding="utf-8")
    sys.stdout.write(f"wrote the example output into {README}\n")


if __name__ == "__main__":
    main()
