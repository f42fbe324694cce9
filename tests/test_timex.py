"""Time expressions: a sentence in, the TIMEX3 values out (stage "normalize")."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.language import Language

from claimledger.ingest import read_text
from claimledger.model import Article
from claimledger.normalize import find_time_expressions, resolve_times
from claimledger.pipeline import analyze_articles

PUBLISHED = "2024-12-10"  # a Tuesday, ISO week 50

# The TIMEX3 value grammar (TimeML 1.2.1), for the values this stage can write.
_DATE = (
    r"(?:\d{4}|\d{3}X?|\d\dXX|\d\d|XXXX)"
    r"(?:-(?:\d\d|XX)(?:-(?:\d\d|XX))?|-W(?:\d\d|XX)(?:-(?:[1-7]|WE))?|-Q[1-4X]|-H[12]"
    r"|-(?:SP|SU|FA|WI))?"
    r"(?:T(?:\d\d:\d\d(?::\d\d)?|MO|AF|EV|NI))?"
)
_DURATION = (
    r"P(?:(?:\d+(?:\.\d+)?|X)(?:Y|M|W|D|Q|DE|CE)(?:\d+[MD])?(?:T\d+H)?"
    r"|T(?:\d+(?:\.\d+)?|X)(?:H|M|S)(?:\d+[MS])?)"
)
TIMEX3_VALUE = re.compile(rf"^(?:{_DATE}|{_DURATION}|PRESENT_REF|PAST_REF|FUTURE_REF)$")


def values(text: str, published: str | None = PUBLISHED) -> list[tuple[str, str | None]]:
    return [(t.text, t.value) for t in find_time_expressions(text, published)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # explicit dates
        ("It was signed on December 5, 2024.", [("December 5, 2024", "2024-12-05")]),
        ("It was signed on 5 December 2023.", [("5 December 2023", "2023-12-05")]),
        ("Filed 2024-11-30 in Kyiv.", [("2024-11-30", "2024-11-30")]),
        ("Posted 11/02/89 at dawn.", [("11/02/89", "1989-11-02")]),
        ("Fighting began on November 24.", [("November 24", "2024-11-24")]),
        ("It ended Monday, Dec. 9, 2024.", [("Monday, Dec. 9, 2024", "2024-12-09")]),
        # weekdays: the latest one in the past tense, the anchor's own weekday is the anchor
        ("He spoke on Saturday.", [("Saturday", "2024-12-07")]),
        ("He spoke Tuesday.", [("Tuesday", "2024-12-10")]),
        ("They met last Friday.", [("last Friday", "2024-12-06")]),
        ("They meet next Monday.", [("next Monday", "2024-12-16")]),
        # months, seasons and years
        ("Troops arrived in October.", [("October", "2024-10")]),
        ("It happened in May 2023.", [("May 2023", "2023-05")]),
        ("Prices rose last summer.", [("last summer", "2024-SU")]),
        ("Talks resume in the spring of 2025.", [("spring of 2025", "2025-SP")]),
        ("The war began in 2022.", [("2022", "2022")]),
        ("Inflation peaked in the 1970s.", [("the 1970s", "197")]),
        ("Rents doubled in the nineties.", [("the nineties", "199")]),
        ("It was built in the 11th century.", [("the 11th century", "10")]),
        ("In nineteen ninety-six it failed.", [("nineteen ninety-six", "1996")]),
        ("By the year two thousand, jobs.", [("the year two thousand", "2000")]),
        ("Sales for the year rose.", [("the year", "2024")]),
        (
            "In the year ended March 31, sales rose.",
            [("the year", "P1Y"), ("March 31", "2024-03-31")],
        ),
        ("It closes by the end of the year.", [("the end of the year", "2024")]),
        ("It closes by year end.", [("year end", "2024")]),
        # holidays, fixed and counted from a weekday or Easter
        ("He was found on Thanksgiving Day.", [("Thanksgiving Day", "2024-11-28")]),
        ("He left last Easter.", [("last Easter", "2024-03-31")]),
        ("Voters turn out on Election Day 2020.", [("Election Day 2020", "2020-11-03")]),
        ("Profit rose in the third quarter.", [("the third quarter", "2024-Q3")]),
        ("Sales fell in the first half of 2023.", [("the first half of 2023", "2023-H1")]),
        # relative expressions
        ("It happened yesterday.", [("yesterday", "2024-12-09")]),
        ("It will happen tomorrow.", [("tomorrow", "2024-12-11")]),
        ("It happened last week.", [("last week", "2024-W49")]),
        ("It is due next week.", [("next week", "2024-W51")]),
        ("They have fought since last month.", [("last month", "2024-11")]),
        ("Sales fell earlier this year.", [("earlier this year", "2024")]),
        ("It left two days ago.", [("two days ago", "2024-12-08")]),
        ("It left three months ago.", [("three months ago", "2024-09")]),
        ("He is now in Kursk.", [("now", "PRESENT_REF")]),
        ("She recently left.", [("recently", "PAST_REF")]),
        ("Sales slowed in recent months.", [("recent months", "PXM")]),
        ("They had fought for years.", [("years", "PXY")]),
        ("Troops arrive within weeks.", [("weeks", "PXW")]),
        ("Prices fell over the past year.", [("past year", "2023")]),
        ("It will recover in the near future.", [("the near future", "FUTURE_REF")]),
        ("Reports come daily.", [("daily", "P1D")]),
        ("Rates rose late last year.", [("late last year", "2023")]),
        ("The report landed July last year.", [("July last year", "2023-07")]),
        # durations
        ("The siege lasted 3 days.", [("3 days", "P3D")]),
        ("It took two hours.", [("two hours", "PT2H")]),
        ("a five-year plan", [("five-year", "P5Y")]),
        ("The talks lasted several years.", [("several years", "PXY")]),
        ("in the last twenty-four hours", [("the last twenty-four hours", "PT24H")]),
        ("They lived there for 2 1/2 years.", [("2 1/2 years", "P2Y6M")]),
        ("Jobless rates hit a low for two decades.", [("two decades", "P20Y")]),
        ("A minute and a half later it fell.", [("A minute and a half", "PT1M30S")]),
        ("Mr. Smith, 52 years old, retired.", []),
        ("Iraq imports three-quarters of its food.", []),
        # clock times
        ("The blast came at 3:30 p.m. Tuesday.", [("3:30 p.m. Tuesday", "2024-12-10T15:30")]),
    ],
)
def test_expression_types_are_recognised_and_normalised(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert values(text) == expected


def test_offsets_are_exact_and_leading_prepositions_stay_out() -> None:
    text = "Singh spoke during a press briefing on Monday."
    (t,) = find_time_expressions(text, PUBLISHED)
    assert text[t.start : t.end] == t.text == "Monday"
    assert (t.id, t.anchor, t.type) == ("t1", "published", "DATE")


def test_the_past_n_units_is_a_duration_with_its_interval() -> None:
    (t,) = find_time_expressions("Prices doubled in the past two months.", PUBLISHED)
    assert (t.value, t.type, t.begin, t.end_value) == ("P2M", "DURATION", "2024-10-10", PUBLISHED)


def test_a_year_earlier_counts_from_the_quarter_just_mentioned() -> None:
    text = "Profit rose in the third quarter from a year earlier."
    assert values(text, "1989-10-26") == [
        ("the third quarter", "1989-Q3"),
        ("a year earlier", "1988-Q3"),
    ]


def test_words_that_only_look_like_dates_are_left_alone() -> None:
    assert values("They may march on, and prices may fall; 1,500 troops and $2024 spent.") == []
    assert values("Ministers of Hungary and Jan Kavan signed.") == []


def test_a_signal_word_fixes_the_direction_whatever_the_tense() -> None:
    # "payable Dec. 7" in a past-tense sentence written in October is a coming December.
    text = "The board declared a dividend, payable Dec. 7 and effective Jan. 2."
    assert values(text, "1989-10-27") == [("Dec. 7", "1989-12-07"), ("Jan. 2", "1990-01-02")]
    assert values("It has fought since March.", "1989-10-27") == [("March", "1989-03")]


def test_without_a_date_named_days_keep_partial_values_and_relative_ones_none() -> None:
    assert values("On November 24 and on Monday, and in October, but last week", None) == [
        ("November 24", "XXXX-11-24"),
        ("Monday", "XXXX-WXX-1"),
        ("October", "XXXX-10"),
        ("last week", None),
    ]


# ---- the whole stage on parsed articles ------------------------------------------------------


def analyzed(nlp: Language, text: str, published: str | None = PUBLISHED) -> Article:
    # analyze_articles runs the whole pipeline, resolve_times included; running the stage once
    # more must change nothing.
    article = next(iter(analyze_articles([read_text(text, path="t.txt", published=published)])))
    assert isinstance(article, Article)
    assert resolve_times(nlp(article.text), article) == article
    return article


BRIEFING = (
    "Pentagon Deputy Spokesperson Sabrina Singh addressed reporters during a press briefing on "
    "Monday. Singh said that the troops had arrived last week. "
    "Admiral Samuel Paparo claimed at a conference on Saturday that the deal was done. "
    "He added that more troops would follow. "
    "Analysts said the war would last."
)


def test_relative_time_in_a_quote_is_anchored_on_the_speech_time(nlp: Language) -> None:
    # Published on Wednesday 2024-12-18 (W51): "last week" said on Monday 2024-12-16 is W50.
    article = analyzed(nlp, BRIEFING, "2024-12-18")
    by_text = {t.text: t for t in article.time_expressions}
    assert by_text["Monday"].value == "2024-12-16"
    assert (by_text["last week"].value, by_text["last week"].anchor) == ("2024-W50", "speech")
    assert by_text["Saturday"].value == "2024-12-14"


def test_said_on_comes_from_the_occasion_the_own_time_or_the_speaker_before(
    nlp: Language,
) -> None:
    article = analyzed(nlp, BRIEFING)
    said = {
        s.speaker.name if s.speaker else "": (s.said_on, s.said_on_source)
        for s in article.statements
    }
    t = {e.text: e.id for e in article.time_expressions}
    assert said["Sabrina Singh"] == ("2024-12-09", f"event:{t['Monday']}")
    paparo = [s for s in article.statements if s.speaker and s.speaker.name == "Samuel Paparo"]
    assert (paparo[0].said_on, paparo[0].said_on_source) == ("2024-12-07", f"time:{t['Saturday']}")
    assert paparo[1].said_on == "2024-12-07"
    assert paparo[1].said_on_source in (f"inherited:{paparo[0].id}", f"event:{t['Saturday']}")
    analysts = [s for s in article.statements if s.said_on is None]
    assert analysts and all(s.said_on_source is None for s in analysts)


def test_times_inside_the_content_are_what_the_claim_is_about(nlp: Language) -> None:
    article = analyzed(nlp, "Officials said the troops arrived on November 24.")
    (statement,) = article.statements
    (t,) = article.time_expressions
    assert statement.times == (t.id,) and statement.said_on is None


def test_without_a_date_one_notice_and_no_guessed_year(nlp: Language) -> None:
    article = analyzed(nlp, BRIEFING, None)
    assert article.published is None
    assert len(article.notices) == 1 and "--published" in article.notices[0]
    assert all(t.value is None or t.value.startswith("XXXX") for t in article.time_expressions)


def test_a_dateline_gives_the_publication_date_and_says_it_was_inferred(nlp: Language) -> None:
    article = analyzed(nlp, "KYIV, Dec. 10, 2024 - Officials said the attack came Saturday.", None)
    assert (article.published, article.published_source) == ("2024-12-10", "inferred")
    assert any("inferred" in n for n in article.notices)
    assert [t.value for t in article.time_expressions] == ["2024-12-10", "2024-12-07"]


def test_the_latest_date_and_later_weekdays_pin_the_publication_date(nlp: Language) -> None:
    text = (
        "The ministry cited a report from December 5, 2024, on troop movements. "
        "Officials said on Monday that talks had stalled."
    )
    article = analyzed(nlp, text, None)
    assert (article.published, article.published_source) == ("2024-12-09", "inferred")


# ---- property: whatever the text and anchor, every value is a TIMEX3 value -------------------

_PIECES = st.sampled_from(
    [
        "on",
        "in",
        "last",
        "next",
        "this",
        "the",
        "early",
        "late",
        "mid-",
        "two",
        "twenty-four",
        "a",
        "several",
        "days",
        "weeks",
        "month",
        "quarter",
        "third",
        "year",
        "ago",
        "earlier",
        "Monday",
        "Friday",
        "December",
        "Feb.",
        "May",
        "5",
        "31",
        "29",
        "2024",
        "1999",
        "1990s",
        "'80s",
        "summer",
        "fall",
        "now",
        "recently",
        "daily",
        "3:30",
        "p.m.",
        "tomorrow",
        "hours",
        "fiscal",
        "half",
        "first",
        "weekend",
        "year-earlier",
        "year-end",
        "/",
        "-",
        ",",
        "12/31/99",
        "2024-02-30",
        "noon",
        "Christmas",
        "from",
        "now",
        "later",
        "decade",
        "century",
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    words=st.lists(_PIECES, min_size=1, max_size=8),
    anchor=st.one_of(st.none(), st.dates(min_value=date(1601, 1, 1), max_value=date(2098, 12, 31))),
)
def test_normalisation_never_returns_an_invalid_value(
    words: list[str], anchor: date | None
) -> None:
    text = " ".join(words)
    for t in find_time_expressions(text, anchor.isoformat() if anchor else None):
        assert text[t.start : t.end] == t.text
        assert t.value is None or TIMEX3_VALUE.match(t.value), (text, t)
        for bound in (t.begin, t.end_value):
            assert bound is None or TIMEX3_VALUE.match(bound)


@pytest.mark.parametrize(
    "text",
    [
        "a dividend of $1.76 a year",
        "700 seats a week on the route",
        "it added 358,000 jobs a month",
    ],
)
def test_the_unit_of_a_rate_is_not_a_time_expression(text: str) -> None:
    assert find_time_expressions(text, "1998-01-01") == ()


def test_a_bare_duration_is_still_one() -> None:
    [timex] = find_time_expressions("The talks lasted a week.", "1998-01-01")
    assert (timex.text, timex.value) == ("a week", "P1W")


def test_a_shift_beyond_what_timeml_can_write_has_no_value() -> None:
    # Years before 0000 or after 9999 (and days past the calendar's end) cannot be a value.
    for text in ("31 centuries ago", "12000 years from now", "4000000 days ago"):
        [t] = find_time_expressions(text, "2000-01-01")
        assert t.value is None, text
    [t] = find_time_expressions("a decade ago", "2000-01-01")
    assert t.value == "199"
