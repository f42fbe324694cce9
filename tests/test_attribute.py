"""The attribute stage, as a specification: a sentence in, the statement a reader finds out.

Conventions the expectations follow (docs/format.md):
- a direct quote's content is exactly what stands between its marks (a closing comma included);
- an indirect content is the reported clause without its complementiser ("said that X" -> "X");
- a named speaker is given by the fullest form of the name in the article, with no title;
- an unnamed or common-noun source keeps its words, lower-cased, without the article
  ("Local officials" -> "local officials", "The embassy" -> "embassy");
- an organisation's name loses its article ("The Pentagon" -> "Pentagon").

Cases the rules still get wrong are marked ``xfail(strict=True)`` with the right expectation:
when the rule is fixed the mark must go.
"""

from __future__ import annotations

from typing import NamedTuple
from unittest.mock import ANY

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.language import Language

from claimledger.attribute import attribute_doc
from claimledger.model import Statement


class Said(NamedTuple):
    speaker: str | None
    cue: str | None
    content: str
    kind: str


def attribute(nlp: Language, text: str) -> list[Statement]:
    return attribute_doc(nlp(text))


def said(statement: Statement) -> Said:
    return Said(
        statement.speaker.name if statement.speaker else None,
        statement.cue.text if statement.cue else None,
        statement.content.text,
        statement.kind,
    )


def pieces(text: str, statement: Statement) -> list[str]:
    """The content as the reader sees it: each piece of a discontinuous content, or the whole."""
    spans = statement.content.pieces or ((statement.content.start, statement.content.end),)
    return [text[start:end] for start, end in spans]


def statement_saying(text: str, statements: list[Statement], words: str) -> Statement:
    """The statement whose content (one of its pieces) contains ``words``."""
    found = [s for s in statements if any(words in piece for piece in pieces(text, s))]
    assert found, f"no statement says {words!r}; found {[said(s) for s in statements]}"
    return found[0]


def xfail(reason: str) -> pytest.MarkDecorator:
    return pytest.mark.xfail(reason=reason, strict=True)


# -- one sentence, one statement ----------------------------------------------------------------

