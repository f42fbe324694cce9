"""Where sources agree and contradict, as people and programs read it: the JSON of
docs/format.md ("Propositions"), the tables and panels for a terminal and the plain lines for
a pipe, for propositions, checked claims, sources, timelines and the section ``analyze`` ends
with. The propositions are built here (the Kursk example's combat proposition, as the issue
annotates it), so that these tests specify the surfaces alone.
"""

from __future__ import annotations

import dataclasses
import io
import json
import re
from pathlib import Path
from typing import Any

from rich.console import Console

from claimledger.interchange import (
    check_to_dict,
    proposition_to_dict,
    propositions_to_dict,
    sources_to_dict,
    timeline_to_dict,
)
from claimledger.model import (
    CheckMatch,
    CheckResult,
    Evidence,
    Proposition,
    SourceSummary,
    Stance,
    TimelineEntry,
)
from claimledger.render_propositions import (
    PROPOSITION_COLUMNS,
    check_lines,
    check_report,
    disagreements_lines,
    disagreements_report,
    proposition_rows,
    propositions_table,
    sources_table,
    timeline_report,
)

REPO = Path(__file__).parent.parent
KURSK = "examples/kursk.txt"
SINGH_WORDS = (
    "So we believe — and I think General Ryder spoke to this as well last week, that DPRK troops"
    " are still in that Kursk region. Haven’t seen them engaged in combat."
)


def said(
    text: str,
    *,
    content: str | None = None,
    statement: str | None = "s3",
    said_on: str | None = "2024-12-09",
    polarity: int = 1,
    commitment: str = "certain",
    via: tuple[str, ...] = (),
    copies: tuple[str, ...] = (),
) -> Evidence:
    return Evidence(
        article_id="sha256:kursk",
        claim_id=f"{statement or 'n'}.c1",
        statement_id=statement,
        text=text,
        content=content or text,
        polarity=polarity,  # type: ignore[arg-type]
        commitment=commitment,  # type: ignore[arg-type]
        said_on=said_on,
        path=KURSK,
        title="Hidden Truth About North Korea’s Role",
        published="2024-12-10",
        via=via,
        copies=copies,
    )


UKRAINE = Stance(
    "Ukrainian forces",
    "Ukrainian forces",
    "supports",
    1,
    "certain",
    (said("to have engaged North Korean troops in combat", statement="s6", said_on=None),),
)
SINGH = Stance(
    "Sabrina Singh",
    "Pentagon",
    "denies",
    -1,
    "certain",
    (said("Haven’t seen them engaged in combat", content=SINGH_WORDS, polarity=-1),),
)
NRC = Stance(
    "National Resistance Center",
    "National Resistance Center",
    "denies",
    -1,
    "certain",
    (
        said(
            "Russia has not deployed North Korean troops in combat operations",
            statement="s12",
            said_on="2024-12-05",
            polarity=-1,
            via=("Kyiv Independent",),
            copies=("sha256:reprint",),
        ),
    ),
)
US = Stance(
    "U.S.",
    "U.S.",
    "declines",
    1,
    "uncommitted",
    (said("combat engagements", statement="s11", said_on=None, commitment="uncommitted"),),
)
COMBAT = Proposition(
    id="p1",
    text="North Korean troops have engaged in combat",
    verdict="contested",
    independent_sources=4,
    stances=(UKRAINE, SINGH, NRC, US),
    claims=4,
    first_said="2024-12-05",
    last_said="2024-12-09",
)
REAR_GUARD = Proposition(
    id="p2",
    text="These soldiers are primarily tasked with rear-guard duties",
    verdict="hedged",
    independent_sources=1,
    stances=(
        Stance(
            "local sources",
            "local sources",
            "hedges",
            1,
            "probable",
            (
                said(
                    "these soldiers are primarily tasked with rear-guard duties",
                    statement="s2",
                    said_on=None,
                    commitment="probable",
                ),
            ),
        ),
    ),
    claims=1,
)
NEGATED_CHECK = CheckResult(
    claim="North Korean troops have not fought",
    core="North Korean troops have fought",
    polarity=-1,
    matches=(
        CheckMatch(
            COMBAT,
            0.9137,
            True,
            (
                dataclasses.replace(UKRAINE, stance="denies", polarity=-1),
                dataclasses.replace(SINGH, stance="supports", polarity=1),
            ),
        ),
    ),
)
PENTAGON = SourceSummary(
    source="Pentagon",
    speakers=("Pentagon", "Sabrina Singh"),
    statements=4,
    stances=(("p1", COMBAT.text, "denies"), ("p3", "DPRK troops are in Kursk", "supports")),
)
TIMELINE = [
    TimelineEntry("2024-12-05", "National Resistance Center", "denies", NRC.evidence[0]),
    TimelineEntry("2024-12-09", "Sabrina Singh", "denies", SINGH.evidence[0]),
]


