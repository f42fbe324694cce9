"""The JSONL interchange format (``claimledger/1``, docs/format.md): Article <-> dict.

One function each way, used by ``extract``, ``export`` and ``eval``, so that what the ledger
writes and what it reads back are the same lines.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from claimledger.model import (
    FORMAT_VERSION,
    Article,
    CheckResult,
    Claim,
    Content,
    Evidence,
    FactualityPart,
    Proposition,
    Quantity,
    Report,
    SourceSummary,
    Span,
    Speaker,
    Stance,
    Statement,
    TimeExpression,
    TimelineEntry,
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
        "claims": [claim_to_dict(c) for c in a.claims],
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
        claims=tuple(claim_from_dict(c) for c in d.get("claims") or ()),
    )


def claim_to_dict(c: Claim) -> dict[str, Any]:
    """One claim of an article: a clause of a statement's content (or of the narration, with
    ``statement`` null), its polarity, commitment and core (docs/format.md, "Claims")."""
    return {
        "id": c.id,
        "statement": c.statement_id,
        "start": c.start,
        "end": c.end,
        "text": c.text,
        "core": c.core,
        "polarity": c.polarity,
        "commitment": c.commitment,
        "predicate": c.predicate,
        "entities": list(c.entities),
        "frame": c.frame,
    }


def claim_from_dict(d: dict[str, Any]) -> Claim:
    return Claim(
        id=str(d["id"]),
        statement_id=d.get("statement"),
        start=int(d["start"]),
        end=int(d["end"]),
        text=str(d.get("text", "")),
        core=str(d.get("core", "")),
        polarity=-1 if d.get("polarity") == -1 else 1,
        commitment=d.get("commitment") or "certain",
        predicate=d.get("predicate"),
        entities=tuple(d.get("entities") or ()),
        frame=str(d.get("frame") or ""),
    )


# -- Across articles: propositions, check results, sources, timelines (docs/format.md,
# "Propositions"). Each top-level object carries "format"; the nested ones do not.


def evidence_to_dict(e: Evidence) -> dict[str, Any]:
    """One claim as its source made it. ``article`` is the path when there is one (what a
    reader recognises), else the id; ``article_id`` is always the id."""
    return {
        "article": e.path or e.article_id,
        "article_id": e.article_id,
        "outlet": e.outlet,
        "title": e.title,
        "published": e.published,
        "statement": e.statement_id,
        "claim": {
            "id": e.claim_id,
            "text": e.text,
            "polarity": e.polarity,
            "commitment": e.commitment,
        },
        "said_on": e.said_on,
        "content": {"text": e.content},
        "via": [{"name": name} for name in e.via],
        "copies": list(e.copies),
    }


def stance_to_dict(s: Stance) -> dict[str, Any]:
    return {
        "speaker": s.speaker,
        "entity_id": s.entity_id,
        "source": s.source,
        "stance": s.stance,
        "polarity": s.polarity,
        "commitment": s.commitment,
        "statements": [evidence_to_dict(e) for e in s.evidence],
    }


def proposition_to_dict(
    p: Proposition, stances: tuple[Stance, ...] | None = None
) -> dict[str, Any]:
    """One proposition with every stance on it; ``stances`` replaces the proposition's own
    (``check`` gives them relative to the claim as checked)."""
    return {
        "id": p.id,
        "text": p.text,
        "verdict": p.verdict,
        "independent_sources": p.independent_sources,
        "claims": p.claims,
        "first_said": p.first_said,
        "last_said": p.last_said,
        "stances": [stance_to_dict(s) for s in (p.stances if stances is None else stances)],
    }


def report_to_dict(r: Report) -> dict[str, Any]:
    return {"id": r.id, "articles": list(r.articles)}


def propositions_to_dict(
    propositions: Iterable[Proposition], reports: Iterable[Report] | None = None
) -> dict[str, Any]:
    """The object ``claimledger propositions --json`` prints; with ``reports`` (the groups of
    near-duplicate articles), what ``export --propositions`` writes."""
    document: dict[str, Any] = {
        "format": FORMAT_VERSION,
        "propositions": [proposition_to_dict(p) for p in propositions],
    }
    if reports is not None:
        document["reports"] = [report_to_dict(r) for r in reports]
    return document


def check_to_dict(result: CheckResult) -> dict[str, Any]:
    """The propositions matching a checked claim, best first, each with its ``score`` and its
    stances relative to the claim (``negated``: the claim is the proposition's negation, so
    supports and denies are swapped)."""
    return {
        "format": FORMAT_VERSION,
        "claim": result.claim,
        "core": result.core,
        "polarity": result.polarity,
        "propositions": [
            {
                **proposition_to_dict(m.proposition, m.stances),
                "score": round(m.score, 3),
                "negated": m.negated,
            }
            for m in result.matches
        ],
    }


def source_to_dict(s: SourceSummary) -> dict[str, Any]:
    return {
        "source": s.source,
        "speakers": list(s.speakers),
        "statements": s.statements,
        "stances": [
            {"proposition": pid, "text": text, "stance": stance} for pid, text, stance in s.stances
        ],
    }


def sources_to_dict(sources: Iterable[SourceSummary]) -> dict[str, Any]:
    return {"format": FORMAT_VERSION, "sources": [source_to_dict(s) for s in sources]}


def timeline_to_dict(proposition: Proposition, entries: Iterable[TimelineEntry]) -> dict[str, Any]:
    """A proposition's statements, in the order they were said."""
    return {
        "format": FORMAT_VERSION,
        "proposition": proposition.id,
        "text": proposition.text,
        "verdict": proposition.verdict,
        "timeline": [
            {
                "said_on": t.said_on,
                "speaker": t.speaker,
                "stance": t.stance,
                "evidence": evidence_to_dict(t.evidence),
            }
            for t in entries
        ],
    }