ONE_STATEMENT = [
    # Direct quotes, cue after the quote.
    pytest.param(
        "“The bridge will reopen in March,” Smith said.",
        Said("Smith", "said", "The bridge will reopen in March,", "direct"),
        id="quote-then-name-said",
    ),
    pytest.param(
        "“The bridge will reopen in March,” said Karen Holt.",
        Said("Karen Holt", "said", "The bridge will reopen in March,", "direct"),
        id="quote-then-said-name",
    ),
    # Direct quotes, cue before the quote.
    pytest.param(
        "The mayor told reporters, “We did everything we could to finish on time.”",
        Said("mayor", "told", "We did everything we could to finish on time.", "direct"),
        id="cue-comma-quote",
    ),
    pytest.param(
        "After the vote, Maria Lopez replied: “We did everything we could.”",
        Said("Maria Lopez", "replied", "We did everything we could.", "direct"),
        id="cue-colon-quote",
    ),
    # Marks missing or of another kind.
    pytest.param(
        "Jones stated, We will not raise the water rates today.”",
        Said("Jones", "stated", "We will not raise the water rates today.", "direct"),
        id="opening-mark-missing",
    ),
    pytest.param(
        "Gomez said: “The budget is balanced and the reserves are full\n"
        "The council will vote on the budget on Friday.",
        Said("Gomez", "said", "The budget is balanced and the reserves are full", "direct"),
        id="closing-mark-missing-runs-to-paragraph-end",
    ),
    pytest.param(
        '"The harbour is closed until further notice," said Karen Holt.',
        Said("Karen Holt", "said", "The harbour is closed until further notice,", "direct"),
        id="straight-marks",
    ),
    pytest.param(
        "«The talks are over», said Pierre Martin.",
        Said("Pierre Martin", "said", "The talks are over", "direct"),
        id="guillemets",
    ),
    # Reported speech.
    pytest.param(
        "Ferris said the water was safe to drink.",
        Said("Ferris", "said", "the water was safe to drink", "indirect"),
        id="said-clause",
    ),
    pytest.param(
        "Ferris said that the water was safe to drink.",
        # The complementiser belongs to the content, as PolNeAR's guidelines draw it.
        Said("Ferris", "said", "that the water was safe to drink", "indirect"),
        id="said-that-clause",
    ),
    pytest.param(
        "The water is safe to drink, Ferris said.",
        Said("Ferris", "said", "The water is safe to drink", "indirect"),
        id="clause-then-name-said",
    ),
    pytest.param(
        "The company claimed to have recovered most of the stolen data.",
        Said("company", "claimed", "to have recovered most of the stolen data", "indirect"),
        id="claimed-to",
    ),
    pytest.param(
        "The ministry has confirmed the deployment of two additional brigades.",
        Said("ministry", "has confirmed", "the deployment of two additional brigades", "indirect"),
        id="confirmed-object",
    ),
    pytest.param(
        "The embassy declined to comment on the arrest of the journalist.",
        Said("embassy", "declined to comment on", "the arrest of the journalist", "indirect"),
        id="declined-to-comment-on",
    ),
    pytest.param(
        "The White House refrained from commenting on the report.",
        Said("White House", "refrained from commenting on", "the report", "indirect"),
        id="refrained-from-commenting-on",
    ),
    pytest.param(
        "The ministry refrained from commenting on the ceasefire talks.",
        Said("ministry", "refrained from commenting on", "the ceasefire talks", "indirect"),
        id="refrained-from-commenting-on-compound",
    ),
    pytest.param(
        "The ministry has refrained from commenting on the ceasefire talks.",
        Said("ministry", "has refrained from commenting on", "the ceasefire talks", "indirect"),
        id="has-refrained-from-commenting-on-compound",
    ),
    pytest.param(
        "According to the Red Cross, more than 300 families have lost their homes.",
        Said(
            "Red Cross",
            "According to",
            "more than 300 families have lost their homes",
            "according_to",
        ),
        id="according-to-first",
    ),
    pytest.param(
        "More than 300 families have lost their homes, according to the Red Cross.",
        Said(
            "Red Cross",
            "according to",
            "More than 300 families have lost their homes",
            "according_to",
        ),
        id="according-to-last",
    ),
    pytest.param(
        "Chen said the plan was “a gift to landlords” and should be withdrawn.",
        Said("Chen", "said", "the plan was “a gift to landlords” and should be withdrawn", "mixed"),
        id="mixed-quoted-fragment",
    ),
]


@pytest.mark.parametrize(("sentence", "expected"), ONE_STATEMENT)
def test_sentence_gives_its_statement(nlp: Language, sentence: str, expected: Said) -> None:
    assert [said(s) for s in attribute(nlp, sentence)] == [expected]


# -- quotes in several pieces -------------------------------------------------------------------


def test_quote_interrupted_by_its_attribution_is_one_statement_in_two_pieces(
    nlp: Language,
) -> None:
    text = "“The strike is over,” said Tom Caddell, “and the drivers return on Monday.”"
    [statement] = attribute(nlp, text)
    assert statement.speaker is not None and statement.speaker.name == "Tom Caddell"
    assert statement.cue is not None and statement.cue.text == "said"
    assert statement.kind == "direct"
    assert pieces(text, statement) == ["The strike is over,", "and the drivers return on Monday."]


def test_quote_continued_in_the_next_paragraph_is_one_statement(nlp: Language) -> None:
    # The convention: a paragraph that goes on quoting leaves its quote open and the next
    # paragraph reopens it.
    text = (
        "Senator Maria Lopez said: “The new tram line will open in the spring.\n"
        "“It will carry forty thousand passengers a day.”"
    )
    [statement] = attribute(nlp, text)
    assert statement.speaker is not None and statement.speaker.name == "Maria Lopez"
    assert pieces(text, statement) == [
        "The new tram line will open in the spring.",
        "It will carry forty thousand passengers a day.",
    ]


