"""The ledger stores what extraction found, gives it back unchanged, and survives being killed."""

from __future__ import annotations

import ctypes
import hashlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimledger.errors import StoreError
from claimledger.interchange import article_to_dict
from claimledger.model import (
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
from claimledger.store import Ledger, UnstorableArticle
from claimledger.store.migrations import MIGRATIONS, migrate

TEXT = (
    '"We are seeing them engage in combat," said Sabrina Singh, the Pentagon deputy press '
    'secretary, on Monday, "and it is serious." According to the Kyiv Independent, citing a '
    "Ukrainian intelligence report, over 11,000 North Korean soldiers are in Kursk Oblast. "
    "It was reported that the troops may have suffered losses.\nMost Commented"
)
SINGH = Speaker("Sabrina Singh", "person", "deputy press secretary", "Pentagon", "Q-singh")


def span(text: str, piece: str, after: int = 0) -> Span:
    start = text.index(piece, after)
    return Span(start, start + len(piece), piece)


def content(text: str, *pieces: str) -> Content:
    """A content made of ``pieces`` of ``text``: discontinuous when there are several."""
    spans = [span(text, p) for p in pieces]
    start, end = spans[0].start, spans[-1].end
    parts = tuple((s.start, s.end) for s in spans) if len(spans) > 1 else ()
    return Content(start, end, text[start:end], parts)


def base_statements(text: str) -> list[Statement]:
    return [
        Statement(
            id="s1",
            kind="direct",
            source=span(text, "Sabrina Singh"),
            speaker=SINGH,
            cue=span(text, "said"),
            content=content(text, "We are seeing them engage in combat,", "and it is serious."),
            by="pattern:direct-said",
            factuality="CT+",
            said_on="2024-12-09",
            said_on_source="time:t1",
            times=("t1",),
            confidence=0.93,
            factuality_parts=(
                FactualityPart(*_offsets(text, "We are seeing them engage in combat")[:2], "CT+"),
                FactualityPart(*_offsets(text, "and it is serious")[:2], "PR+"),
            ),
        ),
        Statement(
            id="s2",
            kind="according_to",
            source=span(text, "Ukrainian intelligence"),
            speaker=Speaker("Ukrainian intelligence", "organization"),
            cue=span(text, "According to"),
            content=content(text, "over 11,000 North Korean soldiers are in Kursk Oblast"),
            by="pattern:according-to",
            factuality="CT+",
            via=(Via("Kyiv Independent", span(text, "citing")), Via("Telegram")),
            quantities=("q1",),
        ),
        Statement(
            id="s3",
            kind="indirect",
            source=None,
            speaker=None,
            cue=span(text, "It was reported"),
            content=content(text, "the troops may have suffered losses"),
            by="model:attribution-v1",
            factuality="PS+",
        ),
    ]


def make_article(n: int = 0, repeat: int = 1) -> Article:
    """A realistic extracted article; ``n`` varies its text (so its id), ``repeat`` multiplies
    its statements (ids s1…s{3*repeat}) to make its transaction longer."""
    text = TEXT + f"\nReport {n}."
    statements = [
        replace(s, id=f"s{i * 3 + k + 1}")
        for i in range(repeat)
        for k, s in enumerate(base_statements(text))
    ]
    return Article(
        id="sha256:" + hashlib.sha256(text.encode()).hexdigest(),
        text=text,
        path=f"feed/article-{n:05d}.txt",
        title=f"North Korean troops in Kursk ({n})",
        authors=("Daniel Kim", "Ana Díaz"),
        published="2024-12-10",
        published_source="cli",
        language="en",
        encoding="utf-8",
        furniture=(span(text, "Most Commented"),),
        statements=tuple(statements),
        time_expressions=(
            TimeExpression("t1", *_offsets(text, "on Monday"), "2024-12-09", "published", "DATE"),
            TimeExpression(
                "t2",
                *_offsets(text, "Kursk Oblast"),
                "P3D",
                "none",
                "DURATION",
                "2024-12-06",
                "2024-12-09",
            ),
        ),
        quantities=(
            Quantity(
                "q1",
                *_offsets(text, "over 11,000 North Korean soldiers"),
                11000,
                "more_than",
                "soldiers",
            ),
            Quantity("q2", *_offsets(text, "Kursk"), 2.5, "about", None),
        ),
        notices=("encoding guessed: utf-8",),
    )


def _offsets(text: str, piece: str) -> tuple[int, int, str]:
    s = span(text, piece)
    return s.start, s.end, s.text


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Ledger]:
    with Ledger(tmp_path / "ledger.db") as ledger:
        yield ledger


