"""``claimledger eval stance fnc1|emergent`` and ``claimledger train stance`` (hung on the eval and
train apps in cli_eval.py). Thin: read the files, run ``claimledger.eval.stance``, print."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from claimledger.cli_common import Attribution, AttributionMode, Model, err, out
from claimledger.models import DEFAULT_MODEL

stance_app = typer.Typer(
    help="Score article stance towards a claim (the check path) on FNC-1 or Emergent files.",
    no_args_is_help=True,
)

Predictions = Annotated[
    Path | None,
    typer.Option(
        "--predictions",
        metavar="OUT.csv",
        help="Write the predicted stance of every row, in input order, to this CSV.",
    ),
]
AsJson = Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")]
HeldOut = Annotated[
    bool,
    typer.Option(
        "--held-out",
        help="Only the held-out part (20% of bodies / claims, by a hash of the id), which "
        "`train stance` leaves out: the honest figure for the shipped model.",
    ),
]
EXIT_BAD_FILE = 2


def _fail(message: str) -> None:
    err.print(f"[red]error:[/red] {escape(message)}", highlight=False)
    raise typer.Exit(EXIT_BAD_FILE)


@contextmanager
def _progress(what: str) -> Iterator[Callable[[int, int], None]]:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    with Progress(
        TextColumn(what), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=err, transient=True,
    ) as progress:  # fmt: skip
        task = progress.add_task(what, total=None)
        yield lambda n, total: progress.update(task, completed=n, total=total)


def _print(report_dict: dict[str, object] | None, table: str | None, as_json: bool) -> None:
    if as_json:
        out.file.write(json.dumps(report_dict, indent=2) + "\n")
    elif table is not None:
        out.file.write(table + "\n")


@stance_app.command("fnc1")
def eval_stance_fnc1(
    bodies: Annotated[
        Path, typer.Option("--bodies", help="FNC-1 bodies CSV (Body ID, articleBody).")
    ],
    stances: Annotated[
        Path, typer.Option("--stances", help="FNC-1 stances CSV (Headline, Body ID[, Stance]).")
    ],
    predictions: Predictions = None,
    as_json: AsJson = False,
    held_out: HeldOut = False,
    model: Model = DEFAULT_MODEL,
    attribution: Attribution = AttributionMode.learned,
) -> None:
    """FNC-1 stance of each body towards each headline, by the path `check` takes: each body
    analysed once, each headline checked against its claims. With a Stance column: the official
    weighted FNC-1 score (percent of the best possible), accuracy, per-class and macro F1, and
    the confusion matrix. Without one: predictions only.

    Example:

        cd ../shared/benchmarks/fnc1
        claimledger eval stance fnc1 --held-out --bodies train_bodies.csv \
            --stances train_stances.csv
    """
    from claimledger.eval import stance

    try:
        data = stance.read_fnc1(bodies, stances)
    except stance.StanceDataError as error:
        _fail(str(error))
    if data.unknown_bodies:
        err.print(
            f"[yellow]warning:[/yellow] {escape(str(stances))}: {data.unknown_bodies} rows name a "
            "Body ID the bodies file lacks; they are predicted unrelated",
            highlight=False,
        )
    with _progress("analysing bodies") as progress:
        run = stance.predict_fnc1(
            data, model, held_out=held_out, attribution=attribution.value, progress=progress
        )
    if predictions is not None:
        stance.write_fnc_predictions(predictions, [data.pairs[n] for n in run.rows], run.labels)
        err.print(f"{len(run.rows)} predictions → {escape(str(predictions))}", highlight=False)
    report = stance.score_fnc1(data, run, held_out)
    if report is not None:
        _print(report.to_dict(), report.format_table(), as_json)
    elif as_json:
        _print({"dataset": "FNC-1", "pairs": len(run.rows), "scored": False}, None, True)


@stance_app.command("emergent")
def eval_stance_emergent(
    file: Annotated[
        Path,
        typer.Argument(
            help="Emergent CSV (claimHeadline, articleHeadline[, articleHeadlineStance], "
            "articleId, claimId)."
        ),
    ],
    predictions: Predictions = None,
    as_json: AsJson = False,
    held_out: HeldOut = False,
    model: Model = DEFAULT_MODEL,
    attribution: Attribution = AttributionMode.learned,
) -> None:
    """Emergent stance (for / against / observing) of each article headline towards its claim,
    by the check path; with the stance column: accuracy, per-class and macro F1, confusion.

    Example:

        claimledger eval stance emergent ../shared/benchmarks/emergent/train.csv --held-out
    """
    from claimledger.eval import stance

    try:
        data = stance.read_emergent(file)
    except stance.StanceDataError as error:
        _fail(str(error))
    with _progress("analysing headlines") as progress:
        run = stance.predict_emergent(
            data, model, held_out=held_out, attribution=attribution.value, progress=progress
        )
    if predictions is not None:
        stance.write_emergent_predictions(
            predictions, [data.pairs[n] for n in run.rows], run.labels
        )
        err.print(f"{len(run.rows)} predictions → {escape(str(predictions))}", highlight=False)
    report = stance.score_emergent(data, run, held_out)
    if report is not None:
        _print(report.to_dict(), report.format_table(), as_json)
    elif as_json:
        _print({"dataset": "Emergent", "pairs": len(run.rows), "scored": False}, None, True)


def train_stance(
    fnc1: Annotated[
        Path, typer.Option("--fnc1", help="FNC-1 folder with train_bodies.csv, train_stances.csv.")
    ],
    emergent: Annotated[Path, typer.Option("--emergent", help="Emergent train CSV.")],
    out_path: Annotated[
        Path | None,
        typer.Option("--out", help="Write the model here instead of into the package."),
    ] = None,
    model: Model = DEFAULT_MODEL,
) -> None:
    """Learn the article-stance model from the FNC-1 and Emergent train splits, less their
    held-out parts (by body, by claim), through the check path; needs the `train` extra
    (LightGBM). Writes aggregate/stance_model.json (into the package unless --out).

    Example:

        cd ../shared/benchmarks
        claimledger train stance --fnc1 fnc1 --emergent emergent/train.csv
    """
    from claimledger.eval import stance

    try:
        import lightgbm  # noqa: F401
    except ImportError:
        _fail("training the stance model needs LightGBM: pip install 'claimledger[train]'")
    try:
        fnc = stance.read_fnc1(fnc1 / "train_bodies.csv", fnc1 / "train_stances.csv")
        em = stance.read_emergent(emergent)
    except stance.StanceDataError as error:
        _fail(str(error))
    from claimledger.aggregate import train_stance as trainer

    with _progress("analysing") as progress:
        checked = trainer.check_all(fnc, em, model, progress)
    fitted, report = trainer.train(
        fnc, em, checked, {"fnc1": str(fnc1), "emergent": str(emergent)}
    )
    from claimledger.aggregate.stance_model import MODEL_PATH

    path = out_path or MODEL_PATH
    trainer.write_model(fitted, path)
    held = report["held_out"]
    err.print(
        f"{report['rounds']} rounds (cross-validated FNC-1 score {report['cv_fnc_score']:.2f});"
        f" held-out FNC-1 score {held['fnc1']['fnc_score']:.2f}, macro-F1"
        f" {held['fnc1']['macro_f1']:.4f}; Emergent accuracy {held['emergent']['accuracy']:.4f}"
        f" → {escape(str(path))}",
        highlight=False,
    )
