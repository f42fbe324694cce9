"""The JSONL interchange format (``claimledger/1``, docs/format.md): Article <-> dict.

One function each way, used by ``extract``, ``export`` and ``eval``, so that what the ledger
writes and what it reads back are the same lines.
"""

from __future__ import annotations

from typing import Any

from claimledger.model import (
    FORMAT_VERSION,
    Article,
    Content,
    FactualityPart,
    Quantity,
    Span,
    Speaker,
    Statement,
    TimeExpression,
    Via,
)


def span_to_dict(span: Span) -> dict[str, Any]:
    return {"start": span.start, "end": span.end, "text": span.text}


def span_from_dict(d: dict[str, Any]) -> Span:
    return Span(int(d["start"]), int(d["end"]), str(d.get("text", "")))


def statement_to_dict(s: Statement) -> dict[str, Any]:
    content: dict[str, Any] = {
        "start": s.content.start,
        "end": s.content.end,
        "text": s.content.text,
    }
    if s.content.pieces:
        content["spans"] = [{"start": a, "end": b} for a, b in s.content.pieces]
    speaker = None
    if s.speaker is not None:
        speaker = {
            "name": s.speaker.name,
            "type": s.speaker.type,
            "role": s.speaker.role,
            "organization": s.speaker.organization,
            "entity_id": s.speaker.entity_id,
        }
    return {
        "id": s.id,
        "kind": s.kind,
        "source": span_to_dict(s.source) if s.source else None,
        "speaker": speaker,
        "cue": span_to_dict(s.cue) if s.cue else None,
        "content": content,
        "factuality": s.factuality,
        "said_on": s.said_on,
        "via": [{"name": v.name, "cue": span_to_dict(v.cue) if v.cue else None} for v in s.via],
        "times": list(s.times),
        "quantities": list(s.quantities),
        "by": s.by,
        "confidence": s.confidence,
        "factuality_parts": [
            {"start": f.start, "end": f.end, "factuality": f.factuality} for f in s.factuality_parts
        ],
        "said_on_source": s.said_on_source,
    }


def statement_from_dict(d: dict[str, Any]) -> Statement:
    c = d["content"]
    sp = d.get("speaker")
    return Statement(
        id=str(d["id"]),
        kind=d["kind"],
        source=span_from_dict(d["source"]) if d.get("source") else None,
        speaker=Speaker(
            name=sp["name"],
            type=sp["type"],
            role=sp.get("role"),
            organization=sp.get("organization"),
            entity_id=sp.get("entity_id"),
        )
        if sp
        else None,
        cue=span_from_dict(d["cue"]) if d.get("cue") else None,
        content=Content(
            int(c["start"]),
            int(c["end"]),
            str(c.get("text", "")),
            tuple((int(p["start"]), int(p["end"])) for p in c.get("spans") or ()),
        ),
        by=str(d.get("by", "")),
        factuality=d.get("factuality"),
        said_on=d.get("said_on"),
        via=tuple(
            Via(v["name"], span_from_dict(v["cue"]) if v.get("cue") else None)
            for v in d.get("via") or ()
        ),
        times=tuple(d.get("times") or ()),
        quantities=tuple(d.get("quantities") or ()),
        confidence=d.get("confidence"),
        factuality_parts=tuple(
            FactualityPart(int(f["start"]), int(f["end"]), f["factuality"])
            for f in d.get("factuality_parts") or ()
        ),
        said_on_source=d.get("said_on_source"),
    )


def article_to_dict(a: Article) -> dict[str, Any]:
    """The one JSON object per article of docs/format.md."""
    return {
        "format": FORMAT_VERSION,
        "article": {
            "id": a.id,
            "path": a.path,
            "title": a.title,
            "authors": list(a.authors),
            "outlet": a.outlet,
            "url": a.url,
            "published": a.published,
            "published_source": a.published_source,
            "language": a.language,
            "encoding": a.encoding,
            "text": a.text,
            "furniture": [span_to_dict(f) for f in a.furniture],
            "notices": list(a.notices),
        },
        "statements": [statement_to_dict(s) for s in a.statements],
        "time_expressions": [
            {
                "id": t.id,
                "start": t.start,
                "end": t.end,
                "text": t.text,
                "value": t.value,
                "anchor": t.anchor,
                "type": t.type,
                **(
                    {"interval": {"start": t.begin, "end": t.end_value}}
                    if t.begin or t.end_value
                    else {}
                ),
            }
            for t in a.time_expressions
        ],
        "quantities": [
            {
                "id": q.id,
                "start": q.start,
                "end": q.end,
                "text": q.text,
                "value": q.value,
                "qualifier": q.qualifier,
                "unit": q.unit,
            }
            for q in a.quantities
        ],
        "entities": [],
    }


def article_from_dict(d: dict[str, Any]) -> Article:
    """Inverse of :func:`article_to_dict`."""
    a = d["article"]
    return Article(
        id=a["id"],
        text=a["text"],
        path=a.get("path"),
        title=a.get("title"),
        authors=tuple(a.get("authors") or ()),
        outlet=a.get("outlet"),
        url=a.get("url"),
        published=a.get("published"),
        published_source=a.get("published_source") or "none",
        language=a.get("language"),
        encoding=a.get("encoding"),
        furniture=tuple(span_from_dict(f) for f in a.get("furniture") or ()),
        notices=tuple(a.get("notices") or ()),
        statements=tuple(statement_from_dict(s) for s in d.get("statements") or ()),
        time_expressions=tuple(
            TimeExpression(
                t["id"],
                t["start"],
                t["end"],
                t["text"],
                t.get("value"),
                t.get("anchor") or "none",
                t.get("type"),
                (t.get("interval") or {}).get("start"),
                (t.get("interval") or {}).get("end"),
            )
            for t in d.get("time_expressions") or ()
        ),
        quantities=tuple(
            Quantity(
                q["id"], q["start"], q["end"], q["text"], q["value"], q["qualifier"], q.get("unit")
            )
            for q in d.get("quantities") or ()
        ),
    )
