"""Turning articles and statements into what people read: the terminal report and CSV rows."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from claimledger.model import Article, Statement

CSV_COLUMNS = (
    "article_id",
    "article_path",
    "statement_id",
    "kind",
    "speaker",
    "speaker_type",
    "role",
    "organization",
    "source",
    "cue",
    "content",
    "content_start",
    "content_end",
    "via",
    "factuality",
    "said_on",
    "by",
)


def statement_row(article_id: str, article_path: str | None, s: Statement) -> dict[str, object]:
    """One flat CSV row for a statement."""
    sp = s.speaker
    return {
        "article_id": article_id,
        "article_path": article_path or "",
        "statement_id": s.id,
        "kind": s.kind,
        "speaker": sp.name if sp else "",
        "speaker_type": sp.type if sp else "",
        "role": (sp.role or "") if sp else "",
        "organization": (sp.organization or "") if sp else "",
        "source": s.source.text if s.source else "",
        "cue": s.cue.text if s.cue else "",
        "content": s.content.text,
        "content_start": s.content.start,
        "content_end": s.content.end,
        "via": "; ".join(v.name for v in s.via),
        "factuality": s.factuality or "",
        "said_on": s.said_on or "",
        "by": s.by,
    }


def csv_lines(rows: Iterable[dict[str, object]]) -> Iterator[str]:
    """CSV text, header first, one chunk per row (streams)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    yield buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(row)
        yield buffer.getvalue()


def speaker_label(s: Statement) -> str:
    if s.speaker is None:
        return "(no named source)" if s.source is None else s.source.text
    sp = s.speaker
    extras = ", ".join(x for x in (sp.role, sp.organization) if x)
    return f"{sp.name} ({extras})" if extras else sp.name


def article_report(article: Article) -> Group:
    """Each statement as speaker — cue — content, grouped by speaker, in order of first word."""
    head = Text(article.title or article.path or article.id, style="bold")
    meta = " · ".join(
        x
        for x in (
            ", ".join(article.authors) or None,
            article.outlet,
            f"published {article.published}" if article.published else "publication date unknown",
            article.path,
        )
        if x
    )
    parts: list[object] = [head, Text(meta, style="dim")]
    groups: dict[str, list[Statement]] = {}
    for s in article.statements:
        groups.setdefault(speaker_label(s), []).append(s)
    if not groups:
        parts.append(Text("No attributed statements found.", style="yellow"))
    for label, statements in groups.items():
        table = Table.grid(padding=(0, 1))
        table.add_column(style="cyan", no_wrap=True)
        table.add_column()
        for s in statements:
            cue = s.cue.text if s.cue else "(continues)"
            line = Text(_quoted(s))
            line.append(_annotations(s, article), style="dim")
            table.add_row(f"{cue} —", line)
        kind = statements[0].speaker.type if statements[0].speaker else "unknown"
        parts.append(
            Panel(
                table,
                title=f"[bold]{label}[/bold] · {kind}",
                title_align="left",
                border_style="blue",
            )
        )
    parts.append(
        Text(f"{len(article.statements)} statements from {len(groups)} sources", style="dim")
    )
    return Group(*parts)  # type: ignore[arg-type]


def _annotations(s: Statement, article: Article) -> str:
    """The bracketed facts after a statement: how firmly, when, via whom, what it counts."""
    notes = []
    if s.factuality:
        parts = ", ".join(
            f"{p.factuality} “{_first_words(article.text[p.start : p.end])}”"
            for p in s.factuality_parts
        )
        notes.append(f"{s.factuality} ({parts})" if parts else s.factuality)
    if s.said_on:
        notes.append(f"said {s.said_on}")
    if s.via:
        notes.append("via " + ", ".join(v.name for v in s.via))
    times = {t.id: t for t in article.time_expressions}
    about = [
        f"{times[t].text} = {times[t].value}" for t in s.times if t in times and times[t].value
    ]
    if about:
        notes.append("about " + "; ".join(about))
    quantities = {q.id: q for q in article.quantities}
    counted = [
        f"{q.qualifier.replace('_', ' ')} {q.value:,} {q.unit or ''}".strip()
        for q in (quantities[i] for i in s.quantities if i in quantities)
    ]
    if counted:
        notes.append("; ".join(counted))
    return f"  [{' · '.join(notes)}]" if notes else ""


def _first_words(text: str, n: int = 6) -> str:
    words = text.split()
    return " ".join(words[:n]) + (" …" if len(words) > n else "")


def _quoted(s: Statement) -> str:
    text = (
        " … ".join(
            s.content.text[a - s.content.start : b - s.content.start] for a, b in s.content.pieces
        )
        if s.content.pieces
        else s.content.text
    )
    return f"“{text}”" if s.kind == "direct" else text


def print_report(console: Console, articles: Iterable[Article]) -> None:
    for article in articles:
        console.print(article_report(article))
        console.print()
