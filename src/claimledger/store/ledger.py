"""The ledger: a SQLite file of articles and the statements attributed in them.

This module and ``claims`` (claims, propositions, reports) are the only ones that speak SQL.
Every write of an article is one
``BEGIN IMMEDIATE … COMMIT`` transaction, so an ingest killed at any moment leaves each article
either fully stored or absent; articles are keyed by content hash, so re-running an ingest adds
exactly what is missing. Opened with ``readonly=True`` it writes nothing, not even a schema
migration, and works on read-only storage.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from claimledger.errors import StoreError
from claimledger.model import Article, Speaker, Statement
from claimledger.store.claims import Encoder, Propositions
from claimledger.store.migrations import (
    MIGRATIONS,
    NewerSchemaError,
    check_not_newer,
    migrate,
    pending,
    user_version,
)
from claimledger.store.rows import (
    _article_from_rows,
    _article_row,
    _quantity_row,
    _statement_from_row,
    _statement_row,
    _time_row,
)

BUSY_TIMEOUT_MS = 10_000  # a second writer (another ingest) waits this long for the lock

_ARTICLE_COLUMNS = (
    "id, path, title, authors, outlet, url, published, published_source, language, encoding,"
    " text, furniture, notices"
)
_STATEMENT_COLUMNS = (
    "article_id, id, seq, kind, source_start, source_end, source_text, speaker_id,"
    " cue_start, cue_end, cue_text, content_start, content_end, content_text, content_pieces,"
    " factuality, said_on, via, times, quantities, produced_by, confidence, factuality_parts,"
    " said_on_source"
)
_STATEMENT_SELECT = """
SELECT st.*, a.path AS article_path, a.title AS article_title,
       sp.name AS speaker_name, sp.type AS speaker_type, sp.role AS speaker_role,
       sp.organization AS speaker_organization, sp.entity_id AS speaker_entity_id
FROM statements st
JOIN articles a ON a.id = st.article_id
LEFT JOIN speakers sp ON sp.id = st.speaker_id
"""


class UnstorableArticle(StoreError):
    """One article holds text SQLite cannot store (a lone surrogate, as a JSON ``"\\ud800"``
    gives); nothing of it was written and the database is fine, so a batch can go on."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


@dataclass(frozen=True, slots=True)
class StoredStatement:
    """A statement read from the ledger, with the article it came from (for display)."""

    article_id: str
    article_path: str | None
    article_title: str | None
    statement: Statement


