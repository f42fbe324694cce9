"""The documentation is generated from the code and must not drift from it."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _script(name: str):  # the scripts are not package modules; load them by path
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _generator():
    return _script("gen_cli_docs")


def test_cli_reference_is_up_to_date() -> None:
    generated = _generator().render()
    written = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert written == generated, "docs/cli.md is stale: run python scripts/gen_cli_docs.py"


def test_every_command_has_an_example_in_its_help() -> None:
    text = _generator().render()
    sections = re.split(r"\n## ", text)
    leaf_commands = [s for s in sections if s.startswith("`claimledger ") and "Commands:" not in s]
    assert len(leaf_commands) >= 6
    for section in leaf_commands:
        assert "Example:" in section, section.splitlines()[0]


def test_readme_quickstart_has_the_two_commands_and_ci_runs_the_test_one() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quickstart = readme.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    block = quickstart.split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert commands == ["make demo", "make test"]
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_readme_example_output_is_what_make_demo_prints_on_an_80_column_terminal() -> None:
    pytest.importorskip("termios")  # the demo runs in a pseudo-terminal (POSIX)
    example = _script("readme_example")
    demo = (ROOT / "Makefile").read_text(encoding="utf-8").split("\ndemo:", 1)[1].split("\n\n")[0]
    assert "claimledger " + " ".join(example.COMMAND) in demo
    written = example.readme_block((ROOT / "README.md").read_text(encoding="utf-8"))
    printed = example.render()
    assert "╭─" in printed and " statements from " in printed
    assert "Where sources disagree" in printed  # the section analyze ends with
    assert written == printed, "README example is stale: run python scripts/readme_example.py"