def rendered(renderable: Any, width: int = 120) -> str:
    console = Console(width=width, record=True, file=io.StringIO(), color_system=None)
    console.print(renderable)
    return console.export_text()


def keys(value: Any) -> set[str]:
    """Every key of every object in a JSON value, nested ones too."""
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in keys(v)}
    return set()


def documented_keys(heading: str) -> set[str]:
    """The keys in the first code block under the docs/format.md heading starting with
    ``heading``."""
    text = (REPO / "docs" / "format.md").read_text(encoding="utf-8")
    section = re.split(r"\n#+ ", text)
    body = next(s for s in section if s.startswith(heading))
    block = body.split("```", 2)[1]
    return set(re.findall(r'"([a-z_]+)":', block))


# -- JSON (docs/format.md) ----------------------------------------------------------------------


def test_a_proposition_in_json_has_exactly_the_documented_keys() -> None:
    document = propositions_to_dict([COMBAT, REAR_GUARD])
    assert document["format"] == "claimledger/1"
    assert keys(document) == documented_keys("Propositions")
    json.dumps(document)  # plain JSON values only


def test_a_proposition_in_json_carries_every_stance_with_its_evidence() -> None:
    d = proposition_to_dict(COMBAT)
    assert (d["id"], d["verdict"], d["independent_sources"]) == ("p1", "contested", 4)
    assert (d["first_said"], d["last_said"], d["claims"]) == ("2024-12-05", "2024-12-09", 4)
    sides = {s["speaker"]: s["stance"] for s in d["stances"]}
    assert sides == {
        "Ukrainian forces": "supports",
        "Sabrina Singh": "denies",
        "National Resistance Center": "denies",
        "U.S.": "declines",
    }
    singh = next(s for s in d["stances"] if s["speaker"] == "Sabrina Singh")
    assert (singh["source"], singh["polarity"], singh["commitment"]) == ("Pentagon", -1, "certain")
    [evidence] = singh["statements"]
    assert evidence["article"] == KURSK and evidence["article_id"] == "sha256:kursk"
    assert evidence["statement"] == "s3" and evidence["said_on"] == "2024-12-09"
    assert evidence["claim"] == {
        "id": "s3.c1",
        "text": "Haven’t seen them engaged in combat",
        "polarity": -1,
        "commitment": "certain",
    }
    assert evidence["content"] == {"text": SINGH_WORDS}
    nrc = next(s for s in d["stances"] if s["speaker"] == "National Resistance Center")
    assert nrc["statements"][0]["via"] == [{"name": "Kyiv Independent"}]
    assert nrc["statements"][0]["copies"] == ["sha256:reprint"]


def test_an_article_without_a_path_is_named_by_its_id() -> None:
    bare = Evidence("sha256:abc", "s1.c1", "s1", "it rained", "it rained", 1, "certain")
    stance = Stance("Ann", "Ann", "supports", 1, "certain", (bare,))
    d = proposition_to_dict(Proposition("p9", "It rained", "single_source", 1, (stance,)))
    assert d["stances"][0]["statements"][0]["article"] == "sha256:abc"


def test_check_json_gives_the_stances_relative_to_the_claim_with_a_score() -> None:
    document = check_to_dict(NEGATED_CHECK)
    check_keys = documented_keys("`claimledger check")
    assert check_keys <= keys(document) <= check_keys | documented_keys("Propositions")
    assert (document["claim"], document["polarity"]) == ("North Korean troops have not fought", -1)
    [match] = document["propositions"]
    assert (match["id"], match["score"], match["negated"]) == ("p1", 0.914, True)
    assert {s["speaker"]: s["stance"] for s in match["stances"]} == {
        "Ukrainian forces": "denies",
        "Sabrina Singh": "supports",
    }


def test_sources_and_timeline_json_have_exactly_the_documented_keys() -> None:
    sources = sources_to_dict([PENTAGON])
    assert keys(sources) == documented_keys("`claimledger sources")
    assert sources["sources"][0]["stances"][0] == {
        "proposition": "p1",
        "text": COMBAT.text,
        "stance": "denies",
    }
    timeline = timeline_to_dict(COMBAT, TIMELINE)
    documented = documented_keys("`claimledger timeline") | documented_keys("Propositions")
    assert keys(timeline) <= documented and "evidence" in keys(timeline)
    assert [t["said_on"] for t in timeline["timeline"]] == ["2024-12-05", "2024-12-09"]
    assert timeline["format"] == "claimledger/1" and timeline["proposition"] == "p1"
    assert (timeline["text"], timeline["verdict"]) == (COMBAT.text, "contested")


# -- rendering ----------------------------------------------------------------------------------


