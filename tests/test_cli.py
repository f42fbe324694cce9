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


def invoke(
    runner: CliRunner, *args: str, input: str | None = None, env: dict[str, str] | None = None
) -> Any:
    return runner.invoke(app, list(args), input=input, env=env)


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


# -- manners: one-line errors, counts, output files, Ctrl-C -------------------------------------

LONG_NAME = "a-folder-with-a-long-name/" * 4 + "and-an-article-that-is-not-there.txt"
ONE_STATEMENT = "Finance Minister Olga Petrenko said the deficit would shrink next year.\n"


def test_an_error_line_stays_one_line_however_long(runner: CliRunner, workdir: Path) -> None:
    for command in (("ingest", "--db", "l.db"), ("extract",), ("analyze",)):
        result = invoke(runner, *command, LONG_NAME, env={"COLUMNS": "80"})
        assert result.exit_code == 1, result.output
        [line] = [line for line in result.stderr.splitlines() if LONG_NAME in line]
        assert line.startswith("error: ") and line.endswith("check the path")


def test_counts_of_one_are_singular(nlp: Language, runner: CliRunner, workdir: Path) -> None:
    result = invoke(runner, "extract", "missing.txt", "tram.txt", "-o", "out.jsonl")
    assert "1 input failed;" in result.stderr
    assert "(s)" not in result.stderr
    assert "2 time expressions have partial values (XXXX-…) and 1 relative one is unresolved" in (
        result.stderr
    )

    report = invoke(runner, "analyze", "-", input=ONE_STATEMENT)
    assert "1 statement from 1 source" in report.stdout

    invoke(runner, "ingest", "-", "--db", "l.db", input=ONE_STATEMENT)
    listed = invoke(runner, "statements", "--db", "l.db")
    assert listed.stderr.strip().splitlines()[-1] == "1 statement"
    again = invoke(runner, "ingest", "-", "--db", "l.db", input=ONE_STATEMENT)
    assert "0 new, 1 duplicate, 0 failed" in again.stderr


def test_output_into_a_missing_folder_is_one_line_naming_it(
    nlp: Language, runner: CliRunner, workdir: Path
) -> None:
    assert invoke(runner, "ingest", "tram.txt", "--db", "l.db").exit_code == 0
    target = os.path.join("no", "such", "dir", "out.jsonl")
    for args in (("export", "--db", "l.db"), ("extract", "tram.txt")):
        result = invoke(runner, *args, "-o", target)
        assert result.exit_code == 2, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
        [line] = [line for line in result.stderr.splitlines() if line.strip()]
        assert line.startswith(f"error: {target}: ")
        assert "create the folder" in line
        assert not (workdir / "no").exists()
    (workdir / "folder").mkdir()
    result = invoke(runner, "extract", "tram.txt", "-o", "folder")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "error: folder: cannot write (Is a directory); that is a folder; name a file"
    ]


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_files_written_with_output_follow_the_umask(
    nlp: Language, runner: CliRunner, workdir: Path, umask: int
) -> None:
    old = os.umask(umask)
    try:
        result = invoke(runner, "extract", "tram.txt", "-o", "out.jsonl")
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    assert (workdir / "out.jsonl").stat().st_mode & 0o777 == 0o666 & ~umask
    assert [p.name for p in workdir.iterdir() if p.name.startswith(".")] == []


def test_a_file_replaced_with_output_keeps_its_permissions(
    nlp: Language, runner: CliRunner, workdir: Path
) -> None:
    (workdir / "out.jsonl").write_text("old\n", encoding="utf-8")
    (workdir / "out.jsonl").chmod(0o640)
    assert invoke(runner, "extract", "tram.txt", "-o", "out.jsonl").exit_code == 0
    assert (workdir / "out.jsonl").stat().st_mode & 0o777 == 0o640
    assert (workdir / "out.jsonl").read_text(encoding="utf-8") != "old\n"