def test_floating_quote_after_an_attributed_one_has_the_same_speaker(nlp: Language) -> None:
    text = (
        "“The water is safe to drink,” said Tom Ferris. "
        "“We have tested every reservoir in the county.”"
    )
    statements = attribute(nlp, text)
    first = statement_saying(text, statements, "The water is safe to drink")
    floating = statement_saying(text, statements, "We have tested every reservoir in the county.")
    assert first.speaker is not None and first.speaker.name == "Tom Ferris"
    assert floating.speaker == first.speaker
    assert {s.kind for s in statements} == {"direct"}


# -- who is speaking ----------------------------------------------------------------------------

LOPEZ_AND_CHEN = (
    "Senator Maria Lopez met the union leaders on Tuesday. "
    "Economist David Chen also attended the talks. "
)


def test_she_added_goes_to_the_last_woman_named(nlp: Language) -> None:
    text = (
        LOPEZ_AND_CHEN + "Lopez said the proposal was fair. Chen said it was too expensive. "
        "She added that the vote would take place next week."
    )
    statements = attribute(nlp, text)
    added = statement_saying(text, statements, "the vote would take place next week")
    assert added.source is not None and added.source.text == "She"
    assert added.cue is not None and added.cue.text == "added"
    assert added.speaker is not None and added.speaker.name == "Maria Lopez"


def test_he_added_goes_to_the_last_man_named(nlp: Language) -> None:
    text = (
        LOPEZ_AND_CHEN + "Chen said the proposal was too expensive. Lopez said it was fair. "
        "He added that the costs had been underestimated."
    )
    statements = attribute(nlp, text)
    added = statement_saying(text, statements, "the costs had been underestimated")
    assert added.speaker is not None and added.speaker.name == "David Chen"


def test_pronoun_before_a_quote_goes_to_the_person_named_before(nlp: Language) -> None:
    text = (
        "Senator Maria Lopez left the meeting early. "
        "Asked about the delay, she responded: “We did everything we could.”"
    )
    # PolNeAR also counts the question put to her ("Asked about the delay", no source); the
    # learned model may report it as a statement of its own.
    [statement] = [s for s in attribute(nlp, text) if s.kind == "direct"]
    assert said(statement) == Said(
        "Maria Lopez", "responded", "We did everything we could.", "direct"
    )


def test_surname_resolves_to_the_full_name_with_its_title(nlp: Language) -> None:
    text = LOPEZ_AND_CHEN + "Lopez said the proposal was fair."
    [statement] = attribute(nlp, text)
    assert statement.source is not None and statement.source.text == "Lopez"
    assert statement.speaker is not None
    assert statement.speaker.name == "Maria Lopez"
    assert statement.speaker.type == "person"
    assert statement.speaker.role == "Senator"


SPEAKERS = [
    # sentence, (name, type, role, organization)
    pytest.param(
        "Acme Corp Chief Financial Officer Jane Roe said revenue fell by ten percent.",
        ("Jane Roe", "person", "Chief Financial Officer", "Acme Corp"),
        id="organization-role-name",
    ),
    pytest.param(
        "Interior Ministry spokesman Peter Hale said the border would stay open.",
        ("Peter Hale", "person", "spokesman", "Interior Ministry"),
        id="organization-lowercase-role-name",
    ),
    pytest.param(
        "Mayor Ana Ruiz said the tram line would open in the spring.",
        ("Ana Ruiz", "person", "Mayor", None),
        id="title-name",
    ),
    pytest.param(
        "Ana Ruiz, the city's mayor, said the tram line would open in the spring.",
        ("Ana Ruiz", "person", "mayor", ANY),  # is "city" an organisation here? not asserted
        id="name-apposition",
    ),
    pytest.param(
        "Ruiz said the tram line would open in the spring.",
        ("Ruiz", "person", None, None),
        id="bare-surname",
        marks=xfail(
            "a lone surname the tagger misses, with no first name or title anywhere "
            "in the text, cannot be told from an organisation: typed unnamed"
        ),
    ),
    pytest.param(
        "Karen Holt said, “The tram line will open in the spring.”",
        ("Karen Holt", "person", None, None),
        id="first-and-last-name",
    ),
    pytest.param(
        "Local officials said the road would remain closed for a week.",
        ("local officials", "unnamed", None, None),
        id="unnamed-officials",
    ),
    pytest.param(
        "“We have no plans to close the plant,” a company spokesperson said.",
        ("company spokesperson", "unnamed", None, None),
        id="unnamed-spokesperson",
    ),
    pytest.param(
        "The Pentagon said the exercise would go ahead as planned.",
        ("Pentagon", "organization", None, None),
        id="organization",
    ),
]