def test_the_propositions_table_shows_verdict_text_sources_and_who_stands_where() -> None:
    text = rendered(propositions_table([COMBAT, REAR_GUARD]), width=160)
    for shown in ("contested", "hedged", "North Korean troops have engaged in combat", "4 sources"):
        assert shown in text
    assert "supports: Ukrainian forces" in text and "hedges: local sources" in text
    # a spokesperson, with the source she counts for
    assert "denies: Sabrina Singh (Pentagon), National Resistance Center" in text
    assert "declines: U.S." in text


def test_the_propositions_table_fits_a_narrow_terminal() -> None:
    text = rendered(propositions_table([COMBAT]), width=60)
    assert max(len(line) for line in text.splitlines()) <= 60


def test_proposition_rows_put_each_side_in_its_column() -> None:
    [row] = proposition_rows([COMBAT])
    assert set(row) == set(PROPOSITION_COLUMNS)
    assert row["supports"] == "Ukrainian forces"
    assert row["denies"] == "Sabrina Singh (Pentagon); National Resistance Center"
    assert row["hedges"] == "" and row["declines"] == "U.S."


def test_check_shows_every_stance_with_its_quote_date_and_article() -> None:
    lines = list(check_lines(NEGATED_CHECK))
    assert lines[0].startswith("checked: “North Korean troops have not fought”")
    assert "p1 · score 0.91 · contested, 4 independent sources" in lines[1]
    assert "supports and denies are swapped" in lines[1]
    singh = next(line for line in lines if "Sabrina Singh" in line)
    assert singh.startswith("  supports · Sabrina Singh (Pentagon) · “Haven’t seen them")
    assert "said 2024-12-09" in singh and f"{KURSK} s3" in singh
    assert "So we believe" in singh  # the whole statement the clause is part of
    ukraine = next(line for line in lines if "Ukrainian forces" in line)
    assert "published 2024-12-10" in ukraine and "denies" in ukraine  # the day said is unknown


def test_check_on_a_terminal_is_a_panel_per_match() -> None:
    text = rendered(check_report(NEGATED_CHECK), width=200)
    assert "p1 · score 0.91 · contested, 4 independent sources" in text
    assert "Haven’t seen them engaged in combat" in text and "said 2024-12-09" in text
    assert "supports —" in text and "denies —" in text
    narrow = rendered(check_report(NEGATED_CHECK), width=50)
    assert max(len(line) for line in narrow.splitlines()) <= 50


def test_a_check_that_matches_nothing_says_so() -> None:
    nothing = CheckResult("the moon is cheese", "the moon is cheese", 1, ())
    assert "No proposition in the ledger matches this claim." in list(check_lines(nothing))
    assert "No proposition in the ledger matches" in rendered(check_report(nothing))


def test_relays_and_copies_are_shown_with_the_evidence() -> None:
    match = CheckMatch(COMBAT, 1.0, False, (NRC,))
    [_, _, line] = check_lines(CheckResult(COMBAT.text, COMBAT.text, 1, (match,)))
    assert "via Kyiv Independent" in line and "1 copy elsewhere" in line


def test_sources_and_timeline_tables() -> None:
    text = rendered(sources_table([PENTAGON]))
    assert "Pentagon" in text and "Sabrina Singh" in text and "p1 denies" in text
    text = rendered(timeline_report(COMBAT, TIMELINE))
    assert text.startswith("p1 · contested, 4 independent sources · North Korean troops")
    assert text.index("2024-12-05") < text.index("2024-12-09")
    assert "National Resistance Center" in text and "“Haven’t seen them engaged in combat”" in text


def test_the_disagreement_section_names_who_is_on_each_side() -> None:
    lines = list(disagreements_lines([COMBAT, REAR_GUARD]))
    assert lines[0] == "Where sources disagree:"
    assert lines[1] == "p1 · contested, 4 independent sources · " + COMBAT.text
    assert "  supports: Ukrainian forces" in lines
    assert "  denies: Sabrina Singh (Pentagon); National Resistance Center" in lines
    assert "  declines: U.S." in lines
    assert not any("rear-guard" in line for line in lines)  # hedged, not contested
    boxed = rendered(disagreements_report([COMBAT]), width=100)
    assert "Where sources disagree" in boxed and "“Haven’t seen them engaged in combat”" in boxed


def test_the_disagreement_section_says_none_plainly() -> None:
    [line] = disagreements_lines([REAR_GUARD])
    assert line.startswith("Where sources disagree: none.")
    assert "Where sources disagree: none." in rendered(disagreements_report([]))


def test_the_statement_is_quoted_only_when_it_says_more_than_the_claim() -> None:
    whole = said("North Korea initiated the offer", content="that North Korea initiated the offer")
    stance = Stance("Samuel Paparo", "Samuel Paparo", "supports", 1, "certain", (whole,))
    match = CheckMatch(COMBAT, 0.5, False, (stance,))
    [*_, line] = check_lines(CheckResult(COMBAT.text, COMBAT.text, 1, (match,)))
    assert "“North Korea initiated the offer” [said" in line and " in “" not in line