class Ledger:
    """A claimledger database. Opening it applies any pending schema migrations, unless it is
    opened with ``readonly=True``: then it must exist and be up to date, and any write fails.

    Example::

        with Ledger("claimledger.db") as db:
            db.add_article(article)          # True; False when already stored
            for found in db.statements(speaker="singh"):
                print(found.article_path, found.statement.content.text)

        with Ledger("/mnt/archive/claimledger.db", readonly=True) as db:
            print(db.counts())               # {'articles': 10, 'statements': 17, ...}
    """

    def __init__(
        self,
        path: str | Path = "claimledger.db",
        *,
        readonly: bool = False,
        encode: Encoder | None = None,
    ) -> None:
        self.path = str(path)
        self.readonly = readonly
        self._conn = _open_readonly(self.path) if readonly else _open(self.path)
        # Claims, propositions and reports; ``encode`` turns claim cores into vectors (the
        # shipped MiniLM model unless another is given, as tests and benchmarks may).
        self.claims = Propositions(self._conn, self.path, encode)

    # -- lifecycle -------------------------------------------------------------------------

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
        """Save the claim index and close the database; calling it twice is harmless."""
        try:
            if not self.readonly:
                self.claims.save_index()
        finally:
            self._conn.close()

    # -- writing ---------------------------------------------------------------------------

    def add_article(self, article: Article) -> bool:
        """Store ``article`` with its statements, speakers, time expressions and quantities.

        Returns False, writing nothing, when an article with the same id (content hash) is
        already stored. Example: ``db.add_article(a)`` -> True, then ``db.add_article(a)`` -> False.
        """
        with self._transaction(article.path or article.id):
            if self._has_article(article.id):
                return False
            self._conn.execute(
                f"INSERT INTO articles ({_ARTICLE_COLUMNS}, seq, ingested_at)"
                f" VALUES ({_placeholders(_ARTICLE_COLUMNS)},"
                " (SELECT COALESCE(MAX(seq), 0) + 1 FROM articles), ?)",
                (*_article_row(article), datetime.now(UTC).isoformat(timespec="seconds")),
            )
            self._insert_statements(article.id, article.statements)
            self._insert_values(article)
            self.claims.add_article(article)
        return True

    def add_articles(self, articles: Iterable[Article]) -> int:
        """Store each of ``articles`` (a stream is fine), one transaction each, so that a run
        cut short keeps every article it finished; return how many were new.

        Example: ``db.add_articles(ingest(paths))`` -> 3
        """
        return sum(self.add_article(a) for a in articles)

    def remove_article(self, article_id: str) -> bool:
        """Delete an article and (by cascade) its statements; False when it was not stored."""
        with self._transaction(article_id):
            self.claims.remove_article(article_id)
            cursor = self._conn.execute("DELETE FROM articles WHERE id = ?", (article_id,))
            self.claims.refresh_after_removal()
        return cursor.rowcount > 0

    # -- reading ---------------------------------------------------------------------------

    def has_article(self, article_id: str) -> bool:
        """Whether an article with this id (``"sha256:…"``) is stored."""
        return self._has_article(article_id)

    def article(self, article_id: str) -> Article | None:
        """The stored article with this id, statements and all, or None."""
        row = self._conn.execute(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        return None if row is None else self._article_from_row(row)

    def articles(self, limit: int | None = None) -> Iterator[Article]:
        """Every stored article, in ingest order, read back in full.

        Example: ``[a.path for a in db.articles(limit=2)]`` -> ``["kursk.txt", "kyiv.html"]``
        """
        rows = self._conn.execute(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles ORDER BY seq LIMIT ?", (_sql_limit(limit),)
        )
        for row in rows:
            yield self._article_from_row(row)

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
        """Stored statements in ingest order, filtered by every filter given.

        ``speaker``: case-insensitive part of the speaker's name or of the source text;
        ``article``: start of the article id (with or without ``sha256:``) or part of its path;
        ``text``: case-insensitive part of the content;
        ``said_after`` / ``said_before``: ISO dates, inclusive, compared with the statement's
        ``said_on`` or, when that is unknown, its article's publication date;
        ``factuality``: any of these labels (``CT+``, ``PR-``, ``Uu`` …).
        Example: ``next(db.statements(text="combat")).article_path`` -> ``"examples/kursk.txt"``
        """
        where, params = _statement_filters(
            speaker, article, text, said_after, said_before, factuality
        )
        sql = f"{_STATEMENT_SELECT} {where} ORDER BY a.seq, st.seq LIMIT ?"
        for row in self._conn.execute(sql, (*params, _sql_limit(limit))):
            yield StoredStatement(
                row["article_id"],
                row["article_path"],
                row["article_title"],
                _statement_from_row(row),
            )

    def counts(self) -> dict[str, int]:
        """How many articles, statements and speakers are stored."""
        return {
            table: self._conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("articles", "statements", "speakers")  # fixed names, not input
        }

    def schema_version(self) -> int:
        """The number of schema migrations applied to this database."""
        return user_version(self._conn)

    # -- internals -------------------------------------------------------------------------

    @contextmanager
    def _transaction(self, what: str) -> Iterator[None]:
        if self.readonly:
            raise StoreError(
                f"{self.path}: opened read-only, so {what} is not changed;"
                " open the ledger without readonly=True to write"
            )
        # IMMEDIATE takes the write lock up front, so the existence check and the inserts
        # see the same database even with another ingest running beside this one.
        try:
            self._conn.execute("BEGIN IMMEDIATE")
            yield
            self._conn.execute("COMMIT")
        except sqlite3.Error as exc:
            self._rollback()
            raise StoreError(f"{what}: not stored in {self.path} ({exc})") from exc
        except UnicodeEncodeError as exc:  # raised binding a str parameter, before SQLite sees it
            self._rollback()
            bad = exc.object[exc.start : exc.end]
            raise UnstorableArticle(
                what, f"holds {bad!r}, a lone surrogate, which is not Unicode text; not stored"
            ) from exc
        except BaseException:
            self._rollback()
            raise

    def _rollback(self) -> None:
        if self._conn.in_transaction:
            self._conn.execute("ROLLBACK")

    def _has_article(self, article_id: str) -> bool:
        found = self._conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,))
        return found.fetchone() is not None

    def _speaker_id(self, speaker: Speaker | None) -> int | None:
        if speaker is None:
            return None
        fields = (speaker.name, speaker.type, speaker.role, speaker.organization, speaker.entity_id)
        key = json.dumps(fields, ensure_ascii=False)
        self._conn.execute(
            "INSERT INTO speakers (key, name, type, role, organization, entity_id)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING",
            (key, *fields),
        )
        row = self._conn.execute("SELECT id FROM speakers WHERE key = ?", (key,)).fetchone()
        return int(row["id"])

    def _insert_statements(self, article_id: str, statements: Iterable[Statement]) -> None:
        rows = [
            _statement_row(article_id, seq, s, self._speaker_id(s.speaker))
            for seq, s in enumerate(statements)
        ]
        self._conn.executemany(
            f"INSERT INTO statements ({_STATEMENT_COLUMNS})"
            f" VALUES ({_placeholders(_STATEMENT_COLUMNS)})",
            rows,
        )

    def _insert_values(self, article: Article) -> None:
        self._conn.executemany(
            "INSERT INTO time_expressions (article_id, id, seq, start, end, text, value, anchor,"
            " type, begin, end_value) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [_time_row(article.id, seq, t) for seq, t in enumerate(article.time_expressions)],
        )
        self._conn.executemany(
            "INSERT INTO quantities (article_id, id, seq, start, end, text, value, qualifier,"
            " unit) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [_quantity_row(article.id, seq, q) for seq, q in enumerate(article.quantities)],
        )

    def _article_from_row(self, row: sqlite3.Row) -> Article:
        article_id: str = row["id"]
        statements = self._conn.execute(
            f"{_STATEMENT_SELECT} WHERE st.article_id = ? ORDER BY st.seq", (article_id,)
        )
        times = self._conn.execute(
            "SELECT id, start, end, text, value, anchor, type, begin, end_value"
            " FROM time_expressions"
            " WHERE article_id = ? ORDER BY seq",
            (article_id,),
        )
        quantities = self._conn.execute(
            "SELECT id, start, end, text, value, qualifier, unit FROM quantities"
            " WHERE article_id = ? ORDER BY seq",
            (article_id,),
        )
        article = _article_from_rows(row, statements, times, quantities)
        return dataclasses.replace(article, claims=self.claims.claims_of(article_id))


