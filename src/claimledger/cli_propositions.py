"""The commands that ask the ledger across articles: ``propositions``, ``check``, ``sources``
and ``timeline``. Thin, like ``cli.py`` (which registers them): each opens the ledger
read-only, calls one ``Ledger`` method and prints what it returns — a table on a terminal,
tab-separated rows (or plain lines) when piped, one JSON object (docs/format.md) with --json.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Annotated, Any, cast, get_args

import typer
from rich.markup import escape

from claimledger.cli_common import err, out
from claimledger.model import Verdict, printable_path
from claimledger.render import plural

VERDICTS: tuple[str, ...] = get_args(Verdict)

Db = Annotated[Path, typer.Option("--db", metavar="PATH", help="Ledger database file (SQLite).")]
AsJson = Annotated[
    bool, typer.Option("--json", help="Print one JSON object (docs/format.md) instead.")
]


def _verdict(value: str | None) -> Verdict | None:
    """``"Contested"`` -> ``"contested"``: read in any case, checked against the model's
    verdicts (so that a new verdict needs no change here)."""
    if value is None:
        return None
    for verdict in VERDICTS:
        if verdict.casefold() == value.casefold().replace("-", "_"):
            return cast(Verdict, verdict)
    raise typer.BadParameter(
        f"{value!r} is not a verdict; use one of {' '.join(VERDICTS)}", param_hint="--verdict"
    )


def _check_day(value: str | None, name: str) -> None:
    """A day, a month or a year (``2024-12-09``, ``2024-12``, ``2024``), as the ledger
    compares dates by their beginning: ``--until 2024-12`` takes in the whole of December."""
    if value is None:
        return
    if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
        year, month, day = ([int(p) for p in value.split("-")] + [1, 1])[:3]
        try:
            date(year, month, day)
            return
        except ValueError:  # "2024-13", "2024-02-30"
            pass
    raise typer.BadParameter(
        f"{value!r} is not a date; use YYYY-MM-DD, YYYY-MM or YYYY", param_hint=name
    )


def _print_json(document: dict[str, Any]) -> None:
    typer.echo(json.dumps(document, ensure_ascii=False))


def _print_rows(rows: Iterable[dict[str, object]], columns: tuple[str, ...], what: str) -> None:
    """Tab-separated rows for a pipe, then the count on stderr (as ``statements`` does)."""
    from claimledger.cli import _emit
    from claimledger.render import tsv_lines

    n = 0

    def counted() -> Iterable[dict[str, object]]:
        nonlocal n
        for row in rows:
            n += 1
            yield row

    _emit(tsv_lines(counted(), columns), None)
    err.print(plural(n, what))


def propositions(
    db: Db = Path("claimledger.db"),
    verdict: Annotated[
        str | None,
        typer.Option(
            metavar="VERDICT", help=f"Only this verdict: {' '.join(VERDICTS)}, in any case."
        ),
    ] = None,
    speaker: Annotated[
        str | None, typer.Option(help="Only propositions this speaker (name contains) is on.")
    ] = None,
    text: Annotated[str | None, typer.Option(help="Proposition text contains this.")] = None,
    since: Annotated[
        str | None,
        typer.Option(
            metavar="DATE",
            help="Only those with a claim said on or after this day (YYYY-MM-DD), month "
            "(YYYY-MM) or year.",
        ),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option(
            metavar="DATE",
            help="Only those with a claim said on or before this day, month or year "
            "(2024-12: up to the end of December).",
        ),
    ] = None,
    limit: Annotated[int | None, typer.Option(help="At most this many.", min=1)] = None,
    as_json: AsJson = False,
) -> None:
    """List propositions: claims that several articles make, whatever the wording, contested
    first, each with its verdict, its number of independent sources and who supports, denies,
    hedges or declines it.

    A wire story reprinted on many sites counts as one source. On a terminal they are shown as
    a table; piped, as tab-separated lines (names on one side joined by "; ").

    Example:

        claimledger propositions --db ledger.db --verdict contested

        claimledger propositions --db ledger.db --speaker Singh --since 2024-12-01 --json
    """
    from claimledger import api
    from claimledger.cli import _require_db
    from claimledger.interchange import propositions_to_dict
    from claimledger.render_propositions import (
        PROPOSITION_COLUMNS,
        proposition_rows,
        propositions_table,
    )

    _require_db(db)
    _check_day(since, "--since")
    _check_day(until, "--until")
    chosen = _verdict(verdict)
    with api.Ledger(db, readonly=True) as ledger:
        found = ledger.propositions(
            verdict=chosen,
            speaker=speaker,
            text=text,
            since=since,
            until=until,
            limit=limit,
        )
    if as_json:
        _print_json(propositions_to_dict(found))
    elif not out.is_terminal:
        _print_rows(proposition_rows(found), PROPOSITION_COLUMNS, "proposition")
    else:
        out.print(propositions_table(found))
        err.print(plural(len(found), "proposition"))


def check(
    claim: Annotated[str, typer.Argument(help="The claim to check, in words.")],
    db: Db = Path("claimledger.db"),
    limit: Annotated[int, typer.Option(help="At most this many propositions.", min=1)] = 5,
    as_json: AsJson = False,
) -> None:
    """Check a claim against the ledger: the propositions that match it, best first, each
    with a score and every source's stance, with the quotes, dates and articles.

    Stances are given relative to the claim as you put it: checking a negated claim ("the
    troops have not fought") turns supports into denies.

    Example:

        claimledger check "North Korean troops have engaged in combat" --db ledger.db
    """
    from claimledger import api
    from claimledger.cli import _require_db
    from claimledger.interchange import check_to_dict
    from claimledger.render_propositions import check_lines, check_report

    if not claim.strip():
        raise typer.BadParameter("the claim is empty; put the claim to check in quotes")
    _require_db(db)
    with api.Ledger(db, readonly=True) as ledger:
        result = ledger.check(claim, limit=limit)
    if as_json:
        _print_json(check_to_dict(result))
    elif not out.is_terminal:
        out.file.write("\n".join(check_lines(result)) + "\n")
    else:
        out.print(check_report(result))


def sources(db: Db = Path("claimledger.db"), as_json: AsJson = False) -> None:
    """List the independent sources: who spoke for each, how many statements, and the stance
    each takes on each proposition.

    A spokesperson counts with the organisation she speaks for (both are shown); piped, the
    sources are tab-separated lines.

    Example:

        claimledger sources --db ledger.db
    """
    from claimledger import api
    from claimledger.cli import _require_db
    from claimledger.interchange import sources_to_dict
    from claimledger.render_propositions import SOURCE_COLUMNS, source_rows, sources_table

    _require_db(db)
    with api.Ledger(db, readonly=True) as ledger:
        found = ledger.sources()
    if as_json:
        _print_json(sources_to_dict(found))
    elif not out.is_terminal:
        _print_rows(source_rows(found), SOURCE_COLUMNS, "source")
    else:
        out.print(sources_table(found))
        err.print(plural(len(found), "source"))


def timeline(
    proposition_id: Annotated[
        str,
        typer.Argument(help="A proposition id, as claimledger propositions shows it."),
    ],
    db: Db = Path("claimledger.db"),
    as_json: AsJson = False,
) -> None:
    """Show a proposition's statements in the order they were said, with each speaker's
    stance, words and article.

    Example:

        claimledger timeline p1 --db ledger.db
    """
    from claimledger import api
    from claimledger.cli import EXIT_USAGE, _require_db
    from claimledger.interchange import timeline_to_dict
    from claimledger.render_propositions import TIMELINE_COLUMNS, timeline_report, timeline_rows

    _require_db(db)
    with api.Ledger(db, readonly=True) as ledger:
        try:
            proposition = ledger.proposition(proposition_id)
            entries = ledger.timeline(proposition_id)
        except api.UnknownProposition:
            shown = escape(printable_path(str(db)))
            err.print(
                f"[red]error:[/red] {escape(proposition_id)}: no such proposition in {shown}; "
                f"run claimledger propositions --db {shown} to list them",
                highlight=False,
            )
            raise typer.Exit(EXIT_USAGE) from None
    if as_json:
        _print_json(timeline_to_dict(proposition, entries))
    elif not out.is_terminal:
        _print_rows(timeline_rows(entries), TIMELINE_COLUMNS, "statement")
    else:
        out.print(timeline_report(proposition, entries))
        err.print(plural(len(entries), "statement"))


COMMANDS: tuple[Callable[..., None], ...] = (propositions, check, sources, timeline)
