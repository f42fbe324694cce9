"""How claims of many articles become propositions, stances and verdicts, and how the ledger
keeps them as articles arrive.

These tests build analysed articles by hand (speakers, statements, claims) and use a small
bag-of-words encoder, so that they specify the bookkeeping — which claims count for whom,
which verdict follows, what stays stable as articles arrive — independently of the language
model; ``test_propositions.py`` checks the matching itself with the shipped embeddings.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from claimledger.aggregate import aggregate
from claimledger.model import Article, Claim, Commitment, Content, Speaker, Statement, Via
from claimledger.store import Ledger

WORDS = (
    "council budget road repairs school buses heating town hall winter residents market"
    " harbour festival library bridge tram farmers weather election museum hospital police"
    " river park bakery theatre stadium airport factory orchard village coast valley"
)


def filler(name: str) -> str:
    """Sixty words of text of its own for each article, so that only articles made as
    copies are near-duplicates."""
    rng = random.Random(name)
    return " ".join(rng.choice(WORDS.split()) for _ in range(60)) + "."


def bag_of_words(texts: Sequence[str]) -> np.ndarray:
    """A stand-in for sentence embeddings: hashed word counts, unit length. Texts with the
    same words are identical vectors; texts sharing no word are orthogonal."""
    out = np.zeros((len(texts), 384), dtype=np.float32)
    for row, text in enumerate(texts):
        for word in re.findall(r"\w+", text.casefold()):
            out[row, int(hashlib.md5(word.encode()).hexdigest(), 16) % 384] += 1.0
        norm = np.linalg.norm(out[row])
        if norm:
            out[row] /= norm
    return out


def article(
    name: str,
    said: Sequence[tuple[str, str, int, Commitment]],
    *,
    outlet: str | None = None,
    body: str | None = None,
    role: str | None = None,
    organization: str | None = None,
    via: str | None = None,
) -> Article:
    """An analysed article in which each (speaker, core, polarity, commitment) is one
    statement with one claim (a lower-case speaker is an unnamed one)."""
    text = body if body is not None else f"{name}. " + filler(name)
    statements, claims = [], []
    for n, (speaker, core, polarity, commitment) in enumerate(said, start=1):
        start = len(text)
        text += f" {speaker} said {core}."
        content_start = start + len(f" {speaker} said ")
        content = Content(content_start, content_start + len(core), core)
        # "officials": unnamed; "Sabrina Singh": a person; "Pentagon": an organisation.
        kind = "unnamed" if speaker.islower() else "person" if " " in speaker else "organization"
        who = Speaker(speaker, kind, role, organization)
        statement = Statement(
            id=f"s{n}",
            kind="indirect",
            source=None,
            speaker=who,
            cue=None,
            content=content,
            by="test",
            said_on=f"2024-12-{n:02d}",
            via=(Via(via),) if via else (),
        )
        statements.append(statement)
        sign = 1 if polarity > 0 else -1
        claims.append(
            Claim(f"s{n}.c1", f"s{n}", content.start, content.end, core, core, sign, commitment)
        )
    digest = hashlib.sha256(text.encode()).hexdigest()
    return Article(
        id=f"sha256:{digest}", text=text, path=f"{name}.txt", outlet=outlet,
        statements=tuple(statements), claims=tuple(claims),
    )  # fmt: skip


def by_text(result: object, words: str) -> object:
    return next(p for p in result.propositions if p.text.casefold() == words)  # type: ignore[attr-defined]


def test_a_denial_and_an_assertion_of_one_thing_are_one_contested_proposition() -> None:
    result = aggregate(
        [
            article("kyiv", [("Ukrainian Army", "troops fought near the river", 1, "certain")]),
            article("dod", [("Pentagon", "troops fought near the river", -1, "certain")]),
        ],
        encode=bag_of_words,
    )
    assert len(result.propositions) == 1
    (proposition,) = result.propositions
    assert proposition.verdict == "contested"
    assert proposition.independent_sources == 2
    assert {(s.speaker, s.stance) for s in proposition.stances} == {
        ("Ukrainian Army", "supports"),
        ("Pentagon", "denies"),
    }


def test_claims_about_different_things_stay_apart() -> None:
    result = aggregate(
        [
            article("a", [("Pentagon", "troops fought near the river", 1, "certain")]),
            article("b", [("Mayor", "schools reopen on monday", 1, "certain")]),
        ],
        encode=bag_of_words,
    )
    assert len(result.propositions) == 2
    assert {p.verdict for p in result.propositions} == {"single_source"}


def test_a_spokesperson_counts_with_her_organisation() -> None:
    result = aggregate(
        [
            article("a", [("Pentagon", "the base was hit", 1, "certain")]),
            article(
                "b",
                [("Sabrina Singh", "the base was hit", 1, "certain")],
                role="Deputy Spokesperson",
                organization="Pentagon",
            ),
        ],
        encode=bag_of_words,
    )
    (proposition,) = result.propositions
    assert proposition.independent_sources == 1
    assert proposition.verdict == "single_source"  # not corroborated: one source, two voices
    assert {s.speaker for s in proposition.stances} == {"Pentagon", "Sabrina Singh"}
    assert {s.source for s in proposition.stances} == {"Pentagon"}


def test_two_independent_supporters_corroborate_and_hedges_do_not_deny() -> None:
    result = aggregate(
        [
            article("a", [("Reuters", "the dam was breached", 1, "certain")]),
            article("b", [("Red Cross", "the dam was breached", 1, "certain")]),
            article("c", [("Local officials", "the dam was breached", -1, "possible")]),
        ],
        encode=bag_of_words,
    )
    (proposition,) = result.propositions
    assert proposition.verdict == "corroborated"
    hedge = next(s for s in proposition.stances if s.speaker == "Local officials")
    assert (hedge.stance, hedge.polarity) == ("hedges", -1)


def test_a_speaker_repeating_a_claim_counts_once_with_the_firmest_stance() -> None:
    result = aggregate(
        [
            article(
                "a",
                [
                    ("Kremlin", "the convoy crossed the border", 1, "possible"),
                    ("Kremlin", "the convoy crossed the border", 1, "certain"),
                ],
            ),
        ],
        encode=bag_of_words,
    )
    (proposition,) = result.propositions
    (stance,) = proposition.stances
    assert stance.stance == "supports"
    assert len(stance.evidence) == 2


def test_a_declined_comment_is_a_stance_but_not_a_side() -> None:
    result = aggregate(
        [article("a", [("State Department", "the talks resumed", 1, "uncommitted")])],
        encode=bag_of_words,
    )
    (proposition,) = result.propositions
    assert proposition.verdict == "declined"
    assert proposition.stances[0].stance == "declines"


def test_copies_of_one_wire_story_count_once_and_are_listed() -> None:
    story = [("Interior Ministry", "the curfew was lifted", 1, "certain")]
    original = article("wire", story, outlet="AP")
    copy = article("copy", story, outlet="Daily Herald", body=original.text.split(" Interior")[0]
                   + " Share this article.")  # fmt: skip
    other = article("other", [("Mayor Rossi", "the curfew was lifted", 1, "certain")])
    result = aggregate([original, copy, other], encode=bag_of_words)
    (proposition,) = result.propositions
    assert proposition.independent_sources == 2
    assert proposition.verdict == "corroborated"
    ministry = next(s for s in proposition.stances if s.speaker == "Interior Ministry")
    (evidence,) = ministry.evidence
    assert evidence.article_id == original.id
    assert evidence.copies == (copy.id,)
    assert [r.articles for r in result.reports] == [(original.id, copy.id)]


def test_copies_do_not_turn_unnamed_sources_into_several() -> None:
    story = [("officials", "the bridge collapsed", 1, "certain")]
    first = article("one", story)
    reprint = article("two", story, body=first.text.split(" officials")[0] + " More news.")
    elsewhere = article("three", [("officials", "the bridge collapsed", 1, "certain")])
    result = aggregate([first, reprint, elsewhere], encode=bag_of_words)
    (proposition,) = result.propositions
    # The reprint's "officials" are the original's; another report's are other people.
    assert proposition.independent_sources == 2


def test_a_relayed_claim_counts_for_the_original_source_with_the_relay_shown() -> None:
    relayed = article(
        "kyiv", [("National Resistance Center", "the airfield was struck", -1, "certain")],
        via="Kyiv Independent",
    )  # fmt: skip
    direct = article("nrc", [("National Resistance Center", "the airfield was struck", -1,
                             "certain")])  # fmt: skip
    result = aggregate([relayed, direct], encode=bag_of_words)
    (proposition,) = result.propositions
    assert proposition.independent_sources == 1
    (stance,) = proposition.stances
    assert stance.source == "National Resistance Center"
    assert [e.via for e in stance.evidence] == [("Kyiv Independent",), ()]


# -- the ledger, article by article -----------------------------------------------------------

CORPUS = [
    ("a", [("Ukrainian Army", "troops fought near the river", 1, "certain")]),
    ("b", [("Pentagon", "troops fought near the river", -1, "certain"),
           ("Pentagon", "troops are stationed in the north", 1, "certain")]),
    ("c", [("Mayor", "schools reopen on monday", 1, "certain")]),
    ("d", [("Governor", "schools reopen on monday", 1, "probable"),
           ("NRC", "troops are stationed in the north", 1, "certain")]),
]  # fmt: skip


def summary(propositions: Sequence[object]) -> set[tuple[object, ...]]:
    """Propositions up to their ids."""
    return {
        (p.text, p.verdict, p.independent_sources,  # type: ignore[attr-defined]
         frozenset((s.speaker, s.stance) for s in p.stances))  # type: ignore[attr-defined]
        for p in propositions
    }


def test_the_ledger_gives_what_aggregate_gives(tmp_path: Path) -> None:
    articles = [article(n, said) for n, said in CORPUS]
    with Ledger(tmp_path / "l.db", encode=bag_of_words) as db:
        db.add_articles(articles)
        stored = db.claims.propositions()
    assert summary(stored) == summary(aggregate(articles, encode=bag_of_words).propositions)
    assert stored[0].verdict == "contested"  # contested first


def test_two_halves_give_what_all_at_once_gives_and_ids_stay(tmp_path: Path) -> None:
    articles = [article(n, said) for n, said in CORPUS]
    with Ledger(tmp_path / "once.db", encode=bag_of_words) as db:
        db.add_articles(articles)
        once = db.claims.propositions()
    with Ledger(tmp_path / "halves.db", encode=bag_of_words) as db:
        db.add_articles(articles[:2])
        early = {p.text: p.id for p in db.claims.propositions()}
    with Ledger(tmp_path / "halves.db", encode=bag_of_words) as db:  # reopened: index from disk
        db.add_articles(articles[2:])
        halves = db.claims.propositions()
    assert summary(halves) == summary(once)
    assert {p.text: p.id for p in halves if p.text in early} == early


def test_re_ingesting_changes_nothing(tmp_path: Path) -> None:
    articles = [article(n, said) for n, said in CORPUS]
    with Ledger(tmp_path / "l.db", encode=bag_of_words) as db:
        db.add_articles(articles)
        before = db.claims.propositions()
        assert db.add_articles(articles) == 0
        assert db.claims.propositions() == before


def test_a_lost_index_file_is_rebuilt_from_the_ledger(tmp_path: Path) -> None:
    articles = [article(n, said) for n, said in CORPUS]
    with Ledger(tmp_path / "l.db", encode=bag_of_words) as db:
        db.add_articles(articles[:3])
    Path(str(tmp_path / "l.db") + ".claims.usearch").unlink()
    with Ledger(tmp_path / "l.db", encode=bag_of_words) as db:
        db.add_articles(articles[3:])
        rebuilt = db.claims.propositions()
    with Ledger(tmp_path / "all.db", encode=bag_of_words) as db:
        db.add_articles(articles)
        assert summary(rebuilt) == summary(db.claims.propositions())


def test_removing_an_article_takes_its_stances_away(tmp_path: Path) -> None:
    articles = [article(n, said) for n, said in CORPUS]
    with Ledger(tmp_path / "l.db", encode=bag_of_words) as db:
        db.add_articles(articles)
        assert db.remove_article(articles[1].id)
        fought = next(p for p in db.claims.propositions() if "fought" in p.text)
    assert fought.verdict == "single_source"
    assert [s.speaker for s in fought.stances] == ["Ukrainian Army"]


def test_a_duplicate_article_adds_no_source_in_the_ledger(tmp_path: Path) -> None:
    story = [("Interior Ministry", "the curfew was lifted", 1, "certain")]
    original = article("wire", story, outlet="AP")
    copy = article("copy", story, outlet="Daily Herald",
                   body=original.text.split(" Interior")[0] + " Share this.")  # fmt: skip
    with Ledger(tmp_path / "l.db", encode=bag_of_words) as db:
        db.add_article(original)
        before = db.claims.propositions()
        db.add_article(copy)
        after = db.claims.propositions()
        reports = db.claims.report_articles()
    assert [p.independent_sources for p in after] == [p.independent_sources for p in before]
    assert after[0].stances[0].evidence[0].copies == (copy.id,)
    assert reports == [(reports[0][0], [original.id, copy.id])]


@pytest.mark.parametrize("verdict", ["contested", "single_source"])
def test_propositions_filter_by_verdict(tmp_path: Path, verdict: str) -> None:
    articles = [article(n, said) for n, said in CORPUS]
    with Ledger(tmp_path / "l.db", encode=bag_of_words) as db:
        db.add_articles(articles)
        found = db.claims.propositions(verdict=verdict)
    assert found and {p.verdict for p in found} == {verdict}