def _interrupt_at_the_second_article(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C pressed while the second article is being analysed."""
    import claimledger.api

    analyze = claimledger.api.analyze_articles

    def first_then_interrupt(items: Any, *args: Any, **kwargs: Any) -> Any:
        for n, item in enumerate(analyze(items, *args, **kwargs)):
            if n == 1:
                raise KeyboardInterrupt
            yield item

    monkeypatch.setattr(claimledger.api, "analyze_articles", first_then_interrupt)


@pytest.mark.parametrize(
    "command",
    [("analyze",), ("extract", "-o", "out.jsonl"), ("ingest", "--db", "l.db")],
    ids=lambda c: c[0],
)
def test_ctrl_c_says_how_far_it_got_and_exits_130(
    nlp: Language,
    runner: CliRunner,
    workdir: Path,
    monkeypatch: pytest.MonkeyPatch,
    command: tuple[str, ...],
) -> None:
    _interrupt_at_the_second_article(monkeypatch)
    result = invoke(runner, command[0], "tram.txt", "harbour.txt", *command[1:])
    assert result.exit_code == 130, result.output
    assert not isinstance(result.exception, KeyboardInterrupt)
    assert result.stderr.strip().splitlines()[-1] == (
        "interrupted after 1 article; run the same command again to finish"
    )


def test_ctrl_c_during_ingest_keeps_the_articles_already_stored(
    nlp: Language, runner: CliRunner, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as patched:
        _interrupt_at_the_second_article(patched)
        assert invoke(runner, "ingest", "tram.txt", "harbour.txt", "--db", "l.db").exit_code == 130
    again = invoke(runner, "ingest", "tram.txt", "harbour.txt", "--db", "l.db")
    assert again.exit_code == 0, again.output
    assert "1 new, 1 duplicate" in again.stderr


# -- manners: what scripts and pipes get --------------------------------------------------------


def test_version(runner: CliRunner) -> None:
    import claimledger

    result = invoke(runner, "--version")
    assert result.exit_code == 0
    assert result.stdout == f"claimledger {claimledger.__version__}\n"
    assert claimledger.__version__ == "0.1.0"


def test_ingest_json_prints_its_summary_as_one_object(
    nlp: Language, runner: CliRunner, workdir: Path
) -> None:
    result = invoke(runner, "ingest", "tram.txt", "missing.txt", "--db", "l.db", "--json")
    assert result.exit_code == 1
    summary = json.loads(result.stdout)
    assert summary["new"] == 1 and summary["duplicate"] == 0 and summary["failed"] == 1
    assert summary["statements"] > 0
    assert summary["db"] == "l.db"
    assert summary["failures"] == [
        {"source": "missing.txt", "reason": "no such file or directory; check the path"}
    ]


def test_export_json_is_the_same_array_as_extract_json(
    nlp: Language, runner: CliRunner, workdir: Path
) -> None:
    files = ("tram.txt", "harbour.txt")
    assert invoke(runner, "ingest", *files, "--db", "l.db").exit_code == 0
    exported = invoke(runner, "export", "--db", "l.db", "--format", "json")
    assert exported.exit_code == 0, exported.output
    extracted = invoke(runner, "extract", *files, "--format", "json")
    assert json.loads(exported.stdout) == json.loads(extracted.stdout)
    assert len(json.loads(exported.stdout)) == 2


def test_statements_piped_are_tab_separated_one_row_each(
    nlp: Language, runner: CliRunner, workdir: Path
) -> None:
    (workdir / "tabs.txt").write_text(
        "Finance Minister Olga Petrenko said the deficit\twould shrink\\next year.\n",
        encoding="utf-8",
    )
    assert invoke(runner, "ingest", "tram.txt", "tabs.txt", "--db", "l.db").exit_code == 0
    rows = jsonl_of(invoke(runner, "statements", "--db", "l.db", "--json"))
    piped = invoke(runner, "statements", "--db", "l.db")
    assert piped.exit_code == 0
    lines = piped.stdout.splitlines()
    assert lines[0].split("\t") == list(CSV_COLUMNS)
    assert len(lines) == 1 + len(rows)
    for line, row in zip(lines[1:], rows, strict=True):
        cells = line.split("\t")
        assert len(cells) == len(CSV_COLUMNS)
        assert cells[CSV_COLUMNS.index("speaker")] == row["speaker"]
    escaped = [line for line in lines if "Petrenko" in line]
    assert escaped and "the deficit\\twould shrink\\\\next year" in escaped[0]

    as_csv = invoke(runner, "statements", "--db", "l.db", "--csv")
    parsed = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert [r["content"] for r in parsed] == [r["content"] for r in rows]


def test_analyze_piped_gives_one_line_per_statement(
    nlp: Language, runner: CliRunner, workdir: Path
) -> None:
    [article] = jsonl_of(invoke(runner, "extract", "tram.txt"))
    result = invoke(runner, "analyze", "tram.txt")
    assert result.exit_code == 0
    assert "╭" not in result.stdout and "│" not in result.stdout
    # the article's report, then the section on where its sources disagree
    report, section = result.stdout.split("\nWhere sources disagree", 1)
    assert section.startswith(":")
    lines = report.rstrip("\n").splitlines()
    statements = article["statements"]
    said = [line for line in lines if " — " in line]
    assert len(said) == len(statements)
    for statement in statements:  # grouped by speaker, so not in the same order
        words = " ".join(statement["content"]["text"].split()[:3])
        assert any(words in line and f"by {statement['by']}" in line for line in said), words
    assert lines[-1] == f"{len(statements)} statements from " + lines[-1].split(" from ")[1]


def jsonl_of(result: Any) -> list[dict[str, Any]]:
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


@pytest.mark.parametrize(
    "args",
    [
        ("extract", "tram.txt", "--format", "JSONL"),
        ("extract", "tram.txt", "--attribution", "RULES"),
        ("statements", "--db", "l.db", "--factuality", "ct+", "--json"),
    ],
    ids=["format-JSONL", "attribution-RULES", "factuality-ct+"],
)
def test_choices_are_case_insensitive(
    nlp: Language, runner: CliRunner, workdir: Path, args: tuple[str, ...]
) -> None:
    assert invoke(runner, "ingest", "tram.txt", "--db", "l.db").exit_code == 0
    result = invoke(runner, *args)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip()
    if args[0] == "statements":
        assert {json.loads(line)["factuality"] for line in result.stdout.splitlines()} == {"CT+"}


def test_an_unknown_factuality_label_is_named_with_the_labels_as_written(
    runner: CliRunner, workdir: Path
) -> None:
    sqlite_file = workdir / "l.db"
    sqlite_file.touch()
    result = invoke(runner, "statements", "--db", "l.db", "--factuality", "XX")
    assert result.exit_code == 2
    assert "'XX' is not a factuality label; use one of CT+ CT- PR+ PR- PS+ PS- Uu" in " ".join(
        result.stderr.split()
    )


def test_the_command_starts_without_the_language_pipeline() -> None:
    """`claimledger --help` must not wait for spaCy, trafilatura or numpy to load."""
    code = (
        "import sys, claimledger.cli, claimledger\n"
        "claimledger.__version__\n"
        "heavy = {'spacy', 'trafilatura', 'numpy', 'thinc', 'sqlite3', 'claimledger.api'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]", done.stdout


def test_the_package_still_exports_its_public_names() -> None:
    import claimledger

    for name in claimledger.__all__:
        assert getattr(claimledger, name) is not None
    from claimledger import Ledger, Options, extract

    assert callable(extract) and callable(Ledger) and Options().attribution == "learned"
    with pytest.raises(AttributeError):
        claimledger.no_such_name  # noqa: B018


# -- the report shows why each statement is there -----------------------------------------------


def _article_with(confidence: float | None) -> Any:
    from claimledger.model import Article, Content, Span, Speaker, Statement

    text = "Olga Petrenko said the deficit would shrink."
    statement = Statement(
        id="s1",
        kind="indirect",
        source=Span(0, 13, "Olga Petrenko"),
        speaker=Speaker("Olga Petrenko", "person"),
        cue=Span(14, 18, "said"),
        content=Content(19, 43, "the deficit would shrink"),
        by="pattern:indirect-that",
        confidence=confidence,
    )
    return Article(id="sha256:x", text=text, path="a.txt", statements=(statement,))


@pytest.mark.parametrize("plain", [True, False], ids=["plain", "boxes"])
def test_the_report_names_the_rule_and_marks_low_confidence(plain: bool) -> None:
    from rich.console import Console

    from claimledger.render import print_report

    def report(confidence: float | None) -> str:
        console = Console(file=io.StringIO(), width=100, color_system=None)
        print_report(console, [_article_with(confidence)], plain=plain)
        return console.file.getvalue()  # type: ignore[attr-defined]

    assert "by pattern:indirect-that" in report(0.9)
    assert "low confidence" not in report(0.9)
    assert "low confidence" not in report(None)  # the rules alone give no probability
    assert "low confidence 0.42" in report(0.42)
    assert "low confidence" not in report(0.5)


def test_inputs_are_counted_when_they_are_files_and_folders(tmp_path: Path) -> None:
    from claimledger.ingest import count_inputs

    (tmp_path / "news" / "more").mkdir(parents=True)
    for name in ("a.txt", "b.html", "more/c.md", "report.pdf", ".hidden.txt"):
        (tmp_path / "news" / name).write_text("x", encoding="utf-8")
    news, missing = str(tmp_path / "news"), str(tmp_path / "missing.txt")
    assert count_inputs([news]) == 3
    assert count_inputs([news, str(tmp_path / "news" / "a.txt"), missing]) == 5
    # a JSONL batch or stdin holds an unknown number of articles
    (tmp_path / "batch.jsonl").write_text("{}\n", encoding="utf-8")
    assert count_inputs([news, str(tmp_path / "batch.jsonl")]) is None
    assert count_inputs(["-"]) is None
    (tmp_path / "news" / "more" / "d.jsonl").write_text("{}\n", encoding="utf-8")
    assert count_inputs([news]) is None


def test_a_real_sigint_in_a_real_process_exits_130_and_keeps_what_was_stored(
    tmp_path: Path,
) -> None:
    """The process sends itself SIGINT once the first article is stored, as Ctrl-C would."""
    shutil.copy(HARBOUR, tmp_path / "harbour.txt")
    shutil.copy(TRAM, tmp_path / "tram.txt")
    code = (
        "import os, signal, sys\n"
        # as in an interactive shell, even where the test runs with SIGINT ignored (`cmd &`)
        "signal.signal(signal.SIGINT, signal.default_int_handler)\n"
        "import claimledger.api as api\n"
        "analyze = api.analyze_articles\n"
        "def first_then_sigint(*args, **kwargs):\n"
        "    for n, item in enumerate(analyze(*args, **kwargs)):\n"
        "        if n == 1:\n"
        "            os.kill(os.getpid(), signal.SIGINT)\n"
        "        yield item\n"
        "api.analyze_articles = first_then_sigint\n"
        "sys.argv = ['claimledger', 'ingest', 'tram.txt', 'harbour.txt', '--db', 'l.db']\n"
        "from claimledger.cli import main\n"
        "main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=120
    )
    assert done.returncode == 130, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.splitlines()[-1] == (
        "interrupted after 1 article; run the same command again to finish"
    )
    again = run_cli("ingest", "tram.txt", "harbour.txt", "--db", "l.db", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "1 new, 1 duplicate" in again.stderr
