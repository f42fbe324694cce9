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

from claimledger.model import Article, InputFailure

out = Console()
# soft_wrap: a message on stderr is never broken into lines at the console's width (80 when
# stderr is a file or a pipe), so each error stays one line that grep and logs read whole.
err = Console(stderr=True, soft_wrap=True)

Model = Annotated[
    str, typer.Option("--model", metavar="NAME", help="Installed spaCy pipeline to use.")
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