# -- round trip and idempotency -------------------------------------------------------------


def test_an_article_comes_back_exactly_as_stored(db: Ledger) -> None:
    a = make_article()
    assert db.add_article(a) is True
    back = db.article(a.id)
    assert back == a
    assert back is not None and article_to_dict(back) == article_to_dict(a)  # export == extract
    assert isinstance(back.quantities[0].value, int) and isinstance(back.quantities[1].value, float)


def test_statement_order_survives_ten_and_more(db: Ledger) -> None:
    a = make_article(repeat=4)  # s1 … s12: "s10" must not sort before "s2"
    db.add_article(a)
    assert db.article(a.id) == a


def test_an_article_without_anything_optional_round_trips(db: Ledger) -> None:
    a = Article(id="sha256:00", text="")
    db.add_article(a)
    assert db.article(a.id) == a


def test_a_file_name_that_is_not_utf8_is_stored_as_printable_text(db: Ledger) -> None:
    # os.listdir gives b"caf\xe9.txt" as "caf\udce9.txt", which SQLite cannot store as text.
    a = replace(make_article(), path=os.fsdecode(b"feed/caf\xe9.txt"))
    assert db.add_article(a)
    back = db.article(a.id)
    assert back is not None and back.path == "feed/caf\\xe9.txt"
    assert [row.article_path for row in db.statements(limit=1)] == ["feed/caf\\xe9.txt"]


def test_an_article_holding_a_lone_surrogate_is_refused_whole(db: Ledger) -> None:
    # json.loads('"T\\ud800"') gives one: not Unicode text, and SQLite text cannot hold it.
    with pytest.raises(UnstorableArticle) as caught:
        db.add_article(replace(make_article(1), title="T\ud800"))
    assert str(caught.value) == (
        "feed/article-00001.txt: holds '\\ud800', a lone surrogate, which is not Unicode text;"
        " not stored"
    )
    assert db.counts() == {"articles": 0, "statements": 0, "speakers": 0}
    assert db.add_article(make_article(2))  # the ledger is fine: the next article goes in


def test_adding_the_same_content_again_is_a_no_op(db: Ledger) -> None:
    a = make_article()
    assert db.add_article(a)
    before = db.counts()
    assert db.add_article(replace(a, path="elsewhere/copy.txt")) is False
    assert db.counts() == before == {"articles": 1, "statements": 3, "speakers": 2}
    assert db.article(a.id) == a


def test_adding_a_stream_counts_the_new_articles(db: Ledger) -> None:
    db.add_article(make_article(1))
    assert db.add_articles(make_article(n) for n in range(3)) == 2
    assert db.counts()["articles"] == 3


def test_speakers_are_shared_between_articles(db: Ledger) -> None:
    db.add_article(make_article(1))
    db.add_article(make_article(2))
    assert db.counts() == {"articles": 2, "statements": 6, "speakers": 2}


def test_articles_come_back_in_ingest_order(db: Ledger) -> None:
    added = [make_article(n) for n in (5, 1, 9, 3)]
    for a in added:
        db.add_article(a)
    assert list(db.articles()) == added
    assert [a.path for a in db.articles(limit=2)] == [added[0].path, added[1].path]


def test_unknown_article_is_none(db: Ledger) -> None:
    assert db.article("sha256:nope") is None
    assert not db.has_article("sha256:nope")
    db.add_article(a := make_article())
    assert db.has_article(a.id)


def test_a_failed_add_writes_nothing(db: Ledger) -> None:
    a = make_article()
    broken = replace(a, statements=(*a.statements, a.statements[0]))  # duplicate id "s1"
    with pytest.raises(StoreError, match=r"feed/article-00000\.txt: not stored"):
        db.add_article(broken)
    assert db.counts() == {"articles": 0, "statements": 0, "speakers": 0}
    assert db.add_article(a)  # and the ledger is still usable