@pytest.mark.parametrize(("sentence", "expected"), SPEAKERS)
def test_speaker_is_named_typed_and_titled(
    nlp: Language, sentence: str, expected: tuple[str, str, str | None, str | None]
) -> None:
    [statement] = attribute(nlp, sentence)
    sp = statement.speaker
    assert sp is not None
    assert (sp.name, sp.type, sp.role, sp.organization) == expected


def test_pronoun_after_a_titled_name_goes_to_that_person(nlp: Language) -> None:
    text = (
        "Mayor Ana Ruiz opened the new library. "
        "“Reading is the best investment a city can make,” she said."
    )
    [statement] = attribute(nlp, text)
    assert statement.speaker is not None
    assert statement.speaker.name == "Ana Ruiz"


# -- citation chains ----------------------------------------------------------------------------


def test_cited_report_speaks_for_its_owner_via_the_outlet(nlp: Language) -> None:
    text = (
        "The Herald cited a Health Ministry report, stating that hospital admissions rose "
        "sharply in January."
    )
    statements = attribute(nlp, text)
    statement = statement_saying(text, statements, "hospital admissions rose sharply in January")
    assert statement.speaker is not None and statement.speaker.name == "Health Ministry"
    assert statement.cue is not None and statement.cue.text == "stating"
    assert [v.name for v in statement.via] == ["Herald"]
    assert statement.via[0].cue is not None and statement.via[0].cue.text == "cited"


def test_cited_report_owner_keeps_its_of_phrase(nlp: Language) -> None:
    text = (
        "The Herald cited a Ministry of Health report, stating that hospital admissions rose "
        "sharply in January."
    )
    statements = attribute(nlp, text)
    statement = statement_saying(text, statements, "hospital admissions rose sharply in January")
    assert statement.speaker is not None and statement.speaker.name == "Ministry of Health"
    assert [v.name for v in statement.via] == ["Herald"]


def test_cited_report_owner_is_named_without_its_acronym(nlp: Language) -> None:
    text = (
        "Kyiv Independent cited a National Resistance Center (NRC) report on December 5, "
        "stating that the troops guard bases. The NRC assessment suggests that the troops "
        "free up Russian units."
    )
    statements = attribute(nlp, text)
    cited = statement_saying(text, statements, "the troops guard bases")
    assessed = statement_saying(text, statements, "the troops free up Russian units")
    assert cited.speaker is not None and cited.speaker.name == "National Resistance Center"
    assert [v.name for v in cited.via] == ["Kyiv Independent"]
    assert assessed.speaker == cited.speaker


def test_citing_a_report_is_not_itself_a_statement(nlp: Language) -> None:
    text = (
        "The Herald cited a Health Ministry report, stating that hospital admissions rose "
        "sharply in January."
    )
    statements = attribute(nlp, text)
    assert len(statements) == 1
    assert "hospital admissions rose sharply in January" in statements[0].content.text


def test_relay_keeps_its_whole_name(nlp: Language) -> None:
    text = (
        "The Morning Post cited a Health Ministry report, stating that fuel imports doubled "
        "last year."
    )
    [statement] = attribute(nlp, text)
    assert [v.name for v in statement.via] == ["Morning Post"]


# -- offsets and order --------------------------------------------------------------------------

PARAGRAPH = (
    "Senator Maria Lopez and economist David Chen debated the housing bill on Tuesday. "
    "“This bill will finally build homes,” Lopez said. "
    "Chen said the bill was “a gift to landlords” and should be withdrawn.\n"
    "According to the city council, the vote will take place in May. "
    "“The strike is over,” said Tom Caddell, “and the drivers return on Monday.” "
    "She added that she expected to win."
)


