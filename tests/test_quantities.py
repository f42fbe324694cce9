"""Quantities, as a specification: a sentence in, the quantities a reader finds out.

Conventions the expectations follow (the ``quantities*.tsv`` headers give the reasons):
- a span covers qualifier, number and unit, with the words between number and noun
  ("over 11,000 North Korean soldiers");
- the unit is the counted noun as written, an ISO 4217 code for money, "percent", or a measure;
- "dozens", "hundreds", "tens of thousands" are their smallest plausible value, at_least;
- "nearly"/"almost" are at_most; a range is its lower bound, at_least;
- fractions ("a third of") are percentages;
- names, ordinals, model numbers, years, dates, times, durations, ages and phone numbers are
  not quantities.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.language import Language

from claimledger.ingest import read_text
from claimledger.model import Article, Quantity, Span
from claimledger.normalize.quantities import attach_quantities, find_quantities
from claimledger.pipeline import analyze_articles

KURSK = Path(__file__).parent / "fixtures" / "attribution" / "kursk.txt"

Found = tuple[str, int | float, str, str | None]  # text, value, qualifier, unit


def quantities(nlp: Language, text: str) -> list[Found]:
    return [(q.text, q.value, q.qualifier, q.unit) for q in find_quantities(nlp(text))]


def case(text: str, *expected: Found, id: str) -> object:
    return pytest.param(text, list(expected), id=id)


COUNTS = [
    case(
        "Barhylevych reported that over 11,000 North Korean soldiers were deployed to Kursk.",
        ("over 11,000 North Korean soldiers", 11000, "more_than", "soldiers"),
        id="over",
    ),
    case(
        "Officials counted about 2,000 casualties.",
        ("about 2,000 casualties", 2000, "about", "casualties"),
        id="about",
    ),
    case(
        "Some 3,500 troops crossed the border.",
        ("Some 3,500 troops", 3500, "about", "troops"),
        id="some",
    ),
    case(
        "An estimated 600 people were killed.",
        ("An estimated 600 people", 600, "about", "people"),
        id="an-estimated",
    ),
    case(
        "At least 40 civilians died.",
        ("At least 40 civilians", 40, "at_least", "civilians"),
        id="at-least",
    ),
    case(
        "The brigade has up to 5,000 men.",
        ("up to 5,000 men", 5000, "at_most", "men"),
        id="up-to",
    ),
    case(
        "Fewer than 300 soldiers remain.",
        ("Fewer than 300 soldiers", 300, "at_most", "soldiers"),
        id="fewer-than",
    ),
    case(
        "Nearly 1,000 drones were launched.",
        ("Nearly 1,000 drones", 1000, "at_most", "drones"),
        id="nearly",
    ),
    case(
        "Russia fired 84 missiles overnight.",
        ("84 missiles", 84, "exactly", "missiles"),
        id="exactly",
    ),
    case(
        "The army sent 2,000 or more troops.",
        ("2,000 or more troops", 2000, "at_least", "troops"),
        id="or-more",
    ),
    case(
        "A 10,000-plus force and 500 or so vehicles.",
        ("10,000-plus force", 10000, "at_least", "force"),
        ("500 or so vehicles", 500, "about", "vehicles"),
        id="plus-or-so",
    ),
    case(
        "Between 2,000 and 3,000 troops, and 40-50 tanks.",
        ("Between 2,000 and 3,000 troops", 2000, "at_least", "troops"),
        ("40-50 tanks", 40, "at_least", "tanks"),
        id="ranges",
    ),
    case(
        "A 10,000-strong force wrote a 300-page report.",
        ("10,000-strong force", 10000, "exactly", "force"),
        ("300-page", 300, "exactly", "page"),
        id="hyphenated-modifiers",
    ),
    case(
        "The US gave Ukraine 100 tanks.", ("100 tanks", 100, "exactly", "tanks"), id="after-a-name"
    ),
]

VAGUE = [
    case(
        "Dozens of wounded arrived.", ("Dozens of wounded", 24, "at_least", "wounded"), id="dozens"
    ),
    case(
        "Hundreds of people fled.",
        ("Hundreds of people", 200, "at_least", "people"),
        id="hundreds",
    ),
    case(
        "Tens of thousands of refugees crossed.",
        ("Tens of thousands of refugees", 20000, "at_least", "refugees"),
        id="tens-of-thousands",
    ),
    case("Thousands were evacuated.", ("Thousands", 2000, "at_least", None), id="bare-thousands"),
    case("He saw a dozen tanks.", ("a dozen tanks", 12, "exactly", "tanks"), id="a-dozen"),
    case("He saw two dozen tanks.", ("two dozen tanks", 24, "exactly", "tanks"), id="two-dozen"),
]

WRITTEN = [
    case("Twenty-five homes burned.", ("Twenty-five homes", 25, "exactly", "homes"), id="hyphen"),
    case(
        "They captured two hundred and fifty prisoners.",
        ("two hundred and fifty prisoners", 250, "exactly", "prisoners"),
        id="hundred-and",
    ),
    case("Three soldiers were hurt.", ("Three soldiers", 3, "exactly", "soldiers"), id="three"),
    case(
        "Half a million people lost power.",
        ("Half a million people", 500000, "exactly", "people"),
        id="half-a-million",
    ),
]

SCALES = [
    case(
        "The city has 1.5 million residents.",
        ("1.5 million residents", 1500000, "exactly", "residents"),
        id="million",
    ),
    case(
        "Exports fell by 2 billion tonnes.",
        ("2 billion tonnes", 2000000000, "exactly", "tonnes"),
        id="billion-measure",
    ),
]

MONEY = [
    case("The company lost $2.3bn.", ("$2.3bn", 2300000000, "exactly", "USD"), id="dollar-bn"),
    case(
        "Aid worth more than $5 billion was sent.",
        ("more than $5 billion", 5000000000, "more_than", "USD"),
        id="dollar-billion",
    ),
    case("It cost €500m.", ("€500m", 500000000, "exactly", "EUR"), id="euro-m"),
    case("It cost £1.2bn.", ("£1.2bn", 1200000000, "exactly", "GBP"), id="pound-bn"),
    case(
        "Sales reached 1.5 million euros.",
        ("1.5 million euros", 1500000, "exactly", "EUR"),
        id="euros-word",
    ),
    case("A fee of USD 40,000.", ("USD 40,000", 40000, "exactly", "USD"), id="code-before"),
    case("A fee of 40,000 USD.", ("40,000 USD", 40000, "exactly", "USD"), id="code-after"),
    case("It paid US$5 million.", ("US$5 million", 5000000, "exactly", "USD"), id="us-dollar"),
    case("It paid HK$3.5 billion.", ("HK$3.5 billion", 3500000000, "exactly", "HKD"), id="hkd"),
    case("Bread costs 1,000 rubles.", ("1,000 rubles", 1000, "exactly", "RUB"), id="rubles"),
    case("He earns 2,000 hryvnias.", ("2,000 hryvnias", 2000, "exactly", "UAH"), id="hryvnias"),
    case("Tickets cost ¥100.", ("¥100", 100, "exactly", "JPY"), id="yen"),
]

PERCENTAGES = [
    case("Turnout was 45%.", ("45%", 45, "exactly", "percent"), id="sign"),
    case("Prices rose 3.5 per cent.", ("3.5 per cent", 3.5, "exactly", "percent"), id="per-cent"),
    case(
        "Support fell almost 12 percent.",
        ("almost 12 percent", 12, "at_most", "percent"),
        id="word",
    ),
    case(
        "The lead is 4 percentage points.",
        ("4 percentage points", 4, "exactly", "percentage points"),
        id="points",
    ),
    case(
        "A third of the soldiers deserted.",
        ("A third of the soldiers", 33.33, "exactly", "percent"),
        id="a-third",
    ),
    case(
        "Two thirds of voters agreed.",
        ("Two thirds of voters", 66.67, "exactly", "percent"),
        id="two-thirds",
    ),
    case("Nearly half of them left.", ("Nearly half", 50, "at_most", "percent"), id="half"),
]

DISTANCES = [
    case(
        "Troops advanced 15 km toward the city.",
        ("15 km", 15, "exactly", "km"),
        id="km",
    ),
    case("The camp is 5km away.", ("5km", 5, "exactly", "km"), id="km-glued"),
    case(
        "The missile flew over 300 miles.",
        ("over 300 miles", 300, "more_than", "miles"),
        id="miles",
    ),
    case(
        "They dug a 2-kilometre trench.",
        ("2-kilometre", 2, "exactly", "km"),
        id="hyphenated",
    ),
]

EXCLUDED = [
    case("Soldiers of the 11th Airborne Brigade guard the base.", id="ordinal-name"),
    case("It wants MiG-29 and Su-27 fighter jets.", id="model-numbers"),
    case("It asked for F-16 jets against COVID-19.", id="model-numbers-2"),
    case("They invoked Article 5 of the treaty.", id="article"),
    case("Please see No. 5 on page 3.", id="labels"),
    case("The war began in 2022.", id="year"),
    case("The 2024 elections were close.", id="year-before-noun"),
    case("Fighting started on November 24 and on 5 December.", id="dates"),
    case("The briefing began at 5 p.m.", id="time"),
    case("A 45-year-old man was arrested.", id="age-hyphenated"),
    case("The man, aged 45, was arrested.", id="age-aged"),
    case("The siege lasted 20 days.", id="duration"),
    case("Call 555-123-4567 for details.", id="phone"),
    case("Kyiv won 3-1 and then drew 0-0.", id="scores"),
    case("They bought Boeing 737 jets and iPhone 15 handsets.", id="product-names"),
    case("One of them spoke to these two countries.", id="pronoun-and-reference"),
]


@pytest.mark.parametrize(("text", "expected"), COUNTS)
def test_counts_carry_their_qualifier(nlp: Language, text: str, expected: list[Found]) -> None:
    assert quantities(nlp, text) == expected


@pytest.mark.parametrize(("text", "expected"), VAGUE)
def test_vague_amounts_are_their_smallest_value(
    nlp: Language, text: str, expected: list[Found]
) -> None:
    assert quantities(nlp, text) == expected


@pytest.mark.parametrize(("text", "expected"), WRITTEN)
def test_written_numbers_are_read(nlp: Language, text: str, expected: list[Found]) -> None:
    assert quantities(nlp, text) == expected


@pytest.mark.parametrize(("text", "expected"), SCALES)
def test_millions_and_billions_multiply(nlp: Language, text: str, expected: list[Found]) -> None:
    assert quantities(nlp, text) == expected


@pytest.mark.parametrize(("text", "expected"), MONEY)
def test_money_has_a_currency_code(nlp: Language, text: str, expected: list[Found]) -> None:
    assert quantities(nlp, text) == expected


@pytest.mark.parametrize(("text", "expected"), PERCENTAGES)
def test_percentages_and_fractions(nlp: Language, text: str, expected: list[Found]) -> None:
    assert quantities(nlp, text) == expected


@pytest.mark.parametrize(("text", "expected"), DISTANCES)
def test_distances_have_their_unit(nlp: Language, text: str, expected: list[Found]) -> None:
    assert quantities(nlp, text) == expected


@pytest.mark.parametrize(("text", "expected"), EXCLUDED)
def test_names_dates_and_ages_are_not_quantities(
    nlp: Language, text: str, expected: list[Found]
) -> None:
    assert quantities(nlp, text) == expected


def test_quantities_are_numbered_in_text_order(nlp: Language) -> None:
    found = find_quantities(nlp("Russia lost 300 tanks and 40% of its jets."))
    assert [(q.id, q.text) for q in found] == [("q1", "300 tanks"), ("q2", "40%")]


def test_spans_point_into_the_text(nlp: Language) -> None:
    text = "Officials said about 2,000 casualties were reported."
    (quantity,) = find_quantities(nlp(text))
    assert text[quantity.start : quantity.end] == quantity.text == "about 2,000 casualties"


def analyzed(text: str) -> Article:
    (article,) = analyze_articles([read_text(text)])
    assert isinstance(article, Article)
    return article


def test_quantities_attach_to_the_statement_that_holds_them(nlp: Language) -> None:
    article = analyzed(
        "Officials said that 300 homes were destroyed. The mayor said the town was calm.\n"
        "About 2,000 people live there."
    )
    article = attach_quantities(nlp(article.text), article)
    assert [q.text for q in article.quantities] == ["300 homes", "About 2,000 people"]
    holding = {s.content.text.removeprefix("that "): s.quantities for s in article.statements}
    assert holding == {"300 homes were destroyed": ("q1",), "the town was calm": ()}


def test_quantities_in_page_furniture_are_left_out(nlp: Language) -> None:
    article = analyzed("Aid arrives\n1,234 views\nOfficials said that 300 homes were destroyed.")
    start = article.text.index("1,234 views")
    counter = Span(start, start + len("1,234 views"), "1,234 views")
    article = attach_quantities(nlp(article.text), replace(article, furniture=(counter,)))
    assert [(q.id, q.text) for q in article.quantities] == [("q1", "300 homes")]


def test_a_doc_of_another_text_is_refused(nlp: Language) -> None:
    with pytest.raises(ValueError, match="not of this article"):
        attach_quantities(nlp("Another text."), read_text("Officials said 3 died."))


def test_kursk_has_exactly_the_annotated_quantity(nlp: Language) -> None:
    article = analyzed(KURSK.read_text(encoding="utf-8"))
    article = attach_quantities(nlp(article.text), article)
    assert article.quantities == (
        Quantity(
            "q1",
            article.text.index("over 11,000"),
            article.text.index("over 11,000") + len("over 11,000 North Korean soldiers"),
            "over 11,000 North Korean soldiers",
            11000,
            "more_than",
            "soldiers",
        ),
    )
    holders = [s for s in article.statements if s.quantities == ("q1",)]
    assert [s.speaker.name if s.speaker else None for s in holders] == ["Anatoliy Barhylevych"]
    assert all(not s.quantities for s in article.statements if s not in holders)


@given(st.text(max_size=200))
@settings(max_examples=150, deadline=None)
def test_find_quantities_never_fails_and_spans_match(nlp: Language, text: str) -> None:
    for quantity in find_quantities(nlp(text)):
        assert 0 <= quantity.start < quantity.end <= len(text)
        assert text[quantity.start : quantity.end] == quantity.text


NUMBERISH = st.lists(
    st.sampled_from(
        [
            "over",
            "about",
            "11,000",
            "1.5",
            "million",
            "$",
            "€",
            "2.3bn",
            "twenty",
            "-",
            "five",
            "dozens",
            "of",
            "soldiers",
            "%",
            "per",
            "cent",
            "km",
            "a",
            "third",
            "half",
            "the",
            "and",
            "between",
            "to",
            "MiG-29",
            "Article",
            "5",
            "2024",
            "December",
            "or",
            "more",
            "+",
            "(",
            ")",
            "aged",
            "45-year-old",
            "555-123-4567",
            "hundreds",
            "thousands",
            ".",
        ]
    ),
    max_size=25,
).map(" ".join)


@given(NUMBERISH)
@settings(max_examples=150, deadline=None)
def test_number_like_text_never_fails(nlp: Language, text: str) -> None:
    for quantity in find_quantities(nlp(text)):
        assert text[quantity.start : quantity.end] == quantity.text
        assert quantity.qualifier in {"more_than", "about", "at_least", "at_most", "exactly"}
