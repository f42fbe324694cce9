"""The Python API: ``claimledger.extract`` on text and on paths; a ``Ledger`` from a folder."""

from __future__ import annotations

import doctest
import io
import shutil
from pathlib import Path

import pytest
from spacy.language import Language

import claimledger
from claimledger import InputError, Ledger, Options
from claimledger.store import StoredStatement

FIXTURES = Path(__file__).parent / "fixtures" / "cli"
HARBOUR = FIXTURES / "harbour.txt"
TRAM = FIXTURES / "tram.txt"


def test_extract_reads_a_string_as_the_article_text(nlp: Language) -> None:
    text = "Finance Minister Olga Petrenko said the deficit would shrink next year."
    article = claimledger.extract(text)
    assert article.text == text
    assert article.path is None
    [statement] = article.statements
    assert statement.speaker is not None
    assert (statement.speaker.name, statement.speaker.type) == ("Olga Petrenko", "person")
    assert statement.content.text == "the deficit would shrink next year"


def test_extract_reads_a_path_given_as_path_or_str(nlp: Language) -> None:
    from_path = claimledger.extract(TRAM)
    from_str = claimledger.extract(str(TRAM))
    assert from_path.text == TRAM.read_text(encoding="utf-8")
    assert from_path.path == str(TRAM)
    assert from_path.title == "City Council Approves New Tram Line"
    assert from_path.statements == from_str.statements
    speakers = {s.speaker.name for s in from_path.statements if s.speaker}
    assert {"Maria Lopez", "David Chen"} <= speakers


def test_extract_sets_the_publication_date_it_is_given(nlp: Language) -> None:
    article = claimledger.extract(TRAM, published="2024-12-10")
    assert (article.published, article.published_source) == ("2024-12-10", "cli")


@pytest.mark.parametrize("published", ["2024-13-40", "10/12/2024", "yesterday"])
def test_extract_refuses_a_publication_date_that_is_not_one(published: str) -> None:
    with pytest.raises(InputError) as caught:
        claimledger.extract("Lopez said the proposal was fair.", published=published)
    assert caught.value.source == "--published"
    assert published in str(caught.value)
    assert "YYYY-MM-DD" in str(caught.value)


def test_extract_names_a_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    with pytest.raises(InputError) as caught:
        claimledger.extract(missing)
    assert str(missing) in str(caught.value)


@pytest.mark.parametrize(
    "name",
    ["missing_file.txt", "news/missing.html", "my notes.md", "news/", "./draft", "/no/such/file"],
)
def test_extract_refuses_a_name_of_no_file_rather_than_read_it_as_text(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError) as caught:
        claimledger.extract(name)
    assert str(caught.value) == (
        f"{name}: no such file or directory; check the path, or use extract_text() for text"
    )


@pytest.mark.parametrize(
    "text",
    [
        "Lopez said the proposal was fair.",
        "Kursk.",
        "U.S. officials said the talks would resume / continue next week.",
        "The mayor said 50/50 odds were fair",
    ],
)
def test_extract_still_reads_text_that_names_no_file(nlp: Language, text: str) -> None:
    assert claimledger.extract(text).text == text


def test_extract_of_a_folder_points_to_the_batch_functions(news: Path) -> None:
    for folder in (news, str(news), f"{news}/"):
        with pytest.raises(InputError) as caught:
            claimledger.extract(folder)
        assert caught.value.source == str(folder)
        assert caught.value.reason == (
            "a folder, not a file; use extract_many() or Ledger.ingest() for folders"
        )


def test_extract_text_takes_its_argument_as_the_text_whatever_it_looks_like(
    nlp: Language,
) -> None:
    article = claimledger.extract_text("missing_file.txt")
    assert (article.text, article.path, article.statements) == ("missing_file.txt", None, ())
    said = claimledger.extract_text(
        "Finance Minister Olga Petrenko said the deficit would shrink.", published="2024-12-10"
    )
    assert (said.published, said.published_source) == ("2024-12-10", "cli")
    assert [s.speaker.name for s in said.statements if s.speaker] == ["Olga Petrenko"]