def test_removing_an_article_removes_its_statements(db: Ledger) -> None:
    db.add_article(a := make_article())
    assert db.remove_article(a.id) is True
    assert db.counts()["statements"] == 0
    assert db.remove_article(a.id) is False


def test_foreign_keys_are_enforced(db: Ledger) -> None:
    conn = db._conn  # the only way in: no other module may speak SQL
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        conn.execute(
            "INSERT INTO time_expressions (article_id, id, seq, start, end, text, anchor)"
            " VALUES ('sha256:missing', 't1', 0, 0, 1, 'x', 'none')"
        )


# -- statements() filters -----------------------------------------------------------------


@pytest.fixture
def two_articles(db: Ledger) -> tuple[Ledger, Article, Article]:
    first, second = make_article(1), make_article(2)
    db.add_article(first)
    db.add_article(second)
    return db, first, second


def test_statements_say_which_article_they_come_from(
    two_articles: tuple[Ledger, Article, Article],
) -> None:
    db, first, second = two_articles
    found = list(db.statements())
    assert [(f.article_id, f.statement) for f in found] == [
        *((first.id, s) for s in first.statements),
        *((second.id, s) for s in second.statements),
    ]
    assert found[0].article_path == "feed/article-00001.txt"
    assert found[0].article_title == first.title


def test_statements_by_speaker_ignore_case(
    two_articles: tuple[Ledger, Article, Article],
) -> None:
    db, _, _ = two_articles
    assert {f.statement.id for f in db.statements(speaker="SINGH")} == {"s1"}
    assert len(list(db.statements(speaker="intelligence"))) == 2
    assert list(db.statements(speaker="nobody")) == []


def test_statements_by_article_id_prefix_or_path(
    two_articles: tuple[Ledger, Article, Article],
) -> None:
    db, first, _ = two_articles
    for query in (first.id[:12], first.id.removeprefix("sha256:")[:6], "article-00001"):
        assert {f.article_id for f in db.statements(article=query)} == {first.id}


def test_statements_by_content_text_and_limit(
    two_articles: tuple[Ledger, Article, Article],
) -> None:
    db, first, second = two_articles
    found = list(db.statements(text="SUFFERED LOSSES"))
    assert [(f.article_id, f.statement.id) for f in found] == [(first.id, "s3"), (second.id, "s3")]
    assert len(list(db.statements(text="losses", limit=1))) == 1
    assert list(db.statements(text="losses", speaker="singh")) == []


def test_filters_are_data_not_sql(two_articles: tuple[Ledger, Article, Article]) -> None:
    db, _, _ = two_articles
    assert list(db.statements(speaker="' OR 1=1 --", text="%")) == []
    assert db.counts()["articles"] == 2


# -- migrations ---------------------------------------------------------------------------


