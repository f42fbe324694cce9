"""Claims, as a specification: a sentence in, the clauses it asserts out — each with its
polarity, its commitment and its core (the clause in the positive, hedges and negation out,
a missing subject put back), the unit that articles are compared by.

Articles go through the real pipeline (``claimledger.extract_text``), whose last stage is
``claimledger.aggregate.claims.article_claims``.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from spacy.language import Language

import claimledger
from claimledger import windows
from claimledger.aggregate.claims import EmptyClaimError, query_claim
from claimledger.aggregate.names import normalise_name
from claimledger.ingest import read_text
from claimledger.interchange import article_from_dict, article_to_dict
from claimledger.model import Article, Claim, Span
from claimledger.pipeline import analyze_articles

EXAMPLE = Path(__file__).parent.parent / "examples" / "kursk.txt"


def claims_of(text: str) -> list[Claim]:
    return list(claimledger.extract_text(text).claims)


def summary(claim: Claim) -> tuple[int, str, str]:
    return claim.polarity, claim.commitment, claim.core


# --- one claim per clause, each with its own polarity ---------------------------------------


def test_two_clauses_of_opposite_polarity_are_two_claims() -> None:
    text = "The ministry said the convoy has reached Kherson but has not crossed the river."
    article = claimledger.extract_text(text)
    first, second = article.claims
    assert (first.id, first.statement_id) == ("s1.c1", "s1")
    assert first.text == "the convoy has reached Kherson"
    assert summary(first) == (1, "certain", "The convoy has reached Kherson")
    # The second clause has no subject of its own: the core takes the first clause's.
    assert second.id == "s1.c2"
    assert second.text == "has not crossed the river"
    assert summary(second) == (-1, "certain", "The convoy has crossed the river")
    for claim in article.claims:
        assert article.text[claim.start : claim.end] == claim.text


def test_a_claims_frame_is_what_it_says_of_its_subject() -> None:
    first, second = claimledger.extract_text(
        "The ministry said the convoy has reached Kherson but has not crossed the river."
    ).claims
    assert first.frame == "Has reached Kherson"
    assert second.frame == "Has crossed the river"  # the restored subject is left out too


def test_a_verbless_content_naming_an_event_asserts_what_was_said_of_it_before() -> None:
    article = claimledger.extract_text(
        "Officials said 5,000 troops were deployed to the border on Monday. "
        "The United States has confirmed the deployment."
    )
    deployed, confirmed = article.claims
    assert confirmed.text == "the deployment"  # the evidence stays the words as written
    assert confirmed.core == deployed.core == "5,000 troops were deployed to the border"
    assert confirmed.polarity == 1


def test_a_verbless_content_whose_event_nobody_spoke_of_stays_itself() -> None:
    article = claimledger.extract_text(
        "Officials said 5,000 troops were deployed to the border. "
        "The United States has confirmed the election results."
    )
    assert article.claims[-1].core.casefold() == "the election results"


def test_a_negated_clause_has_polarity_minus_and_a_positive_core() -> None:
    (claim,) = claims_of("Officials said the power plant was not damaged in the attack.")
    assert summary(claim) == (-1, "certain", "The power plant was damaged in the attack")
    assert claim.predicate == "damage"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Police said the suspect probably fled abroad.",
            (1, "probable", "The suspect fled abroad"),
        ),
        (
            "The agency said the strike may have killed dozens of civilians.",
            (1, "possible", "The strike has killed dozens of civilians"),  # "may have" -> "has"
        ),
        (
            "Local officials suggested the shelter was hit by a drone.",
            (1, "probable", "The shelter was hit by a drone"),  # a hedging cue
        ),
    ],
)
def test_a_hedge_weakens_the_commitment_and_leaves_the_core(
    text: str, expected: tuple[int, str, str]
) -> None:
    (claim,) = claims_of(text)
    assert summary(claim) == expected


def test_declining_to_comment_is_uncommitted() -> None:
    (claim,) = claims_of("The company declined to comment on the layoffs.")
    assert claim.text == "the layoffs"
    assert (claim.polarity, claim.commitment) == (1, "uncommitted")


def test_no_longer_negates_and_nobody_is_put_in_the_positive() -> None:
    (dam,) = claims_of("The governor said the dam is no longer safe.")
    assert summary(dam) == (-1, "certain", "The dam is safe")
    (attack,) = claims_of("Analysts said nobody has claimed the attack.")
    assert summary(attack) == (-1, "certain", "Somebody has claimed the attack")


def test_a_pronoun_subject_takes_the_name_the_statement_gave() -> None:
    text = "Officials said the rebels seized the airport and that they now control the road."
    seized, control = claims_of(text)
    assert seized.core == "The rebels seized the airport"
    assert control.text == "they now control the road"
    assert control.core == "The rebels control the road"


def test_an_absolute_with_clause_is_a_claim_of_its_own() -> None:
    text = "The police said the protest ended peacefully, with most demonstrators leaving early."
    ended, leaving = claims_of(text)
    assert ended.text == "the protest ended peacefully"
    assert leaving.text == "most demonstrators leaving early"
    assert leaving.id == "s1.c2"


def test_date_adjuncts_stay_with_the_statement_not_the_core() -> None:
    (claim,) = claims_of("The army said it recaptured the village on Tuesday.")
    assert "Tuesday" in claim.text
    assert claim.core == "It recaptured the village"


# --- the example: frames, repaired parses, perception ---------------------------------------


@pytest.fixture(scope="module")
def kursk() -> Article:
    return claimledger.extract(EXAMPLE, published="2024-12-10")


def test_kursk_pentagon_claims_stationed_and_denies_combat(kursk: Article) -> None:
    s1 = [c for c in kursk.claims if c.statement_id == "s1"]
    # "troops deployed to Russia" is a participle on the subject, not a claim of its own.
    assert [summary(c) for c in s1] == [
        (1, "certain", "North Korean troops deployed to Russia are stationed in Kursk Oblast"),
        (-1, "certain", "North Korean troops deployed to Russia have engaged in combat"),
    ]
    assert s1[1].text == "have not yet engaged in combat"
    assert set(s1[1].entities) == {"north korea", "russia"}


def test_kursk_singh_frames_are_followed_to_what_they_frame(kursk: Article) -> None:
    singh = {c.text: c for c in kursk.claims if c.statement_id == "s4"}
    seen = singh["Haven’t seen them engaged in combat"]
    # Not seeing them engaged denies it; "them" is the troops the statement named before.
    assert summary(seen) == (-1, "certain", "DPRK troops engaged in combat")
    there = next(c for c in singh.values() if c.text.endswith("we know they’re there"))
    assert summary(there) == (1, "certain", "DPRK troops are there")
    region = next(c for c in singh.values() if "Kursk region" in c.text)
    assert (region.polarity, region.commitment) == (1, "probable")  # "I think"
    assert region.core == "DPRK troops are in that Kursk region"
    assert region.entities == ("north korea", "kursk")


def test_kursk_some_of_the_soldiers_participating_is_the_soldiers_claim(kursk: Article) -> None:
    deployed, participating = [c for c in kursk.claims if c.statement_id == "s6"]
    assert deployed.core == "Over 11,000 North Korean soldiers were deployed to Kursk"
    # "some" stands for some of the soldiers; the participle borrows the clause's "were".
    assert participating.core == (
        "Some North Korean soldiers were participating in engagements against Ukrainian forces"
    )
    assert participating.entities == ("north korea", "ukraine")


def test_kursk_infinitive_content_takes_the_cue_subject(kursk: Article) -> None:
    (claim,) = [c for c in kursk.claims if c.text.startswith("to have engaged")]
    assert claim.core == "Ukrainian forces have engaged North Korean troops in combat"


# --- entities -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "label", "name"),
    [
        ("North Korean", "NORP", "north korea"),
        ("Ukrainians", "NORP", "ukraine"),
        ("the DPRK", "ORG", "north korea"),
        ("Pyongyang", "GPE", "north korea"),
        ("the Kremlin", "ORG", "russia"),
        ("Russia’s", "GPE", "russia"),
        ("U.S.", "GPE", "united states"),
        ("Washington", "GPE", "united states"),
        ("Washington", "PERSON", "washington"),  # a person is no metonym
        ("The Pentagon", "ORG", "pentagon"),
    ],
)
def test_names_are_normalised(text: str, label: str, name: str) -> None:
    assert normalise_name(text, label) == name


def test_a_claim_names_its_entities_normalised() -> None:
    (drones,) = claims_of("A spokesman said Iranian drones struck Kyiv.")
    assert drones.entities == ("iran", "ukraine")
    (shells,) = claims_of("The envoy said Pyongyang has sent artillery shells to Moscow.")
    assert shells.entities == ("north korea", "russia")


# --- narration ------------------------------------------------------------------------------


def test_narration_claims_are_the_authors_own_sentences() -> None:
    text = (
        "Bridge News\n"
        "The bridge reopened to traffic on Monday after two years of repairs. "
        "Will the tolls rise? "
        "Mayor Ana Lopez said the tolls will stay the same. "
        "Crews are still painting the railings.\n"
        "Sign up for our newsletter today."
    )
    article = read_text(text, path="bridge.txt")
    start = text.index("Sign up")
    article = dataclasses.replace(article, furniture=(Span(start, len(text), text[start:]),))
    (result,) = analyze_articles([article])
    assert isinstance(result, Article)
    narration = [c for c in result.claims if c.statement_id is None]
    # The question, the statement's sentence, the heading and the furniture make none.
    assert [(c.id, c.core) for c in narration] == [
        ("n.c1", "The bridge reopened to traffic after two years of repairs"),
        ("n.c2", "Crews are painting the railings"),
    ]
    assert all((c.polarity, c.commitment) == (1, "certain") for c in narration)
    assert [c.id for c in result.claims if c.statement_id] == ["s1.c1"]


# --- a claim typed by a user ----------------------------------------------------------------


def test_a_checked_claim_keeps_its_polarity_and_loses_its_negation(nlp: Language) -> None:
    claim = query_claim(nlp, "North Korean troops have not engaged in combat")
    assert (claim.id, claim.statement_id) == ("q.c1", None)
    assert summary(claim) == (-1, "certain", "North Korean troops have engaged in combat")
    assert claim.entities == ("north korea",)
    assert claim.predicate == "engage"
    hedged = query_claim(nlp, "Russia may have deployed troops in Kursk")
    assert summary(hedged) == (1, "possible", "Russia has deployed troops in Kursk")


def test_an_empty_checked_claim_is_refused(nlp: Language) -> None:
    with pytest.raises(EmptyClaimError, match="empty"):
        query_claim(nlp, "   ")


# --- interchange and long articles ----------------------------------------------------------


def test_claims_survive_the_jsonl_round_trip(kursk: Article) -> None:
    line = article_to_dict(kursk)
    assert line["claims"][0] == {
        "id": "s1.c1",
        "statement": "s1",
        "start": kursk.claims[0].start,
        "end": kursk.claims[0].end,
        "text": "North Korean troops deployed to Russia are stationed in Kursk Oblast",
        "core": "North Korean troops deployed to Russia are stationed in Kursk Oblast",
        "polarity": 1,
        "commitment": "certain",
        "predicate": "station",
        "entities": ["north korea", "russia", "kursk"],
        "frame": "",  # the parser gives "stationed" no subject: no frame rather than a wrong one
    }
    assert line["claims"][1]["frame"] == "Have engaged in combat"
    assert article_from_dict(line).claims == kursk.claims


def test_a_windowed_article_keeps_its_claims_pointing_at_their_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    block = (
        "The ministry said the convoy has reached Kherson but has not crossed the river. "
        "Crews are still repairing the bridge near the port.\n\n"
    )
    (alone,) = analyze_articles([read_text(block, path="one.txt")])
    assert isinstance(alone, Article) and len(alone.claims) == 3
    monkeypatch.setattr(windows, "WINDOW_CHARS", len(block) + 10)

    (article,) = analyze_articles([read_text(block * 3, path="long.txt")])

    assert isinstance(article, Article)
    assert any("read in 3 windows" in n for n in article.notices)
    assert [c.id for c in article.claims] == [
        "s1.c1", "s1.c2", "s2.c1", "s2.c2", "s3.c1", "s3.c2", "n.c1", "n.c2", "n.c3",
    ]  # fmt: skip
    for claim in article.claims:
        assert article.text[claim.start : claim.end] == claim.text
        assert claim.statement_id is None or claim.id.startswith(claim.statement_id + ".")
    assert [c.core for c in article.claims[:2]] == [c.core for c in alone.claims[:2]]
    assert [c.start for c in article.claims if c.statement_id == "s3"] == [
        c.start + 2 * len(block) for c in alone.claims if c.statement_id == "s1"
    ]
