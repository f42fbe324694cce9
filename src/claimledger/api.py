"""The public Python API: every operation the CLI offers, as functions returning dataclasses.

Example::

    import claimledger
    article = claimledger.extract("examples/kursk.txt", published="2024-12-10")
    for s in article.statements:
        speaker = s.speaker.name if s.speaker else "?"
        print(speaker, "—", s.cue.text if s.cue else "", "—", s.content.text)

    with claimledger.Ledger("claimledger.db") as ledger:
        summary = ledger.ingest(["examples/"])
        for row in ledger.statements(speaker="Singh"):
            print(row.statement.content.text)
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from types import TracebackType

from claimledger import ingest
from claimledger.errors import InputError, StoreError
from claimledger.model import (
    Article,
    CheckResult,
    InputFailure,
    Proposition,
    Report,
    Skipped,
    SourceSummary,
    TimelineEntry,
    Verdict,
    printable_path,
)
from claimledger.nlp import DEFAULT_MODEL
from claimledger.pipeline import analyze_articles
from claimledger.store import Ledger as _Store
from claimledger.store import StoredStatement, UnstorableArticle

DEFAULT_MAX_BYTES = 5_000_000


@dataclass(frozen=True, slots=True)
class Options:
    """How inputs are read and analysed; one object shared by every command."""

    published: str | None = None
    model: str = DEFAULT_MODEL
    attribution: str = "learned"  # or "rules": the hand-written rules without what was learned
    any_language: bool = False
    max_bytes: int = DEFAULT_MAX_BYTES


def extract(
    text_or_path: str | os.PathLike[str],
    published: str | None = None,
    *,
    model: str = DEFAULT_MODEL,
    attribution: str = "learned",
) -> Article:
    """One article with its statements, from a file path or from the text itself.

    A path object, or a string naming an existing file, is read as that file (see
    :func:`extract_file`); a string that looks like a path but names no file (one line ending in
    ``.txt``, ``.html`` …, or ending in ``/``, or a single word with a ``/`` in it) raises
    ``InputError`` rather than be taken for an article; any other string is the article's text
    (see :func:`extract_text`, which takes every string as text). A folder raises ``InputError``:
    :func:`extract_many` and ``Ledger.ingest`` read folders.

    Example: ``claimledger.extract("Singh said the troops are in Kursk.").statements[0].speaker``
    """
    if isinstance(text_or_path, os.PathLike) or _names_a_file(text_or_path):
        return extract_file(text_or_path, published, model=model, attribution=attribution)
    if _looks_like_a_path(text_or_path):
        raise InputError(
            printable_path(text_or_path),
            "no such file or directory; check the path, or use extract_text() for text",
        )
    return extract_text(text_or_path, published, model=model, attribution=attribution)


def extract_text(
    text: str,
    published: str | None = None,
    *,
    model: str = DEFAULT_MODEL,
    attribution: str = "learned",
) -> Article:
    """One article with its statements, from its text (never read as a file name).

    ``published`` (YYYY-MM-DD) anchors relative dates such as "on Monday".

    Example::

        >>> article = claimledger.extract_text("Lopez said the plan was fair.")
        >>> [(s.speaker.name, s.cue.text, s.content.text) for s in article.statements]
        [('Lopez', 'said', 'the plan was fair')]
    """
    if published is not None:
        published = ingest.parse_published(published)
    _refuse_lone_surrogates(text)
    article = ingest.read_text(text, published=published)
    result = next(analyze_articles([article], model, attribution))
    if isinstance(result, InputFailure):
        raise InputError(result.source, result.reason)
    return result


def _refuse_lone_surrogates(text: str) -> None:
    # What bytes decoded with errors="surrogateescape" leave: no tokenizer, JSON line or
    # SQLite text can hold them, so say so here rather than fail deep inside the analysis.
    found = _LONE_SURROGATE.search(text)
    if found:
        raise InputError(
            "text",
            f"holds {found.group()!r} at offset {found.start()}, a lone surrogate, which is not"
            " Unicode text; decode the bytes with errors='replace'",
        )


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def extract_file(
    path: str | os.PathLike[str],
    published: str | None = None,
    *,
    model: str = DEFAULT_MODEL,
    attribution: str = "learned",
) -> Article:
    """One article with its statements, from a file: text, HTML or JSONL (its first article).

    ``published`` (YYYY-MM-DD) is used when the file carries no date of its own. Raises
    ``InputError`` naming the file when it is missing, a folder, or cannot be read as an article.

    Example::

        >>> article = claimledger.extract_file("examples/kursk.txt", published="2024-12-10")
        >>> article.published, article.published_source, len(article.statements)
        ('2024-12-10', 'cli', 17)
    """
    if published is not None:
        published = ingest.parse_published(published)
    value = os.fspath(path)
    if os.path.isdir(value):
        raise InputError(
            printable_path(value),
            "a folder, not a file; use extract_many() or Ledger.ingest() for folders",
        )
    options = Options(published=published, model=model, attribution=attribution, any_language=True)
    for item in extract_many([value], options):
        if isinstance(item, InputFailure):
            raise InputError(item.source, item.reason)
        return item
    raise InputError(printable_path(value), "no article in the input")


# Endings that mark a string as a file name rather than an article's text.
_FILE_ENDINGS = (
    *ingest.KIND_BY_EXTENSION,
    *(".json", ".csv", ".xml", ".pdf", ".doc", ".docx", ".odt", ".rtf", ".gz", ".zip", ".warc"),
)
_MAX_PATH_CHARS = 4096  # PATH_MAX on Linux: nothing longer is a file name


def _names_a_file(value: str) -> bool:
    return len(value) <= _MAX_PATH_CHARS and "\n" not in value and os.path.exists(value)


def _looks_like_a_path(value: str) -> bool:
    """A string that names no file but is surely meant to: reading it as an article would
    silently give nothing."""
    name = value.strip()
    if not name or len(name) > _MAX_PATH_CHARS or "\n" in name:
        return False
    separators = ("/", os.sep)
    return (
        name.lower().endswith(_FILE_ENDINGS)
        or name.endswith(separators)
        or (not any(c.isspace() for c in name) and any(sep in name for sep in separators))
    )


def extract_many(
    paths: Iterable[str],
    options: Options = Options(),
    on_skip: Callable[[Skipped], None] | None = None,
) -> Iterator[Article | InputFailure]:
    """Articles with statements for every input path (files, directories, JSONL, ``-``), in order;
    an input that cannot be read comes out as an ``InputFailure`` and the rest go on.
    ``on_skip`` is told of each file a directory walk leaves out (a PDF, an image …)."""
    items = ingest.read_inputs(
        paths,
        published=options.published,
        max_bytes=options.max_bytes,
        check_language=not options.any_language,
        on_skip=on_skip,
    )
    yield from analyze_articles(items, options.model, options.attribution)


@dataclass
class IngestSummary:
    """What one ``Ledger.ingest`` did."""

    new: int = 0
    duplicate: int = 0
    failed: int = 0
    statements: int = 0
    failures: list[InputFailure] = field(default_factory=list)
    skipped: int = 0  # files a directory walk left out: not articles, and not failures
    skipped_files: list[Skipped] = field(default_factory=list)


class Ledger:
    """A claimledger database (SQLite) with the ingest step in front of it.

    ``readonly=True`` opens an existing ledger for queries only: nothing in it is changed (no
    migration either), it works on read-only storage, and ``ingest`` fails.

    Example::

        with Ledger("claimledger.db") as ledger:
            ledger.ingest(["news/"], Options(published="2024-12-10"))
        with Ledger("claimledger.db", readonly=True) as ledger:
            rows = list(ledger.statements(speaker="Paparo"))
    """

    def __init__(
        self, path: str | os.PathLike[str] = "claimledger.db", *, readonly: bool = False
    ) -> None:
        self.store = _Store(os.fspath(path), readonly=readonly)
        self.path = os.fspath(path)
        self.readonly = readonly

    def __enter__(self) -> Ledger:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self.store.close()

    def ingest(
        self,
        paths: Iterable[str],
        options: Options = Options(),
        on_item: Callable[[Article | InputFailure, str], None] | None = None,
        on_skip: Callable[[Skipped], None] | None = None,
    ) -> IngestSummary:
        """Read, analyse and store every input; each article in its own transaction.

        Articles already stored (same content hash) are skipped before analysis, so re-running
        an interrupted ingest only does the missing work. ``on_item(item, outcome)`` is called
        for each input with outcome ``new``, ``duplicate`` or ``failed`` (for progress bars);
        ``on_skip`` for each file a directory walk leaves out, which the summary counts.
        """
        if self.readonly:
            raise StoreError(
                f"{self.path}: opened read-only, nothing can be ingested;"
                " open it without readonly=True"
            )
        summary = IngestSummary()

        def skipped(item: Skipped) -> None:
            summary.skipped += 1
            summary.skipped_files.append(item)
            if on_skip:
                on_skip(item)

        items = ingest.read_inputs(
            paths,
            published=options.published,
            max_bytes=options.max_bytes,
            check_language=not options.any_language,
            on_skip=skipped,
        )
        fresh = self._skip_stored(items, summary, on_item)
        for item in analyze_articles(fresh, options.model, options.attribution):
            added = False
            if isinstance(item, Article):
                try:
                    added = self.store.add_article(item)
                except UnstorableArticle as error:  # this article's text only: the batch goes on
                    item = InputFailure(error.source, error.reason)
            if isinstance(item, InputFailure):
                summary.failed += 1
                summary.failures.append(item)
                outcome = "failed"
            elif added:
                summary.new += 1
                summary.statements += len(item.statements)
                outcome = "new"
            else:
                summary.duplicate += 1
                outcome = "duplicate"
            if on_item:
                on_item(item, outcome)
        return summary

    def _skip_stored(
        self,
        items: Iterable[Article | InputFailure],
        summary: IngestSummary,
        on_item: Callable[[Article | InputFailure, str], None] | None,
    ) -> Iterator[Article | InputFailure]:
        seen: set[str] = set()
        for item in items:
            if isinstance(item, Article) and (item.id in seen or self.store.has_article(item.id)):
                summary.duplicate += 1
                if on_item:
                    on_item(item, "duplicate")
                continue
            if isinstance(item, Article):
                seen.add(item.id)
            yield item

    def statements(
        self,
        *,
        speaker: str | None = None,
        article: str | None = None,
        text: str | None = None,
        said_after: str | None = None,
        said_before: str | None = None,
        factuality: Sequence[str] = (),
        limit: int | None = None,
    ) -> Iterator[StoredStatement]:
        """Stored statements, filtered by speaker name, article (id prefix or path), content
        text (case-insensitive substrings), when they were said (ISO dates, inclusive; the
        publication date stands in where the statement's own date is unknown) and factuality
        labels.

        Example: ``ledger.statements(speaker="Singh", factuality=["CT-"])``
        """
        for value in (said_after, said_before):
            if value is not None:
                ingest.parse_published(value)  # the same YYYY-MM-DD check as --published
        return self.store.statements(
            speaker=speaker,
            article=article,
            text=text,
            said_after=said_after,
            said_before=said_before,
            factuality=factuality,
            limit=limit,
        )

    def articles(self, limit: int | None = None) -> Iterator[Article]:
        """Stored articles with their statements, in ingest order."""
        return self.store.articles(limit=limit)

    def counts(self) -> dict[str, int]:
        return self.store.counts()

    # -- across articles -------------------------------------------------------------------

    def propositions(
        self,
        verdict: Verdict | None = None,
        speaker: str | None = None,
        text: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int | None = None,
    ) -> list[Proposition]:
        """Propositions, contested first, then by how many independent sources speak to them.

        ``speaker``: part of a speaker's or source's name; ``text``: part of the proposition's
        text or of a claim's; ``since``/``until``: ISO dates (or a year or month), inclusive,
        against when its claims were said. Example: ``ledger.propositions(verdict="contested")``
        """
        return self.store.claims.propositions(verdict, speaker, text, since, until, limit)

    def proposition(self, proposition_id: str) -> Proposition:
        """One proposition by id ("p12"); ``UnknownProposition`` when there is none."""
        found = self.store.claims.proposition(proposition_id)
        if found is None:
            raise UnknownProposition(proposition_id, self.path)
        return found

    def check(self, claim: str, limit: int = 5, options: Options = Options()) -> CheckResult:
        """The propositions that match ``claim``, best first, each with every source's stance
        relative to the claim as worded: checking "the troops have not fought" swaps the
        supports and denies of "the troops have fought".

        Example: ``ledger.check("North Korean troops fought in Kursk").matches[0].score``
        """
        from claimledger.aggregate.check import check_claim

        return check_claim(self.store.claims, claim, limit, options.model)

    def sources(self) -> list[SourceSummary]:
        """Every independent source, with who spoke for it, its statements and its stances."""
        from claimledger.aggregate.check import source_summaries

        return source_summaries(self.store.claims)

    def timeline(self, proposition_id: str) -> list[TimelineEntry]:
        """The proposition's evidence in order of when it was said (undated last)."""
        from claimledger.aggregate.check import timeline

        return timeline(self.proposition(proposition_id))

    def reports(self) -> list[Report]:
        """Near-duplicate articles stored: each report with its copies, in ingest order."""
        return [Report(r, tuple(ids)) for r, ids in self.store.claims.report_articles()]


class UnknownProposition(ValueError):
    """No proposition with this id in the ledger."""

    def __init__(self, proposition_id: str, path: str) -> None:
        super().__init__(
            f"{proposition_id}: no such proposition in {path};"
            " run `claimledger propositions` to list them"
        )
        self.proposition_id = proposition_id
