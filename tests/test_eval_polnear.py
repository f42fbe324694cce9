"""PolNeAR scorer on a two-article, hand-written fixture with hand-computed scores.

Fixture (tests/fixtures/polnear):
  alpha…_a1  E1 indirect   Senator Jane Roe / said / that the budget would pass by Friday (36 chars)
             E2 direct     Roe / told / "We have the votes," + "and we will not wait." (17 + 20)
             E3 no-source  – / is widely believed / that taxes will rise (20); plus a Discuss
  beta…_b2   E1 indirect   The mayor / announced / a new park (10)
             E2 indirect   officials / According to / construction starts in May (26)
             (a second annotator file, `_b.ann`, must be ignored)
Gold: 5 attributions, 4 distinct sources, 5 cues, 129 content characters after trimming.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimledger.eval.polnear import (
    Prf,
    error_examples,
    format_table,
    load_gold,
    score,
    sentence_around,
)
from claimledger.model import Article, Content, Span, Statement

SPLIT = Path(__file__).parent / "fixtures" / "polnear"
ALPHA = "alpha_2016-01-01_roe-budget_a1"
BETA = "beta_2016-02-02_park_b2"
TEXT = {s: (SPLIT / "text" / f"{s}.txt").read_text(encoding="utf-8") for s in (ALPHA, BETA)}

# (source, cue, content pieces) as (start, end) offsets; None for an absent role.
Spec = tuple[tuple[int, int] | None, tuple[int, int] | None, tuple[tuple[int, int], ...]]


def at(stem: str, phrase: str, nth: int = 0) -> tuple[int, int]:
    """Offsets of the nth occurrence of phrase in the fixture article."""
    start = -1
    for _ in range(nth + 1):
        start = TEXT[stem].index(phrase, start + 1)
    return start, start + len(phrase)


def gold_specs() -> dict[str, list[Spec]]:
    return {
        ALPHA: [
            (
                at(ALPHA, "Senator Jane Roe"),
                at(ALPHA, "said"),
                (at(ALPHA, "that the budget would pass by Friday"),),
            ),
            (
                at(ALPHA, "Roe", 1),
                at(ALPHA, "told"),
                (at(ALPHA, '"We have the votes,"'), at(ALPHA, '"and we will not wait."')),
            ),
            (None, at(ALPHA, "is widely believed"), (at(ALPHA, "that taxes will rise"),)),
        ],
        BETA: [
            (at(BETA, "The mayor"), at(BETA, "announced"), (at(BETA, "a new park"),)),
            (
                at(BETA, "officials"),
                at(BETA, "According to"),
                (at(BETA, "construction starts in May"),),
            ),
        ],
    }


def article(stem: str, specs: list[Spec], folder: str = "somewhere/text") -> Article:
    text = TEXT[stem]
    statements = []
    for n, (source, cue, pieces) in enumerate(specs, 1):
        start, end = pieces[0][0], pieces[-1][1]
        statements.append(
            Statement(
                id=f"s{n}",
                kind="indirect",
                source=Span(*source, text[source[0] : source[1]]) if source else None,
                speaker=None,
                cue=Span(*cue, text[cue[0] : cue[1]]) if cue else None,
                content=Content(start, end, text[start:end], pieces if len(pieces) > 1 else ()),
                by="test",
            )
        )
    return Article(
        id="sha256:0", text=text, path=f"{folder}/{stem}.txt", statements=tuple(statements)
    )


def predict(specs: dict[str, list[Spec]]) -> list[Article]:
    return [article(stem, s) for stem, s in specs.items()]


def test_load_gold_uses_first_annotator_and_skips_discuss() -> None:
    gold = load_gold(SPLIT)
    assert sorted(gold) == [ALPHA, BETA]
    assert gold[BETA].annotation.name == f"{BETA}_a.ann"
    assert len(gold[BETA].attributions) == 2  # `_b.ann` has one, differently cut
    alpha = gold[ALPHA].attributions
    assert len(alpha) == 3  # the Discuss event has no content
    assert alpha[1].content == ((60, 80), (101, 124))
    assert alpha[2].source is None


def test_perfect_prediction_scores_one() -> None:
    report = score(SPLIT, predict(gold_specs()))
    assert report.source == Prf(4, 4, 4)
    assert report.cue == Prf(5, 5, 5)
    assert report.content == Prf(5, 5, 5)
    assert report.attribution == Prf(5, 5, 5)
    assert report.triple == Prf(5, 5, 5)
    assert report.coverage == Prf(129, 129, 129)
    assert report.attribution.f1 == 1.0
    assert report.by_kind["direct"].attribution == Prf(1, 1, 1)
    assert report.by_kind["indirect"].attribution == Prf(3, 3, 3)
    assert report.by_kind["no-source"].attribution == Prf(1, 1, 1)
    assert (report.articles, report.articles_missing) == (2, 0)


def test_one_missing_attribution() -> None:
    specs = gold_specs()
    del specs[ALPHA][0]
    report = score(SPLIT, predict(specs))
    assert report.source == Prf(3, 3, 4)
    assert report.source.recall == 0.75
    assert report.cue == Prf(4, 4, 5)
    assert report.attribution == Prf(4, 4, 5)
    assert report.attribution.f1 == pytest.approx(8 / 9)
    assert report.coverage == Prf(93, 93, 129)
    assert report.by_kind["indirect"].attribution == Prf(2, 2, 3)


def test_content_off_but_overlapping_still_matches() -> None:
    specs = gold_specs()
    source, cue, _ = specs[ALPHA][0]
    specs[ALPHA][0] = (source, cue, (at(ALPHA, "the budget would pass"),))  # Jaccard 21/36
    report = score(SPLIT, predict(specs))
    assert report.content == Prf(4, 5, 5)
    assert report.attribution == Prf(5, 5, 5)
    assert report.triple == Prf(5, 5, 5)
    assert report.coverage == Prf(114, 114, 129)


def test_content_far_off_is_missed_and_spurious() -> None:
    specs = gold_specs()
    source, cue, _ = specs[ALPHA][0]
    specs[ALPHA][0] = (source, cue, (at(ALPHA, "the budget"),))  # Jaccard 10/36
    report = score(SPLIT, predict(specs))
    assert report.attribution == Prf(4, 5, 5)
    assert report.triple == Prf(4, 5, 5)
    missed, spurious = error_examples(SPLIT, predict(specs), 3)
    sentence = "Senator Jane Roe said that the budget would pass by Friday."
    assert [(m.stem, m.content, m.sentence) for m in missed] == [
        (ALPHA, "that the budget would pass by Friday", sentence)
    ]
    assert [(s.content, s.sentence, s.source) for s in spurious] == [
        ("the budget", sentence, "Senator Jane Roe")
    ]


def test_spurious_statement_lowers_precision_only() -> None:
    specs = gold_specs()
    specs[BETA].append((None, None, (at(BETA, "The mayor announced"),)))
    report = score(SPLIT, predict(specs))
    assert report.content == Prf(5, 6, 5)
    assert report.attribution == Prf(5, 6, 5)
    assert report.attribution.f1 == pytest.approx(10 / 11)
    assert report.source == Prf(4, 4, 4)
    assert report.coverage == Prf(129, 148, 129)
    assert report.by_kind["no-source"].attribution == Prf(1, 2, 1)  # its own kind: no source


def test_spans_are_trimmed_of_blanks_quotes_and_punctuation() -> None:
    specs = gold_specs()
    specs[ALPHA][0] = ((0, 17), at(ALPHA, "said"), ((21, 59),))  # "Senator Jane Roe ", " that….
    specs[ALPHA][1] = (
        at(ALPHA, "Roe", 1),
        at(ALPHA, "told"),
        (at(ALPHA, "We have the votes"), at(ALPHA, "and we will not wait")),
    )
    report = score(SPLIT, predict(specs))
    assert report.source == Prf(4, 4, 4)
    assert report.content == Prf(5, 5, 5)


def test_discontinuous_content_as_one_extent_matches_but_is_not_exact() -> None:
    specs = gold_specs()
    source, cue, pieces = specs[ALPHA][1]
    specs[ALPHA][1] = (source, cue, ((pieces[0][0], pieces[-1][1]),))  # Jaccard 37/61
    report = score(SPLIT, predict(specs))
    assert report.content == Prf(4, 5, 5)
    assert report.attribution == Prf(5, 5, 5)


def test_no_source_gold_ignores_predicted_source_but_cue_must_overlap() -> None:
    specs = gold_specs()
    _, cue, content = specs[ALPHA][2]
    specs[ALPHA][2] = (at(ALPHA, "Senator Jane Roe"), cue, content)
    source, _, content = specs[ALPHA][0]
    specs[ALPHA][0] = (source, at(ALPHA, "Friday"), content)
    report = score(SPLIT, predict(specs))
    assert report.source == Prf(4, 4, 4)  # the repeated source is one distinct span
    assert report.cue == Prf(4, 5, 5)
    assert report.attribution == Prf(5, 5, 5)
    assert report.triple == Prf(4, 5, 5)
    assert report.by_kind["no-source"].triple == Prf(1, 1, 1)
    assert report.by_kind["indirect"].triple == Prf(2, 3, 3)


def test_duplicate_prediction_matches_once() -> None:
    specs = gold_specs()
    specs[BETA].append(specs[BETA][0])
    report = score(SPLIT, predict(specs))
    assert report.attribution == Prf(5, 6, 5)
    assert report.content == Prf(5, 5, 5)  # distinct spans


def test_missing_article_and_stem_matching() -> None:
    specs = gold_specs()
    predictions = [
        article(ALPHA, specs[ALPHA], folder="../elsewhere/deep/text"),
        Article(id="sha256:1", text="x", path=None),
    ]  # no path: matches nothing
    report = score(SPLIT, predictions)
    assert (report.articles, report.articles_missing) == (2, 1)
    assert report.attribution == Prf(3, 3, 5)


def test_report_to_dict_and_table() -> None:
    report = score(SPLIT, predict(gold_specs()))
    data = json.loads(json.dumps(report.to_dict()))
    assert data["attribution"]["f1"] == 1.0
    assert data["by_kind"]["direct"]["triple"]["gold"] == 1
    assert data["gold_attributions"] == 5 and data["pred_statements"] == 5
    table = format_table(report)
    assert "attribution" in table and "no-source triple" in table and "100.0" in table


def test_sentence_around() -> None:
    text = TEXT[ALPHA]
    start, end = at(ALPHA, "that taxes will rise")
    assert sentence_around(text, start, end) == "It is widely believed that taxes will rise."
