"""The ``claimledger`` command, through Typer's test runner (and once as a real process).

Exit status: 0 every input read, 1 some input failed (the rest still written), 2 usage error.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer
from spacy.language import Language
from typer.testing import CliRunner

from claimledger.cli import app
from claimledger.render import CSV_COLUMNS

FIXTURES = Path(__file__).parent / "fixtures" / "cli"
HARBOUR = FIXTURES / "harbour.txt"
TRAM = FIXTURES / "tram.txt"
REPO = Path(__file__).parent.parent


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh current directory holding copies of the two fixture articles."""
    shutil.copy(HARBOUR, tmp_path / "harbour.txt")
    shutil.copy(TRAM, tmp_path / "tram.txt")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def invoke(runner: CliRunner, *args: str, input: str | None = None) -> Any:
    return runner.invoke(app, list(args), input=input)


def jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def leaf_commands(group: Any, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command of a command group, sub-groups walked (``("eval", "polnear")``)."""
    found = []
    for name, command in sorted(group.commands.items()):
        if hasattr(command, "commands"):
            found += leaf_commands(command, (*prefix, name))
        else:
            found.append((*prefix, name))
    return found


COMMANDS = leaf_commands(typer.main.get_command(app))


def test_every_documented_command_is_there() -> None:
    assert {"analyze", "extract", "ingest", "statements", "export"} <= {c[-1] for c in COMMANDS}
    assert ("eval", "polnear") in COMMANDS


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_help_shows_an_example(runner: CliRunner, command: tuple[str, ...]) -> None:
    result = invoke(runner, *command, "--help")
    assert result.exit_code == 0
    assert "Example" in result.stdout
    assert f"claimledger {' '.join(command)}" in result.stdout


# -- extract ------------------------------------------------------------------------------------


def test_extract_jsonl_is_one_line_per_article_with_offsets_into_its_text(
    nlp: Language, runner: CliRunner, workdir: Path
) -> None:
    result = invoke(runner, "extract", "tram.txt", "--format", "jsonl", "-o", "out.jsonl")
    assert result.exit_code == 0, result.output
    [line] = jsonl(workdir / "out.jsonl")
    assert line["format"] == "claimledger/1"
    text = line["article"]["text"]
    assert text == TRAM.read_text(encoding="utf-8")
    assert line["statements"]
    for statement in line["statements"]:
        for key in ("source", "cue", "content"):
            span = statement[key]
            if span is not None:
                assert text[span["start"] : span["end"]] == span["text"]
        for piece in statement["content"].get("spans", []):
            assert statement["content"]["start"] <= piece["start"] <= piece["end"]
    assert {s["speaker"]["name"] for s in line["statements"] if s["speaker"]} >= {
        "Maria Lopez",
        "David Chen",
    }


def test_extract_writes_to_the_current_stdout(
    nlp: Language, runner: CliRunner, workdir: Path
) -> None:
    result = invoke(runner, "extract", "tram.txt", "--format", "jsonl")
    assert result.exit_code == 0
    [line] = result.stdout.splitlines()
    assert json.loads(line)["format"] == "claimledger/1"


def test_extract_csv_has_a_header_and_one_row_per_statement(
    nlp: Language, runner: CliRunner, workdir: Path
) -> None:
    assert invoke(runner, "extract", "tram.txt", "-o", "out.jsonl").exit_code == 0
    [line] = jsonl(workdir / "out.jsonl")
    result = invoke(runner, "extract", "tram.txt", "--format", "csv", "-o", "out.csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO((workdir / "out.csv").read_text(encoding="utf-8"))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) - 1 == len(line["statements"])
    content = CSV_COLUMNS.index("content")
    assert [r[content] for r in rows[1:]] == [s["content"]["text"] for s in line["statements"]]


def test_extract_json_is_a_list_of_articles(
    nlp: Language, runner: CliRunner, workdir: Path
) -> None:
    result = invoke(
        runner, "extract", "tram.txt", "harbour.txt", "--format", "json", "-o", "out.json"
    )
    assert result.exit_code == 0, result.output
    articles = json.loads((workdir / "out.json").read_text(encoding="utf-8"))
    assert isinstance(articles, list)
    assert [a["article"]["path"] for a in articles] == ["tram.txt", "harbour.txt"]


def test_extract_goes_on_past_a_missing_input_and_exits_1(
    nlp: Language, runner: CliRunner, workdir: Path
) -> None:
    result = invoke(runner, "extract", "missing.txt", "tram.txt", "-o", "out.jsonl")
    assert result.exit_code == 1
    assert any("missing.txt" in line and "error" in line for line in result.stderr.splitlines()), (
        result.stderr
    )
    [line] = jsonl(workdir / "out.jsonl")
    assert line["article"]["path"] == "tram.txt"


def test_extract_reads_stdin_when_given_a_dash(
    nlp: Language, runner: CliRunner, workdir: Path
) -> None:
    text = "Finance Minister Olga Petrenko said the deficit would shrink next year.\n"
    result = invoke(runner, "extract", "-", "-o", "out.jsonl", input=text)
    assert result.exit_code == 0, result.output
    [line] = jsonl(workdir / "out.jsonl")
    assert line["article"]["text"] == text
    [statement] = line["statements"]
    assert statement["speaker"]["name"] == "Olga Petrenko"


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(("extract", "tram.txt", "--published", "2024-13-40"), id="bad-date"),
        pytest.param(("extract", "tram.txt", "--no-such-option"), id="unknown-option"),
        pytest.param(("extract", "tram.txt", "--format", "xml"), id="unknown-format"),
        pytest.param(("extract",), id="no-input"),
    ],
)
def test_usage_errors_exit_2(runner: CliRunner, workdir: Path, args: tuple[str, ...]) -> None:
    result = invoke(runner, *args)
    assert result.exit_code == 2
    assert not (workdir / "out.jsonl").exists()


def test_bad_publication_date_is_named_with_the_fix(runner: CliRunner, workdir: Path) -> None:
    result = invoke(runner, "extract", "tram.txt", "--published", "2024-13-40")
    assert result.exit_code == 2
    assert "--published" in result.stderr
    assert "2024-13-40" in result.stderr
    assert "YYYY-MM-DD" in result.stderr


# -- analyze ------------------------------------------------------------------------------------


def test_analyze_prints_who_said_what(nlp: Language, runner: CliRunner, workdir: Path) -> None:
    result = invoke(runner, "analyze", "tram.txt", "harbour.txt")
    assert result.exit_code == 0, result.output
    for name in ("Maria Lopez", "David Chen", "Karen Holt", "Olga Petrenko"):
        assert name in result.stdout
    assert "City Council Approves New Tram Line" in result.stdout


# -- the ledger ---------------------------------------------------------------------------------


def test_ingest_then_query_then_export_gives_back_what_extract_gives(
    nlp: Language, runner: CliRunner, workdir: Path
) -> None:
    ingested = invoke(
        runner, "ingest", "tram.txt", "harbour.txt", "--db", "l.db", "--published", "2024-12-10"
    )
    assert ingested.exit_code == 0, ingested.output
    assert "2 new" in ingested.stderr

    again = invoke(runner, "ingest", "tram.txt", "--db", "l.db")
    assert again.exit_code == 0
    assert "0 new, 1 duplicate" in again.stderr

    listed = invoke(runner, "statements", "--db", "l.db", "--speaker", "Lopez", "--json")
    assert listed.exit_code == 0, listed.output
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert rows and {r["speaker"] for r in rows} == {"Maria Lopez"}
    assert {r["article_path"] for r in rows} == {"tram.txt"}

    exported = invoke(runner, "export", "--db", "l.db", "--format", "jsonl", "-o", "export.jsonl")
    assert exported.exit_code == 0, exported.output
    extracted = invoke(
        runner,
        "extract",
        "tram.txt",
        "harbour.txt",
        "--published",
        "2024-12-10",
        "-o",
        "extract.jsonl",
    )
    assert extracted.exit_code == 0
    assert (workdir / "export.jsonl").read_text(encoding="utf-8").splitlines() == (
        workdir / "extract.jsonl"
    ).read_text(encoding="utf-8").splitlines()


def test_statements_on_a_missing_ledger_exits_2_and_names_it(
    runner: CliRunner, workdir: Path
) -> None:
    result = invoke(runner, "statements", "--db", "nothing-here.db")
    assert result.exit_code == 2
    assert "nothing-here.db" in result.stderr
    assert "claimledger ingest" in result.stderr
    assert not (workdir / "nothing-here.db").exists()


def test_export_on_a_missing_ledger_exits_2(runner: CliRunner, workdir: Path) -> None:
    result = invoke(runner, "export", "--db", "nothing-here.db", "-o", "out.jsonl")
    assert result.exit_code == 2
    assert "nothing-here.db" in result.stderr
    assert not (workdir / "out.jsonl").exists()


# -- as a real process --------------------------------------------------------------------------


def run_cli(
    *args: str, input: str | None = None, cwd: Path = REPO
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "claimledger.cli", *args],
        input=input,
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
    )


def test_process_reads_stdin_writes_stdout_and_exits_0() -> None:
    text = "Finance Minister Olga Petrenko said the deficit would shrink next year.\n"
    done = run_cli("extract", "-", "--format", "jsonl", input=text)
    assert done.returncode == 0, done.stderr
    [line] = done.stdout.splitlines()
    assert json.loads(line)["statements"][0]["speaker"]["name"] == "Olga Petrenko"


def test_process_turns_a_library_error_into_one_line_and_exit_2(tmp_path: Path) -> None:
    done = run_cli("extract", str(TRAM), "--model", "no_such_pipeline", cwd=tmp_path)
    assert done.returncode == 2
    [line] = [line for line in done.stderr.splitlines() if line.strip()]
    assert "no_such_pipeline" in line
    assert "Traceback" not in done.stderr


def test_statements_filter_by_when_said_and_how_firmly(
    nlp: Language, runner: CliRunner, workdir: Path
) -> None:
    assert (
        invoke(runner, "ingest", "tram.txt", "--db", "f.db", "--published", "2024-12-10").exit_code
        == 0
    )
    everything = invoke(runner, "statements", "--db", "f.db", "--json")
    rows = [json.loads(line) for line in everything.stdout.splitlines()]
    assert rows and all(r["factuality"] for r in rows)
    labels = {r["factuality"] for r in rows}
    some = sorted(labels)[0]
    only = invoke(runner, "statements", "--db", "f.db", "--json", "--factuality", some)
    picked = [json.loads(line) for line in only.stdout.splitlines()]
    assert picked and {r["factuality"] for r in picked} == {some}
    # Nothing in the article is dated after its publication date.
    later = invoke(runner, "statements", "--db", "f.db", "--json", "--said-after", "2024-12-11")
    assert later.exit_code == 0 and later.stdout.strip() == ""
    until = invoke(runner, "statements", "--db", "f.db", "--json", "--said-before", "2024-12-10")
    assert len(until.stdout.splitlines()) == len(rows)
    bad = invoke(runner, "statements", "--db", "f.db", "--said-after", "2024-13-01")
    assert bad.exit_code == 2 and "--said-after" in bad.output
