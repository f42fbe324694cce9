"""Turning what the aggregate stage builds across articles into what people read: propositions
with who stands where, a checked claim's matches with every quote, sources and timelines.

Each view has a terminal form (Rich tables and panels, wrapped to the console's width) and a
form for pipes: tab-separated rows for the lists (the manners of ``claimledger statements``),
plain lines for the nested views (one line per piece of evidence, never wrapped).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import get_args

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from claimledger.model import (
    CheckMatch,
    CheckResult,
    Evidence,
    Proposition,
    SourceSummary,
    Stance,
    StanceLabel,
    TimelineEntry,
)
from claimledger.render import plural

STANCES: tuple[StanceLabel, ...] = get_args(StanceLabel)  # supports, denies, hedges, declines
VERDICT_STYLE = {
    "contested": "bold red",
    "corroborated": "green",
    "denied": "magenta",
    "single_source": "yellow",
    "hedged": "cyan",
    "declined": "dim",
}
PROPOSITION_COLUMNS = (
    "id",
    "verdict",
    "independent_sources",
    "claims",
    "text",
    *STANCES,
    "first_said",
    "last_said",
)
EVIDENCE_COLUMNS = (
    "proposition",
    "proposition_text",
    "verdict",
    "independent_sources",
    "speaker",
    "source",
    "stance",
    "article_id",
    "article_path",
    "statement_id",
    "claim_id",
    "claim",
    "polarity",
    "commitment",
    "said_on",
    "content",
    "via",
    "copies",
)
SOURCE_COLUMNS = ("source", "speakers", "statements", "stances")
TIMELINE_COLUMNS = (
    "said_on",
    "speaker",
    "stance",
    "claim",
    "content",
    "article",
    "statement",
    "via",
)
HEADING = "Where sources disagree"


def who(stance: Stance) -> str:
    """The speaker, with the source it counts for when that is someone else: a spokesperson's
    organisation ("Sabrina Singh (Pentagon)")."""
    if stance.source.casefold().startswith(stance.speaker.casefold()):
        return stance.speaker  # the speaker is the source (its key may add a report id)
    return f"{stance.speaker} ({stance.source})"


def names_by_stance(stances: Iterable[Stance]) -> dict[StanceLabel, list[str]]:
    """Who supports, denies, hedges and declines, each name once, in the order given."""
    found: dict[StanceLabel, list[str]] = {label: [] for label in STANCES}
    for stance in stances:
        names = found[stance.stance]
        if who(stance) not in names:
            names.append(who(stance))
    return found


def evidence_notes(e: Evidence) -> str:
    """``said 2024-12-09 · examples/kursk.txt s3 · via Kyiv Independent · 2 copies elsewhere``
    (``published 2024-12-10`` where the day it was said is unknown)."""
    if e.said_on:
        notes = [f"said {e.said_on}"]
    else:  # when it was said is not known; when it was reported is the next best
        notes = [f"published {e.published}" if e.published else "date unknown"]
    if e.commitment != "certain":
        notes.append(e.commitment)
    article = e.path or e.title or e.article_id
    notes.append(f"{article} {e.statement_id}" if e.statement_id else f"{article} (narration)")
    if e.via:
        notes.append("via " + ", ".join(e.via))
    if e.copies:
        n = len(e.copies)
        notes.append(f"{n} {'copy' if n == 1 else 'copies'} elsewhere")
    return " · ".join(notes)


def _headline(p: Proposition) -> str:
    return f"{p.verdict.replace('_', ' ')}, {plural(p.independent_sources, 'independent source')}"


# -- propositions ---------------------------------------------------------------------------


def propositions_table(propositions: Iterable[Proposition]) -> Table:
    """One row per proposition: its verdict and independent sources, its text, and who
    supports, denies, hedges or declines it (one line per side, so that it fits 80 columns)."""
    table = Table("id", "verdict", "proposition", "where sources stand", show_lines=True)
    table.columns[0].no_wrap = True
    table.columns[1].no_wrap = True
    for p in propositions:
        verdict = Text(p.verdict.replace("_", " "), style=VERDICT_STYLE.get(p.verdict, ""))
        verdict.append(f"\n{plural(p.independent_sources, 'source')}", style="dim")
        table.add_row(p.id, verdict, p.text, _sides(p.stances))
    return table


def _sides(stances: Iterable[Stance]) -> Text:
    names = names_by_stance(stances)
    text = Text()
    for label in STANCES:
        if names[label]:
            if text:
                text.append("\n")
            text.append(f"{label}: ", style="cyan")
            text.append(", ".join(names[label]))
    return text


def proposition_rows(propositions: Iterable[Proposition]) -> Iterator[dict[str, object]]:
    """Flat rows with ``PROPOSITION_COLUMNS`` (names on one side joined by ``"; "``)."""
    for p in propositions:
        names = names_by_stance(p.stances)
        yield {
            "id": p.id,
            "verdict": p.verdict,
            "independent_sources": p.independent_sources,
            "claims": p.claims,
            "text": p.text,
            **{label: "; ".join(names[label]) for label in STANCES},
            "first_said": p.first_said or "",
            "last_said": p.last_said or "",
        }


def evidence_rows(propositions: Iterable[Proposition]) -> Iterator[dict[str, object]]:
    """One flat row per piece of evidence (``EVIDENCE_COLUMNS``): the proposition, the stance it
    supports and the claim as its source made it, for ``export --propositions --format csv``."""
    for p in propositions:
        for stance in p.stances:
            for e in stance.evidence:
                yield {
                    "proposition": p.id,
                    "proposition_text": p.text,
                    "verdict": p.verdict,
                    "independent_sources": p.independent_sources,
                    "speaker": stance.speaker,
                    "source": stance.source,
                    "stance": stance.stance,
                    "article_id": e.article_id,
                    "article_path": e.path or "",
                    "statement_id": e.statement_id or "",
                    "claim_id": e.claim_id,
                    "claim": e.text,
                    "polarity": e.polarity,
                    "commitment": e.commitment,
                    "said_on": e.said_on or "",
                    "content": e.content,
                    "via": "; ".join(e.via),
                    "copies": "; ".join(e.copies),
                }


# -- check ----------------------------------------------------------------------------------


def check_report(result: CheckResult) -> Group:
    """Each matching proposition, best first, in a panel: its score and verdict, then every
    stance (relative to the claim as checked) with each quote, its date and article."""
    parts: list[RenderableType] = [Text(_checked(result), style="bold")]
    if not result.matches:
        parts.append(Text(_NO_MATCH, style="yellow"))
    for match in result.matches:
        body: list[RenderableType] = [Text(match.proposition.text, style="bold")]
        if match.negated:
            body.append(Text(_NEGATED, style="yellow"))
        grid = Table.grid(padding=(0, 1))
        grid.add_column(style="cyan", no_wrap=True)
        grid.add_column()
        for stance in match.stances:
            said = Text(who(stance), style="bold")
            for e in stance.evidence:
                said.append("\n")
                said.append_text(_quote(e))
            grid.add_row(f"{stance.stance} —", said)
        body.append(grid if match.stances else Text("No stances.", style="dim"))
        parts.append(
            Panel(
                Group(*body),
                title=f"[bold]{match.proposition.id}[/bold] · score {match.score:.2f} · "
                f"{_headline(match.proposition)}",
                title_align="left",
                border_style=VERDICT_STYLE.get(match.proposition.verdict, "blue").split()[-1],
            )
        )
    return Group(*parts)


def check_lines(result: CheckResult) -> Iterator[str]:
    """The check for a pipe: the claim, then per match one line, then one line per quote.

    Example line: ``  denies · Sabrina Singh (Pentagon) · “Haven’t seen them engaged in
    combat” [said 2024-12-09 · examples/kursk.txt s3]``
    """
    yield _checked(result)
    if not result.matches:
        yield _NO_MATCH
    for match in result.matches:
        p = match.proposition
        line = f"{p.id} · score {match.score:.2f} · {_headline(p)} · {_one_line(p.text)}"
        yield line + (f" · {_NEGATED}" if match.negated else "")
        yield from _stance_lines(match)


def _stance_lines(match: CheckMatch) -> Iterator[str]:
    for stance in match.stances:
        for e in stance.evidence:
            yield f"  {stance.stance} · {who(stance)} · {_one_line(_quote(e).plain)}"


def _checked(result: CheckResult) -> str:
    sign = "negative" if result.polarity < 0 else "positive"
    return f"checked: “{_one_line(result.claim)}” (compared as “{result.core}”, {sign})"


# The statement a claim is part of is shown when it says this many words more than the claim
# (not for "that" and a clause that is the whole statement).
_MORE_WORDS = 3
_NO_MATCH = "No proposition in the ledger matches this claim."
_NEGATED = "the claim is its negation: supports and denies are swapped"


def _quote(e: Evidence) -> Text:
    """The claim's words in quotes, the statement they are part of when that says more, and
    the notes (date, article, relays)."""
    text = Text(f"“{_one_line(e.text)}”")
    if len(e.content.split()) >= len(e.text.split()) + _MORE_WORDS:
        text.append(f" in “{_one_line(e.content)}”", style="italic")
    text.append(f"  [{evidence_notes(e)}]", style="dim")
    return text


# -- sources --------------------------------------------------------------------------------


def sources_table(sources: Iterable[SourceSummary]) -> Table:
    """One row per independent source: its name (and who spoke for it, when that is someone
    else too: a spokesperson), its statements, and its stance on each proposition."""
    table = Table(show_lines=True, expand=True)
    table.add_column("source", ratio=1)
    table.add_column("statements", justify="right", no_wrap=True)
    table.add_column("stances", ratio=2)  # the long column gets the room
    for s in sources:
        name = Text(s.source, style="bold")
        others = [speaker for speaker in s.speakers if speaker != s.source]
        if others:
            name.append("\n" + ", ".join(s.speakers), style="dim")
        stances = Text()
        for pid, text, stance in s.stances:
            if stances:
                stances.append("\n")
            stances.append(f"{pid} {stance}: ", style="cyan")
            stances.append(text)
        table.add_row(name, str(s.statements), stances or Text("—"))
    return table


def source_rows(sources: Iterable[SourceSummary]) -> Iterator[dict[str, object]]:
    for s in sources:
        yield {
            "source": s.source,
            "speakers": "; ".join(s.speakers),
            "statements": s.statements,
            "stances": "; ".join(f"{pid} {stance}" for pid, _, stance in s.stances),
        }


# -- timeline -------------------------------------------------------------------------------


def timeline_report(proposition: Proposition, entries: Iterable[TimelineEntry]) -> Group:
    """The proposition, then a table of its statements in the order they were said."""
    title = Text(f"{proposition.id} · {_headline(proposition)} · ", style="bold")
    title.append(proposition.text)
    return Group(title, timeline_table(entries))


def timeline_table(entries: Iterable[TimelineEntry]) -> Table:
    """One row per statement: when, who, which stance, and the words with their article."""
    table = Table(expand=True)
    table.add_column("said on", no_wrap=True)
    table.add_column("speaker", ratio=1)
    table.add_column("stance", no_wrap=True)
    table.add_column("words", ratio=2, overflow="fold")  # the long column; paths uncut
    for t in entries:
        e = t.evidence
        words = Text(f"“{_one_line(e.text)}”")
        article = e.path or e.title or e.article_id
        words.append(f"\n{article} {e.statement_id or '(narration)'}", style="dim")
        table.add_row(t.said_on or "—", t.speaker, t.stance, words)
    return table


def timeline_rows(entries: Iterable[TimelineEntry]) -> Iterator[dict[str, object]]:
    for t in entries:
        e = t.evidence
        yield {
            "said_on": t.said_on or "",
            "speaker": t.speaker,
            "stance": t.stance,
            "claim": e.text,
            "content": e.content,
            "article": e.path or e.article_id,
            "statement": e.statement_id or "",
            "via": "; ".join(e.via),
        }


# -- analyze: where the given articles' sources disagree ------------------------------------


def contested(propositions: Iterable[Proposition]) -> list[Proposition]:
    return [p for p in propositions if p.verdict == "contested"]


def disagreements_report(propositions: Sequence[Proposition]) -> Group:
    """The section ``analyze`` ends with: each contested proposition in a panel, who is on
    each side with their words; "none" said plainly when no proposition is contested."""
    found = contested(propositions)
    if not found:
        return Group(Text(f"{HEADING}: none. {_NONE}", style="bold"))
    parts: list[RenderableType] = [Text(HEADING, style="bold underline")]
    for p in found:
        grid = Table.grid(padding=(0, 1))
        grid.add_column(style="cyan", no_wrap=True)
        grid.add_column()
        for stance in p.stances:
            line = Text(who(stance), style="bold")
            if stance.evidence:
                line.append(f" “{_one_line(stance.evidence[0].text)}”")
                more = len(stance.evidence) - 1
                if more:
                    line.append(f" (+{more} more)", style="dim")
            grid.add_row(f"{stance.stance} —", line)
        parts.append(
            Panel(
                Group(Text(p.text, style="bold"), grid),
                title=f"[bold]{p.id}[/bold] · {_headline(p)}",
                title_align="left",
                border_style="red",
            )
        )
    return Group(*parts)


def disagreements_lines(propositions: Sequence[Proposition]) -> Iterator[str]:
    """The same section for a pipe: a line per contested proposition, then a line per side.

    Example line: ``  denies: Sabrina Singh (Pentagon); National Resistance Center``
    """
    found = contested(propositions)
    if not found:
        yield f"{HEADING}: none. {_NONE}"
        return
    yield f"{HEADING}:"
    for p in found:
        yield f"{p.id} · {_headline(p)} · {_one_line(p.text)}"
        names = names_by_stance(p.stances)
        for label in STANCES:
            if names[label]:
                yield f"  {label}: {'; '.join(names[label])}"


_NONE = "No claim in these articles has independent sources on both sides."


def print_disagreements(
    console: Console, propositions: Sequence[Proposition], *, plain: bool = False
) -> None:
    if plain:
        console.file.write("\n".join(disagreements_lines(propositions)) + "\n")
    else:
        console.print(disagreements_report(propositions))


def _one_line(text: str) -> str:
    return " ".join(text.split())
