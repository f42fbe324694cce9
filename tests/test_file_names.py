"""File names that are not UTF-8: stored, printed and written as valid text, the batch going on.

On Linux a file name is bytes; Python hands an undecodable byte to us as a lone surrogate
(``b"caf\\xe9.txt"`` -> ``"caf\\udce9.txt"``), which no UTF-8 output and no SQLite text can hold.
claimledger shows such a name as the name with each undecodable byte as a backslash escape,
``caf\\xe9.txt``, everywhere: in ``Article.path``, in error lines, in the ledger, in JSONL and CSV.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from spacy.language import Language

import claimledger
from claimledger.model import Article, InputFailure, printable_path

FIXTURES = Path(__file__).parent / "fixtures" / "cli"
ODD = b"caf\xe9.txt"  # Latin-1 "café.txt": 0xE9 alone is not UTF-8
SHOWN = "caf\\xe9.txt"  # how claimledger shows it


@pytest.fixture
def news(tmp_path: Path) -> Path:
    """A folder with one article under a Latin-1 file name and one under a plain one."""
    folder = tmp_path / "news"
    folder.mkdir()
    shutil.copy(FIXTURES / "harbour.txt", os.fsdecode(os.fsencode(folder) + b"/" + ODD))
    shutil.copy(FIXTURES / "tram.txt", folder / "tram.txt")
    return folder


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    # Bytes out, decoded strictly by the tests: the point is that they are valid UTF-8.
    return subprocess.run(
        [sys.executable, "-m", "claimledger.cli", *args],
        capture_output=True,
        cwd=cwd,
        env={**os.environ, "COLUMNS": "200"},
        timeout=120,
    )


def test_a_name_with_undecodable_bytes_shows_them_as_escapes() -> None:
    assert printable_path(os.fsdecode(b"news/caf\xe9.txt")) == "news/caf\\xe9.txt"
    assert printable_path("news/café.txt") == "news/café.txt"
    # A lone surrogate that is no escaped byte (from a JSON "\ud800") is shown as its code.
    assert printable_path("a\ud800b") == "a\\ud800b"


def test_articles_and_failures_hold_printable_names() -> None:
    name = os.fsdecode(b"news/" + ODD)
    assert Article(id="sha256:0", text="x", path=name).path == "news/" + SHOWN
    assert InputFailure(name, "empty file").source == "news/" + SHOWN
    assert str(InputFailure(name, "empty file")).encode("utf-8") == b"news/caf\\xe9.txt: empty file"


def test_ingest_stores_the_odd_name_beside_the_others(news: Path, tmp_path: Path) -> None:
    result = run_cli("ingest", "news", "--db", "ledger.db", cwd=tmp_path)
    stderr = result.stderr.decode("utf-8", errors="strict")
    assert result.returncode == 0, stderr
    assert "Traceback" not in stderr
    with sqlite3.connect(tmp_path / "ledger.db") as db:
        paths = sorted(row[0] for row in db.execute("SELECT path FROM articles"))
    assert paths == ["news/" + SHOWN, "news/tram.txt"]


def test_extract_writes_valid_utf8_jsonl_and_csv(news: Path, tmp_path: Path) -> None:
    odd_file = os.fsdecode(os.fsencode(news) + b"/" + ODD)
    jsonl = run_cli("extract", "news", cwd=tmp_path)
    assert jsonl.returncode == 0, jsonl.stderr.decode("utf-8", errors="replace")
    lines = jsonl.stdout.decode("utf-8", errors="strict").splitlines()
    assert [json.loads(line)["article"]["path"] for line in lines] == [
        "news/" + SHOWN,
        "news/tram.txt",
    ]
    table = run_cli("extract", odd_file, "--format", "csv", cwd=tmp_path)
    assert table.returncode == 0, table.stderr.decode("utf-8", errors="replace")
    rows = list(csv.DictReader(io.StringIO(table.stdout.decode("utf-8", errors="strict"))))
    assert rows
    assert {row["article_path"] for row in rows} == {str(news / SHOWN)}


def test_an_odd_named_bad_file_is_one_clear_line_and_the_rest_go_on(
    news: Path, tmp_path: Path
) -> None:
    Path(os.fsdecode(os.fsencode(news) + b"/vide\xe9.txt")).write_bytes(b"")
    (news / "[bold]empty.txt").write_bytes(b"")  # a name, not Rich markup
    result = run_cli("ingest", "news", "--db", "ledger.db", cwd=tmp_path)
    stderr = result.stderr.decode("utf-8", errors="strict")
    assert result.returncode == 1
    assert "Traceback" not in stderr
    assert "news/vide\\xe9.txt: empty file" in stderr
    assert "news/[bold]empty.txt: empty file" in stderr
    with sqlite3.connect(tmp_path / "ledger.db") as db:
        assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 2


def test_the_api_ingests_and_extracts_odd_names(nlp: Language, news: Path, tmp_path: Path) -> None:
    with claimledger.Ledger(tmp_path / "ledger.db") as ledger:
        summary = ledger.ingest([str(news)])
        assert (summary.new, summary.failed) == (2, 0)
        stored = sorted(a.path or "" for a in ledger.articles())
        assert stored == [str(news / SHOWN), str(news / "tram.txt")]
        assert any(row.article_path == str(news / SHOWN) for row in ledger.statements())
    article = claimledger.extract(os.fsdecode(os.fsencode(news) + b"/" + ODD))
    assert article.path == str(news / SHOWN)
    assert article.statements


def test_a_ledger_name_that_is_not_utf8_is_shown_with_escapes(news: Path, tmp_path: Path) -> None:
    db = os.fsdecode(b"caf\xe9.db")
    result = run_cli("ingest", "news/tram.txt", "--db", db, "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr.decode("utf-8", errors="replace")
    assert json.loads(result.stdout.decode("utf-8", errors="strict"))["db"] == "caf\\xe9.db"
    missing = run_cli("statements", "--db", os.fsdecode(b"nope\xe9.db"), cwd=tmp_path)
    assert missing.returncode == 2
    assert missing.stderr.decode("utf-8", errors="strict").startswith(
        "error: nope\\xe9.db: no such ledger; create it with"
        " claimledger ingest PATH --db nope\\xe9.db"
    )