def _migrations_table(path: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT name, applied_at FROM migrations ORDER BY rowid").fetchall()


def test_a_new_database_records_every_migration(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    with Ledger(path) as db:
        assert db.schema_version() == len(MIGRATIONS) >= 2
    assert [name for name, _ in _migrations_table(path)] == [m.name for m in MIGRATIONS]


def test_a_version_1_database_is_upgraded_and_keeps_its_data(tmp_path: Path) -> None:
    path = tmp_path / "v1.db"
    conn = sqlite3.connect(path, isolation_level=None)
    assert migrate(conn, MIGRATIONS[:1]) == [MIGRATIONS[0].name]
    conn.execute(
        "INSERT INTO articles (id, seq, path, authors, published_source, text, furniture,"
        " notices, ingested_at) VALUES ('sha256:old', 1, 'old.txt', '[]', 'none', 'Old.',"
        " '[]', '[]', '2024-01-01T00:00:00+00:00')"
    )
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    conn.close()

    with Ledger(path) as db:
        assert db.schema_version() == len(MIGRATIONS)
        assert db.article("sha256:old") == Article(id="sha256:old", text="Old.", path="old.txt")
        assert db.add_article(make_article())  # the tables of later migrations exist
    assert [name for name, _ in _migrations_table(path)] == [m.name for m in MIGRATIONS]


def test_reopening_runs_no_migration(tmp_path: Path) -> None:
    path = tmp_path / "again.db"
    Ledger(path).close()
    recorded = _migrations_table(path)
    with Ledger(path) as db:
        assert migrate(db._conn) == []
    assert _migrations_table(path) == recorded


@pytest.mark.parametrize(
    "future",
    [
        "INSERT INTO migrations VALUES ('9999_from_the_future', '2030-01-01')",
        "PRAGMA user_version = 99",
    ],
)
def test_a_newer_database_asks_for_an_upgrade(tmp_path: Path, future: str) -> None:
    path = tmp_path / "future.db"
    Ledger(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute(future)
    with pytest.raises(
        StoreError,
        match=r"future\.db: database schema version \d+ is newer"
        r" than this claimledger knows \(\d+\); upgrade claimledger",
    ):
        Ledger(path)


# -- read-only: queries never write -----------------------------------------------------------


def _files(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file in ``folder`` with its bytes and modification time (ns)."""
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


@pytest.fixture
def stored(tmp_path: Path) -> Path:
    """A ledger with two articles, closed, alone in its folder."""
    folder = tmp_path / "ledger"
    folder.mkdir()
    with Ledger(folder / "ledger.db") as db:
        db.add_articles([make_article(1), make_article(2)])
    return folder / "ledger.db"


def test_a_ledger_opened_read_only_answers_queries_and_refuses_writes(stored: Path) -> None:
    with Ledger(stored, readonly=True) as db:
        assert db.counts() == {"articles": 2, "statements": 6, "speakers": 2}
        assert len(list(db.statements(speaker="singh"))) == 2
        with pytest.raises(StoreError, match=r"ledger\.db: opened read-only"):
            db.add_article(make_article(3))
        with pytest.raises(StoreError, match="opened read-only"):
            db.remove_article(make_article(1).id)
        # Not only our methods: SQLite itself refuses any change on this connection.
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            db._conn.execute("DELETE FROM speakers")
    with Ledger(stored) as db:
        assert db.counts()["articles"] == 2


def test_reading_a_ledger_read_only_leaves_its_folder_as_it_was(stored: Path) -> None:
    before = _files(stored.parent)
    assert list(before) == ["ledger.db"]  # no -wal, -shm or -journal beside it
    with Ledger(stored, readonly=True) as db:
        assert len(list(db.articles())) == 2
        assert len(list(db.statements(text="combat"))) == 2
    assert _files(stored.parent) == before  # same files, same bytes, same times


def test_a_missing_ledger_is_not_created_by_a_read_only_open(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"absent\.db: no such ledger; create it with"):
        Ledger(tmp_path / "absent.db", readonly=True)
    assert list(tmp_path.iterdir()) == []


def test_an_old_ledger_opened_read_only_says_it_needs_an_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "v1.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, MIGRATIONS[:1])
    conn.close()
    with pytest.raises(StoreError) as caught:
        Ledger(path, readonly=True)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: schema version 1 is older than this claimledger's")
    assert "open it once with write access" in message
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1  # left as it was


def _without_root_override() -> None:
    # Root ignores file permissions through two capabilities; a child without them in its
    # bounding set meets read-only files and folders as any user does (Linux prctl).
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def _as_unprivileged() -> dict[str, Any]:
    """subprocess.run arguments for a child that file permissions apply to."""
    if os.geteuid() != 0:
        return {}
    if not sys.platform.startswith("linux"):
        pytest.skip("running as root, and only Linux lets a child give up root's file access")
    return {"preexec_fn": _without_root_override}


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[Path]:
    """A folder the test writes, then makes read-only (0555) for the test's child processes."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    yield folder
    folder.chmod(0o755)  # so that pytest can remove it


def test_a_ledger_on_read_only_storage_can_be_queried_and_exported(
    read_only_folder: Path,
) -> None:
    db = read_only_folder / "ledger.db"
    with Ledger(db) as ledger:
        ledger.add_articles([make_article(1), make_article(2)])
    db.chmod(0o444)
    read_only_folder.chmod(0o555)
    before = _files(read_only_folder)
    env = {**os.environ, "COLUMNS": "200"}
    for command in (["statements", "--json"], ["export"], ["export", "--format", "csv"]):
        result = subprocess.run(
            [sys.executable, "-m", "claimledger.cli", *command, "--db", str(db)],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            **_as_unprivileged(),
        )
        assert result.returncode == 0, result.stderr
        assert "Sabrina Singh" in result.stdout
    assert _files(read_only_folder) == before


def test_changes_left_in_a_wal_in_a_read_only_folder_are_not_silently_missed(
    read_only_folder: Path, tmp_path: Path
) -> None:
    # A ledger copied (or its disk remounted read-only) while a writer had it open: its last
    # commit is in the -wal file, and with no -shm SQLite cannot read that in a read-only folder.
    source = tmp_path / "live.db"
    with Ledger(source) as ledger:
        ledger.add_article(make_article(1))
    writer = sqlite3.connect(source, isolation_level=None)
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute("UPDATE articles SET title = 'Changed'")
    db = read_only_folder / "ledger.db"
    shutil.copy(source, db)
    shutil.copy(f"{source}-wal", f"{db}-wal")
    writer.close()
    read_only_folder.chmod(0o555)
    child = (
        "import sys\n"
        "from claimledger.store import Ledger\n"
        "from claimledger.errors import StoreError\n"
        "try:\n"
        "    Ledger(sys.argv[1], readonly=True)\n"
        "except StoreError as error:\n"
        "    print(error)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", child, str(db)],
        capture_output=True,
        text=True,
        timeout=60,
        **_as_unprivileged(),
    )
    assert result.stdout == (
        f"{db}: its latest changes are still in {db}-wal, which cannot be read in a read-only"
        " folder without its -shm file; open the ledger once where it can be written\n"
    ), result.stderr


# -- what is not a ledger ---------------------------------------------------------------------


def test_a_text_file_is_not_a_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("notes.txt").write_text("Call Singh about the Kursk story.\n" * 20)
    with pytest.raises(StoreError) as caught:
        Ledger("notes.txt")
    assert str(caught.value) == (
        "notes.txt: not a claimledger database (file is not a database); pass another --db path"
    )
    assert Path("notes.txt").read_text().startswith("Call Singh")


def test_another_programs_database_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
    with pytest.raises(StoreError, match=r"not a claimledger database .*recipes"):
        Ledger(path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT name FROM sqlite_master").fetchall() == [("recipes",)]


def test_a_missing_directory_says_so(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="cannot open database"):
        Ledger(tmp_path / "no" / "such" / "dir.db")


# -- property: whatever a Statement holds comes back --------------------------------------------

_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=20)
_opt_text = st.none() | _text
_spans = st.builds(Span, st.integers(0, 10**6), st.integers(0, 10**6), _text)
_statements = st.builds(
    Statement,
    id=st.text(min_size=1, max_size=5),
    kind=st.sampled_from(["direct", "indirect", "mixed", "according_to"]),
    source=st.none() | _spans,
    speaker=st.none()
    | st.builds(
        Speaker,
        _text,
        st.sampled_from(["person", "organization", "group", "country", "unnamed"]),
        _opt_text,
        _opt_text,
        _opt_text,
    ),
    cue=st.none() | _spans,
    content=st.builds(
        Content,
        st.integers(0, 99),
        st.integers(0, 99),
        _text,
        st.lists(st.tuples(st.integers(0, 99), st.integers(0, 99)), max_size=3).map(tuple),
    ),
    by=_text,
    factuality=st.none() | st.sampled_from(["CT+", "CT-", "PR+", "PR-", "PS+", "PS-", "Uu"]),
    said_on=_opt_text,
    via=st.lists(st.builds(Via, _text, st.none() | _spans), max_size=2).map(tuple),
    times=st.lists(_text, max_size=2).map(tuple),
    quantities=st.lists(_text, max_size=2).map(tuple),
    confidence=st.none() | st.floats(0, 1),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(statements=st.lists(_statements, max_size=4, unique_by=lambda s: s.id), text=_text)
def test_any_statements_round_trip(
    tmp_path_factory: pytest.TempPathFactory, statements: list[Statement], text: str
) -> None:
    article = Article(
        id="sha256:" + text,
        text=text,
        statements=tuple(statements),
        authors=(text,),
        title=text or None,
    )
    with Ledger(tmp_path_factory.mktemp("prop") / "p.db") as db:
        db.add_article(article)
        assert db.article(article.id) == article


# -- a real kill ------------------------------------------------------------------------------

KILL_ARTICLES = 1000  # the child needs seconds for all of them; we kill it after 20
KILL_REPEAT = 10  # 30 statements per article: most of the child's time is inside a transaction
CHILD = """
import sys
sys.path.insert(0, sys.argv[3])
from test_store import make_article
from claimledger.store import Ledger
with Ledger(sys.argv[1]) as db:
    print("open", flush=True)
    for n in range(int(sys.argv[2])):
        db.add_article(make_article(n, repeat=int(sys.argv[4])))
"""


def _start_ingest(path: Path) -> subprocess.Popen[str]:
    args = [str(path), str(KILL_ARTICLES), str(Path(__file__).parent), str(KILL_REPEAT)]
    return subprocess.Popen([sys.executable, "-c", CHILD, *args], stdout=subprocess.PIPE, text=True)


def _wait_for_articles(path: Path, at_least: int, within_s: float = 15.0) -> int:
    """Poll the ledger until it holds ``at_least`` articles; fail after ``within_s``."""
    deadline = time.monotonic() + within_s
    with Ledger(path) as db:
        while time.monotonic() < deadline:
            if (stored := db.counts()["articles"]) >= at_least:
                return stored
            time.sleep(0.002)  # a poll interval, not a guess at how long the child takes
    pytest.fail(f"the child stored fewer than {at_least} articles in {within_s}s")


def test_an_ingest_killed_midway_leaves_whole_articles_and_resumes(tmp_path: Path) -> None:
    path = tmp_path / "killed.db"
    child = _start_ingest(path)
    try:
        assert child.stdout is not None and child.stdout.readline() == "open\n"
        _wait_for_articles(path, at_least=20)
        os.kill(child.pid, signal.SIGKILL)
    finally:
        if child.poll() is None:
            child.kill()
        child.wait(timeout=10)
        assert child.stdout is not None
        child.stdout.close()
    assert child.returncode == -signal.SIGKILL, "the child finished before it was killed"

    with Ledger(path) as db:
        assert db._conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db._conn.execute("PRAGMA foreign_key_check").fetchall() == []
        stored = list(db.articles())
        assert 20 <= len(stored) < KILL_ARTICLES
        # One writer, in order: exactly the first k articles, each with all its statements.
        assert stored == [make_article(n, KILL_REPEAT) for n in range(len(stored))]

        added = [db.add_article(make_article(n, KILL_REPEAT)) for n in range(KILL_ARTICLES)]
        assert added == [False] * len(stored) + [True] * (KILL_ARTICLES - len(stored))
        assert db.counts()["statements"] == KILL_ARTICLES * 3 * KILL_REPEAT


def test_statements_by_when_said_and_by_factuality(
    two_articles: tuple[Ledger, Article, Article],
) -> None:
    db, _, _ = two_articles
    # s1 was said on 2024-12-09; the others fall back to the publication date, 2024-12-10.
    on_the_ninth = list(db.statements(said_before="2024-12-09"))
    assert {r.statement.id for r in on_the_ninth} == {"s1"}
    assert len(on_the_ninth) == 2  # one per article
    assert {r.statement.id for r in db.statements(said_after="2024-12-10")} == {"s2", "s3"}
    assert list(db.statements(said_after="2024-12-11")) == []
    hedged = list(db.statements(factuality=["PS+", "PR+"]))
    assert {r.statement.id for r in hedged} == {"s3"}
    both = list(db.statements(factuality=["CT+"], said_after="2024-12-10"))
    assert {r.statement.id for r in both} == {"s2"}
