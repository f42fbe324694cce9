"""Turning articles and statements into what people read: the terminal report, its plain
one-line-per-statement form for pipes, and CSV/TSV rows."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence

from rich.console import Console, Group
from rich.markup import escape
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
# A statement whose cue the model gave less than this probability is marked "low confidence"
# in the report: below it the model thinks the cue more likely not to be one.
LOW_CONFIDENCE = 0.5


def plural(n: int, word: str) -> str:
    """``plural(1, "source")`` -> ``'1 source'``; ``plural(2, "source")`` -> ``'2 sources'``."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


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


def csv_lines(
    rows: Iterable[dict[str, object]], columns: Sequence[str] = CSV_COLUMNS
) -> Iterator[str]:
    """CSV text, header first, one chunk per row (streams)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    yield buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(row)
        yield buffer.getvalue()


def tsv_lines(
    rows: Iterable[dict[str, object]], columns: Sequence[str] = CSV_COLUMNS
) -> Iterator[str]:
    """Tab-separated text, header first, one line per row; a tab, line break or backslash
    inside a value is written ``\\t``, ``\\n``, ``\\r``, ``\\\\``, so every row stays one line."""
    yield "\t".join(columns) + "\n"
    for row in rows:
        yield "\t".join(_tsv_value(row[column]) for column in columns) + "\n"


def _tsv_value(value: object) -> str:
    text = str(value)
    return (
        text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    )


def speaker_label(s: Statement) -> str:
    if s.speaker is None:
        return "(no named source)" if s.source is None else s.source.text
    sp = s.speaker
    extras = ", ".join(x for x in (sp.role, sp.organization) if x)
    return f"{sp.name} ({extras})" if extras else sp.name


def article_report(article: Article) -> Group:
    """Each statement as speaker — cue — content, grouped by speaker, in order of first word."""
    parts: list[object] = [Text(_title(article), style="bold"), Text(_meta(article), style="dim")]
    groups = _by_speaker(article)
    if not groups:
        parts.append(Text("No attributed statements found.", style="yellow"))
    for label, statements in groups.items():
        table = Table.grid(padding=(0, 1))
        table.add_column(style="cyan", no_wrap=True)
        table.add_column()
        for s in statements:
            line = Text(_quoted(s))
            line.append_text(_annotations(s, article))
            table.add_row(f"{_cue(s)} —", line)
        parts.append(
            Panel(
                table,
                title=f"[bold]{escape(label)}[/bold] · {_kind(statements)}",
                title_align="left",
                border_style="blue",
            )
        )
    parts.append(Text(_summary(article, groups), style="dim"))
    return Group(*parts)  # type: ignore[arg-type]


def article_lines(article: Article) -> Iterator[str]:
    """The report for a pipe: title, metadata, then one line per statement (line breaks inside a
    statement become spaces), then the count.

    Example line: ``Olga Petrenko · person · said — the deficit would shrink  [CT+ · by …]``
    """
    yield _one_line(_title(article))
    yield _one_line(_meta(article))
    groups = _by_speaker(article)
    if not groups:
        yield "No attributed statements found."
    for label, statements in groups.items():
        for s in statements:
            said = f"{label} · {_kind(statements)} · {_cue(s)} — {_quoted(s)}"
            yield _one_line(said) + _annotations(s, article).plain
    yield _summary(article, groups)


def _title(article: Article) -> str:
    return article.title or article.path or article.id


def _meta(article: Article) -> str:
    return " · ".join(
        x
        for x in (
            ", ".join(article.authors) or None,
            article.outlet,
            f"published {article.published}" if article.published else "publication date unknown",
            article.path,
        )
        if x
    )


def _by_speaker(article: Article) -> dict[str, list[Statement]]:
    groups: dict[str, list[Statement]] = {}
    for s in article.statements:
        groups.setdefault(speaker_label(s), []).append(s)
    return groups


def _kind(statements: list[Statement]) -> str:
    return statements[0].speaker.type if statements[0].speaker else "unknown"


def _cue(s: Statement) -> str:
    return s.cue.text if s.cue else "(continues)"


def _summary(article: Article, groups: dict[str, list[Statement]]) -> str:
    return f"{plural(len(article.statements), 'statement')} from {plural(len(groups), 'source')}"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _annotations(s: Statement, article: Article) -> Text:
    """The bracketed facts after a statement: how firmly, when, via whom, what it counts, which
    rule or model found it, and whether the cue model doubted it."""
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
    notes.append(f"by {s.by}")
    text = Text("  [" + " · ".join(notes), style="dim")
    if s.confidence is not None and s.confidence < LOW_CONFIDENCE:
        text.append(" · ", style="dim")
        text.append(f"low confidence {s.confidence:.2f}", style="yellow")
    text.append("]", style="dim")
    return text


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


def print_report(console: Console, articles: Iterable[Article], *, plain: bool = False) -> None:
    """Each article's report, boxed for a terminal or ``plain`` (one statement per line)."""
    for article in articles:
        if plain:
            console.file.write("\n".join(article_lines(article)) + "\n\n")
        else:
            console.print(article_report(article))
            console.print()
