"""The commands that ask the ledger across articles — ``propositions``, ``check``,
``sources``, ``timeline`` — and the section "Where sources disagree" that ``analyze`` ends with.

The first part runs them on a stand-in ledger that records what it is asked (so that they are
specified apart from the computation); the end-to-end tests build a real ledger from articles.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, ClassVar

import pytest
from rich.console import Console
from spacy.language import Language
from test_render_propositions import (
    COMBAT,
    NEGATED_CHECK,
    PENTAGON,
    REAR_GUARD,
    REPO,
    SINGH,
    TIMELINE,
    documented_keys,
    keys,
)
from typer.testing import CliRunner

import claimledger.aggregate
import claimledger.api
import claimledger.cli_propositions
from claimledger.aggregate import Aggregate
from claimledger.cli import app
from claimledger.model import (
    Article,
    CheckResult,
    Proposition,
    Report,
    SourceSummary,
    TimelineEntry,
)
from claimledger.render_propositions import PROPOSITION_COLUMNS

CLI_FIXTURES = Path(__file__).parent / "fixtures" / "cli"

# -- the commands, on a stand-in ledger ---------------------------------------------------------


class FakeLedger:
    """Records what the commands ask; answers with the propositions of test_render_propositions."""

    calls: ClassVar[list[tuple[str, Any]]] = []

    def __init__(self, path: str, *, readonly: bool = False) -> None:
        assert readonly, "query commands open the ledger read-only"

    def __enter__(self) -> FakeLedger:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def propositions(self, **filters: Any) -> list[Proposition]:
        self.calls.append(("propositions", filters))
        return [COMBAT, REAR_GUARD]

    def check(self, claim: str, limit: int = 5) -> CheckResult:
        self.calls.append(("check", (claim, limit)))
        return NEGATED_CHECK

    def sources(self) -> list[SourceSummary]:
        self.calls.append(("sources", None))
        return [PENTAGON]

    def proposition(self, proposition_id: str) -> Proposition:
        if proposition_id != "p1":
            raise claimledger.api.UnknownProposition(proposition_id, "l.db")
        return COMBAT

    def timeline(self, proposition_id: str) -> list[TimelineEntry]:
        self.calls.append(("timeline", proposition_id))
        self.proposition(proposition_id)
        return TIMELINE

    def reports(self) -> list[Report]:
        return [Report("r1", ("sha256:kursk", "sha256:reprint"))]


@pytest.fixture
def ledger(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> type[FakeLedger]:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "l.db").write_bytes(b"")  # exists, for the missing-ledger check
    monkeypatch.setattr(claimledger.api, "Ledger", FakeLedger)
    FakeLedger.calls = []
    return FakeLedger


def invoke(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def test_propositions_passes_every_filter_to_the_ledger(ledger: type[FakeLedger]) -> None:
    result = invoke(
        "propositions", "--db", "l.db", "--verdict", "Contested", "--speaker", "Singh",
        "--text", "combat", "--since", "2024-12-01", "--until", "2024-12-31", "--limit", "3",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert ledger.calls == [
        (
            "propositions",
            {
                "verdict": "contested",
                "speaker": "Singh",
                "text": "combat",
                "since": "2024-12-01",
                "until": "2024-12-31",
                "limit": 3,
            },
        )
    ]


def test_propositions_piped_are_tab_separated_with_a_count(ledger: type[FakeLedger]) -> None:
    result = invoke("propositions", "--db", "l.db")
    assert result.exit_code == 0, result.output
    header, first, second = result.stdout.splitlines()
    assert header.split("\t") == list(PROPOSITION_COLUMNS)
    assert first.split("\t")[:3] == ["p1", "contested", "4"]
    assert "Sabrina Singh (Pentagon); National Resistance Center" in first.split("\t")
    assert second.startswith("p2\thedged")
    assert result.stderr.strip() == "2 propositions"


def test_propositions_on_a_terminal_is_a_table(
    ledger: type[FakeLedger], monkeypatch: pytest.MonkeyPatch
) -> None:
    screen = Console(file=io.StringIO(), force_terminal=True, width=150, color_system=None)
    monkeypatch.setattr(claimledger.cli_propositions, "out", screen)
    assert invoke("propositions", "--db", "l.db").exit_code == 0
    shown = screen.file.getvalue()  # type: ignore[attr-defined]
    assert "┃ id" in shown and "contested" in shown and "Sabrina Singh (Pentagon)" in shown


def test_propositions_json_is_one_documented_object(ledger: type[FakeLedger]) -> None:
    result = invoke("propositions", "--db", "l.db", "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert [p["id"] for p in document["propositions"]] == ["p1", "p2"]
    assert keys(document) == documented_keys("Propositions")


@pytest.mark.parametrize(
    ("option", "value", "said"),
    [
        ("--verdict", "disputed", "not a verdict; use one of contested corroborated denied"),
        ("--since", "2024-13-01", "'2024-13-01' is not a date; use YYYY-MM-DD, YYYY-MM or YYYY"),
        ("--since", "2024-02-30", "--since"),
        ("--until", "yesterday", "--until"),
    ],
)
def test_propositions_refuses_a_bad_filter_before_opening_the_ledger(
    ledger: type[FakeLedger], option: str, value: str, said: str
) -> None:
    result = invoke("propositions", "--db", "l.db", option, value)
    assert result.exit_code == 2
    assert said in result.stderr
    assert ledger.calls == []


def test_propositions_takes_a_month_or_a_year_as_the_ledger_does(
    ledger: type[FakeLedger],
) -> None:
    result = invoke("propositions", "--db", "l.db", "--since", "2024", "--until", "2024-12")
    assert result.exit_code == 0, result.output
    [(_, filters)] = ledger.calls
    assert (filters["since"], filters["until"]) == ("2024", "2024-12")


def test_check_asks_the_ledger_and_prints_the_evidence(ledger: type[FakeLedger]) -> None:
    result = invoke("check", "North Korean troops have not fought", "--db", "l.db", "--limit", "2")
    assert result.exit_code == 0, result.output
    assert ledger.calls == [("check", ("North Korean troops have not fought", 2))]
    assert "supports · Sabrina Singh (Pentagon) · “Haven’t seen them engaged" in result.stdout
    as_json = invoke("check", "North Korean troops have not fought", "--db", "l.db", "--json")
    assert json.loads(as_json.stdout)["propositions"][0]["negated"] is True


def test_check_refuses_an_empty_claim(ledger: type[FakeLedger]) -> None:
    result = invoke("check", "  ", "--db", "l.db")
    assert result.exit_code == 2 and "the claim is empty" in result.stderr
    assert ledger.calls == []


def test_sources_piped_and_as_json(ledger: type[FakeLedger]) -> None:
    piped = invoke("sources", "--db", "l.db")
    assert piped.exit_code == 0, piped.output
    assert piped.stdout.splitlines()[1].split("\t") == [
        "Pentagon",
        "Pentagon; Sabrina Singh",
        "4",
        "p1 denies; p3 supports",
    ]
    document = json.loads(invoke("sources", "--db", "l.db", "--json").stdout)
    assert document["sources"][0]["speakers"] == ["Pentagon", "Sabrina Singh"]


def test_timeline_lists_the_statements_in_the_order_said(ledger: type[FakeLedger]) -> None:
    result = invoke("timeline", "p1", "--db", "l.db")
    assert result.exit_code == 0, result.output
    rows = [line.split("\t") for line in result.stdout.splitlines()[1:]]
    assert [(r[0], r[1], r[2]) for r in rows] == [
        ("2024-12-05", "National Resistance Center", "denies"),
        ("2024-12-09", "Sabrina Singh", "denies"),
    ]
    document = json.loads(invoke("timeline", "p1", "--db", "l.db", "--json").stdout)
    assert document["timeline"][1]["evidence"]["claim"]["text"] == SINGH.evidence[0].text


def test_timeline_of_an_unknown_proposition_is_one_line_and_exit_2(
    ledger: type[FakeLedger],
) -> None:
    result = invoke("timeline", "p99", "--db", "l.db")
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert line.startswith("error: p99: no such proposition in l.db;")
    assert "claimledger propositions --db l.db" in line
    assert result.stdout == ""


@pytest.mark.parametrize(
    "command",
    [["propositions"], ["check", "troops fought"], ["sources"], ["timeline", "p1"]],
    ids=lambda c: c[0],
)
def test_a_missing_ledger_is_one_line_and_exit_2(
    ledger: type[FakeLedger], command: list[str]
) -> None:
    result = invoke(*command, "--db", "nothing-here.db")
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert "nothing-here.db: no such ledger" in line and "claimledger ingest" in line
    assert ledger.calls == []
    assert not Path("nothing-here.db").exists()


def test_export_propositions_is_one_object_with_the_reports(ledger: type[FakeLedger]) -> None:
    result = invoke("export", "--db", "l.db", "--propositions", "-o", "out.json")
    assert result.exit_code == 0, result.output
    [line] = Path("out.json").read_text(encoding="utf-8").splitlines()
    document = json.loads(line)
    assert [p["id"] for p in document["propositions"]] == ["p1", "p2"]
    assert document["reports"] == [{"id": "r1", "articles": ["sha256:kursk", "sha256:reprint"]}]
    assert keys(document) == documented_keys("Propositions") | {"reports", "articles"}
    assert ledger.calls[0] == ("propositions", {})


def test_export_propositions_as_csv_is_a_row_per_piece_of_evidence(
    ledger: type[FakeLedger],
) -> None:
    result = invoke("export", "--db", "l.db", "--propositions", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 5  # four stances of p1, one of p2, one quote each
    singh = next(r for r in rows if r["speaker"] == "Sabrina Singh")
    assert (singh["proposition"], singh["stance"], singh["source"]) == ("p1", "denies", "Pentagon")
    assert singh["claim"] == SINGH.evidence[0].text and singh["said_on"] == "2024-12-09"
    assert next(r for r in rows if r["speaker"] == "National Resistance Center")["via"] == (
        "Kyiv Independent"
    )


# -- analyze: "Where sources disagree" ----------------------------------------------------------


@pytest.fixture
def two_articles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("tram.txt", "harbour.txt"):
        (tmp_path / name).write_text((CLI_FIXTURES / name).read_text(encoding="utf-8"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def fake_aggregate(
    monkeypatch: pytest.MonkeyPatch, *found: Proposition
) -> list[list[Article]]:
    """Makes analyze's comparison return ``found``; gives the lists of articles it was given."""
    given: list[list[Article]] = []

    def compare(articles: Sequence[Article], encode: object = None) -> Aggregate:
        given.append(list(articles))
        return Aggregate(propositions=found, reports=())

    monkeypatch.setattr(claimledger.aggregate, "aggregate", compare)
    return given


