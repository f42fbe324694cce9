"""Write docs/cli.md from the CLI's own --help texts (run: python scripts/gen_cli_docs.py).

tests/test_docs.py fails when docs/cli.md is out of date, so the reference never drifts from
the code.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from claimledger.cli import app


def commands() -> list[list[str]]:
    """Every command path of the CLI, found by walking the Click tree (so none is forgotten)."""
    import typer

    found: list[list[str]] = []

    def walk(command: Any, path: list[str]) -> None:
        found.append(path)
        if hasattr(command, "list_commands"):  # a group (Typer's own, not click.Group)
            context = type(command).context_class(command)
            for name in command.list_commands(context):
                sub = command.get_command(context, name)
                if sub is not None:
                    walk(sub, [*path, name])

    walk(typer.main.get_command(app), [])
    return found


DOC = Path(__file__).resolve().parent.parent / "docs" / "cli.md"


def render() -> str:
    runner = CliRunner()
    parts = [
        "# Command-line reference\n\n",
        "Generated from `--help` by `scripts/gen_cli_docs.py`; do not edit by hand.\n",
    ]
    for command in commands():
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