def test_text_with_a_lone_surrogate_is_refused_with_a_clear_reason() -> None:
    # What b"caf\xe9".decode("utf-8", "surrogateescape") gives: not Unicode text.
    text = "Lopez said the plan was fair. " + b"caf\xe9".decode("utf-8", "surrogateescape")
    with pytest.raises(InputError) as caught:
        claimledger.extract_text(text)
    assert str(caught.value) == (
        "text: holds '\\udce9' at offset 33, a lone surrogate, which is not Unicode text;"
        " decode the bytes with errors='replace'"
    )


def test_extract_file_reads_a_path_and_only_a_path(nlp: Language, tmp_path: Path) -> None:
    article = claimledger.extract_file(TRAM, published="2024-12-10")
    assert article == claimledger.extract(str(TRAM), published="2024-12-10")
    assert (article.path, article.published) == (str(TRAM), "2024-12-10")
    with pytest.raises(InputError) as caught:
        claimledger.extract_file("Lopez said the proposal was fair.")
    assert caught.value.reason == "no such file or directory; check the path"
    with pytest.raises(InputError, match=r"a folder, not a file; use extract_many\(\)"):
        claimledger.extract_file(tmp_path)


def test_the_three_extract_functions_are_exported() -> None:
    for name in ("extract", "extract_text", "extract_file"):
        assert name in claimledger.__all__
        assert callable(getattr(claimledger, name))
        assert "Example" in (getattr(claimledger, name).__doc__ or "")


@pytest.fixture
def news(tmp_path: Path) -> Path:
    """A folder with two articles and a file that is not text."""
    folder = tmp_path / "news"
    folder.mkdir()
    shutil.copy(HARBOUR, folder / "a_harbour.txt")
    shutil.copy(TRAM, folder / "b_tram.txt")
    (folder / "c_broken.txt").write_bytes(b"\x00\x01\x02 not an article \x00")
    return folder


def test_ledger_ingests_a_folder_and_reports_the_bad_file(nlp: Language, news: Path) -> None:
    with Ledger(news.parent / "ledger.db") as ledger:
        summary = ledger.ingest([str(news)], Options())
        assert (summary.new, summary.duplicate, summary.failed) == (2, 0, 1)
        [failure] = summary.failures
        assert failure.source.endswith("c_broken.txt")
        assert "c_broken.txt" in str(failure)
        assert "not text" in failure.reason
        stored = list(ledger.articles())
        assert summary.statements == sum(len(a.statements) for a in stored)
        assert [Path(a.path or "").name for a in stored] == ["a_harbour.txt", "b_tram.txt"]


def test_ledger_reingest_adds_nothing(nlp: Language, news: Path) -> None:
    db = news.parent / "ledger.db"
    with Ledger(db) as ledger:
        ledger.ingest([str(news)], Options())
    with Ledger(db) as ledger:
        again = ledger.ingest([str(news)], Options())
        assert (again.new, again.duplicate, again.failed) == (0, 2, 1)
        assert again.statements == 0
        assert len(list(ledger.articles())) == 2


def test_ledger_statements_are_what_extract_gives(nlp: Language, news: Path) -> None:
    with Ledger(news.parent / "ledger.db") as ledger:
        ledger.ingest([str(news)], Options())
        rows = list(ledger.statements(speaker="Lopez"))
    assert rows and all(isinstance(row, StoredStatement) for row in rows)
    assert {Path(row.article_path or "").name for row in rows} == {"b_tram.txt"}
    extracted = claimledger.extract(news / "b_tram.txt").statements
    lopez = [s for s in extracted if s.speaker and "Lopez" in s.speaker.name]
    assert [row.statement for row in rows] == lopez
    assert all(isinstance(row.statement, claimledger.Statement) for row in rows)


