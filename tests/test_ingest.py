"""The ingest stage, as a specification: an input in, the expected article (or failure) out."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import sys
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimledger.errors import InputError
from claimledger.ingest import parse_published, read_inputs, read_text, sniff
from claimledger.ingest.furniture import find_furniture
from claimledger.ingest.jsonl import parse_line
from claimledger.ingest.text import decode_bytes
from claimledger.model import Article, InputFailure

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"

ENGLISH = (
    "The city council voted on Tuesday to close the old bridge over the Lark for repairs. "
    '"We cannot wait for the bridge to fall down," said the mayor, Joan Ellis. '
    "Engineers said the work would take about six months and cost £2 million.\n"
)
GERMAN = (
    "Der Stadtrat hat am Dienstag beschlossen, die alte Brücke über den Fluss für Reparaturen "
    "zu schließen. „Wir können nicht warten, bis die Brücke einstürzt“, sagte die Bürgermeisterin. "
    "Die Ingenieure erklärten, die Arbeiten würden etwa sechs Monate dauern und zwei Millionen "
    "Euro kosten. Anwohner beklagten sich über die langen Umwege, die sie nun fahren müssen.\n"
)
FRENCH = (
    "Le conseil municipal a décidé mardi de fermer le vieux pont sur la rivière pour des "
    "travaux. « Nous ne pouvons pas attendre que le pont s'effondre », a déclaré la maire. "
    "Les ingénieurs ont expliqué que les travaux dureraient environ six mois et coûteraient "
    "deux millions d'euros. Les habitants se plaignent déjà des longs détours.\n"
)


def read_one(path: Path | str, **options: object) -> Article | InputFailure:
    items = list(read_inputs([str(path)], **options))  # type: ignore[arg-type]
    assert len(items) == 1, items
    return items[0]


def article(path: Path | str, **options: object) -> Article:
    item = read_one(path, **options)
    assert isinstance(item, Article), item
    return item


def failure(path: Path | str, **options: object) -> str:
    item = read_one(path, **options)
    assert isinstance(item, InputFailure), item
    return str(item)


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def set_stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def assert_spans_match(item: Article) -> None:
    for span in item.furniture:
        assert 0 <= span.start <= span.end <= len(item.text)
        assert item.text[span.start : span.end] == span.text


# --- plain text -------------------------------------------------------------------------------


def test_kursk_text_is_the_file_exactly_with_furniture_reported_not_cut() -> None:
    path = FIXTURES / "kursk.txt"
    item = article(path)
    assert item.text == path.read_text(encoding="utf-8")
    assert [span.text for span in item.furniture] == ["Views", "Most Commented"]
    views, commented = item.furniture
    assert item.text.splitlines()[1] == "Daniel Kim Views"
    assert item.text[views.start - len("Daniel Kim ") : views.end] == "Daniel Kim Views"
    assert item.text[commented.start :] == "Most Commented"
    assert_spans_match(item)


def test_kursk_title_byline_language_and_id() -> None:
    item = article(FIXTURES / "kursk.txt")
    assert item.title is not None and item.title.startswith("Hidden Truth About North Korea")
    assert item.authors == ("Daniel Kim",)
    assert item.language == "en"
    assert item.encoding == "utf-8"
    assert item.path == str(FIXTURES / "kursk.txt")
    assert item.id == "sha256:" + hashlib.sha256(item.text.encode("utf-8")).hexdigest()


def test_reading_the_same_article_twice_gives_the_same_id(tmp_path: Path) -> None:
    copy = write(tmp_path / "copy.txt", (FIXTURES / "kursk.txt").read_bytes())
    assert article(copy).id == article(FIXTURES / "kursk.txt").id


def test_prose_about_views_or_comments_is_not_furniture() -> None:
    text = (
        "Council Vote\nThe views of voters were split, officials said.\n"
        "Most commented that the bridge was unsafe.\nShare prices fell.\nViews\n"
    )
    assert [span.text for span in find_furniture(text)] == ["Views"]


@pytest.mark.parametrize(
    "line",
    [
        "1,234 views",
        "Most Read",
        "Share this article",
        "Share on Facebook",
        "Share on X",
        "Subscribe to our newsletter",
        "Sign up for our newsletter",
        "Advertisement",
        "Read more: Bridge closes for six months",
        "Related:",
        "Click here to read the full report",
        "Follow us on Twitter",
        "Comments (12)",
        "12 Comments",
        "ADVERTISEMENT",
    ],
)
def test_furniture_lines_are_reported(line: str) -> None:
    text = f"Bridge Closes\n{ENGLISH}\n  {line}  \n{ENGLISH}"
    spans = find_furniture(text)
    assert [span.text for span in spans] == [line]
    assert text[spans[0].start : spans[0].end] == line


def test_view_counter_after_a_byline_is_reported() -> None:
    text = f"Bridge Closes\nBy Jane Doe 1,204 views\n{ENGLISH}"
    assert [span.text for span in find_furniture(text)] == ["1,204 views"]
    assert read_text(text).authors == ("Jane Doe",)


def test_byline_with_two_authors() -> None:
    item = read_text(f"Bridge Closes for Repairs\nBy Jane Doe and John Smith\n{ENGLISH}")
    assert item.title == "Bridge Closes for Repairs"
    assert item.authors == ("Jane Doe", "John Smith")


@pytest.mark.parametrize(
    ("byline", "authors"),
    [
        ("By Jane Doe, Reuters", ("Jane Doe",)),
        ("By Maria Okafor, Environment correspondent", ("Maria Okafor",)),
        ("Jane Doe | 3 min read", ("Jane Doe",)),
        ("Daniel Kim Views", ("Daniel Kim",)),
        ("Jane Doe, Reuters", ()),
        ("By the river, nothing moved", ()),
        ("Officials said little", ()),
    ],
)
def test_bylines(byline: str, authors: tuple[str, ...]) -> None:
    assert read_text(f"Bridge Closes\n{byline}\n{ENGLISH}").authors == authors


def test_prose_first_line_is_no_title_and_prose_second_line_no_byline() -> None:
    assert read_text(ENGLISH + ENGLISH).title is None
    item = read_text("Bridge Closes\n" + ENGLISH + ENGLISH)
    assert item.title == "Bridge Closes"
    assert item.authors == ()


def test_bom_is_removed_and_nothing_else(tmp_path: Path) -> None:
    body = "Bridge Closes\r\nBy Jane Doe Views\r\n" + ENGLISH + "Most Commented"
    item = article(write(tmp_path / "bom.txt", b"\xef\xbb\xbf" + body.encode("utf-8")))
    assert item.text == body
    assert item.encoding == "utf-8-sig"
    assert [span.text for span in item.furniture] == ["Views", "Most Commented"]
    assert_spans_match(item)


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_western_encodings_are_detected(tmp_path: Path, encoding: str) -> None:
    text = (
        "Café owners in Zürich said on Monday that rents had doubled. "
        "Renée Müller, who runs a café near the lake, said she might close. " * 3
    )
    if encoding == "cp1252":
        text += "“We cannot go on like this,” she said — and others agreed.\n"
    item = article(write(tmp_path / "zurich.txt", text.encode(encoding)))
    assert item.text == text
    assert "café" in item.text and "Zürich" in item.text
    assert item.encoding == "cp1252"
    assert item.notices == ("decoded as cp1252 (the file is not UTF-8)",)


def test_undetectable_encoding_fails(tmp_path: Path) -> None:
    path = write(tmp_path / "odd.txt", b"\x81\x8d\x8f\x90\x9d" * 20)
    assert failure(path) == (
        f"{path}: not valid UTF-8 and its encoding could not be detected; re-save it as UTF-8"
    )


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n  "])
def test_empty_file(tmp_path: Path, data: bytes) -> None:
    path = write(tmp_path / "empty.txt", data)
    assert failure(path) == f"{path}: empty file; nothing to read"


def _zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        (
            "report.pdf",
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
            "not text (PDF); convert it to text first (e.g. pdftotext)",
        ),
        ("chart.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not text (PNG image)"),
        ("photo.txt", b"\xff\xd8\xff\xe0\x00\x10JFIF", "not text (JPEG image)"),
        ("story.docx", _zip_bytes(), "not text (ZIP archive or DOCX)"),
        ("story.txt.gz", gzip.compress(ENGLISH.encode()), "not text (gzip archive)"),
        ("data.txt", b"abc\x00\x01\x02def", "not text (binary data: it is full of NUL"),
    ],
)
def test_binary_files_fail_and_say_what_they_are(
    tmp_path: Path, name: str, data: bytes, expected: str
) -> None:
    path = write(tmp_path / name, data)
    assert failure(path).startswith(f"{path}: {expected}")


def test_missing_path() -> None:
    assert failure("missing.txt") == "missing.txt: no such file or directory; check the path"


def test_file_over_the_size_limit_fails_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    with path.open("wb") as handle:  # sparse: 50 MB on paper, nothing on disk
        handle.truncate(50_000_000)
    assert failure(path) == (
        f"{path}: 50.0 MB is over the 5.0 MB limit for one article; split it into one "
        "article per file (or JSONL), or raise --max-size"
    )
    small = write(tmp_path / "small.txt", ENGLISH)
    assert "over the 100 bytes limit" in failure(small, max_bytes=100)


def test_fifty_megabyte_jsonl_streams_in_bounded_memory(tmp_path: Path) -> None:
    line = json.dumps({"text": ENGLISH * 4000}) + "\n"  # about 1 MB per article
    path = tmp_path / "big.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for _ in range(50_000_000 // len(line) + 1):
            handle.write(line)
    assert path.stat().st_size > 50_000_000
    tracemalloc.start()
    count = sum(1 for item in read_inputs([str(path)]) if isinstance(item, Article))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count == 50_000_000 // len(line) + 1
    assert peak < 20_000_000


# --- language ----------------------------------------------------------------------------------


def test_german_article_is_refused_with_a_way_out(tmp_path: Path) -> None:
    path = write(tmp_path / "notes.txt", GERMAN * 2)
    assert failure(path) == (
        f"{path}: not English (detected: de); claimledger reads English "
        "news — pass --any-language to process it anyway"
    )
    assert article(path, check_language=False).language == "de"


def test_french_article_is_refused(tmp_path: Path) -> None:
    assert "not English (detected: fr)" in failure(write(tmp_path / "pont.txt", FRENCH * 2))


@pytest.mark.parametrize(
    "text",
    [
        "Bridge closes.",
        "Hello world.",
        "Die Brücke ist zu.",
        "The mayor said on Tuesday that the bridge would reopen.",
    ],
)
def test_short_texts_are_never_refused(tmp_path: Path, text: str) -> None:
    assert isinstance(read_one(write(tmp_path / "short.txt", text)), Article)


# --- published ---------------------------------------------------------------------------------


def test_published_from_the_user_fills_in_a_missing_date(tmp_path: Path) -> None:
    item = article(FIXTURES / "kursk.txt", published="2024-12-10")
    assert (item.published, item.published_source) == ("2024-12-10", "cli")
    assert (article(FIXTURES / "kursk.txt").published_source) == "none"


def test_published_in_the_page_wins_over_the_user() -> None:
    item = article(FIXTURES / "courier_dam.html", published="2020-01-01")
    assert (item.published, item.published_source) == ("2024-03-14", "metadata")


@pytest.mark.parametrize("value", ["10/12/2024", "2024-13-01", "yesterday", "2024-12-10T08:00"])
def test_bad_published_is_refused_up_front(value: str) -> None:
    with pytest.raises(InputError) as raised:
        parse_published(value)
    assert raised.value.source == "--published"
    assert "use YYYY-MM-DD" in str(raised.value)
    with pytest.raises(InputError):
        list(read_inputs(["examples/kursk.txt"], published=value))


def test_read_text_sets_published_from_the_caller() -> None:
    item = read_text(ENGLISH, published="2024-12-10")
    assert (item.published, item.published_source, item.language) == ("2024-12-10", "cli", "en")


def test_read_text_refuses_an_empty_string() -> None:
    with pytest.raises(InputError, match="empty"):
        read_text("  \n")


# --- HTML --------------------------------------------------------------------------------------


def test_news_page_text_in_boilerplate_out() -> None:
    item = article(FIXTURES / "courier_dam.html")
    text = item.text
    for sentence in [
        "Cracks in the concrete spillway of the Halden Dam have widened since the spring",
        '"We are not saying the dam is about to fail, and nobody downstream should panic," '
        "said Dr Helen Marsh",
        "Robert Lindqvist, said the board had approved £4.2 million",
        '"We found out from the newspaper," said Aisha Rahman',
        'calling the delay in informing residents "simply unacceptable".',
    ]:
        assert sentence in text
    for boilerplate in [
        "We use cookies",
        "Accept all",
        "Politics",
        "Subscribe from",
        "Share on Facebook",
        "Advertisement",
        "Sign up for our morning briefing",
        "Related stories",
        "Halden reservoir levels at ten-year high",
        "rivergazer",
        "Typical. They always wait",
        "Join the conversation",
        "All rights reserved",
        "gtag",
        "dataLayer",
        "NewsArticle",
        "Photo: Courier archive",
    ]:
        assert boilerplate not in text
    assert len([line for line in text.splitlines() if line.strip()]) >= 8


def test_news_page_metadata() -> None:
    item = article(FIXTURES / "courier_dam.html")
    assert item.title == "Engineers warn Halden Dam spillway needs urgent repairs"
    assert item.authors == ("Maria Okafor",)
    assert item.outlet == "The Riverside Courier"
    assert item.url == (
        "https://www.riversidecourier.example/news/2024/03/14/halden-dam-spillway-repairs"
    )
    assert (item.published, item.published_source) == ("2024-03-14", "metadata")
    assert item.language == "en"
    assert item.furniture == ()


def test_second_news_page_keeps_curly_quotes_and_paragraphs() -> None:
    item = article(FIXTURES / "herald_port_strike.html")
    paragraphs = item.text.splitlines()
    assert paragraphs[0].startswith("More than 3,000 dockers at the Port of Northgate")
    assert len(paragraphs) == 7
    assert (
        "“Our members have kept this port running through every crisis of the last decade,” "
        "said Gail Brennan"
    ) in item.text
    assert "told reporters: “Nobody wins from a long strike.”" in item.text
    for boilerplate in [
        "Your privacy matters",
        "I agree",
        "Log in",
        "Puzzles",
        "Facebook",
        "More on this story",
        "Harbourline profits rise",
        "47 comments",
        "HarbourWatcher",
        "Most read",
        "Council approves new bypass",
        "googletag",
        "Quay Street",
        "Topics:",
    ]:
        assert boilerplate not in item.text
    assert item.title == "Port workers walk out as wage talks collapse"
    assert item.authors == ("Priya Raman", "Tomás Ortega")
    assert item.outlet == "Northgate Herald"
    assert item.url is not None and item.url.endswith("-1.948213")
    # The page was updated on 5 November; the article is dated by its first publication.
    assert item.published == "2023-11-02"


def test_script_rendered_page_falls_back_to_json_ld_article_body() -> None:
    item = article(FIXTURES / "script_rendered.html")
    paragraphs = item.text.splitlines()
    assert len(paragraphs) == 6
    assert paragraphs[0].startswith("The number of patients waiting for planned hospital")
    assert (
        '"This is the first real sign that the extra evening and weekend clinics are '
        'working," said Dr Amrit Sandhu'
    ) in item.text
    assert "enable JavaScript" not in item.text
    assert item.title == "Hospital waiting lists fall for first time in three years"
    assert item.authors == ("Leah Whitcombe",)
    assert item.outlet == "Coastline Daily"
    assert item.url == "https://coastlinedaily.example/health/2024/06/03/waiting-lists-fall"
    assert item.published == "2024-06-03"


def test_next_data_article_body_is_used_when_the_page_is_a_shell(tmp_path: Path) -> None:
    body = "<p>" + "</p><p>".join(ENGLISH.strip() for _ in range(3)) + "</p>"
    data = {"props": {"pageProps": {"story": {"headline": "Bridge closes", "articleBody": body}}}}
    page = (
        "<!doctype html><html><head><title>Bridge closes</title></head><body>"
        "<div id='__next'><p>Loading…</p></div>"
        f"<script id='__NEXT_DATA__' type='application/json'>{json.dumps(data)}</script>"
        "</body></html>"
    )
    item = article(write(tmp_path / "shell.html", page))
    assert item.text.splitlines() == [ENGLISH.strip()] * 3
    assert item.notices and "articleBody" in item.notices[0]


def test_page_without_an_article_fails() -> None:
    path = FIXTURES / "login_page.html"
    assert failure(path) == (
        f"{path}: no article text found in the page (is it an index or login page?)"
    )


# --- JSONL -------------------------------------------------------------------------------------


def test_jsonl_one_article_per_line_and_a_bad_line_does_not_stop_the_batch(tmp_path: Path) -> None:
    page = (FIXTURES / "courier_dam.html").read_text(encoding="utf-8")
    lines = [
        json.dumps(
            {
                "text": ENGLISH,
                "title": "Bridge",
                "url": "https://x.example/b",
                "published": "2024-12-10T08:00:00Z",
                "outlet": "Lark Gazette",
                "authors": "Jane Doe; John Smith",
            }
        ),
        "{not json",
        "",
        json.dumps({"title": "no body"}),
        json.dumps({"html": page, "authors": ["Someone Else"]}),
        json.dumps(["a", "list"]),
        json.dumps({"text": ENGLISH, "published": "last week"}),
        json.dumps({"text": GERMAN * 2}),
    ]
    path = write(tmp_path / "batch.jsonl", "\n".join(lines) + "\n")
    items = list(read_inputs([str(path)], published="2020-01-01"))
    assert len(items) == 7
    first, bad_json, no_body, from_html, a_list, bad_date, german = items
    assert isinstance(first, Article)
    assert first.path == f"{path}:1"
    assert (first.title, first.url, first.outlet) == (
        "Bridge",
        "https://x.example/b",
        "Lark Gazette",
    )
    assert first.authors == ("Jane Doe", "John Smith")
    assert (first.published, first.published_source) == ("2024-12-10", "metadata")
    assert str(bad_json).startswith(f"{path}:2: not valid JSON (Expecting property name")
    assert str(bad_json).endswith("); fix or remove the line")
    assert str(no_body).startswith(f'{path}:4: has no "text" or "html" field')
    assert isinstance(from_html, Article)
    assert from_html.path == f"{path}:5"
    assert from_html.title == "Engineers warn Halden Dam spillway needs urgent repairs"
    assert from_html.authors == ("Someone Else",)
    assert from_html.published == "2024-03-14"
    assert str(a_list).startswith(f"{path}:6: not a JSON object (a list)")
    assert str(bad_date) == f'{path}:7: "published" is not a date ("last week"); use YYYY-MM-DD'
    assert str(german).startswith(f"{path}:8: not English (detected: de)")


def test_jsonl_line_over_the_limit_fails_alone(tmp_path: Path) -> None:
    lines = [
        json.dumps({"text": ENGLISH}),
        json.dumps({"text": ENGLISH * 50}),
        json.dumps({"text": ENGLISH}),
    ]
    path = write(tmp_path / "batch.ndjson", "\n".join(lines))
    items = list(read_inputs([str(path)], max_bytes=2000))
    assert [type(item).__name__ for item in items] == ["Article", "InputFailure", "Article"]
    assert str(items[1]).startswith(f"{path}:2: line is over the 2.0 kB limit")


# --- directories, stdin, sniffing --------------------------------------------------------------


def test_directories_are_walked_sorted_skipping_hidden_and_unknown_files(tmp_path: Path) -> None:
    write(tmp_path / "b.txt", "B story\n" + ENGLISH)
    write(tmp_path / "a" / "z.md", "Z story\n" + ENGLISH)
    write(tmp_path / "a" / "deeper" / "page.htm", (FIXTURES / "courier_dam.html").read_bytes())
    write(tmp_path / "c.jsonl", json.dumps({"text": ENGLISH}) + "\n")
    write(tmp_path / ".hidden.txt", ENGLISH)
    write(tmp_path / ".git" / "notes.txt", ENGLISH)
    write(tmp_path / "scan.pdf", b"%PDF-1.4")
    paths = [item.path for item in read_inputs([str(tmp_path)]) if isinstance(item, Article)]
    assert paths == [
        str(tmp_path / "a" / "deeper" / "page.htm"),
        str(tmp_path / "a" / "z.md"),
        str(tmp_path / "b.txt"),
        f"{tmp_path / 'c.jsonl'}:1",
    ]


def test_directory_with_nothing_to_read(tmp_path: Path) -> None:
    write(tmp_path / "scan.pdf", b"%PDF-1.4")
    assert "no .txt, .md, .html or .jsonl files" in failure(tmp_path)


def test_inputs_come_out_in_order_and_failures_do_not_stop_the_stream() -> None:
    items = list(
        read_inputs(["missing.txt", str(FIXTURES / "kursk.txt"), str(FIXTURES / "login_page.html")])
    )
    assert [type(item).__name__ for item in items] == ["InputFailure", "Article", "InputFailure"]


def test_stdin_plain_text(monkeypatch: pytest.MonkeyPatch) -> None:
    set_stdin(monkeypatch, (FIXTURES / "kursk.txt").read_bytes())
    item = article("-")
    assert item.path == "<stdin>"
    assert item.authors == ("Daniel Kim",)
    assert [span.text for span in item.furniture] == ["Views", "Most Commented"]


def test_stdin_html(monkeypatch: pytest.MonkeyPatch) -> None:
    set_stdin(monkeypatch, (FIXTURES / "herald_port_strike.html").read_bytes())
    assert article("-").outlet == "Northgate Herald"


def test_stdin_jsonl_larger_than_the_limit_still_streams(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = [json.dumps({"text": ENGLISH, "title": f"Story {n}"}) for n in range(10)]
    set_stdin(monkeypatch, "\n".join(lines).encode("utf-8"))
    items = list(read_inputs(["-"], max_bytes=1000))
    assert [item.title for item in items if isinstance(item, Article)] == [
        f"Story {n}" for n in range(10)
    ]
    assert items[3].path == "<stdin>:4"  # type: ignore[union-attr]


def test_stdin_text_over_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    set_stdin(monkeypatch, (ENGLISH * 20).encode("utf-8"))
    assert failure("-", max_bytes=1000).startswith("<stdin>: it is over the 1.0 kB limit")


def test_file_with_another_extension_is_sniffed(tmp_path: Path) -> None:
    page = write(tmp_path / "saved.aspx", (FIXTURES / "courier_dam.html").read_bytes())
    assert article(page).outlet == "The Riverside Courier"
    batch = write(tmp_path / "batch.log", json.dumps({"text": ENGLISH}) + "\n")
    assert article(batch).path == f"{batch}:1"
    plain = write(tmp_path / "README", "Bridge Closes\n" + ENGLISH)
    assert article(plain).title == "Bridge Closes"


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"  <!DOCTYPE html><html><body>x</body></html>", "html"),
        (b'{"text": "a"}\n\n{"html": "<p>b</p>"}\n', "jsonl"),
        (b'{"text": "a"}\nplain words\n', "text"),
        (ENGLISH.encode(), "text"),
    ],
)
def test_sniff(data: bytes, kind: str) -> None:
    assert sniff(data) == kind


# --- properties --------------------------------------------------------------------------------

FURNITURE_LINES = st.sampled_from(
    [
        "Views",
        "1,234 views",
        "Most Commented",
        "Share this article",
        "Advertisement",
        "By Ann Lee",
        "Comments (3)",
        "Read more: the bridge",
        "Daniel Kim Views",
        "",
        "   ",
        "The views of voters.",
    ]
)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.one_of(FURNITURE_LINES, st.text()), max_size=12),
    st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_read_text_never_crashes_and_spans_point_into_the_text(
    lines: list[str], newline: str
) -> None:
    text = newline.join(lines)
    try:
        item = read_text(text)
    except InputError:
        assert not text.strip()
        return
    assert item.text == text
    assert item.id == "sha256:" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    assert_spans_match(item)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_decoding_any_bytes_gives_text_or_a_clear_failure(data: bytes) -> None:
    try:
        decoded = decode_bytes(data, "any.txt")
    except InputError as error:
        assert error.source == "any.txt" and error.reason
    else:
        assert isinstance(decoded.text, str) and decoded.encoding
        assert "\x00" not in decoded.text


@settings(max_examples=100, deadline=None)
@given(
    st.one_of(
        st.binary(max_size=200),
        st.dictionaries(
            st.sampled_from(["text", "html", "title", "authors", "published", "url"]),
            st.one_of(st.text(), st.none(), st.integers(), st.lists(st.text(), max_size=2)),
        ).map(lambda record: json.dumps(record).encode()),
    )
)
def test_a_jsonl_line_gives_an_article_or_a_clear_failure(line: bytes) -> None:
    try:
        item = parse_line(line, "batch.jsonl:1")
    except InputError as error:
        assert error.source == "batch.jsonl:1" and error.reason
    else:
        assert item.path == "batch.jsonl:1"
        assert_spans_match(item)


def test_binary_file_named_jsonl_fails_once(tmp_path: Path) -> None:
    path = write(tmp_path / "batch.jsonl", b"%PDF-1.7\n" + b"x\n" * 20)
    assert failure(path).startswith(f"{path}: not text (PDF)")


def test_read_text_survives_lone_surrogates() -> None:
    assert read_text("Bridge \ud800 closes\nThe mayor said so.").text.startswith("Bridge")
