"""Bounded work whatever the input: long articles are read in windows of bounded size, quotation
marks cost the same each however many there are, and one article's failure is its own.

The sizes here are small (the window lowered to a few hundred characters); bench/nasty.py runs
the real sizes (a 5 MB article, 20,000 quotation marks) and measures time and memory.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.language import Language
from spacy.tokens import Doc

import claimledger.pipeline
from claimledger import windows
from claimledger.attribute import attribute_doc
from claimledger.attribute.draft import Draft
from claimledger.attribute.quotes import Quote
from claimledger.ingest import read_text
from claimledger.model import Article, InputFailure, Statement
from claimledger.pipeline import analyze_articles

PARAGRAPH = (
    "Mayor Ana Lopez said on Friday that the bridge will reopen in March. "
    "“We are ready for 3,000 cars a day,” said Tom Berg, the city engineer."
)


@pytest.fixture
def parsed_lengths(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """The length of every text the pipeline hands to spaCy."""
    lengths: list[int] = []
    make = claimledger.pipeline.with_text

    def recording(nlp: Language, text: str) -> Doc:
        lengths.append(len(text))
        return make(nlp, text)

    monkeypatch.setattr(claimledger.pipeline, "with_text", recording)
    yield lengths


def _analyzed(article: Article) -> Article:
    (result,) = analyze_articles([article])
    assert isinstance(result, Article), result
    return result


def _spans_point_into(article: Article) -> None:
    text = article.text
    for s in article.statements:
        assert text[s.content.start : s.content.end] == s.content.text
        for start, end in s.content.pieces:
            assert s.content.start <= start < end <= s.content.end
        for span in (s.cue, s.source):
            if span is not None:
                assert text[span.start : span.end] == span.text
    for t in article.time_expressions:
        assert text[t.start : t.end] == t.text
    for q in article.quantities:
        assert text[q.start : q.end] == q.text


def _shifted(statements: tuple[Statement, ...], offset: int) -> list[tuple[object, ...]]:
    return [
        (
            s.kind,
            s.speaker.name if s.speaker else None,
            s.cue and (s.cue.start + offset, s.cue.text),
            (s.content.start + offset, s.content.end + offset, s.content.text),
            s.factuality,
            s.said_on,
        )
        for s in statements
    ]


# --- windows -------------------------------------------------------------------------------


def test_windows_end_at_paragraph_breaks_when_there_are_some() -> None:
    text = "First paragraph here.\n\nSecond one, a bit longer.\n\nThird."
    spans = windows.window_spans(text, size=30)
    assert [text[a:b] for a, b in spans] == [
        "First paragraph here.\n\n",
        "Second one, a bit longer.\n\n",
        "Third.",
    ]


def test_a_single_line_is_cut_after_sentence_ends_then_at_spaces() -> None:
    sentences = "Lopez said it works. Berg said it does not. " * 3
    assert [sentences[a:b] for a, b in windows.window_spans(sentences, size=50)] == [
        "Lopez said it works. Berg said it does not. ",
        "Lopez said it works. Berg said it does not. ",
        "Lopez said it works. Berg said it does not. ",
    ]
    said = "said " * 30
    pieces = [said[a:b] for a, b in windows.window_spans(said, size=42)]
    assert "".join(pieces) == said
    assert all(p.endswith(" ") and set(p.split(" ")) == {"said", ""} for p in pieces)


def test_dense_text_makes_shorter_windows() -> None:
    # "a, a, a, …" has a token every 1.5 characters, four times as many as prose: the windows
    # are bounded by tokens too, since the parse's memory follows them.
    dense = "a, " * 3000
    spans = windows.window_spans(dense, size=100_000, tokens=1000)
    assert len(spans) >= 6
    assert all(windows.count_tokens(dense, a, b) <= 1000 for a, b in spans)
    assert "".join(dense[a:b] for a, b in spans) == dense


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab .\n”", max_size=400), st.integers(min_value=4, max_value=60))
def test_windows_cover_the_text_exactly_and_never_cut_a_word(text: str, size: int) -> None:
    spans = windows.window_spans(text, size=size)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(end == nxt for (_, end), (nxt, _) in itertools.pairwise(spans))
    for start, end in spans:
        assert 0 < end - start <= size or text == ""
        if end < len(text) and not text[end - 1].isspace():
            # cut inside a word only when the window's whole second half is that one word
            assert not any(c.isspace() for c in text[start + size // 2 : end])


def test_a_long_article_is_parsed_in_windows_with_the_statements_of_each_paragraph(
    monkeypatch: pytest.MonkeyPatch, parsed_lengths: list[int]
) -> None:
    block = PARAGRAPH + "\n\n"
    monkeypatch.setattr(windows, "WINDOW_CHARS", len(block) + 10)
    alone = _analyzed(read_text(block, path="one.txt", published="2024-12-10"))
    assert len(alone.statements) == 2
    parsed_lengths.clear()

    article = _analyzed(read_text(block * 5, path="long.txt", published="2024-12-10"))

    assert len(parsed_lengths) == 5 and max(parsed_lengths) <= windows.WINDOW_CHARS
    expected = [s for n in range(5) for s in _shifted(alone.statements, n * len(block))]
    assert _shifted(article.statements, 0) == expected
    assert [s.id for s in article.statements] == [f"s{n}" for n in range(1, 11)]
    assert [t.id for t in article.time_expressions] == [
        f"t{n}" for n in range(1, len(article.time_expressions) + 1)
    ]
    assert len(article.time_expressions) == 5 * len(alone.time_expressions)
    known = {t.id for t in article.time_expressions} | {q.id for q in article.quantities}
    assert all(set(s.times) | set(s.quantities) <= known for s in article.statements)
    _spans_point_into(article)
    assert any("read in 5 windows" in n for n in article.notices)


def test_statements_across_a_window_boundary_point_into_the_article(
    monkeypatch: pytest.MonkeyPatch, parsed_lengths: list[int]
) -> None:
    # One line, no paragraph break: the windows end after sentences.
    text = " ".join(f"Officer {n} said the road {n} is closed." for n in range(40))
    monkeypatch.setattr(windows, "WINDOW_CHARS", 300)

    article = _analyzed(read_text(text, path="line.txt"))

    assert len(parsed_lengths) > 1 and max(parsed_lengths) <= 300
    assert [s.content.text for s in article.statements] == [
        f"the road {n} is closed" for n in range(40)
    ]
    _spans_point_into(article)


def test_one_huge_line_without_sentences_is_cut_and_read(
    monkeypatch: pytest.MonkeyPatch, parsed_lengths: list[int]
) -> None:
    monkeypatch.setattr(windows, "WINDOW_CHARS", 500)
    article = _analyzed(read_text("said " * 1000, path="said.txt"))
    assert len(parsed_lengths) >= 10 and max(parsed_lengths) <= 500
    _spans_point_into(article)


# --- failure isolation ---------------------------------------------------------------------


def _three(middle: str) -> list[Article | InputFailure]:
    return [
        read_text("Lopez said the bridge will reopen.", path="a.txt"),
        read_text(middle, path="bad.txt"),
        read_text("Berg said the road is closed.", path="c.txt"),
    ]


def test_a_stage_failing_on_one_article_fails_that_article_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def fragile(doc: Doc, article: Article) -> Article:
        if "boom" in article.text:
            raise RecursionError("maximum recursion depth exceeded")
        return article

    monkeypatch.setattr(claimledger.pipeline, "STAGES", (*claimledger.pipeline.STAGES, fragile))
    first, bad, last = analyze_articles(_three("Smith said boom."))

    assert isinstance(first, Article) and isinstance(last, Article)
    assert first.statements[0].content.text == "the bridge will reopen"
    assert last.statements[0].content.text == "the road is closed"
    assert isinstance(bad, InputFailure)
    assert bad.source == "bad.txt"
    assert bad.reason == (
        "analysis failed (RecursionError: maximum recursion depth exceeded); "
        "please report it with the file"
    )


def test_a_parse_failing_inside_the_batch_fails_that_article_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import claimledger.attribute.component as component

    real = component.attribute_doc

    def fragile(doc: Doc, *args: object, **kwargs: object) -> list[Statement]:
        if "boom" in doc.text:
            raise IndexError("list index out of range")
        return real(doc, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(component, "attribute_doc", fragile)
    first, bad, last = analyze_articles(_three("Smith said boom."))

    assert isinstance(first, Article) and len(first.statements) == 1
    assert isinstance(last, Article) and len(last.statements) == 1
    assert isinstance(bad, InputFailure) and bad.source == "bad.txt"
    assert "IndexError: list index out of range" in bad.reason


# --- quotation marks -----------------------------------------------------------------------


def _quote_heavy(items: int) -> str:
    """``items`` pairs of a curly quote with its cue and a straight scare quote: 4 marks each."""
    return " ".join(
        f"“We will build {n} new bridges,” she said. He called it \"a plan for {n}\" and left."
        for n in range(items)
    )


@pytest.fixture(scope="module")
def quote_heavy(nlp: Language) -> dict[int, Doc]:
    """Parsed quote-heavy texts by their number of items: 125 (500 marks) and 500 (2,000)."""
    return {items: nlp(_quote_heavy(items)) for items in (125, 500)}


def test_two_thousand_quotation_marks_are_all_read(quote_heavy: dict[int, Doc]) -> None:
    statements = attribute_doc(quote_heavy[500])
    quoted = [s for s in statements if s.by == "pattern:quote-cue"]
    assert [s.content.text for s in quoted] == [
        f"We will build {n} new bridges," for n in range(500)
    ]
    assert all(s.cue is not None and s.cue.text == "said" for s in quoted)


def test_the_work_per_quotation_mark_does_not_grow_with_their_number(
    quote_heavy: dict[int, Doc], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Counted, not timed: how often a draft or a quote is compared with another. Comparing every
    # pair made 2,000 marks take seconds and 20,000 minutes.
    looks = [0]
    overlaps, outer_start = Draft.overlaps, Quote.outer_start

    def counted_overlaps(self: Draft, start: int, end: int) -> bool:
        looks[0] += 1
        return overlaps(self, start, end)

    def counted_outer_start(self: Quote) -> int:
        looks[0] += 1
        return outer_start.fget(self)  # type: ignore[attr-defined,no-any-return]

    monkeypatch.setattr(Draft, "overlaps", counted_overlaps)
    monkeypatch.setattr(Quote, "outer_start", property(counted_outer_start))
    counts = []
    for items in (125, 500):
        looks[0] = 0
        attribute_doc(quote_heavy[items])
        counts.append(looks[0])
    assert counts[1] < 6 * counts[0]  # four times the marks: about four times the looks
