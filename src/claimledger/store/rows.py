"""The ledger's rows: articles and statements as SQLite column values and back.

Pure conversion between the model's dataclasses and the tuples / rows of the ``articles`` and
``statements`` tables (JSON for the nested parts); no SQL is run here, that is ``ledger.py``'s job.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import Any, cast

from claimledger.model import (
    Article,
    Content,
    Factuality,
    FactualityPart,
    PublishedSource,
    Quantity,
    Span,
    Speaker,
    SpeakerType,
    Statement,
    StatementKind,
    TimeExpression,
    Via,
)


def _article_from_rows(
    row: sqlite3.Row,
    statements: Iterable[sqlite3.Row],
    times: Iterable[sqlite3.Row],
    quantities: Iterable[sqlite3.Row],
) -> Article:
    article_id: str = row["id"]
    return Article(
        id=article_id,
        text=row["text"],
        path=row["path"],
        title=row["title"],
        authors=tuple(json.loads(row["authors"])),
        outlet=row["outlet"],
        url=row["url"],
        published=row["published"],
        published_source=cast(PublishedSource, row["published_source"]),
        language=row["language"],
        encoding=row["encoding"],
        furniture=tuple(_span_from_json(f) for f in json.loads(row["furniture"])),
        notices=tuple(json.loads(row["notices"])),
        statements=tuple(_statement_from_row(s) for s in statements),
        # CHECK constraints in the schema guarantee the Literal values cast below.
        time_expressions=tuple(TimeExpression(*t) for t in times),
        quantities=tuple(Quantity(*q) for q in quantities),
    )


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _span_to_json(span: Span | None) -> dict[str, Any] | None:
    return None if span is None else {"start": span.start, "end": span.end, "text": span.text}


def _span_from_json(d: dict[str, Any]) -> Span:
    return Span(d["start"], d["end"], d["text"])


def _via_from_json(d: dict[str, Any]) -> Via:
    return Via(d["name"], None if d["cue"] is None else _span_from_json(d["cue"]))


def _span_columns(span: Span | None) -> tuple[int | None, int | None, str | None]:
    return (None, None, None) if span is None else (span.start, span.end, span.text)


def _span_from_columns(row: sqlite3.Row, prefix: str) -> Span | None:
    if row[f"{prefix}_start"] is None:
        return None
    return Span(row[f"{prefix}_start"], row[f"{prefix}_end"], row[f"{prefix}_text"])


def _article_row(a: Article) -> tuple[Any, ...]:
    return (
        a.id,
        a.path,
        a.title,
        _dumps(list(a.authors)),
        a.outlet,
        a.url,
        a.published,
        a.published_source,
        a.language,
        a.encoding,
        a.text,
        _dumps([_span_to_json(f) for f in a.furniture]),
        _dumps(list(a.notices)),
    )


def _statement_row(
    article_id: str, seq: int, s: Statement, speaker_id: int | None
) -> tuple[Any, ...]:
    return (
        article_id,
        s.id,
        seq,
        s.kind,
        *_span_columns(s.source),
        speaker_id,
        *_span_columns(s.cue),
        s.content.start,
        s.content.end,
        s.content.text,
        _dumps([list(p) for p in s.content.pieces]),
        s.factuality,
        s.said_on,
        _dumps([{"name": v.name, "cue": _span_to_json(v.cue)} for v in s.via]),
        _dumps(list(s.times)),
        _dumps(list(s.quantities)),
        s.by,
        s.confidence,
        _dumps(
            [
                {"start": f.start, "end": f.end, "factuality": f.factuality}
                for f in s.factuality_parts
            ]
        ),
        s.said_on_source,
    )


def _time_row(article_id: str, seq: int, t: TimeExpression) -> tuple[Any, ...]:
    return (
        article_id,
        t.id,
        seq,
        t.start,
        t.end,
        t.text,
        t.value,
        t.anchor,
        t.type,
        t.begin,
        t.end_value,
    )


def _quantity_row(article_id: str, seq: int, q: Quantity) -> tuple[Any, ...]:
    return (article_id, q.id, seq, q.start, q.end, q.text, q.value, q.qualifier, q.unit)


def _speaker_from_row(row: sqlite3.Row) -> Speaker | None:
    if row["speaker_id"] is None:
        return None
    return Speaker(
        name=row["speaker_name"],
        type=cast(SpeakerType, row["speaker_type"]),
        role=row["speaker_role"],
        organization=row["speaker_organization"],
        entity_id=row["speaker_entity_id"],
    )


def _statement_from_row(row: sqlite3.Row) -> Statement:
    # CHECK constraints in the schema guarantee the Literal values cast here.
    return Statement(
        id=row["id"],
        kind=cast(StatementKind, row["kind"]),
        source=_span_from_columns(row, "source"),
        speaker=_speaker_from_row(row),
        cue=_span_from_columns(row, "cue"),
        content=Content(
            row["content_start"],
            row["content_end"],
            row["content_text"],
            tuple((a, b) for a, b in json.loads(row["content_pieces"])),
        ),
        by=row["produced_by"],
        factuality=cast("Factuality | None", row["factuality"]),
        said_on=row["said_on"],
        via=tuple(_via_from_json(v) for v in json.loads(row["via"])),
        times=tuple(json.loads(row["times"])),
        quantities=tuple(json.loads(row["quantities"])),
        confidence=row["confidence"],
        factuality_parts=tuple(
            FactualityPart(f["start"], f["end"], cast(Factuality, f["factuality"]))
            for f in json.loads(row["factuality_parts"])
        ),
        said_on_source=row["said_on_source"],
    )