def spans_of(statement: Statement) -> list[tuple[int, int, str | None]]:
    """Every span of a statement, as (start, end, text) — text None for a content piece."""
    found = [(statement.content.start, statement.content.end, statement.content.text)]
    found += [(s.start, s.end, s.text) for s in (statement.source, statement.cue) if s]
    found += [(v.cue.start, v.cue.end, v.cue.text) for v in statement.via if v.cue]
    found += [(start, end, None) for start, end in statement.content.pieces]
    return found


def test_every_span_is_the_text_at_its_offsets(nlp: Language) -> None:
    statements = attribute(nlp, PARAGRAPH)
    assert len(statements) >= 4
    for statement in statements:
        for start, end, text in spans_of(statement):
            assert 0 <= start <= end <= len(PARAGRAPH)
            if text is not None:
                assert PARAGRAPH[start:end] == text
        for start, end in statement.content.pieces:
            assert statement.content.start <= start and end <= statement.content.end


def test_statements_come_in_text_order_with_numbered_ids(nlp: Language) -> None:
    statements = attribute(nlp, PARAGRAPH)
    starts = [s.content.start for s in statements]
    assert starts == sorted(starts)
    assert [s.id for s in statements] == [f"s{n}" for n in range(1, len(statements) + 1)]


def test_no_statement_comes_from_skipped_spans(nlp: Language) -> None:
    text = "Lopez said the proposal was fair.\nChen said the bill was too expensive."
    skipped = (text.index("Chen"), len(text))
    statements = attribute_doc(nlp(text), [skipped])
    assert [s.content.text for s in statements] == ["the proposal was fair"]


# -- never crash --------------------------------------------------------------------------------

# Words that make the rules fire, glued in any order with marks and line breaks.
# fmt: off
_WORDS = st.sampled_from([
    "said", "Smith", "Maria Lopez", "he", "she", "It", "according to", "the Pentagon",
    "stated,", "that", "claimed to", "declined to comment on", "cited a", "report", "stating",
    "added", "the troops", "are in Kursk", "(NRC)", "“", "”", '"', "«", "»", "„", "\n", "\n\n",
    ", ", ": ", ". ", "—",
])
# fmt: on
_TEXTS = st.one_of(
    st.text(max_size=200),
    st.text(alphabet=st.sampled_from(list("“”\"«»„\n ,.:;—-!?'’abcXY")), max_size=80),
    st.lists(st.one_of(_WORDS, st.text(max_size=4)), max_size=40).map(" ".join),
    st.lists(_WORDS, max_size=40).map("".join),
)


@settings(max_examples=60, deadline=None)
@given(text=_TEXTS)
def test_any_text_gives_statements_whose_spans_lie_inside_it(nlp: Language, text: str) -> None:
    for statement in attribute(nlp, text):
        for start, end, span_text in spans_of(statement):
            assert 0 <= start <= end <= len(text)
            if span_text is not None:
                assert text[start:end] == span_text


# -- more ways news attributes ------------------------------------------------------------------


def test_a_quote_signed_with_a_dash_and_a_name(nlp: Language) -> None:
    text = "“The new line will change how we get to work.” ― Carla Sanchez\n"
    [statement] = attribute(nlp, text)
    assert said(statement) == Said(
        "Carla Sanchez", "―", "The new line will change how we get to work.", "direct"
    )


def test_a_noun_can_be_the_cue(nlp: Language) -> None:
    text = "The mayor's claim that the tram will open in May surprised the council."
    statement = statement_saying(text, attribute(nlp, text), "the tram will open in May")
    assert statement.cue is not None and statement.cue.text == "claim"
    assert statement.speaker is not None and statement.speaker.name == "mayor"
    assert statement.by == "pattern:noun-cue"


def test_the_object_of_urge_belongs_to_the_content(nlp: Language) -> None:
    [statement] = attribute(nlp, "Olivia Grant urged both sides to return to the table.")
    assert said(statement) == Said(
        "Olivia Grant", "urged", "both sides to return to the table", "indirect"
    )


