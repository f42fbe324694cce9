"""Inputs are never silent and never garbled: what ordinary mess in, what article (or line) out.

Pages that nest their article tens of thousands of elements deep, directories that hold PDFs and
pictures beside the articles, stray bytes in UTF-8 files, articles that end on an author line or
are written without spaces, and trafilatura's own JSON output.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html
from spacy.language import Language
from typer.testing import CliRunner

from claimledger.cli import app
from claimledger.ingest import read_inputs, read_text
from claimledger.ingest.html import flatten_deep_nesting, nests_too_deep
from claimledger.model import Article, InputFailure, Skipped

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"

# Curly quotes are what attribution reads; mojibake (â€œ) would hide every quote.
QUOTED = (
    "“We will not close the bridge before the repairs are paid for,” said the mayor, "
    "Joan Ellis, on Tuesday. Engineers said the work would take about six months. "
)
ENGLISH = (
    "The city council voted on Tuesday to close the old bridge over the Lark for repairs. "
    '"We cannot wait for the bridge to fall down," said the mayor, Joan Ellis. '
    "Engineers said the work would take about six months and cost £2 million.\n"
)
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10"


def page(body: str, head: str = '<meta charset="utf-8"><title>Bridge closes</title>') -> str:
    return f"<!doctype html><html><head>{head}</head><body>{body}</body></html>"


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def read_all(*paths: Path | str, **options: object) -> list[Article | InputFailure]:
    return list(read_inputs([str(p) for p in paths], **options))  # type: ignore[arg-type]


def article(path: Path | str, **options: object) -> Article:
    (item,) = read_all(path, **options)
    assert isinstance(item, Article), item
    return item


def failure(path: Path | str, **options: object) -> str:
    (item,) = read_all(path, **options)
    assert isinstance(item, InputFailure), item
    return str(item)


# --- 7: deeply nested pages --------------------------------------------------------------------


def test_an_article_under_fifty_thousand_nested_divs_is_found(tmp_path: Path) -> None:
    paragraphs = [QUOTED.strip(), ENGLISH.strip(), "Traffic will be diverted via the ring road."]
    inside = "<article><h1>Bridge closes</h1>" + "".join(f"<p>{p}</p>" for p in paragraphs)
    nested = "<div>" * 50_000 + inside + "</article>" + "</div>" * 50_000
    deep = article(write(tmp_path / "deep.html", page(nested)))
    assert deep.text.splitlines()[-3:] == paragraphs
    assert deep.title == "Bridge closes"
    assert deep.notices == (
        "the page nests its elements over 200 levels deep, which was flattened to read it",
    )
    flat = article(write(tmp_path / "flat.html", page(f"<div>{inside}</article></div>")))
    assert deep.text == flat.text


def test_deep_nesting_of_inline_tags_keeps_the_text_in_order(tmp_path: Path) -> None:
    body = "<article>" + f"<p>{QUOTED}</p>" + "<span>" * 30_000 + f"<p>{ENGLISH}</p>"
    path = write(tmp_path / "spans.html", page(body + "</span>" * 30_000 + "</article>"))
    text = article(path).text
    assert text.index(QUOTED.strip()) < text.index(ENGLISH.strip())


def test_a_deeply_nested_page_with_no_article_says_so(tmp_path: Path) -> None:
    body = "<div>" * 50_000 + "<a href='/'>Home</a><a href='/news'>News</a>" + "</div>" * 50_000
    path = write(tmp_path / "deep_menu.html", page(body))
    assert failure(path) == (
        f"{path}: no article text found in the page (is it an index or login page?); "
        "it nests its elements over 200 levels deep, which was flattened to read it"
    )


COMMENT = "<!-- <div> -->"
HTML_TOKENS = st.sampled_from(
    [
        *("<div>", "</div>", "<p>", "</p>", "<span class='a'>", "</span>", "<li>", "<ul>"),
        *("</ul>", "<br>", "<img src='x.png'/>", COMMENT, "<h1>", "</h1>", "</article>"),
        *("<script>if (a<b) x='</div>';</script>", "Bridge", " closes, ", "said Ellis.", "\n"),
    ]
)


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 400), st.lists(HTML_TOKENS, max_size=300), st.integers(0, 250))
def test_flattening_takes_out_tags_only_and_every_word_stays_in_order(
    depth: int, tokens: list[str], lists: int
) -> None:
    html = "<div>" * depth + "<ul>" * lists + "".join(tokens)
    flat = flatten_deep_nesting(html)
    def without_tags(text: str) -> str:
        return re.sub(r"<[^>]*>", "", text)
    assert without_tags(flat) == without_tags(html)
    # Nothing is left as deep as libxml2 stops reading.
    assert not nests_too_deep(lxml_html.document_fromstring(f"<html><body>{flat}</body></html>"))


# --- 8: files a directory walk skips -----------------------------------------------------------


def test_a_directory_walk_reports_every_file_it_skips_and_why(tmp_path: Path) -> None:
    write(tmp_path / "story.txt", "Bridge closes\n" + ENGLISH)
    write(tmp_path / "report.pdf", PDF)
    write(tmp_path / "photos" / "bridge.png", PNG)
    write(tmp_path / "data.csv", "a,b\n1,2\n")
    skipped: list[Skipped] = []
    items = list(read_inputs([str(tmp_path)], on_skip=skipped.append))
    read = [item.path for item in items if isinstance(item, Article)]
    assert read == [str(tmp_path / "story.txt")]
    assert [str(s) for s in skipped] == [
        f"{tmp_path / 'data.csv'}: not a .txt, .md, .html or .jsonl file; "
        "name it on the command line to read it anyway",
        f"{tmp_path / 'photos' / 'bridge.png'}: not text (PNG image); "
        "pass the article's text, not a picture of it",
        f"{tmp_path / 'report.pdf'}: not text (PDF); convert it to text first (e.g. pdftotext)",
    ]
    assert [s.kind for s in skipped] == [".csv file", "PNG image", "PDF"]


def test_pipes_broken_links_and_links_to_folders_are_skipped_not_read(tmp_path: Path) -> None:
    write(tmp_path / "story.txt", "Bridge closes\n" + ENGLISH)
    os.mkfifo(tmp_path / "feed.txt")  # reading it would wait for ever
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    (tmp_path / "loop").symlink_to(tmp_path)
    skipped: list[Skipped] = []
    items = list(read_inputs([str(tmp_path)], on_skip=skipped.append))
    assert [type(item).__name__ for item in items] == ["Article"]
    assert [(Path(s.source).name, s.kind) for s in skipped] == [
        ("feed.txt", "special file"),
        ("gone.txt", "broken link"),
        ("loop", "folder link"),
    ]


def test_hidden_files_system_files_and_saved_page_assets_are_skipped_silently(
    tmp_path: Path,
) -> None:
    write(tmp_path / "story.html", page(f"<article><p>{QUOTED * 3}</p></article>"))
    write(tmp_path / "story_files" / "logo.png", PNG)
    write(tmp_path / "story_files" / "app.js", "var x = 1;")
    write(tmp_path / ".git" / "index", b"DIRC\x00\x00\x00\x02")
    write(tmp_path / ".DS_Store", b"\x00\x00\x00\x01Bud1")
    write(tmp_path / "Thumbs.db", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    skipped: list[Skipped] = []
    items = list(read_inputs([str(tmp_path)], on_skip=skipped.append))
    assert [type(item).__name__ for item in items] == ["Article"]
    assert skipped == []


def test_a_directory_of_nothing_readable_still_fails_and_names_what_it_skipped(
    tmp_path: Path,
) -> None:
    write(tmp_path / "scan.pdf", PDF)
    skipped: list[Skipped] = []
    (item,) = list(read_inputs([str(tmp_path)], on_skip=skipped.append))
    assert isinstance(item, InputFailure)
    assert "no .txt, .md, .html or .jsonl files" in item.reason
    assert [s.kind for s in skipped] == ["PDF"]


@pytest.fixture
def news(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "news" / "story.txt", "Bridge closes\n" + ENGLISH)
    write(tmp_path / "news" / "report.pdf", PDF)
    write(tmp_path / "news" / "bridge.png", PNG)
    return tmp_path


def test_extract_names_each_skipped_file_counts_them_and_exits_0(
    nlp: Language, news: Path
) -> None:
    args = ["extract", "news", "-o", "out.jsonl", "--published", "2024-12-10"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "skipped: news/bridge.png: not text (PNG image); pass the article's text, "
        "not a picture of it",
        "skipped: news/report.pdf: not text (PDF); convert it to text first (e.g. pdftotext)",
        "2 files skipped (PNG image: 1, PDF: 1)",
    ]
    assert len((news / "out.jsonl").read_text(encoding="utf-8").splitlines()) == 1


def test_ingest_counts_skipped_files_in_its_summary(nlp: Language, news: Path) -> None:
    result = CliRunner().invoke(app, ["ingest", "news", "--db", "ledger.db"])
    assert result.exit_code == 0, result.output
    assert "skipped: news/report.pdf: not text (PDF)" in result.stderr
    summary = [line for line in result.stderr.splitlines() if line.startswith("articles:")]
    assert len(summary) == 1 and "2 files skipped" in summary[0], result.stderr


def test_the_api_counts_skipped_files_and_hands_them_over(nlp: Language, news: Path) -> None:
    import claimledger

    with claimledger.Ledger(news / "ledger.db") as ledger:
        summary = ledger.ingest(["news"])
    assert (summary.new, summary.failed, summary.skipped) == (1, 0, 2)
    assert [s.kind for s in summary.skipped_files] == ["PNG image", "PDF"]
    seen: list[Skipped] = []
    articles = list(claimledger.extract_many(["news"], on_skip=seen.append))
    assert len(articles) == 1 and seen == summary.skipped_files


def test_many_skipped_files_are_listed_up_to_ten_then_summed_up(
    nlp: Language, news: Path
) -> None:
    for n in range(12):
        write(news / "news" / "img" / f"photo{n:02}.png", PNG)
    result = CliRunner().invoke(app, ["extract", "news", "-o", "out.jsonl"])
    assert result.exit_code == 0, result.output
    listed = [line for line in result.stderr.splitlines() if line.startswith("skipped: ")]
    assert len(listed) == 10
    assert result.stderr.splitlines()[-2:] == [
        "4 more files skipped (PNG image: 3, PDF: 1); --verbose lists every one",
        "14 files skipped (PNG image: 13, PDF: 1)",
    ]
    verbose = CliRunner().invoke(app, ["extract", "news", "-o", "out.jsonl", "--verbose"])
    listed = [line for line in verbose.stderr.splitlines() if line.startswith("skipped: ")]
    assert len(listed) == 14
    assert verbose.stderr.splitlines()[-1] == "14 files skipped (PNG image: 13, PDF: 1)"


# --- 10: stray bytes and NUL bytes -------------------------------------------------------------


def test_a_page_declaring_utf8_with_one_stray_byte_keeps_its_curly_quotes(tmp_path: Path) -> None:
    data = page(f"<article><p>{QUOTED * 3}</p><p>{QUOTED}STRAY</p></article>").encode("utf-8")
    path = write(tmp_path / "stray.html", data.replace(b"STRAY", b"\x92"))
    item = article(path)
    assert "“We will not close the bridge" in item.text
    assert "â€" not in item.text
    assert "\ufffd" in item.text
    assert item.encoding == "utf-8"
    assert item.notices == (
        "1 byte sequence was not valid UTF-8 and was replaced with U+FFFD (�)",
    )


def test_an_undeclared_utf8_page_with_a_stray_byte_is_still_utf8(tmp_path: Path) -> None:
    head = "<title>Bridge closes</title>"
    data = page(f"<article><p>{QUOTED * 3}</p><p>\x00{QUOTED}</p></article>", head)
    path = write(tmp_path / "undeclared.html", data.encode("utf-8").replace(b"\x00", b"\xe9"))
    item = article(path)
    assert "“We will not close the bridge" in item.text
    assert item.encoding == "utf-8"


def test_a_utf8_page_with_a_few_nul_bytes_is_read(tmp_path: Path) -> None:
    data = page(f"<article><p>{QUOTED * 3}</p><p>\x00{QUOTED}\x00</p></article>")
    item = article(write(tmp_path / "nul.html", data))
    assert "“We will not close the bridge" in item.text
    assert "\x00" not in item.text
    assert item.notices == ("2 NUL bytes were replaced with U+FFFD (�)",)


def test_a_text_file_with_four_bad_bytes_is_utf8_with_replacement(tmp_path: Path) -> None:
    data = ("Bridge closes\n" + QUOTED * 4 + "BAD\n").encode("utf-8")
    data = data.replace(b"BAD", b"\xff\xfe\x80\x81")
    item = article(write(tmp_path / "bad.txt", data))
    # The text is still the file exactly as decoded: offsets point into it.
    assert item.text == data.decode("utf-8", errors="replace")
    assert item.encoding == "utf-8"
    assert item.title == "Bridge closes"
    assert item.notices == (
        "4 byte sequences were not valid UTF-8 and were replaced with U+FFFD (�)",
    )


def test_ascii_text_with_a_few_bytes_no_encoding_explains_is_read_with_replacement(
    tmp_path: Path,
) -> None:
    english = ENGLISH.replace("£", "")
    data = ("Bridge closes\n" + english * 4).encode("ascii").replace(b"Tuesday", b"Tu\x81\x8fsday")
    item = article(write(tmp_path / "odd.txt", data))
    assert item.text.count("\ufffd") == 8
    assert "replaced with U+FFFD" in item.notices[0]


def test_a_windows_1252_page_that_declares_utf8_is_read_as_windows_1252(tmp_path: Path) -> None:
    # Not one UTF-8 sequence in it: the declaration is wrong, and U+FFFD for every quote mark
    # would lose what attribution reads.
    data = page(f"<article><p>{QUOTED * 3}</p></article>").encode("cp1252")
    item = article(write(tmp_path / "mislabelled.html", data))
    assert "“We will not close the bridge" in item.text
    assert item.encoding == "cp1252"
    assert item.notices == (
        "decoded as cp1252: the page declares UTF-8, but its non-ASCII bytes are not",
    )


def test_a_page_declaring_windows_1252_is_decoded_as_declared(tmp_path: Path) -> None:
    head = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
    data = page(f"<article><p>{QUOTED * 3}</p></article>", head).encode("cp1252")
    item = article(write(tmp_path / "legacy.html", data))
    assert "“We will not close the bridge" in item.text
    assert item.encoding == "cp1252"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_text_not_binary(tmp_path: Path, encoding: str) -> None:
    text = "Bridge closes\n" + QUOTED * 3
    item = article(write(tmp_path / "utf16.txt", text.encode(encoding)))
    assert item.text == text
    assert item.encoding == encoding
    assert item.notices == (f"decoded as {encoding.upper()}: the file has no byte order mark",)


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("tool.txt", b"\x7fELF\x02\x01\x01" + b"\x00" * 40, "not text (program)"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40, "not text (Word"),
        ("noise.txt", bytes(range(32)) * 40, "not text (binary data"),
        ("ledger.txt", b"SQLite format 3\x00" + b"\x00" * 80, "not text (SQLite database)"),
    ],
)
def test_what_is_really_binary_is_still_refused(
    tmp_path: Path, name: str, data: bytes, expected: str
) -> None:
    path = write(tmp_path / name, data)
    assert failure(path).startswith(f"{path}: {expected}")


# --- 11: what counts as an article -------------------------------------------------------------


def test_one_long_paragraph_ending_on_an_author_line_is_an_article(tmp_path: Path) -> None:
    body = (QUOTED * 2).strip() + " Reporting by Jane Doe; editing by John Smith"
    item = article(write(tmp_path / "oneline.html", page(f"<article><p>{body}</p></article>")))
    assert item.text.endswith("editing by John Smith")


def test_a_short_post_is_an_article(tmp_path: Path) -> None:
    post = "The council closed the Lark bridge on Tuesday after engineers found cracks."
    item = article(write(tmp_path / "post.html", page(f"<article><p>{post}</p></article>")))
    assert item.text == post


CHINESE = (
    "市议会周二投票决定关闭拉克河上的旧桥进行维修。市长琼·埃利斯说：“我们不能等到桥倒塌。”"
    "工程师表示，维修工作大约需要六个月，耗资两百万英镑。"
)
JAPANESE = (
    "市議会は火曜日、修理のためにラーク川の古い橋を閉鎖することを決めた。"
    "市長は「橋が崩れるのを待つことはできない」と述べた。"
)


@pytest.mark.parametrize(("text", "language"), [(CHINESE, "zh"), (JAPANESE, "ja")])
def test_pages_written_without_spaces_are_articles(
    tmp_path: Path, text: str, language: str
) -> None:
    body = text * 4  # a few sentences: long enough for the language to be told
    path = write(tmp_path / "cjk.html", page(f"<article><p>{body}</p></article>"))
    assert article(path, check_language=False).text == body
    # Without --any-language the reason is the language, not "no article text found".
    assert f"not English (detected: {language})" in failure(path)


def test_a_login_page_is_still_not_an_article() -> None:
    assert "no article text found" in failure(FIXTURES / "login_page.html")


def test_markdown_and_entities_in_an_embedded_article_body_are_stripped(tmp_path: Path) -> None:
    markdown = (
        "## The vote\n\n"
        "The council voted **unanimously** on Tuesday to close the bridge over the Lark "
        "for repairs, according to [the minutes](https://lark.example/minutes).\n\n"
        "&#8220;We cannot wait for the bridge to fall down,&#8221; said the mayor, "
        "Joan Ellis &amp; her deputy. Engineers said the work would take *about* six months "
        "and cost &pound;2 million, and that traffic would be diverted for the whole time."
    )
    data = {"@context": "https://schema.org", "@type": "NewsArticle", "articleBody": markdown}
    shell = page(
        "<div id='app'>Loading…</div>"
        f"<script type='application/ld+json'>{json.dumps(data)}</script>"
    )
    item = article(write(tmp_path / "shell.html", shell))
    assert item.text.splitlines() == [
        "The vote",
        "The council voted unanimously on Tuesday to close the bridge over the Lark for "
        "repairs, according to the minutes.",
        "“We cannot wait for the bridge to fall down,” said the mayor, Joan Ellis & her "
        "deputy. Engineers said the work would take about six months and cost £2 million, "
        "and that traffic would be diverted for the whole time.",
    ]


def test_html_text_is_given_in_nfc_and_plain_text_as_decoded(tmp_path: Path) -> None:
    decomposed = unicodedata.normalize("NFD", "Renée Müller said the café would close. " * 5)
    html_page = page(f"<article><p>{decomposed}</p></article>")
    html_item = article(write(tmp_path / "nfd.html", html_page))
    assert html_item.text == unicodedata.normalize("NFC", decomposed).strip()
    text_item = article(write(tmp_path / "nfd.txt", decomposed))
    assert text_item.text == decomposed


# --- 12: trafilatura's JSON, and short texts in other languages --------------------------------


def test_trafilatura_json_output_keeps_its_date_author_site_and_source() -> None:
    herald, courier = read_all(FIXTURES / "trafilatura.jsonl")
    assert isinstance(herald, Article) and isinstance(courier, Article)
    assert herald.title == "Port workers walk out as wage talks collapse"
    assert herald.authors == ("Priya Raman", "Tomás Ortega")
    assert (herald.published, herald.published_source) == ("2023-11-02", "metadata")
    assert herald.outlet == "Northgate Herald"
    assert herald.url is not None and herald.url.endswith("-1.948213")
    assert herald.text.startswith("More than 3,000 dockers at the Port of Northgate")
    assert courier.authors == ("Maria Okafor",)
    assert courier.outlet == "The Riverside Courier"
    assert courier.published == "2024-03-14"


def test_own_field_names_win_over_trafilatura_names(tmp_path: Path) -> None:
    line = {
        "text": ENGLISH,
        "published": "2024-12-10",
        "date": "2020-01-01",
        "outlet": "Lark Gazette",
        "sitename": "Other",
        "url": "https://lark.example/a",
        "source": "https://other.example/b",
    }
    item = article(write(tmp_path / "b.jsonl", json.dumps(line) + "\n"))
    assert (item.published, item.outlet, item.url) == (
        "2024-12-10",
        "Lark Gazette",
        "https://lark.example/a",
    )


def test_a_source_that_is_not_a_url_and_a_date_that_is_not_a_date_are_not_taken(
    tmp_path: Path,
) -> None:
    line = {"text": ENGLISH, "source": "Reuters", "date": "last week"}
    item = article(write(tmp_path / "b.jsonl", json.dumps(line) + "\n"))
    assert (item.url, item.published) == (None, None)
    assert item.notices == ('"date" was not used: "last week" is not a YYYY-MM-DD date',)


def test_lone_surrogate_escapes_in_a_jsonl_line_become_replacement_characters(
    tmp_path: Path,
) -> None:
    # json.loads accepts "\\ud800" and hands back a string no encoder can write.
    record = json.dumps({"title": "Bridge @1", "text": ENGLISH.strip() + " @2"})
    line = record.replace("@1", "\\ud800").replace("@2", "\\udc00") + "\n"
    item = article(write(tmp_path / "b.jsonl", line))
    assert item.title == "Bridge \ufffd"
    assert item.text.endswith(" \ufffd")
    assert item.notices[0].startswith("2 lone surrogate escapes")
    runner = CliRunner()
    result = runner.invoke(
        app, ["extract", str(tmp_path / "b.jsonl"), "--format", "jsonl", "--any-language"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["article"]["title"] == "Bridge \ufffd"


def test_a_short_text_in_another_language_is_read_with_a_notice(tmp_path: Path) -> None:
    item = article(write(tmp_path / "kurz.txt", "Die Brücke ist seit Dienstag gesperrt."))
    assert item.notices == (
        "language uncertain (short text; looks like de); claimledger reads English news",
    )
    assert read_text("Die Brücke ist seit Dienstag gesperrt.").notices == item.notices
    assert article(tmp_path / "kurz.txt", check_language=False).notices == ()


def test_a_long_text_the_classifier_is_unsure_of_is_read_with_a_notice(tmp_path: Path) -> None:
    english = "The mayor said the bridge would close on Tuesday for repairs. "
    german = "Der Bürgermeister sagte, die Brücke werde am Dienstag geschlossen. "
    item = article(write(tmp_path / "mixed.txt", english * 3 + german * 3))
    assert item.notices == (
        "language uncertain (looks like de, 49% sure); claimledger reads English news",
    )


def test_a_short_english_text_has_no_language_notice(tmp_path: Path) -> None:
    item = article(write(tmp_path / "short.txt", "The bridge has been closed since Tuesday."))
    assert item.notices == ()
