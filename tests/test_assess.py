"""Factuality, as a specification: a sentence in, the FactBank label of its statement out.

Statements come from the real pipeline (attribution included); the labels from
``claimledger.assess``. One case per cue class, then the content's own negation, modals and
hedges, a mixed-polarity content, single events, and the example article.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

import claimledger
from claimledger.assess import assess_article, event_factuality, statement_factuality
from claimledger.assess.lexicon import Commitment, parse_label
from claimledger.model import Factuality, FactualityPart

EXAMPLE = Path(__file__).parent.parent / "examples" / "kursk.txt"
# The hand annotation's first label for each of the example's 15 statements (signs only matter).
KURSK_EXPECTED = ["CT+", "PR+", "CT+", "CT+", "CT+", "CT+", "CT+", "CT+", "Uu", "CT-", "PR+",
                  "CT+", "CT+", "CT+", "CT+"]  # fmt: skip


def label_of(nlp: Language, text: str) -> tuple[Factuality, tuple[FactualityPart, ...]]:
    doc = nlp(text)
    statements = doc._.statements
    assert statements, f"no statement found in {text!r}"
    return statement_factuality(doc, statements[0])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # speech
        ("The mayor said the bridge will reopen on Friday.", "PR+"),
        ("The mayor said the bridge reopened on Friday.", "CT+"),
        # assert: "claim" and "claim to have" relay the claim as the source's certainty
        ("The rebels claimed that they captured the airport.", "CT+"),
        ("Ukrainian forces claim to have engaged North Korean troops in combat.", "CT+"),
        # report
        ("The inspectors reported that the plant was closed.", "CT+"),
        # confirm
        ("The ministry confirmed the deployment.", "CT+"),
        # deny
        ("The Kremlin denied that its troops had crossed the border.", "CT-"),
        # hedge
        ("Local sources suggest these soldiers are tasked with rear-guard duties.", "PR+"),
        ("The minister hinted that taxes would rise.", "PS+"),
        # belief
        ("Officials believe that the troops are still in the region.", "PR+"),
        # refuse
        ("The embassy declined to comment on the report.", "Uu"),
        ("The U.S. has refrained from commenting on combat engagements.", "Uu"),
    ],
)
def test_cue_class_sets_the_label(nlp: Language, text: str, expected: Factuality) -> None:
    assert label_of(nlp, text)[0] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Pentagon said the troops have not engaged in combat.", "CT-"),
        ("The Pentagon said the troops never engaged in combat.", "CT-"),
        ("The Pentagon said the troops may move to the front.", "PS+"),
        ("The Pentagon said the troops might move to the front.", "PS+"),
        ("The Pentagon said the troops could move to the front.", "PS+"),
        ("The Pentagon said the troops will likely move to the front.", "PR+"),
        ("The Pentagon said the troops probably moved to the front.", "PR+"),
        ("The Pentagon said the troops may not move to the front.", "PS-"),
        ('"We believe the troops are in Kursk," Singh said.', "PR+"),
        ("Singh said the troops are clearly in Kursk.", "CT+"),
        ("Officials did not confirm that the troops had arrived.", "Uu"),
        ("The Kremlin denied that its troops had not crossed the border.", "CT+"),
    ],
)
def test_content_markers_set_the_label(nlp: Language, text: str, expected: Factuality) -> None:
    assert label_of(nlp, text)[0] == expected


def test_parts_of_opposite_polarity_are_set_apart(nlp: Language) -> None:
    text = (
        "The Pentagon asserts that the troops are stationed in Kursk Oblast "
        "but have not yet engaged in combat."
    )
    label, parts = label_of(nlp, text)
    assert label == "CT+"
    assert [(text[p.start : p.end], p.factuality) for p in parts] == [
        ("the troops are stationed in Kursk Oblast", "CT+"),
        ("have not yet engaged in combat", "CT-"),
    ]


def test_one_polarity_has_no_parts(nlp: Language) -> None:
    assert label_of(nlp, "The mayor said the bridge reopened and the road was cleared.")[1] == ()


def test_saying_nothing_more_is_not_a_denial(nlp: Language) -> None:
    text = '"We see deep cooperation. But I don\'t have anything to speak to," Singh said.'
    label, parts = label_of(nlp, text)
    assert label == "CT+"
    assert parts == ()


@pytest.mark.parametrize(
    ("text", "index", "expected"),
    [
        ("Officials said the troops left .", 4, "CT+"),
        ("Officials said the troops may have left .", 6, "PS+"),
        ("The troops did not leave .", 4, "CT-"),
        ("No one has claimed responsibility .", 3, "CT-"),
        ("If the talks fail , the troops will leave .", 3, "Uu"),
        ("The company plans to sell the unit .", 4, "Uu"),
        ("The company failed to sell the unit .", 4, "CT-"),
        ("Did the troops leave ?", 3, "Uu"),
        ("The firm declined further comment .", 4, "CT-"),
    ],
)
def test_event_factuality(nlp: Language, text: str, index: int, expected: Factuality) -> None:
    assert event_factuality(nlp(text)[index]) == expected


def test_commitments_compose() -> None:
    assert parse_label("CT-").then(parse_label("CT-")).label == "CT+"
    assert parse_label("PR+").then(parse_label("PS-")).label == "PS-"
    assert Commitment(-1, 0).label == "Uu"


def test_kursk_example_signs(nlp: Language) -> None:
    article = claimledger.extract(EXAMPLE, published="2024-12-10")
    assessed = assess_article(nlp(article.text), article)
    # The annotated statements: the questions put to the Pentagon (learned frames, see
    # test_example.py) are not among them.
    annotated = [s for s in assessed.statements if s.by != "learned:frame" or s.via]
    labels = [s.factuality or "" for s in annotated]
    assert len(labels) == len(KURSK_EXPECTED)
    right = sum(
        p[:2] == g[:2] and p[-1:] == g[-1:] for p, g in zip(labels, KURSK_EXPECTED, strict=True)
    )
    assert right >= 13
    s1 = assessed.statements[0]
    assert [p.factuality for p in s1.factuality_parts] == ["CT+", "CT-"]