# -- opening ---------------------------------------------------------------------------------


def _open(name: str) -> sqlite3.Connection:
    try:
        # isolation_level=None: we issue BEGIN/COMMIT ourselves rather than let the module
        # open transactions behind our back.
        conn = sqlite3.connect(name, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except sqlite3.Error as exc:
        raise StoreError(f"{name}: cannot open database ({exc}); check the --db path") from exc
    try:
        _prepare(conn, name)
    except BaseException:
        conn.close()
        raise
    return conn


def _open_readonly(name: str) -> sqlite3.Connection:
    if not os.path.isfile(name):
        raise StoreError(
            f"{name}: no such ledger; create it with claimledger ingest PATH --db {name}"
        )
    conn = _connect_readonly(name)
    try:
        _prepare(conn, name, readonly=True)
    except BaseException:
        conn.close()
        raise
    return conn


# What SQLite says when it cannot create the -shm index that reading a WAL database needs.
_NO_WAL_INDEX = {sqlite3.SQLITE_READONLY_DIRECTORY, sqlite3.SQLITE_CANTOPEN}


def _connect_readonly(name: str) -> sqlite3.Connection:
    """A connection that cannot write, opened the gentlest way the storage allows.

    Where the file and its folder are writable, a normal connection made query-only: the
    reader then removes, on closing, the -wal and -shm files SQLite creates beside a WAL database
    to read it (a ``mode=ro`` connection would leave them behind). Elsewhere ``mode=ro``, which
    still needs those files, and so fails in a read-only folder where they do not exist: there,
    ``immutable=1``, which reads the file alone, with no locks: safe because nothing can write
    to that folder either — unless a -wal file is already there with changes in it, which an
    immutable reader would not see.
    """
    uri = Path(name).absolute().as_uri()
    targets = [f"{uri}?mode=ro", f"{uri}?mode=ro&immutable=1"]
    if os.access(name, os.W_OK) and os.access(os.path.dirname(name) or ".", os.W_OK):
        targets.insert(0, uri)
    for target in targets:
        if target.endswith("immutable=1"):
            _refuse_unmerged_wal(name)
        try:
            conn = sqlite3.connect(
                target, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None
            )
        except sqlite3.Error as exc:
            raise StoreError(f"{name}: cannot open database ({exc}); check the --db path") from exc
        try:
            conn.execute("PRAGMA query_only = ON")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # opens the file
            return conn
        except sqlite3.Error as exc:
            conn.close()
            if exc.sqlite_errorcode not in _NO_WAL_INDEX or target == targets[-1]:
                raise StoreError(f"{name}: cannot read database ({exc})") from exc
    raise AssertionError("unreachable: the last target returns or raises")


def _refuse_unmerged_wal(name: str) -> None:
    wal = name + "-wal"
    if os.path.exists(wal) and os.path.getsize(wal) > 0:
        raise StoreError(
            f"{name}: its latest changes are still in {wal}, which cannot be read in a read-only"
            " folder without its -shm file; open the ledger once where it can be written"
        )


def _prepare(conn: sqlite3.Connection, name: str, readonly: bool = False) -> None:
    try:
        _configure(conn, readonly)
        _refuse_foreign_database(conn, name)
        if readonly:
            _refuse_outdated_schema(conn, name)
        else:
            migrate(conn)
    except NewerSchemaError as exc:
        raise StoreError(
            f"{name}: database schema version {exc.found} is newer than this claimledger"
            f" knows ({exc.known}); upgrade claimledger (pip install -U claimledger)"
        ) from exc
    except sqlite3.Error as exc:
        if exc.sqlite_errorcode == sqlite3.SQLITE_NOTADB:
            raise StoreError(
                f"{name}: not a claimledger database ({exc}); pass another --db path"
            ) from exc
        raise StoreError(f"{name}: cannot use database ({exc})") from exc


def _configure(conn: sqlite3.Connection, readonly: bool = False) -> None:
    conn.row_factory = sqlite3.Row
    conn.create_function("cl_contains", 2, _contains_casefold, deterministic=True)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    # Off by default in SQLite, per connection: without it ON DELETE CASCADE does nothing.
    conn.execute("PRAGMA foreign_keys = ON")
    if readonly:
        return  # the journal mode is a write; the database keeps the one it was written with
    # WAL lets readers (the web app) work while an ingest writes; NORMAL is durable across
    # application crashes in WAL mode and only risks the last commits on power loss.
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")


def _refuse_foreign_database(conn: sqlite3.Connection, name: str) -> None:
    # Another program's SQLite file: adding our tables to it would be a nasty surprise.
    tables = [
        row[0]
        for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    ]
    if tables and "migrations" not in tables:
        shown = ", ".join(tables[:5])
        raise StoreError(
            f"{name}: not a claimledger database (an SQLite database with tables {shown});"
            " pass another --db path"
        )


def _refuse_outdated_schema(conn: sqlite3.Connection, name: str) -> None:
    check_not_newer(conn, MIGRATIONS)
    if not pending(conn):
        return
    if not user_version(conn):
        raise StoreError(
            f"{name}: no ledger in this database yet; create it with"
            f" claimledger ingest PATH --db {name}"
        )
    raise StoreError(
        f"{name}: schema version {user_version(conn)} is older than this claimledger's"
        f" ({len(MIGRATIONS)}) and cannot be upgraded read-only; open it once with write access"
        " to upgrade it (any claimledger ingest into it does, or"
        f' python -c "import claimledger; claimledger.Ledger({name!r}).close()")'
    )


def _contains_casefold(haystack: str | None, needle: str | None) -> bool:
    # A Python function, not LIKE: no wildcard escaping, and Unicode-aware case folding.
    return haystack is not None and needle is not None and needle.casefold() in haystack.casefold()


# -- SQL pieces ----------------------------------------------------------------------------


def _placeholders(columns: str) -> str:
    return ", ".join("?" for _ in columns.split(","))


def _sql_limit(limit: int | None) -> int:
    return -1 if limit is None else max(limit, 0)  # SQLite: LIMIT -1 means no limit


def _statement_filters(
    speaker: str | None,
    article: str | None,
    text: str | None,
    said_after: str | None = None,
    said_before: str | None = None,
    factuality: Sequence[str] = (),
) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if speaker is not None:
        clauses.append("(cl_contains(sp.name, ?) OR cl_contains(st.source_text, ?))")
        params += [speaker, speaker]
    if article is not None:
        bare = article.removeprefix("sha256:")
        clauses.append("(substr(a.id, 1, ?) = ? OR instr(a.path, ?) > 0)")
        params += [len("sha256:" + bare), "sha256:" + bare, article]
    if text is not None:
        clauses.append("cl_contains(st.content_text, ?)")
        params.append(text)
    # Only full dates compare as text; a partial value (XXXX-11-24) matches no date range.
    when = "COALESCE(st.said_on, a.published)"
    if said_after is not None:
        clauses.append(f"({when} GLOB '[0-9][0-9][0-9][0-9]-*' AND {when} >= ?)")
        params.append(said_after)
    if said_before is not None:
        clauses.append(f"({when} GLOB '[0-9][0-9][0-9][0-9]-*' AND substr({when}, 1, 10) <= ?)")
        params.append(said_before)
    if factuality:
        clauses.append(f"st.factuality IN ({', '.join('?' for _ in factuality)})")
        params += list(factuality)
    return ("WHERE " + " AND ".join(clauses) if clauses else ""), params
