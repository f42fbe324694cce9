"""The example article read as a reader reads it, and a small gold set whose scores may not drop.

``fixtures/attribution/kursk.txt`` is ``examples/kursk.txt``: 15 statements, among them a quote
whose opening mark was lost, pronouns to resolve, a citation chain and a declined comment.

``fixtures/attribution/gold.jsonl`` holds hand-written sentences, each with the statements in it
(source, speaker, cue and content as substrings of the text); ``eval_baseline.json`` the floors
of found-rate, precision, speaker and cue accuracy (raise them when the rules improve; a change
that lowers a score must say so, STYLE.md habit 10).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from spacy.language import Language

import claimledger
from claimledger.attribute import attribute_doc
from claimledger.model import Article, Statement

FIXTURES = Path(__file__).parent / "fixtures" / "attribution"
KURSK = FIXTURES / "kursk.txt"


def characters(statement: Statement) -> set[int]:
    spans = statement.content.pieces or ((statement.content.start, statement.content.end),)
    return {i for start, end in spans for i in range(start, end)}


def jaccard(a: set[int], b: set[int]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def span_of(text: str, words: str) -> set[int]:
    start = text.index(words)
    return set(range(start, start + len(words)))


@pytest.fixture(scope="module")
def kursk(nlp: Language) -> Article:
    return claimledger.extract(KURSK, published="2024-12-10")


# What a reader finds: (speaker names that are right, content as in the text).
# "U.S." and "Ukrainian forces" are the article's own words for the United States and the
# Ukrainian Armed Forces; merging such aliases is the resolve stage's work, not attribution's.
KURSK_STATEMENTS = [
    pytest.param(
        {"Pentagon"},
        "North Korean troops deployed to Russia are stationed in Kursk Oblast but have not yet "
        "engaged in combat",
        id="pentagon-asserts",
    ),
    pytest.param(
        {"local sources"},
        "these soldiers are primarily tasked with rear-guard duties, freeing up Russian forces "
        "for frontline operations",
        id="local-sources-suggest",
    ),
    pytest.param(
        {"Sabrina Singh"},
        "So we believe — and I think General Ryder spoke to this as well last week, that DPRK "
        "troops are still in that Kursk region. Haven’t seen them engaged in combat. But, you "
        "know, we know they’re there. We know that they’re staged to engage in combat, and, you "
        "know, we’re continuing to monitor that.",
        id="singh-stated-opening-mark-missing",
    ),
    pytest.param(
        {"Ukrainian Armed Forces", "Ukrainian forces"},
        "to have engaged North Korean troops in combat since last month",
        id="ukrainian-forces-claim",
    ),
    pytest.param(
        {"Anatoliy Barhylevych"},
        "over 11,000 North Korean soldiers were deployed to Kursk, with some participating in "
        "engagements against Ukrainian forces on November 24",
        id="barhylevych-reported",
    ),
    pytest.param(
        {"Volodymyr Zelenskyy"},
        "Russia is clearly using North Korean troops as “cannon fodder”",
        id="zelenskyy-emphasized",
    ),
    pytest.param(
        {"Volodymyr Zelenskyy"},
        "“concrete evidence is necessary” for accurate casualty reports",
        id="he-added-is-zelenskyy",
    ),
    pytest.param({"United States", "U.S."}, "the deployment", id="us-has-confirmed"),
    pytest.param(
        {"United States", "U.S."}, "combat engagements", id="it-refrained-from-commenting-is-us"
    ),
    pytest.param(
        {"National Resistance Center"},
        "Russia has not deployed North Korean troops in combat operations in Kursk",
        id="nrc-report-stating-via-kyiv-independent",
    ),
    pytest.param(
        {"National Resistance Center"},
        "by sharing security duties, North Korean troops enable Russia to allocate more of its "
        "forces to the frontlines",
        id="nrc-assessment-suggests",
    ),
    pytest.param(
        {"Samuel Paparo"},
        "North Korea initiated the troop deployment offer",
        id="paparo-claimed",
    ),
    pytest.param(
        {"Samuel Paparo"},
        "Pyongyang seeks ballistic missile re-entry technology and submarine-related expertise "
        "from Moscow in exchange",
        id="he-emphasized-is-paparo",
    ),
    pytest.param(
        {"Samuel Paparo"},
        "North Korea is negotiating to acquire MiG-29 and Su-27 fighter jets from Russia, with "
        "some agreements already in place",
        id="paparo-added",
    ),
    pytest.param(
        {"Sabrina Singh"},
        "We’re seeing deepening cooperation between Russia and the DPRK. You know, we’re seeing "
        "certainly a trading of information and capabilities between these two countries, "
        "including North Korea providing soldiers on the battlefield. But for more on that, I "
        "don’t have anything to speak to.",
        id="she-responded-is-singh",
    ),
]


def matching(article: Article, content: str) -> list[Statement]:
    expected = span_of(article.text, content)
    return [s for s in article.statements if jaccard(characters(s), expected) >= 0.5]


@pytest.mark.parametrize(("speakers", "content"), KURSK_STATEMENTS)
def test_kursk_statement_is_found_with_its_speaker(
    kursk: Article, speakers: set[str], content: str
) -> None:
    found = matching(kursk, content)
    assert found, f"no statement says {content[:60]!r}…"
    assert {s.speaker.name if s.speaker else None for s in found} & speakers


def test_kursk_has_no_other_statements_than_the_questions_put(kursk: Article) -> None:
    # PolNeAR, which the learned model follows, also counts the questions put to a speaker
    # ("was asked about additional information", "addressed queries about …") as
    # attributions; the hand annotation of the example does not. Nothing else is extra.
    contents = [p.values[1] for p in KURSK_STATEMENTS]
    extra = [s for s in kursk.statements if not any(s in matching(kursk, c) for c in contents)]
    assert {s.cue.text for s in extra if s.cue} <= {"addressed", "was asked about"}
    assert all(s.by == "learned:frame" for s in extra)
    assert len(kursk.statements) == len(KURSK_STATEMENTS) + len(extra)


def containing(article: Article, words: str) -> Statement:
    [statement] = [s for s in article.statements if words in s.content.text]
    return statement


def speaker_saying(article: Article, words: str) -> claimledger.Speaker:
    statement = containing(article, words)
    assert statement.speaker is not None
    return statement.speaker


def test_kursk_titles_give_role_and_organization(kursk: Article) -> None:
    singh = speaker_saying(kursk, "We’re seeing deepening cooperation")
    assert (singh.role, singh.organization) == ("Deputy Spokesperson", "Pentagon")
    barhylevych = speaker_saying(kursk, "over 11,000 North Korean soldiers were deployed")
    assert (barhylevych.role, barhylevych.organization) == (
        "Chief of Staff",
        "Ukrainian Armed Forces",
    )
    zelenskyy = speaker_saying(kursk, "Russia is clearly using North Korean troops")
    assert zelenskyy.role == "President"
    assert zelenskyy.organization == "Ukraine"
    paparo = speaker_saying(kursk, "North Korea initiated the troop deployment offer")
    assert paparo.role == "Commander"


def test_kursk_nrc_claim_is_relayed_by_kyiv_independent(kursk: Article) -> None:
    statement = containing(kursk, "Russia has not deployed North Korean troops in combat")
    assert [v.name for v in statement.via] == ["Kyiv Independent"]
    assert statement.cue is not None and statement.cue.text == "stating"


def test_kursk_quote_with_lost_opening_mark_starts_after_the_cue(kursk: Article) -> None:
    statement = containing(kursk, "So we believe — and I think General Ryder spoke")
    assert statement.kind == "direct"
    assert statement.cue is not None and statement.cue.text == "stated"
    assert statement.content.text.startswith("So we believe")
    assert statement.content.text.endswith("monitor that.")


def test_kursk_page_furniture_gives_no_statement(kursk: Article) -> None:
    furniture = {f.text for f in kursk.furniture}
    assert "Most Commented" in furniture
    assert all("Most Commented" not in s.content.text for s in kursk.statements)


# -- the gold set and its floors ----------------------------------------------------------------


def load_gold() -> list[dict[str, Any]]:
    with (FIXTURES / "gold.jsonl").open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def score(nlp: Language, gold: list[dict[str, Any]]) -> dict[str, float]:
    """found: share of gold statements found (content Jaccard >= 0.5); precision: share of
    statements found that are gold; speaker / cue: share of found ones with the right name /
    cue text."""
    expected_total = predicted_total = found = true_predicted = right_speaker = right_cue = 0
    docs = nlp.pipe(item["text"] for item in gold)
    for item, doc in zip(gold, docs, strict=True):
        text = item["text"]
        statements = attribute_doc(doc)
        predicted_total += len(statements)
        matched: set[int] = set()
        for expected in item["statements"]:
            expected_total += 1
            span = span_of(text, expected["content"])
            best = max(statements, key=lambda s: jaccard(characters(s), span), default=None)
            if best is None or jaccard(characters(best), span) < 0.5:
                continue
            found += 1
            matched.add(id(best))
            right_speaker += bool(best.speaker and best.speaker.name == expected["speaker"])
            right_cue += bool(best.cue and best.cue.text == expected["cue"])
        true_predicted += len(matched)
    return {
        "found": found / expected_total,
        "precision": true_predicted / predicted_total if predicted_total else 0.0,
        "speaker": right_speaker / found if found else 0.0,
        "cue": right_cue / found if found else 0.0,
    }


def test_gold_set_is_well_formed() -> None:
    gold = load_gold()
    assert len(gold) >= 25
    for item in gold:
        for expected in item["statements"]:
            for key in ("source", "cue", "content"):
                assert expected[key] in item["text"], (item["id"], key)


def test_gold_set_scores_stay_above_their_floors(nlp: Language) -> None:
    floors = json.loads((FIXTURES / "eval_baseline.json").read_text(encoding="utf-8"))
    scores = score(nlp, load_gold())
    below = {
        k: (round(scores[k], 3), floor)
        for k, floor in floors["floors"].items()
        if scores[k] < floor
    }
    assert below == {}, f"scores below their floors (score, floor): {below}; all: {scores}"
