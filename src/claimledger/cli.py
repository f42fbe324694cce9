"""The ``claimledger`` command. Thin: parses arguments, calls the API, prints.

Exit status: 0 all inputs read, 1 some inputs failed, 2 usage error.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated, TextIO

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from claimledger import api, ingest
from claimledger.cli_common import (
    Attribution,
    AttributionMode,
    Model,
    _articles_only,
    _report_notices,
    err,
    out,
)
from claimledger.cli_eval import eval_app, train_app
from claimledger.errors import ClaimledgerError, InputError
from claimledger.interchange import article_to_dict
from claimledger.model import Article, InputFailure
from claimledger.nlp import DEFAULT_MODEL
from claimledger.render import csv_lines, print_report, statement_row

app = typer.Typer(
    help="claimledger: who claims what, when and how firmly, from news reports.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
app.add_typer(eval_app, name="eval")
app.add_typer(train_app, name="train")

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2


class ExtractFormat(StrEnum):
    jsonl = "jsonl"
    json = "json"
    csv = "csv"


class Factuality(StrEnum):
    certain = "CT+"
    certainly_not = "CT-"
    probable = "PR+"
    probably_not = "PR-"
    possible = "PS+"
    possibly_not = "PS-"
    uncommitted = "Uu"


class ExportFormat(StrEnum):
    jsonl = "jsonl"
    csv = "csv"


Paths = Annotated[
    list[str], typer.Argument(help="Files, directories, JSONL files, or - for stdin.")
]
Published = Annotated[
    str | None,
    typer.Option(
        "--published",
        metavar="DATE",
        help="Publication date (YYYY-MM-DD) for inputs that carry none.",
    ),
]
AnyLanguage = Annotated[
    bool, typer.Option("--any-language", help="Process inputs even when they are not English.")
]
MaxSize = Annotated[
    float,
    typer.Option(
        "--max-size", metavar="MB", help="Largest single article to read, in MB.", min=0.001
    ),
]
Db = Annotated[Path, typer.Option("--db", metavar="PATH", help="Ledger database file (SQLite).")]


def _options(
    published: str | None,
    model: str,
    any_language: bool,
    max_size: float,
    attribution: AttributionMode = AttributionMode.learned,
) -> api.Options:
    if published is not None:
        try:
            published = ingest.parse_published(published)
        except InputError as exc:
            raise typer.BadParameter(exc.reason, param_hint="--published") from None
    return api.Options(
        attribution=attribution.value,
        published=published,
        model=model,
        any_language=any_language,
        max_bytes=int(max_size * 1_000_000),
    )


def _check_date(value: str, name: str) -> None:
    try:
        ingest.parse_published(value)
    except InputError as exc:
        raise typer.BadParameter(exc.reason, param_hint=name) from None


def _write_atomically(path: Path, chunks: Iterable[str]) -> None:
    """Write to a temporary file beside ``path``, then rename: a crash never leaves half a file."""
    directory = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            for chunk in chunks:
                handle.write(chunk)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _emit(chunks: Iterable[str], output: Path | None, stream: TextIO | None = None) -> None:
    if output is None:
        stream = stream or sys.stdout  # looked up now: tests and notebooks replace sys.stdout
        for chunk in chunks:
            stream.write(chunk)
        stream.flush()
    else:
        _write_atomically(output, chunks)


def _jsonl(articles: Iterable[Article]) -> Iterator[str]:
    for article in articles:
        yield json.dumps(article_to_dict(article), ensure_ascii=False) + "\n"


def _json_array(articles: Iterable[Article]) -> Iterator[str]:
    yield "["
    for n, article in enumerate(articles):
        yield ("," if n else "") + "\n" + json.dumps(article_to_dict(article), ensure_ascii=False)
    yield "\n]\n"


def _csv(articles: Iterable[Article]) -> Iterator[str]:
    return csv_lines(statement_row(a.id, a.path, s) for a in articles for s in a.statements)


def _done(failed: list[InputFailure]) -> None:
    if failed:
        err.print(f"{len(failed)} input(s) failed; the others were processed.")
        raise typer.Exit(EXIT_SOME_FAILED)


@app.command()
def analyze(
    paths: Paths,
    published: Published = None,
    model: Model = DEFAULT_MODEL,
    any_language: AnyLanguage = False,
    max_size: MaxSize = 5.0,
    attribution: Attribution = AttributionMode.learned,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print JSONL (docs/format.md) instead.")
    ] = False,
) -> None:
    """Print a readable report of who said what in each article.

    Example:

        claimledger analyze examples/kursk.txt --published 2024-12-10
    """
    options = _options(published, model, any_language, max_size, attribution)
    failed: list[InputFailure] = []
    articles = _articles_only(api.extract_many(paths, options), failed)
    if as_json:
        _emit(_jsonl(articles), None)
    else:
        print_report(out, articles)
    _done(failed)


@app.command()
def extract(
    paths: Paths,
    fmt: Annotated[
        ExtractFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ExtractFormat.jsonl,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
    published: Published = None,
    model: Model = DEFAULT_MODEL,
    any_language: AnyLanguage = False,
    max_size: MaxSize = 5.0,
    attribution: Attribution = AttributionMode.learned,
) -> None:
    """Extract statements as JSONL (one article per line), JSON or CSV (one statement per row).

    Example:

        claimledger extract examples/kursk.txt --published 2024-12-10 --format jsonl -o kursk.jsonl
    """
    options = _options(published, model, any_language, max_size, attribution)
    failed: list[InputFailure] = []
    articles = _articles_only(api.extract_many(paths, options), failed)
    writer = {
        ExtractFormat.jsonl: _jsonl,
        ExtractFormat.json: _json_array,
        ExtractFormat.csv: _csv,
    }[fmt]
    _emit(writer(articles), output)
    _done(failed)


@app.command("ingest")
def ingest_command(
    paths: Paths,
    db: Db = Path("claimledger.db"),
    published: Published = None,
    model: Model = DEFAULT_MODEL,
    any_language: AnyLanguage = False,
    max_size: MaxSize = 5.0,
    attribution: Attribution = AttributionMode.learned,
) -> None:
    """Read, analyse and store articles in the ledger database; re-ingesting is a no-op.

    Example:

        claimledger ingest examples/ --db ledger.db --published 2024-12-10
    """
    options = _options(published, model, any_language, max_size, attribution)
    with (
        api.Ledger(db) as ledger,
        Progress(
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
            transient=True,
        ) as progress,
    ):
        task = progress.add_task("ingesting", total=None)

        def on_item(item: Article | InputFailure, outcome: str) -> None:
            if isinstance(item, InputFailure):
                progress.console.print(f"[red]error:[/red] {escape(str(item))}", highlight=False)
            elif outcome == "new":
                _report_notices(item)
            progress.advance(task)

        summary = ledger.ingest(paths, options, on_item=on_item)
    err.print(
        f"articles: {summary.new} new, {summary.duplicate} duplicate, {summary.failed} failed; "
        f"statements: {summary.statements} added → {db}"
    )
    _done(summary.failures)


@app.command()
def statements(
    db: Db = Path("claimledger.db"),
    speaker: Annotated[str | None, typer.Option(help="Speaker name contains this.")] = None,
    article: Annotated[
        str | None, typer.Option(help="Article id prefix or path contains this.")
    ] = None,
    text: Annotated[str | None, typer.Option(help="Content contains this.")] = None,
    said_after: Annotated[
        str | None,
        typer.Option(metavar="DATE", help="Said on or after this date (YYYY-MM-DD)."),
    ] = None,
    said_before: Annotated[
        str | None,
        typer.Option(metavar="DATE", help="Said on or before this date (YYYY-MM-DD)."),
    ] = None,
    factuality: Annotated[
        list[Factuality] | None,
        typer.Option(help="Only these factuality labels (repeat for several)."),
    ] = None,
    limit: Annotated[int | None, typer.Option(help="At most this many.", min=1)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """List statements from the ledger, filtered by speaker, article, text, date and factuality.

    A statement's date is when it was said, or its article's publication date when the text
    does not say.

    Example:

        claimledger statements --db ledger.db --speaker Singh --said-after 2024-12-01

        claimledger statements --db ledger.db --factuality CT- --factuality PR-
    """
    _require_db(db)
    for name, value in (("--said-after", said_after), ("--said-before", said_before)):
        if value is not None:
            _check_date(value, name)
    with api.Ledger(db) as ledger:
        rows = ledger.statements(
            speaker=speaker,
            article=article,
            text=text,
            said_after=said_after,
            said_before=said_before,
            factuality=[f.value for f in factuality or ()],
            limit=limit,
        )
        if as_json:
            for row in rows:
                record = statement_row(row.article_id, row.article_path, row.statement)
                out.file.write(json.dumps(record, ensure_ascii=False) + "\n")
            return
        from rich.table import Table

        table = Table(
            "speaker", "cue", "content", "factuality", "said on", "article", show_lines=False
        )
        n = 0
        for row in rows:
            s = row.statement
            table.add_row(
                s.speaker.name if s.speaker else "—",
                s.cue.text if s.cue else "",
                s.content.text,
                s.factuality or "",
                s.said_on or "",
                row.article_title or row.article_path or row.article_id,
            )
            n += 1
        out.print(table)
        err.print(f"{n} statements")


@app.command()
def export(
    db: Db = Path("claimledger.db"),
    fmt: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ExportFormat.jsonl,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
) -> None:
    """Export the ledger: JSONL gives the same per-article lines as ``extract``.

    Example:

        claimledger export --db ledger.db --format csv -o statements.csv
    """
    _require_db(db)
    with api.Ledger(db) as ledger:
        articles = ledger.articles()
        _emit(_jsonl(articles) if fmt is ExportFormat.jsonl else _csv(articles), output)


def _require_db(db: Path) -> None:
    if not db.exists():
        err.print(
            f"[red]error:[/red] {db}: no such ledger; "
            f"create it with claimledger ingest PATH --db {db}"
        )
        raise typer.Exit(EXIT_USAGE)


def main() -> None:
    """Entry point: library errors become one clear line and exit status 2 (usage) or 1."""
    try:
        app()
    except ClaimledgerError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False)
        sys.exit(EXIT_USAGE)


if __name__ == "__main__":
    main()