def test_analyze_ends_with_where_the_sources_disagree(
    nlp: Language, two_articles: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    given = fake_aggregate(monkeypatch, COMBAT, REAR_GUARD)
    result = invoke("analyze", "tram.txt", "harbour.txt", "--plain")
    assert result.exit_code == 0, result.output
    assert [[a.path for a in articles] for articles in given] == [["tram.txt", "harbour.txt"]]
    section = result.stdout.split("Where sources disagree:", 1)[1].splitlines()
    assert section[1] == "p1 · contested, 4 independent sources · " + COMBAT.text
    assert "  denies: Sabrina Singh (Pentagon); National Resistance Center" in section
    assert "  supports: Ukrainian forces" in section
    assert result.stdout.index("Maria Lopez") < result.stdout.index("Where sources disagree")


def test_analyze_says_plainly_when_no_sources_disagree(
    nlp: Language, two_articles: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_aggregate(monkeypatch, REAR_GUARD)
    result = invoke("analyze", "tram.txt")
    assert result.exit_code == 0, result.output
    assert result.stdout.rstrip().splitlines()[-1].startswith("Where sources disagree: none.")


def test_analyze_json_stays_one_article_per_line(
    nlp: Language, two_articles: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    given = fake_aggregate(monkeypatch, COMBAT)
    result = invoke("analyze", "tram.txt", "harbour.txt", "--json")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["article"]["path"] for line in lines] == ["tram.txt", "harbour.txt"]
    assert given == []  # JSONL readers get articles only; propositions are in the ledger's JSON


# -- end to end: a real ledger of two articles that disagree, and the example -------------------

PROPOSITION_FIXTURES = Path(__file__).parent / "fixtures" / "propositions"
HERALD, COURIER = "bridge_herald.txt", "bridge_courier.txt"  # the mayor: safe; an engineer: not
BRIDGE = "The Riverside bridge is safe for heavy trucks"


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A ledger made by ``claimledger ingest`` from the two bridge articles and the example;
    the tests run in its folder (the articles are named as given, relative)."""
    folder = tmp_path_factory.mktemp("real")
    for name in (HERALD, COURIER):
        shutil.copy(PROPOSITION_FIXTURES / name, folder / name)
    shutil.copy(REPO / "examples" / "kursk.txt", folder / "kursk.txt")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        result = invoke(
            "ingest", HERALD, COURIER, "kursk.txt", "--db", "l.db", "--published", "2024-12-10"
        )
        assert result.exit_code == 0, result.output
        yield folder


def json_of(*args: str) -> Any:
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def bridge(document: dict[str, Any]) -> dict[str, Any]:
    [found] = [p for p in document["propositions"] if p["text"] == BRIDGE]
    return found


def test_a_real_ledger_lists_the_contested_proposition_with_who_is_on_each_side(
    real: Path,
) -> None:
    document = json_of("propositions", "--db", "l.db", "--json")
    assert keys(document) <= documented_keys("Propositions")  # parses with the documented keys
    p = bridge(document)
    assert (p["verdict"], p["independent_sources"]) == ("contested", 2)
    assert {s["speaker"]: s["stance"] for s in p["stances"]} == {
        "Ann Ruiz": "supports",
        "Tom Hale": "denies",
    }
    articles = {e["article"] for s in p["stances"] for e in s["statements"]}
    assert articles == {HERALD, COURIER}
    verdicts = [q["verdict"] for q in document["propositions"]]
    assert verdicts == sorted(verdicts, key=lambda v: v != "contested")  # contested first
    assert any(
        e["article"] == "kursk.txt"
        for q in document["propositions"]
        for s in q["stances"]
        for e in s["statements"]
    )


def test_a_real_ledger_filters_by_verdict_speaker_and_text(real: Path) -> None:
    contested = json_of("propositions", "--db", "l.db", "--verdict", "contested", "--json")
    assert {p["verdict"] for p in contested["propositions"]} == {"contested"}
    assert BRIDGE in {p["text"] for p in contested["propositions"]}
    hale = json_of("propositions", "--db", "l.db", "--speaker", "Hale", "--json")
    assert hale["propositions"] and all(
        any("Hale" in s["speaker"] for s in p["stances"]) for p in hale["propositions"]
    )
    riverside = json_of("propositions", "--db", "l.db", "--text", "riverside", "--json")
    assert BRIDGE in {p["text"] for p in riverside["propositions"]}
    one = json_of("propositions", "--db", "l.db", "--limit", "1", "--json")
    assert len(one["propositions"]) == 1


def test_checking_the_negation_flips_who_supports_and_who_denies(real: Path) -> None:
    claim = "The Riverside bridge is not safe for heavy trucks"
    document = json_of("check", claim, "--db", "l.db", "--json")
    best = document["propositions"][0]
    assert (best["text"], best["negated"], document["polarity"]) == (BRIDGE, True, -1)
    assert 0 < best["score"] <= 1
    assert {s["speaker"]: s["stance"] for s in best["stances"]} == {
        "Ann Ruiz": "denies",
        "Tom Hale": "supports",
    }
    piped = invoke("check", claim, "--db", "l.db").stdout
    assert "  supports · Tom Hale · “the Riverside bridge is not safe for heavy trucks”" in piped
    assert f"{COURIER} s1" in piped


def test_a_real_ledger_lists_sources_and_a_timeline(real: Path) -> None:
    document = json_of("sources", "--db", "l.db", "--json")
    assert keys(document) <= documented_keys("`claimledger sources")
    by_source = {s["source"]: s for s in document["sources"]}
    pid = bridge(json_of("propositions", "--db", "l.db", "--json"))["id"]
    assert {"proposition": pid, "text": BRIDGE, "stance": "denies"} in by_source["Tom Hale"][
        "stances"
    ]
    timeline = json_of("timeline", pid, "--db", "l.db", "--json")
    assert (timeline["proposition"], timeline["text"]) == (pid, BRIDGE)
    assert {(t["speaker"], t["stance"]) for t in timeline["timeline"]} == {
        ("Ann Ruiz", "supports"),
        ("Tom Hale", "denies"),
    }
    unknown = invoke("timeline", "p99999", "--db", "l.db")
    assert unknown.exit_code == 2
    assert unknown.stderr.startswith("error: p99999: no such proposition in l.db;")


def test_a_real_ledger_exports_its_propositions(real: Path) -> None:
    listed = json_of("propositions", "--db", "l.db", "--json")
    exported = json_of("export", "--db", "l.db", "--propositions")
    assert exported["propositions"] == listed["propositions"]
    assert exported["reports"] == []  # three different articles: no copies
    rows = list(csv.DictReader(io.StringIO(invoke(
        "export", "--db", "l.db", "--propositions", "--format", "csv").stdout)))  # fmt: skip
    assert {(r["speaker"], r["stance"]) for r in rows if r["proposition_text"] == BRIDGE} == {
        ("Ann Ruiz", "supports"),
        ("Tom Hale", "denies"),
    }


def test_analyze_of_two_articles_that_disagree_names_both_sides(real: Path) -> None:
    result = invoke("analyze", HERALD, COURIER, "--plain")
    assert result.exit_code == 0, result.output
    section = result.stdout.split("\nWhere sources disagree:\n", 1)[1].splitlines()
    [headline] = [line for line in section if line.endswith(" · " + BRIDGE)]
    assert " · contested, 2 independent sources · " in headline
    at = section.index(headline)
    assert section[at + 1 : at + 3] == ["  supports: Ann Ruiz", "  denies: Tom Hale"]


def test_a_reprint_is_one_report_and_its_copies_are_shown_with_the_evidence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    example = (REPO / "examples" / "kursk.txt").read_text(encoding="utf-8")
    (tmp_path / "original.txt").write_text(example, encoding="utf-8")
    rest = example.split("\n", 1)[1]  # the same story under another headline
    (tmp_path / "reprint.txt").write_text("North Korea’s Troops in Kursk\n" + rest, "utf-8")
    monkeypatch.chdir(tmp_path)
    ingested = invoke("ingest", "original.txt", "reprint.txt", "--db", "l.db")
    assert ingested.exit_code == 0, ingested.output
    exported = json_of("export", "--db", "l.db", "--propositions")
    [report] = exported["reports"]
    lines = invoke("export", "--db", "l.db").stdout.splitlines()
    ids = [json.loads(line)["article"]["id"] for line in lines]
    assert report["articles"] == ids  # the original first, then its copy
    singh = [
        e
        for p in exported["propositions"]
        for s in p["stances"]
        if s["speaker"] == "Sabrina Singh"
        for e in s["statements"]
    ]
    assert singh and all(e["copies"] == [ids[1]] for e in singh)
    assert all(e["article"] == "original.txt" for e in singh)
    checked = invoke("check", "DPRK troops are in the Kursk region", "--db", "l.db").stdout
    singh_lines = [line for line in checked.splitlines() if "Sabrina Singh" in line]
    assert singh_lines and all("1 copy elsewhere" in line for line in singh_lines)
