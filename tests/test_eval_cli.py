"""`claimledger eval polnear`: extraction and scoring from the command line."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from claimledger.cli import app
from claimledger.eval.polnear import load_gold
from claimledger.interchange import article_to_dict
from claimledger.model import Article, Content, Span, Statement

SPLIT = Path(__file__).parent / "fixtures" / "polnear"
runner = CliRunner()


def _gold_as_predictions(path: Path) -> None:
    """Write the fixture's own gold attributions as a predictions JSONL (a perfect system)."""
    lines = []
    for stem, doc in load_gold(SPLIT).items():
        statements = []
        for n, att in enumerate(doc.attributions, start=1):
            pieces = att.content
            content = Content(
                pieces[0][0],
                pieces[-1][1],
                doc.text[pieces[0][0] : pieces[-1][1]],
                tuple(pieces) if len(pieces) > 1 else (),
            )
            src = att.source[0] if att.source else None
            cue = att.cue[0] if att.cue else None
            statements.append(
                Statement(
                    id=f"s{n}",
                    kind="indirect",
                    source=Span(src[0], src[1], doc.text[src[0] : src[1]]) if src else None,
                    speaker=None,
                    cue=Span(cue[0], cue[1], doc.text[cue[0] : cue[1]]) if cue else None,
                    content=content,
                    by="gold",
                )
            )
        article = Article(
            id=f"sha256:{stem}",
            text=doc.text,
            path=f"{SPLIT}/text/{stem}.txt",
            statements=tuple(statements),
        )
        lines.append(json.dumps(article_to_dict(article)))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_scoring_the_gold_itself_gives_perfect_attribution(tmp_path: Path) -> None:
    predictions = tmp_path / "gold.jsonl"
    _gold_as_predictions(predictions)
    result = runner.invoke(
        app, ["eval", "polnear", str(SPLIT), "--predictions", str(predictions), "--json"]
    )
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    assert scores["attribution"]["f1"] == 1.0
    assert scores["content"]["f1"] == 1.0
    assert scores["articles"] == 2


def test_eval_extracts_and_prints_a_table_with_errors() -> None:
    result = runner.invoke(app, ["eval", "polnear", str(SPLIT), "--errors", "2"])
    assert result.exit_code == 0, result.output
    assert "attribution" in result.output and "triple" in result.output
    assert "missed" in result.output and "spurious" in result.output


def test_eval_on_a_folder_that_is_not_a_split_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["eval", "polnear", str(tmp_path)])
    assert result.exit_code == 2
    assert "not a PolNeAR split" in result.output