def test_declined_to_comment_on_a_question(nlp: Language) -> None:
    text = "The ministry declined to comment on whether the talks would resume."
    assert [said(s) for s in attribute(nlp, text)] == [
        Said("ministry", "declined to comment on", "whether the talks would resume", "indirect")
    ]


def test_a_second_cue_verb_starts_a_statement_of_its_own(nlp: Language) -> None:
    text = (
        "Samuel Achebe said he believed a deal was still possible, and told reporters: "
        "“Nobody wins from a long strike.”"
    )
    statements = attribute(nlp, text)
    first = statement_saying(text, statements, "a deal was still possible")
    assert "Nobody wins" not in first.content.text
    second = statement_saying(text, statements, "Nobody wins from a long strike.")
    assert second.cue is not None and second.cue.text == "told"
    assert second.speaker is not None and second.speaker.name == "Samuel Achebe"


def test_who_says_is_the_person_the_relative_clause_is_about(nlp: Language) -> None:
    text = "Ted Cruz endorsed Donald Trump, who said he was honored."
    statements = attribute(nlp, text)
    statement = statement_saying(text, statements, "he was honored")
    assert statement.source is not None and statement.source.text == "who"
    assert statement.speaker is not None and statement.speaker.name == "Donald Trump"
    endorsed = [s for s in statements if s.cue and s.cue.text == "endorsed"]
    assert all("honored" not in s.content.text for s in endorsed)


def test_seems_attributes_to_no_one_and_keeps_its_subject_in_the_content(nlp: Language) -> None:
    text = "The mayor seems to have changed her mind about the tram."
    statement = statement_saying(text, attribute_doc(nlp(text), learned=False), "changed her mind")
    assert statement.source is None and statement.speaker is None
    assert statement.cue is not None and statement.cue.text == "seems"
    assert [text[a:b] for a, b in statement.content.pieces] == [
        "The mayor",
        "to have changed her mind about the tram",
    ]


# -- content boundaries as PolNeAR draws them ---------------------------------------------------


def test_a_quote_finishing_the_writers_sentence_takes_the_sentence(nlp: Language) -> None:
    text = 'The answers to veteran suicides are "not meeting the demand," says Paul Rieckhoff.'
    [statement] = attribute(nlp, text)
    assert statement.content.text.startswith("The answers to veteran suicides are")
    assert statement.speaker is not None and statement.speaker.name == "Paul Rieckhoff"


def test_a_quote_after_its_attribution_continues_it_even_when_it_reports_speech(
    nlp: Language,
) -> None:
    text = (
        "“The 13th Amendment has a clause that is a criminality clause,” DuVernay said. "
        "“It says that everyone is free in this country. No one is a slave.”"
    )
    quoted = [s for s in attribute(nlp, text) if s.kind == "direct"]
    assert len(quoted) == 1
    pieces = [text[a:b] for a, b in quoted[0].content.pieces]
    assert pieces[0].startswith("The 13th Amendment") and pieces[-1].endswith("No one is a slave.")


def test_a_content_that_opens_a_quote_runs_to_its_end(nlp: Language) -> None:
    text = "Obama called the holiday “a celebration of the ways faith can transcend differences.”"
    [statement] = attribute(nlp, text)
    assert statement.content.text.endswith("faith can transcend differences.")


def test_an_aside_in_the_middle_of_the_content_stays_in_it(nlp: Language) -> None:
    text = "The program, which was created in 1990, has expanded beyond its intent, they say."
    [statement] = attribute(nlp, text)
    assert statement.content.text == (
        "The program, which was created in 1990, has expanded beyond its intent"
    )


def test_a_trailing_aside_is_still_cut(nlp: Language) -> None:
    text = "Lopez said the bridge will reopen in March, which surprised the council."
    [statement] = attribute(nlp, text)
    assert statement.content.text == "the bridge will reopen in March"


