"""The ledger's schema, as an ordered list of migrations.

Like ``sqlite_utils/migrations.py``: each migration is a function registered by name, applied
once, and recorded in the ``migrations`` table with the time it ran. ``PRAGMA user_version``
mirrors the number applied so that a newer database is recognised before anything is written.
Never edit a migration that has shipped: add a new one at the end.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

MigrationFunction = Callable[[sqlite3.Connection], None]


@dataclass(frozen=True, slots=True)
class Migration:
    name: str
    apply: MigrationFunction


MIGRATIONS: list[Migration] = []


def migration(name: str) -> Callable[[MigrationFunction], MigrationFunction]:
    """Register ``fn`` as the next migration, under ``name``."""

    def register(fn: MigrationFunction) -> MigrationFunction:
        MIGRATIONS.append(Migration(name, fn))
        return fn

    return register


def _run(conn: sqlite3.Connection, statements: Sequence[str]) -> None:
    # Statement by statement, not executescript(): executescript() commits first, which would
    # split a migration from the record that says it was applied.
    for sql in statements:
        conn.execute(sql)


@migration("0001_articles_speakers_statements")
def _initial(conn: sqlite3.Connection) -> None:
    _run(
        conn,
        [
            """CREATE TABLE articles (
            id TEXT PRIMARY KEY,                 -- "sha256:<hex of text>": re-ingest is a no-op
            seq INTEGER NOT NULL UNIQUE,         -- ingest order; rowids may move on VACUUM
            path TEXT, title TEXT, authors TEXT NOT NULL,  -- authors: JSON list
            outlet TEXT, url TEXT, published TEXT,
            published_source TEXT NOT NULL
                CHECK (published_source IN ('cli', 'metadata', 'inferred', 'none')),
            language TEXT, encoding TEXT, text TEXT NOT NULL,
            furniture TEXT NOT NULL, notices TEXT NOT NULL,  -- JSON lists
            ingested_at TEXT NOT NULL
        )""",
            """CREATE TABLE speakers (
            id INTEGER PRIMARY KEY,
            -- UNIQUE over nullable columns would let NULL roles duplicate, so dedupe on a key
            -- (JSON of all five fields) instead.
            key TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            type TEXT NOT NULL
                CHECK (type IN ('person', 'organization', 'group', 'country', 'unnamed')),
            role TEXT, organization TEXT, entity_id TEXT
        )""",
            """CREATE TABLE statements (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            id TEXT NOT NULL,
            seq INTEGER NOT NULL,                -- order within the article ("s10" after "s9")
            kind TEXT NOT NULL CHECK (kind IN ('direct', 'indirect', 'mixed', 'according_to')),
            source_start INTEGER, source_end INTEGER, source_text TEXT,
            speaker_id INTEGER REFERENCES speakers(id),
            cue_start INTEGER, cue_end INTEGER, cue_text TEXT,
            content_start INTEGER NOT NULL, content_end INTEGER NOT NULL,
            content_text TEXT NOT NULL, content_pieces TEXT NOT NULL,  -- JSON [[start, end]]
            factuality TEXT
                CHECK (factuality IN ('CT+', 'CT-', 'PR+', 'PR-', 'PS+', 'PS-', 'Uu')),
            said_on TEXT,
            via TEXT NOT NULL, times TEXT NOT NULL, quantities TEXT NOT NULL,  -- JSON lists
            produced_by TEXT NOT NULL,           -- the format's "by"; BY is an SQL keyword
            confidence REAL,
            PRIMARY KEY (article_id, id)
        )""",
            "CREATE INDEX statements_by_article ON statements(article_id, seq)",
            "CREATE INDEX statements_by_speaker ON statements(speaker_id)",
            "CREATE INDEX statements_by_said_on ON statements(said_on)",
            "CREATE INDEX statements_by_factuality ON statements(factuality)",
            "CREATE INDEX speakers_by_name ON speakers(name COLLATE NOCASE)",
        ],
    )


@migration("0002_time_expressions_quantities")
def _normalised_values(conn: sqlite3.Connection) -> None:
    _run(
        conn,
        [
            """CREATE TABLE time_expressions (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            id TEXT NOT NULL, seq INTEGER NOT NULL,
            start INTEGER NOT NULL, end INTEGER NOT NULL, text TEXT NOT NULL,
            value TEXT,
            anchor TEXT NOT NULL CHECK (anchor IN ('published', 'speech', 'none')),
            PRIMARY KEY (article_id, id)
        )""",
            """CREATE TABLE quantities (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            id TEXT NOT NULL, seq INTEGER NOT NULL,
            start INTEGER NOT NULL, end INTEGER NOT NULL, text TEXT NOT NULL,
            value NOT NULL,                      -- no type: an int stays int, a float float
            qualifier TEXT NOT NULL
                CHECK (qualifier IN ('more_than', 'about', 'at_least', 'at_most', 'exactly')),
            unit TEXT,
            PRIMARY KEY (article_id, id)
        )""",
        ],
    )


@migration("0003_factuality_parts_said_on_source_timex_intervals")
def _assessments(conn: sqlite3.Connection) -> None:
    _run(
        conn,
        [
            # JSON [{"start", "end", "factuality"}]: clauses of opposite polarity
            "ALTER TABLE statements ADD COLUMN factuality_parts TEXT NOT NULL DEFAULT '[]'",
            "ALTER TABLE statements ADD COLUMN said_on_source TEXT",
            "ALTER TABLE time_expressions ADD COLUMN type TEXT"
            " CHECK (type IN ('DATE', 'TIME', 'DURATION', 'SET'))",
            "ALTER TABLE time_expressions ADD COLUMN begin TEXT",
            "ALTER TABLE time_expressions ADD COLUMN end_value TEXT",
        ],
    )


@migration("0004_claims_propositions_reports")
def _propositions(conn: sqlite3.Connection) -> None:
    # Articles stored before this migration have no claims: `claimledger ingest --reanalyze`
    # reads them again (their text is stored) to give them claims.
    _run(
        conn,
        [
            """CREATE TABLE claim_nodes (
            key INTEGER PRIMARY KEY,             -- the ANN index key, in order of first arrival
            core_key TEXT NOT NULL UNIQUE,       -- claims with the same words are one node
            core TEXT NOT NULL, predicate TEXT, entities TEXT NOT NULL,  -- entities: JSON list
            vector BLOB NOT NULL,                -- float16 x 384, little-endian, unit length
            proposition INTEGER NOT NULL         -- the smallest node key of its component
        )""",
            "CREATE INDEX claim_nodes_by_proposition ON claim_nodes(proposition)",
            """CREATE TABLE claims (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            id TEXT NOT NULL, seq INTEGER NOT NULL,
            statement_id TEXT,                   -- NULL: the article's own narration
            start INTEGER NOT NULL, end INTEGER NOT NULL, text TEXT NOT NULL,
            core TEXT NOT NULL,
            polarity INTEGER NOT NULL CHECK (polarity IN (1, -1)),
            commitment TEXT NOT NULL
                CHECK (commitment IN ('certain', 'probable', 'possible', 'uncommitted')),
            predicate TEXT, entities TEXT NOT NULL,
            node INTEGER NOT NULL REFERENCES claim_nodes(key),
            -- who it counts for, fixed when stored (see aggregate.stances.speaker_and_source)
            speaker TEXT NOT NULL, source TEXT NOT NULL, source_base TEXT NOT NULL,
            per_report INTEGER NOT NULL, said_on TEXT, content TEXT NOT NULL,
            via TEXT NOT NULL, entity_id TEXT,
            PRIMARY KEY (article_id, id)
        )""",
            "CREATE INDEX claims_by_node ON claims(node)",
            """CREATE TABLE propositions (
            id INTEGER PRIMARY KEY,              -- "p<id>": the smallest node key it holds
            text TEXT NOT NULL,
            verdict TEXT NOT NULL CHECK (verdict IN
                ('contested', 'corroborated', 'denied', 'single_source', 'hedged', 'declined')),
            rank INTEGER NOT NULL,               -- contested first (aggregate.proposition_order)
            independent_sources INTEGER NOT NULL, claims INTEGER NOT NULL,
            first_said TEXT, last_said TEXT
        )""",
            "CREATE INDEX propositions_by_rank ON propositions(rank, independent_sources DESC, id)",
            """CREATE TABLE article_reports (
            article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            report TEXT NOT NULL,                -- duplicates.report_id of its first copy
            signature BLOB NOT NULL              -- duplicates.to_bytes of its MinHash
        )""",
            "CREATE INDEX article_reports_by_report ON article_reports(report)",
            """CREATE TABLE report_bands (
            band INTEGER NOT NULL,
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE
        )""",
            "CREATE INDEX report_bands_by_band ON report_bands(band)",
            "CREATE INDEX report_bands_by_article ON report_bands(article_id)",
        ],
    )


@migration("0005_claim_frames")
def _claim_frames(conn: sqlite3.Connection) -> None:
    # A claim's frame (what it says of its subject) keeps claims about the same subject that
    # say different things apart. Nodes stored before keep a vector of their core only and are
    # compared without a frame; `claimledger ingest --reanalyze` gives them one.
    _run(conn, ["ALTER TABLE claims ADD COLUMN frame TEXT NOT NULL DEFAULT ''"])


class NewerSchemaError(Exception):
    """The database was written by a newer claimledger (more migrations than this code knows)."""

    def __init__(self, found: int, known: int) -> None:
        super().__init__(f"schema version {found}, this claimledger knows up to {known}")
        self.found = found
        self.known = known


def _ensure_migrations_table(conn: sqlite3.Connection) -> None:
    conn.execute(
        "CREATE TABLE IF NOT EXISTS migrations ( name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
    )


def applied_names(conn: sqlite3.Connection) -> list[str]:
    """Names of the migrations recorded in ``conn``, oldest first."""
    has_table = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'migrations'"
    ).fetchone()
    if not has_table:
        return []
    return [row[0] for row in conn.execute("SELECT name FROM migrations ORDER BY rowid")]


def user_version(conn: sqlite3.Connection) -> int:
    version: int = conn.execute("PRAGMA user_version").fetchone()[0]
    return version


def check_not_newer(conn: sqlite3.Connection, migrations: Sequence[Migration]) -> None:
    """Raise :class:`NewerSchemaError` if ``conn`` holds migrations this code does not know."""
    known = {m.name for m in migrations}
    applied = applied_names(conn)
    found = max(user_version(conn), len(applied))
    if found > len(migrations) or any(name not in known for name in applied):
        raise NewerSchemaError(found, len(migrations))


def pending(conn: sqlite3.Connection, migrations: Sequence[Migration] = MIGRATIONS) -> list[str]:
    """Names of the ``migrations`` not yet applied to ``conn``."""
    applied = set(applied_names(conn))
    return [m.name for m in migrations if m.name not in applied]


def migrate(conn: sqlite3.Connection, migrations: Sequence[Migration] = MIGRATIONS) -> list[str]:
    """Apply the pending ``migrations`` to ``conn`` (in autocommit mode); return their names.

    Each migration runs in its own ``BEGIN IMMEDIATE`` transaction together with its record,
    so a crash leaves it either fully applied and recorded, or neither; and two processes
    opening a new database at once cannot both apply it (the second re-reads under the lock).

    Example: ``migrate(sqlite3.connect("x.db", isolation_level=None))`` -> ``["0001_…", …]``
    """
    check_not_newer(conn, migrations)
    if not pending(conn, migrations):
        return []  # the common case takes no write lock
    done: list[str] = []
    for step in migrations:
        conn.execute("BEGIN IMMEDIATE")
        try:
            if _apply_once(conn, step, migrations):
                done.append(step.name)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    return done


def _apply_once(conn: sqlite3.Connection, step: Migration, migrations: Sequence[Migration]) -> bool:
    """Inside a write transaction: apply and record ``step`` unless it already is."""
    _ensure_migrations_table(conn)
    check_not_newer(conn, migrations)
    if step.name in applied_names(conn):
        return False
    step.apply(conn)
    conn.execute(
        "INSERT INTO migrations (name, applied_at) VALUES (?, ?)",
        (step.name, datetime.now(UTC).isoformat(timespec="seconds")),
    )
    # PRAGMA takes no parameters; the count is an int we computed ourselves.
    conn.execute(f"PRAGMA user_version = {len(applied_names(conn))}")
    return True
