"""The ``claimledger`` command. Thin: parses arguments, calls the API, prints.

Exit status: 0 all inputs read, 1 some inputs failed, 2 usage error (or an output file that
cannot be written), 130 interrupted (Ctrl-C).

The API, the ingest stage and spaCy are imported inside the commands that use them, so that
``claimledger --help`` and ``--version`` answer at once.
"""

from __future__ import annotations

import dataclasses
import errno
import json
import os
import secrets
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, TextIO, TypeVar

import typer
from rich.markup import escape

from claimledger import __version__
from claimledger.cli_common import (
    Attribution,
    AttributionMode,
    Model,
    SkipReport,
    Verbose,
    _articles_only,
    _report_failure,
    _report_notices,
    err,
    out,
)
from claimledger.cli_eval import eval_app, train_app
from claimledger.cli_propositions import COMMANDS as PROPOSITION_COMMANDS
from claimledger.errors import ClaimledgerError, InputError
from claimledger.interchange import article_to_dict
from claimledger.model import Article, InputFailure, printable_path
from claimledger.models import DEFAULT_MODEL
from claimledger.render import csv_lines, plural, print_report, statement_row, tsv_lines

if TYPE_CHECKING:
    from claimledger import api

app = typer.Typer(
    help="claimledger: who claims what, when and how firmly, from news reports.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
app.add_typer(eval_app, name="eval")
app.add_typer(train_app, name="train")

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, what shells report for Ctrl-C
T = TypeVar("T")


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"claimledger {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """claimledger: who claims what, when and how firmly, from news reports."""


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
    json = "json"
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
    from claimledger import api, ingest

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


def _factuality_label(value: str) -> str:
    """``"ct-"`` -> ``"CT-"``: labels are read in any case (Typer would print the choices in
    lower case, ``uu`` for ``Uu``, so the check is here)."""
    for label in Factuality:
        if label.value.casefold() == value.casefold():
            return label.value
    raise typer.BadParameter(
        f"{value!r} is not a factuality label; use one of {' '.join(Factuality)}",
        param_hint="--factuality",
    )


def _check_date(value: str, name: str) -> None:
    from claimledger import ingest

    try:
        ingest.parse_published(value)
    except InputError as exc:
        raise typer.BadParameter(exc.reason, param_hint=name) from None


def _write_atomically(path: Path, chunks: Iterable[str]) -> None:
    """Write to a temporary file beside ``path``, then rename: a crash never leaves half a file.

    A file that cannot be written is one error line naming ``path`` (exit 2), checked before
    any input is read.
    """
    if path.is_dir():  # found now, not after every input was analysed for nothing
        _cannot_write(path, IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR)))
    handle, tmp = _create_beside(path)
    try:
        with handle:
            for chunk in chunks:
                try:
                    handle.write(chunk)
                except OSError as error:
                    _cannot_write(path, error)
        try:
            os.replace(tmp, path)
        except OSError as error:
            _cannot_write(path, error)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _create_beside(path: Path) -> tuple[TextIO, Path]:
    """A new hidden file in ``path``'s folder, with the permissions a shell redirect would give:
    those of the file it replaces, else 0o666 less the umask (``tempfile.mkstemp`` would always
    give 0o600). The kernel applies the umask, so it is never read (reading it means setting it).
    """
    try:
        replaced: int | None = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        replaced = None
    while True:
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        except OSError as error:
            _cannot_write(path, error)
        if replaced is not None:
            os.chmod(tmp, replaced)
        return os.fdopen(fd, "w", encoding="utf-8", newline=""), tmp


def _cannot_write(path: Path, error: OSError) -> NoReturn:
    folder = printable_path(str(path.parent))
    if isinstance(error, FileNotFoundError):
        fix = f"create the folder {folder} first, or write elsewhere"
    elif isinstance(error, PermissionError):
        fix = f"check the permissions of {folder}, or write elsewhere"
    elif isinstance(error, IsADirectoryError) or path.is_dir():
        fix = "that is a folder; name a file"
    else:
        fix = "check the path and the free space"
    err.print(
        f"[red]error:[/red] {escape(printable_path(str(path)))}: cannot write "
        f"({error.strerror}); {escape(fix)}",
        highlight=False,
    )
    raise typer.Exit(EXIT_USAGE)


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
        err.print(f"{plural(len(failed), 'input')} failed; the others were processed.")
        raise typer.Exit(EXIT_SOME_FAILED)


class _Counted:
    """Counts the articles (and failed inputs) that have gone through, for the Ctrl-C line."""

    def __init__(self) -> None:
        self.n = 0

    def each(self, items: Iterable[T]) -> Iterator[T]:
        for item in items:
            self.n += 1
            yield item


@contextmanager
def _interruptible(done: Callable[[], int]) -> Iterator[None]:
    """Ctrl-C: one line saying how far the command got, exit 130, no traceback."""
    try:
        yield
    except KeyboardInterrupt:
        err.print(
            f"interrupted after {plural(done(), 'article')}; run the same command again to finish",
            highlight=False,
        )
        raise typer.Exit(EXIT_INTERRUPTED) from None


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
    plain: Annotated[
        bool,
        typer.Option(
            "--plain",
            help="One statement per line, no boxes (the default when stdout is not a terminal).",
        ),
    ] = False,
    verbose: Verbose = False,
) -> None:
    """Print a readable report of who said what in each article.

    Each statement shows the rule pattern or model that found it ("by pattern:quote-cue") and,
    when the cue model gave its cue a probability under 0.5, "low confidence 0.42". The report
    ends with "Where sources disagree": the claims of these articles on which independent
    sources take opposite sides, with who is on each (see claimledger propositions).

    Example:

        claimledger analyze examples/kursk.txt --published 2024-12-10
    """
    from claimledger import api

    options = _options(published, model, any_language, max_size, attribution)
    failed: list[InputFailure] = []
    counted = _Counted()
    skips = SkipReport(verbose)
    with _interruptible(lambda: counted.n + len(failed)):
        items = api.extract_many(paths, options, on_skip=skips)
        articles = counted.each(_articles_only(items, failed))
        if as_json:
            _emit(_jsonl(articles), None)
        else:
            plain = plain or not out.is_terminal
            read: list[Article] = []
            print_report(out, _kept(articles, read), plain=plain)
            if read:
                _print_disagreements(read, plain)
    skips.total()
    _done(failed)


def _kept(articles: Iterable[Article], into: list[Article]) -> Iterator[Article]:
    """The articles, each also kept in ``into`` as it goes by (the report streams; the
    comparison across them needs them all)."""
    for article in articles:
        into.append(article)
        yield article


def _print_disagreements(articles: list[Article], plain: bool) -> None:
    """analyze's last section: the propositions of the given articles on which independent
    sources take both sides, with who is on each."""
    from claimledger.aggregate import aggregate
    from claimledger.render_propositions import print_disagreements

    print_disagreements(out, aggregate(articles).propositions, plain=plain)


@app.command()
def extract(
    paths: Paths,
    fmt: Annotated[
        ExtractFormat,
        typer.Option("--format", "-f", help="Output format.", case_sensitive=False),
    ] = ExtractFormat.jsonl,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
    published: Published = None,
    model: Model = DEFAULT_MODEL,
    any_language: AnyLanguage = False,
    max_size: MaxSize = 5.0,
    attribution: Attribution = AttributionMode.learned,
    verbose: Verbose = False,
) -> None:
    """Extract statements as JSONL (one article per line), JSON or CSV (one statement per row).

    Example:

        claimledger extract examples/kursk.txt --published 2024-12-10 --format jsonl -o kursk.jsonl
    """
    from claimledger import api

    options = _options(published, model, any_language, max_size, attribution)
    failed: list[InputFailure] = []
    counted = _Counted()
    writer = {
        ExtractFormat.jsonl: _jsonl,
        ExtractFormat.json: _json_array,
        ExtractFormat.csv: _csv,
    }[fmt]
    skips = SkipReport(verbose)
    with _interruptible(lambda: counted.n + len(failed)):
        items = api.extract_many(paths, options, on_skip=skips)
        articles = counted.each(_articles_only(items, failed))
        _emit(writer(articles), output)
    skips.total()
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
    as_json: Annotated[
        bool,
        typer.Option("--json", help="Print the summary as one JSON object on stdout."),
    ] = False,
    verbose: Verbose = False,
) -> None:
    """Read, analyse and store articles in the ledger database; re-ingesting is a no-op.

    Interrupted (Ctrl-C), it keeps the articles already stored: run it again to finish.

    Example:

        claimledger ingest examples/ --db ledger.db --published 2024-12-10
    """
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from claimledger import api, ingest

    options = _options(published, model, any_language, max_size, attribution)
    total = ingest.count_inputs(paths)  # None for stdin and JSONL: their articles are unknown
    done = 0
    with (
        _interruptible(lambda: done),
        api.Ledger(db) as ledger,
        Progress(
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            *([TimeRemainingColumn()] if total is not None else []),
            console=err,
            transient=True,
            disable=not err.is_terminal,  # a bar in a log file is noise (and a stray blank line)
        ) as progress,
    ):
        task = progress.add_task("ingesting", total=total)

        def on_item(item: Article | InputFailure, outcome: str) -> None:
            nonlocal done
            if isinstance(item, InputFailure):
                _report_failure(item)
            elif outcome == "new":
                _report_notices(item)
            done += 1
            progress.advance(task)

        skips = SkipReport(verbose)
        summary = ledger.ingest(paths, options, on_item=on_item, on_skip=skips)
    skips.unlisted()
    if as_json:
        shown = printable_path(str(db))  # a --db name with bytes that are not UTF-8 is not JSON
        typer.echo(json.dumps({"db": shown, **dataclasses.asdict(summary)}, ensure_ascii=False))
    else:
        err.print(
            f"articles: {summary.new} new, {summary.duplicate} duplicate, "
            f"{summary.failed} failed; "
            + (f"{plural(summary.skipped, 'file')} skipped; " if summary.skipped else "")
            + f"statements: {summary.statements} added"
            f" → {escape(printable_path(str(db)))}",
            highlight=False,
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
        list[str] | None,
        typer.Option(
            metavar="LABEL",
            help=f"Only this factuality label: {' '.join(Factuality)}, in any case "
            "(repeat for several).",
        ),
    ] = None,
    limit: Annotated[int | None, typer.Option(help="At most this many.", min=1)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
    as_csv: Annotated[
        bool, typer.Option("--csv", help="CSV with the columns of extract --format csv.")
    ] = False,
) -> None:
    """List statements from the ledger, filtered by speaker, article, text, date and factuality.

    A statement's date is when it was said, or its article's publication date when the text
    does not say. On a terminal they are shown as a table; piped, as tab-separated lines with
    the columns of extract --format csv (a tab or line break inside a value written \\t, \\n).

    Example:

        claimledger statements --db ledger.db --speaker Singh --said-after 2024-12-01

        claimledger statements --db ledger.db --factuality CT- --factuality PR-
    """
    from claimledger import api

    _require_db(db)
    for name, value in (("--said-after", said_after), ("--said-before", said_before)):
        if value is not None:
            _check_date(value, name)
    labels = [_factuality_label(value) for value in factuality or ()]
    with api.Ledger(db, readonly=True) as ledger:  # queries write nothing: read-only storage works
        rows = ledger.statements(
            speaker=speaker,
            article=article,
            text=text,
            said_after=said_after,
            said_before=said_before,
            factuality=labels,
            limit=limit,
        )
        if as_json or as_csv or not out.is_terminal:
            counted = _Counted()
            records = (
                statement_row(row.article_id, row.article_path, row.statement)
                for row in counted.each(rows)
            )
            lines: Iterable[str]
            if as_json:
                lines = (json.dumps(r, ensure_ascii=False) + "\n" for r in records)
            else:
                lines = csv_lines(records) if as_csv else tsv_lines(records)
            _emit(lines, None)
            err.print(plural(counted.n, "statement"))
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
        err.print(plural(n, "statement"))


@app.command()
def export(
    db: Db = Path("claimledger.db"),
    fmt: Annotated[
        ExportFormat,
        typer.Option("--format", "-f", help="Output format.", case_sensitive=False),
    ] = ExportFormat.jsonl,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
    propositions: Annotated[
        bool,
        typer.Option(
            "--propositions",
            help="Export the propositions (every stance with its evidence) and the reports "
            "(near-duplicate articles) instead: one JSON object (docs/format.md) for jsonl and "
            "json, one CSV row per piece of evidence for csv.",
        ),
    ] = False,
) -> None:
    """Export the ledger: JSONL, JSON and CSV give the same as ``extract`` in that format.

    With --propositions, what the ledger built across the articles instead: the propositions,
    each with its verdict and every source's stance and words, and the reports (groups of
    near-duplicate articles).

    Example:

        claimledger export --db ledger.db --format csv -o statements.csv

        claimledger export --db ledger.db --propositions -o propositions.json
    """
    from claimledger import api

    _require_db(db)
    writer = {ExportFormat.jsonl: _jsonl, ExportFormat.json: _json_array, ExportFormat.csv: _csv}
    with api.Ledger(db, readonly=True) as ledger:  # exports write nothing to the ledger
        if propositions:
            _emit(_propositions_export(ledger, fmt), output)
        else:
            _emit(writer[fmt](ledger.articles()), output)


def _propositions_export(ledger: api.Ledger, fmt: ExportFormat) -> Iterator[str]:
    from claimledger.interchange import propositions_to_dict
    from claimledger.render_propositions import EVIDENCE_COLUMNS, evidence_rows

    found = ledger.propositions()
    if fmt is ExportFormat.csv:
        yield from csv_lines(evidence_rows(found), EVIDENCE_COLUMNS)
    else:
        document = propositions_to_dict(found, ledger.reports())
        yield json.dumps(document, ensure_ascii=False) + "\n"


def _require_db(db: Path) -> None:
    if not db.exists():
        shown = escape(printable_path(str(db)))
        err.print(
            f"[red]error:[/red] {shown}: no such ledger; "
            f"create it with claimledger ingest PATH --db {shown}"
        )
        raise typer.Exit(EXIT_USAGE)


for _command in PROPOSITION_COMMANDS:  # propositions, check, sources, timeline: after export
    app.command()(_command)


def main() -> None:
    """Entry point: library errors become one clear line and exit status 2 (usage) or 1."""
    try:
        app()
    except ClaimledgerError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False)
        sys.exit(EXIT_USAGE)


if __name__ == "__main__":
    main()