def test_horizontal_bar_dashes_do_not_break_the_parse(nlp: Language) -> None:
    # HuffPost writes U+2015; the small model used to tag it as a verb.
    text = "WASHINGTON ― Top black lawmakers said Friday that the attack was an insult."
    [statement] = attribute(nlp, text)
    assert statement.source is not None and statement.source.text == "Top black lawmakers"
    signed = "“Maybe we can build a wall around him.”―Maria Lopez, 34, Texas"
    [quote] = attribute(nlp, signed)
    assert quote.speaker is not None and quote.speaker.name == "Maria Lopez"


def test_a_quote_whose_second_half_the_parser_hangs_on_the_cue_is_still_one_statement(
    nlp: Language,
) -> None:
    # The parse makes "letting" (in the second quote) the complement of "said".
    text = (
        "“The voters are furious,” Mr. Gidley said, "
        "“and they're not letting a stump speech sway their vote.”"
    )
    [statement] = attribute(nlp, text)
    assert pieces(text, statement) == [
        "The voters are furious,",
        "and they're not letting a stump speech sway their vote.",
    ]


def test_words_before_an_interrupting_attribution_begin_the_quoted_sentence(
    nlp: Language,
) -> None:
    text = "In cases of abortion, the group said, “the woman is a victim.”"
    [statement] = attribute(nlp, text)
    assert pieces(text, statement) == ["In cases of abortion", "the woman is a victim."]


def test_the_setting_of_a_saying_is_not_part_of_the_quote(nlp: Language) -> None:
    text = "On Tuesday, the senator said, “It's time to quit attacking people.”"
    [statement] = attribute(nlp, text)
    assert pieces(text, statement) == ["It's time to quit attacking people."]


def test_a_quote_lead_in_never_reaches_back_over_a_sentence_end(nlp: Language) -> None:
    # With '' marks the parser runs the question into the quote's sentence.
    text = "Why the affiliation? ''They pay us a lot of money,'' said Mr. Lee."
    statement = statement_saying(text, attribute(nlp, text), "They pay us")
    assert pieces(text, statement) == ["They pay us a lot of money,"]


def test_a_relative_pronoun_standing_for_the_content_is_its_first_piece(nlp: Language) -> None:
    text = "It was what Newt Gingrich called “the loudest election in modern history.”"
    [statement] = attribute(nlp, text)
    assert pieces(text, statement) == ["what", "the loudest election in modern history."]
    assert statement.speaker is not None and statement.speaker.name == "Newt Gingrich"


def test_a_quoted_fragment_inside_the_reported_clause_takes_the_whole_clause(
    nlp: Language,
) -> None:
    text = "The mayor said “budget reforms” and the collection of unpaid taxes would pay for it."
    [statement] = attribute(nlp, text)
    assert statement.content.text == (
        "“budget reforms” and the collection of unpaid taxes would pay for it"
    )
    assert statement.kind == "mixed"


def test_a_quote_closing_a_clause_another_cue_reports_belongs_to_that_cue(nlp: Language) -> None:
    text = 'The agency said North Korea had displayed "complete disregard of the demands."'
    [statement] = attribute(nlp, text)
    assert statement.cue is not None and statement.cue.text == "said"
    assert statement.content.text.startswith("North Korea had displayed")


def test_a_content_before_its_cue_takes_every_clause_the_cue_reports(nlp: Language) -> None:
    # The parse hangs "knew" and "hid" on "said" as two complements.
    text = "But the mayor knew about the leak, and the council hid it, officials said."
    [statement] = attribute(nlp, text)
    assert statement.cue is not None and statement.cue.text == "said"
    assert statement.content.text == "the mayor knew about the leak, and the council hid it"


def test_a_clause_after_the_cue_is_its_content_even_with_one_hung_before_it(
    nlp: Language,
) -> None:
    # The parse hangs "won" (inside the opening participle phrase) on "noted" as a complement.
    text = (
        "Writing for a Los Angeles Times panel that all agreed Pence won the debate, "
        "Jim Newton noted that the way Pence carried himself was critical to his success."
    )
    [statement] = attribute(nlp, text)
    assert statement.cue is not None and statement.cue.text == "noted"
    assert (
        statement.content.text == "that the way Pence carried himself was critical to his success"
    )