def test_ledger_filters_statements_by_text_and_article(nlp: Language, news: Path) -> None:
    with Ledger(news.parent / "ledger.db") as ledger:
        ledger.ingest([str(news)], Options())
        by_text = list(ledger.statements(text="FUEL LEAK"))
        by_article = list(ledger.statements(article="a_harbour"))
    [row] = by_text
    assert row.statement.speaker is not None and row.statement.speaker.name == "Karen Holt"
    assert "divers had found no fuel leak" in row.statement.content.text
    assert by_article and {Path(r.article_path or "").name for r in by_article} == {"a_harbour.txt"}


def test_a_saved_news_page_gives_its_own_text_metadata_and_statements() -> None:
    page = Path(__file__).parent / "fixtures" / "ingest" / "herald_port_strike.html"
    article = claimledger.extract(page)
    assert article.title == "Port workers walk out as wage talks collapse"
    assert article.published == "2023-11-02" and article.published_source == "metadata"
    assert article.outlet == "Northgate Herald"
    assert "Cookie" not in article.text and "Related stories" not in article.text
    speakers = {s.speaker.name for s in article.statements if s.speaker}
    assert {"Gail Brennan", "Harbourline"} <= speakers
    brennan = next(s for s in article.statements if s.speaker and s.speaker.name == "Gail Brennan")
    assert brennan.kind == "direct" and brennan.speaker.role == "regional secretary"
    assert brennan.content.text == article.text[brennan.content.start : brennan.content.end]


def test_a_ledger_opened_read_only_answers_queries_and_ingests_nothing(
    nlp: Language, news: Path
) -> None:
    db = news.parent / "ledger.db"
    with Ledger(db) as ledger:
        ledger.ingest([str(news)], Options())
    # The writer leaves the ledger and its claim index beside it; reading adds nothing.
    written = {p.name: p.stat().st_mtime_ns for p in db.parent.iterdir()}
    assert sorted(written) == ["ledger.db", "ledger.db.claims.usearch", "news"]
    with Ledger(db, readonly=True) as ledger:
        assert ledger.counts()["articles"] == 2
        assert {Path(r.article_path or "").name for r in ledger.statements(speaker="Lopez")} == {
            "b_tram.txt"
        }
        with pytest.raises(claimledger.StoreError, match=r"ledger\.db: opened read-only"):
            ledger.ingest([str(news / "a_harbour.txt")], Options())
    assert {p.name: p.stat().st_mtime_ns for p in db.parent.iterdir()} == written


def test_the_readme_python_examples_print_what_they_say(
    nlp: Language, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = Path(__file__).parent.parent
    section = (root / "README.md").read_text(encoding="utf-8").split("## Python API", 1)[1]
    section = section.split("\n## ", 1)[0]
    blocks = [part.split("```", 1)[0] for part in section.split("```pycon\n")[1:]]
    assert len(blocks) >= 2
    shutil.copytree(root / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)  # the examples write ledger.db in the current folder
    test = doctest.DocTestParser().get_doctest(
        "\n".join(blocks), {}, "README.md, Python API", "README.md", 0
    )
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    report = io.StringIO()
    runner.run(test, out=report.write)
    assert runner.failures == 0, report.getvalue()


def test_a_lone_surrogate_escape_in_a_jsonl_line_is_stored_as_a_replacement_character(
    nlp: Language, tmp_path: Path
) -> None:
    # The store refuses text no encoder can write (test_store); ingest never hands it such text.
    batch = tmp_path / "batch.jsonl"
    batch.write_text(
        '{"text": "Lopez said the plan was fair.", "title": "Plan \\ud800"}\n'
        '{"text": "Chen said the tram would run on time."}\n',
        encoding="utf-8",
    )
    with Ledger(tmp_path / "ledger.db") as ledger:
        summary = ledger.ingest([str(batch)], Options())
        assert (summary.new, summary.failed) == (2, 0)
        assert [a.title for a in ledger.articles()] == ["Plan \ufffd", None]
