"""Write docs/cli.md from the CLI's own --help texts (run: python scripts/gen_cli_docs.py).

tests/test_docs.py fails when docs/cli.md is out of date, so the reference never drifts from
the code.
"""

from __future__ import annotations

import sys
from pathlib import Path

from typer.testing import CliRunner

from claimledger.cli import app

COMMANDS = [
    [],
    ["analyze"],
    ["extract"],
    ["ingest"],
    ["statements"],
    ["export"],
    ["eval"],
    ["eval", "polnear"],
]
DOC = Path(__file__).resolve().parent.parent / "docs" / "cli.md"


def render() -> str:
    runner = CliRunner()
    parts = [
        "# Command-line reference\n\n",
        "Generated from `--help` by `scripts/gen_cli_docs.py`; do not edit by hand.\n",
    ]
    for command in COMMANDS:
        result = runner.invoke(
            app,
            [*command, "--help"],
            prog_name="claimledger",
            env={"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"},
        )
        title = " ".join(["claimledger", *command])
        parts.append(f"\n## `{title}`\n\n```\n{result.output.rstrip()}\n```\n")
    return "".join(parts)


if __name__ == "__main__":
    DOC.write_text(render(), encoding="utf-8")
    sys.stdout.write(f"wrote {DOC}\n")