@pytest.mark.parametrize(
    ("text", "cue", "source", "content"),
    [
        (
            "As many tax experts have pointed out, Mr. Trump is free to disclose his returns.",
            "have pointed out",
            "many tax experts",
            "Mr. Trump is free to disclose his returns",
        ),
        (
            "It also does not answer whether Scott had a gun, as police have said.",
            "have said",
            "police",
            "It also does not answer whether Scott had a gun",
        ),
        (
            "As he told reporters on Monday, the talks have stalled.",
            "told",
            "he",
            "the talks have stalled",
        ),
    ],
    ids=["fronted", "trailing", "told-whom-and-when"],
)
def test_an_as_clause_reports_the_clause_it_modifies(
    nlp: Language, text: str, cue: str, source: str, content: str
) -> None:
    statement = next(s for s in attribute(nlp, text) if s.by == "pattern:as-clause")
    assert statement.cue is not None and statement.cue.text == cue
    assert statement.source is not None and statement.source.text == source
    assert statement.content.text == content


def test_an_as_clause_around_its_content_gives_two_pieces(nlp: Language) -> None:
    text = "The economy, as the minister noted, is growing fast."
    [statement] = attribute(nlp, text)
    assert statement.by == "pattern:as-clause"
    pieces = [text[a:b] for a, b in statement.content.pieces]
    assert pieces == ["The economy", "is growing fast"]


@pytest.mark.parametrize(
    "text",
    [
        "Trump made the reference Monday as he discussed his plan for veterans.",
        "Lopez was emotional as she called for the ratification of the amendment.",
    ],
    ids=["object", "prepositional-object"],
)
def test_an_as_clause_with_content_of_its_own_is_only_a_time(nlp: Language, text: str) -> None:
    assert all(s.by != "pattern:as-clause" for s in attribute(nlp, text))


def test_a_verb_joined_to_one_before_a_quote_is_not_its_cue(nlp: Language) -> None:
    text = "Demonstrators said they want “justice for Terrence,” but pledged to remain civil."
    found = {(s.cue.text if s.cue else None, s.content.text) for s in attribute(nlp, text)}
    assert ("pledged", "to remain civil") in found
    assert all(not (cue == "pledged" and "justice" in content) for cue, content in found)


# The parser reads "reeks" as a noun in apposition to "Limbaugh", hanging the whole sentence on
# the source; a real apposition stays in it.
LIMBAUGH = "According to conservative talk radio host Rush Limbaugh, the move reeks of fear."


@pytest.mark.parametrize(
    ("text", "source", "content"),
    [
        (LIMBAUGH, "conservative talk radio host Rush Limbaugh", "the move reeks of fear"),
        (
            LIMBAUGH + "\n\nThe campaign did not reply.",
            "conservative talk radio host Rush Limbaugh",
            "the move reeks of fear",
        ),
        (
            "According to John Smith, a spokesman for the agency, the plan was dropped.",
            "John Smith, a spokesman for the agency",
            "the plan was dropped",
        ),
    ],
    ids=["misparsed", "misparsed-before-a-paragraph-break", "apposition"],
)
def test_according_to_ends_its_source_where_the_content_begins(
    nlp: Language, text: str, source: str, content: str
) -> None:
    statement = next(s for s in attribute(nlp, text) if s.by == "pattern:according-to")
    assert statement.source is not None and statement.source.text == source
    assert statement.content.text == content


def test_a_quote_takes_no_cue_from_inside_what_a_later_cue_reports(nlp: Language) -> None:
    text = (
        'Russia insisted that Pyongyang "stop its dangerous escapades." The International '
        'Atomic Energy Agency said North Korea had displayed "complete disregard of the demands."'
    )
    found = {(s.cue.text if s.cue else None, s.content.text) for s in attribute(nlp, text)}
    assert all(cue != "had displayed" for cue, _ in found)
    assert any(cue == "insisted" and "Pyongyang" in content for cue, content in found)
