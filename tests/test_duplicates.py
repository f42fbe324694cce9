"""Near-duplicate articles: a wire story reprinted by many outlets is one report, its copies
listed; two reports written separately about the same event are two, however many names,
numbers and quotes they share."""

from __future__ import annotations

import itertools
import json
import os
import random
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from datasketch import MinHash, MinHashLSH

from claimledger.aggregate.duplicates import (
    BANDS,
    LSH_WEIGHTS,
    MIN_WORDS,
    NUM_PERM,
    ROWS,
    SCHEME,
    SEED,
    SIGNATURE_BYTES,
    THRESHOLD,
    DuplicateIndex,
    SignatureError,
    article_signature,
    band_keys,
    from_bytes,
    group,
    near_duplicates,
    report_id,
    shingles,
    signature,
    similarity,
    to_bytes,
    words,
)
from claimledger.model import Article, Report, Span

FIXTURES = Path(__file__).parent / "fixtures" / "duplicates"
WIRE = (FIXTURES / "wire.txt").read_text(encoding="utf-8")
# The same fire, reported separately: the same names, figures and one identical quote.
INDEPENDENT = (FIXTURES / "independent.txt").read_text(encoding="utf-8")

HEADLINE = "Lyon chemical depot fire forces 1,200 from their homes\n\n"
BOILERPLATE_TOP = (
    "By Staff and wire reports | Published 7:42 AM CET | 3 min read\nShare on Facebook\n\n"
)
BOILERPLATE_END = (
    "\n\nCopyright 2026 The Associated Press. All rights reserved. This material may not be "
    "published, broadcast, rewritten or redistributed.\n\nRead more: Storms cut power to 40,000 "
    "homes in Brittany\nSign up for our morning newsletter"
)


def outlet_copy(text: str) -> str:
    """The wire copy as an outlet runs it: its own headline, byline line and footer."""
    return HEADLINE + BOILERPLATE_TOP + text + BOILERPLATE_END


def edited_copy(text: str) -> str:
    """The wire copy with a sentence reworded, the residents' quote replaced by a local one and
    the last paragraph cut, as a regional paper edits it."""
    edited = text.replace(
        "officials said Thursday.", "according to officials on Thursday morning."
    ).replace(
        '"It sounded like fireworks, then the whole sky went orange," said Karim Haddad, 43, who '
        "lives two streets from the depot and spent the night in a gymnasium with his wife and "
        "three children.",
        '"We could see the flames from Vénissieux," said a reader who wrote to our newsroom.',
    )
    return edited[: edited.rindex("\n\nFarmers within")]


def reports_as_sets(reports: list[Report]) -> set[frozenset[str]]:
    return {frozenset(r.articles) for r in reports}


# --- what counts as the same article ---------------------------------------------------------


def test_a_wire_copy_under_another_headline_with_the_outlets_boilerplate_is_one_report() -> None:
    index = DuplicateIndex()
    index.add("ap", WIRE)
    assert index.add("outlet", outlet_copy(WIRE)) == ["ap"]
    assert index.groups() == [Report(report_id("ap"), ("ap", "outlet"))]


def test_a_copy_with_a_sentence_reworded_a_quote_replaced_and_the_end_cut_is_one_report() -> None:
    copy = edited_copy(WIRE)
    assert copy != WIRE and len(words(copy)) < len(words(WIRE))
    index = DuplicateIndex()
    index.add("ap", WIRE)
    assert index.add("regional", outlet_copy(copy)) == ["ap"]


def test_two_reports_written_separately_about_the_same_fire_are_two_reports() -> None:
    shared_names = {"verdane", "berthier", "marchand", "saint", "fons", "1", "200", "900"}
    assert shared_names <= set(words(WIRE)) & set(words(INDEPENDENT))
    index = DuplicateIndex()
    index.add("ap", WIRE)
    assert index.add("local", INDEPENDENT) == []
    assert index.groups() == []
    assert similarity(signature(WIRE), signature(INDEPENDENT)) < THRESHOLD


def test_reprints_of_both_reports_give_two_reports_each_with_its_copies() -> None:
    reports = group(
        [
            ("ap", WIRE),
            ("local", INDEPENDENT),
            ("outlet", outlet_copy(WIRE)),
            ("regional", outlet_copy(edited_copy(WIRE))),
            ("local-syndicated", HEADLINE + INDEPENDENT + BOILERPLATE_END),
        ]
    )
    assert reports == [
        Report(report_id("ap"), ("ap", "outlet", "regional")),
        Report(report_id("local"), ("local", "local-syndicated")),
    ]


def test_case_punctuation_quotes_and_line_breaks_do_not_matter() -> None:
    retyped = (
        WIRE.upper()
        .replace('"', "\u201c")
        .replace("\u2014", " - ")
        .replace(". ", ".\n")
        .replace("\n\n", "\n \n")
    )
    assert signature(retyped).tolist() == signature(WIRE).tolist()


def test_an_articles_furniture_is_left_out_of_its_signature() -> None:
    share = "Share this article\nFollow us on X\n"
    text = share + WIRE
    article = Article(
        id="sha256:" + "ab" * 32,
        text=text,
        furniture=(Span(0, len(share), share),),
    )
    assert article_signature(article).tolist() == signature(WIRE).tolist()


# --- short and empty texts -------------------------------------------------------------------

BRIEF = (
    "Firefighters put out a blaze at a Verdane depot in Saint-Fons on Wednesday night. About "
    "1,200 residents were evacuated and 14 firefighters were treated for smoke inhalation."
)


def test_a_short_brief_is_one_report_only_with_the_very_same_words() -> None:
    assert len(words(BRIEF)) < MIN_WORDS
    index = DuplicateIndex()
    index.add("brief", BRIEF)
    # The same words, retyped: a copy.
    assert index.add("retyped", BRIEF.lower().replace(". ", ".\n")) == ["brief"]
    # One figure changed, or a line of the outlet's added: not a copy, since a short text is
    # mostly the words that would differ between two outlets' own briefs.
    assert index.add("changed", BRIEF.replace("14", "15")) == []
    assert index.add("signed", BRIEF + " Reporting by Jean Dupont.") == []
    # Nor is the long article it summarises, nor one that quotes it whole.
    assert index.add("article", WIRE) == []
    assert index.add("quoting", WIRE + "\n\n" + BRIEF) == ["article"]


def test_a_text_of_min_words_words_is_compared_by_its_shingles() -> None:
    text = " ".join(words(WIRE)[:MIN_WORDS])
    assert len(shingles(text)) == MIN_WORDS - 4
    assert len(shingles(" ".join(words(WIRE)[: MIN_WORDS - 1]))) == 1


@pytest.mark.parametrize("empty", ["", "   \n\t", "— … !?", "\u00a0"])
def test_a_text_without_words_has_no_band_keys_and_matches_nothing(empty: str) -> None:
    sig = signature(empty)
    assert band_keys(sig) == []
    assert similarity(sig, sig) == 0.0
    index = DuplicateIndex()
    assert index.add("one", empty) == []
    assert index.add("two", empty) == []
    assert index.reports() == [
        Report(report_id("one"), ("one",)),
        Report(report_id("two"), ("two",)),
    ]


# --- groups are connected components --------------------------------------------------------


def _chain() -> list[tuple[str, str]]:
    """Three overlapping windows of one long text (the fixtures' words in another order, so
    that no window is a copy of them): a~b and b~c, but a and c are too different."""
    stream = words(WIRE + " " + INDEPENDENT)
    random.Random(0).shuffle(stream)
    a, b, c = (" ".join(stream[i : i + 400]) for i in (0, 100, 200))
    sa, sb, sc = signature(a), signature(b), signature(c)
    assert similarity(sa, sb) >= THRESHOLD and similarity(sb, sc) >= THRESHOLD
    assert similarity(sa, sc) < THRESHOLD
    return [("a", a), ("b", b), ("c", c)]


def test_a_chain_of_near_duplicates_is_one_report_in_every_order() -> None:
    for order in itertools.permutations(_chain()):
        reports = group(list(order))
        first = order[0][0]
        assert reports == [Report(report_id(first), tuple(i for i, _ in order))]


def test_groups_do_not_depend_on_arrival_order() -> None:
    corpus = [
        ("ap", WIRE),
        ("outlet", outlet_copy(WIRE)),
        ("regional", edited_copy(WIRE)),
        ("local", INDEPENDENT),
        ("local-syndicated", INDEPENDENT + BOILERPLATE_END),
        ("brief", BRIEF),
        ("brief-copy", BRIEF.upper()),
        ("empty", ""),
        *_chain(),
    ]
    expected = reports_as_sets(group(corpus))
    assert expected == {
        frozenset({"ap", "outlet", "regional"}),
        frozenset({"local", "local-syndicated"}),
        frozenset({"brief", "brief-copy"}),
        frozenset({"empty"}),
        frozenset({"a", "b", "c"}),
    }
    rng = random.Random(10)
    for _ in range(20):
        shuffled = rng.sample(corpus, len(corpus))
        reports = group(shuffled)
        assert reports_as_sets(reports) == expected
        arrival = [article_id for article_id, _ in shuffled]
        for report in reports:
            assert list(report.articles) == sorted(report.articles, key=arrival.index)
            assert report.id == report_id(report.articles[0])


def test_a_merge_keeps_the_earliest_reports_id() -> None:
    (a, text_a), (b, text_b), (c, text_c) = _chain()
    index = DuplicateIndex()
    index.add(a, text_a)
    index.add(c, text_c)
    assert len(index.reports()) == 2
    assert index.add(b, text_b) == [a, c]
    assert index.report_of(c) == Report(report_id(a), (a, c, b))


def test_adding_an_article_again_changes_nothing() -> None:
    index = DuplicateIndex()
    index.add("ap", WIRE)
    index.add("outlet", outlet_copy(WIRE))
    before = index.reports()
    assert index.add("ap", WIRE) == []
    assert index.add("outlet", INDEPENDENT) == []  # an id names one text: the first one stays
    assert index.reports() == before
    assert len(index) == 2 and "ap" in index and "nobody" not in index


def test_a_copy_is_found_however_many_articles_came_in_between() -> None:
    rng = random.Random(7)
    pool = words(WIRE) + words(INDEPENDENT)
    # More than a block of the index's signatures (1,024) and of its band table (4,096 keys).
    others = [" ".join(rng.choices(pool, k=200)) for _ in range(1100)]
    index = DuplicateIndex()
    index.add("ap", WIRE)
    for n, text in enumerate(others):
        index.add(f"other{n}", text)
        if n == 500:
            assert index.add("early-copy", outlet_copy(WIRE)) == ["ap"]
    assert index.add("late-copy", edited_copy(WIRE)) == ["ap", "early-copy"]
    assert index.add("other7-copy", outlet_copy(others[7])) == ["other7"]
    assert index.add("other1050-copy", outlet_copy(others[1050])) == ["other1050"]
    assert [r.articles for r in index.groups()] == [
        ("ap", "early-copy", "late-copy"),
        ("other7", "other7-copy"),
        ("other1050", "other1050-copy"),
    ]


def test_report_ids_come_from_the_first_articles_content_hash() -> None:
    assert report_id("sha256:" + "0123456789abcdef" * 4) == "r0123456789abcdef"
    assert report_id("a").startswith("r") and len(report_id("a")) == 17
    assert report_id("a") == report_id("a") != report_id("b")


# --- what the ledger stores ------------------------------------------------------------------


def test_a_signature_is_512_bytes_and_comes_back_unchanged() -> None:
    sig = signature(WIRE)
    data = to_bytes(sig)
    assert len(data) == SIGNATURE_BYTES == NUM_PERM * 4
    assert from_bytes(data).tolist() == sig.tolist()
    assert band_keys(from_bytes(data)) == band_keys(sig)


def test_bytes_of_another_length_are_refused_with_the_reason() -> None:
    with pytest.raises(SignatureError, match=r"100 bytes, expected 512.*re-ingest"):
        from_bytes(b"\x00" * 100)


def test_signatures_and_band_keys_are_the_same_in_another_process() -> None:
    script = (
        "import json, sys\n"
        "from claimledger.aggregate.duplicates import band_keys, signature, to_bytes\n"
        "sig = signature(sys.stdin.read())\n"
        "print(json.dumps([to_bytes(sig).hex(), band_keys(sig)]))\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    done = subprocess.run(
        [sys.executable, "-c", script],
        input=WIRE,
        capture_output=True,
        text=True,
        env=env,
        check=True,
        encoding="utf-8",
    )
    sig = signature(WIRE)
    assert json.loads(done.stdout) == [to_bytes(sig).hex(), band_keys(sig)]


def test_there_is_one_band_key_per_band_and_each_band_has_its_own_keys() -> None:
    keys = band_keys(signature(WIRE))
    assert len(keys) == BANDS == len(set(keys))
    assert all(-(2**31) <= key < 2**31 for key in keys)  # 4 bytes in an SQLite INTEGER
    # Equal values in two different bands do not make the same key.
    same = signature("x")
    same[:] = 7
    assert len(set(band_keys(same))) == BANDS


def test_the_bands_are_those_datasketch_chooses_for_the_threshold() -> None:
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM, weights=LSH_WEIGHTS)
    assert (lsh.b, lsh.r) == (BANDS, ROWS)


def _corpus(size: int = 30) -> list[tuple[str, str]]:
    """Copies and partial copies of the two reports, and unrelated mixes of their words."""
    rng = random.Random(4)
    pool = words(WIRE) + words(INDEPENDENT)
    texts = [("ap", WIRE), ("local", INDEPENDENT)]
    for n in range(size - 2):
        base = rng.choice([WIRE, INDEPENDENT, " ".join(rng.sample(pool, 300))])
        cut = words(base)
        start = rng.randrange(0, 120)
        texts.append((f"x{n}", " ".join(cut[start : start + rng.randrange(150, 300)])))
    return texts


def test_band_keys_find_the_candidates_datasketchs_lsh_finds() -> None:
    lsh = MinHashLSH(num_perm=NUM_PERM, params=(BANDS, ROWS))
    index = DuplicateIndex()
    corpus = _corpus()
    texts = dict(corpus)
    for article_id, text in corpus:
        sig = signature(text)
        minhash = MinHash(seed=SEED, scheme=SCHEME, hashvalues=sig)
        candidates = lsh.query(minhash)
        expected = sorted(
            c for c in candidates if similarity(sig, signature(texts[c])) >= THRESHOLD
        )
        assert sorted(index.add(article_id, text)) == expected
        lsh.insert(article_id, minhash)


def test_a_table_of_band_keys_in_sqlite_finds_what_the_index_finds() -> None:
    """The store's recipe: one row per band key, one indexed query, then ``near_duplicates``."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE signatures (article TEXT PRIMARY KEY, signature BLOB NOT NULL)")
    db.execute("CREATE TABLE bands (key INTEGER NOT NULL, article TEXT NOT NULL)")
    db.execute("CREATE INDEX bands_key ON bands (key)")
    index = DuplicateIndex()
    found_any = False
    # Enough articles that the index's table of band keys is merged into its arrays twice.
    for article_id, text in _corpus(400):
        sig = signature(text)
        keys = band_keys(sig)
        rows = db.execute(
            "SELECT s.article, s.signature FROM signatures s WHERE s.article IN "
            f"(SELECT article FROM bands WHERE key IN ({','.join('?' * len(keys))})) "
            "ORDER BY s.rowid",
            keys,
        ).fetchall()
        from_sql = near_duplicates(sig, ((a, from_bytes(blob)) for a, blob in rows))
        from_memory = index.add(article_id, text)
        assert from_sql == from_memory
        found_any = found_any or bool(from_memory)
        db.execute("INSERT INTO signatures VALUES (?, ?)", (article_id, to_bytes(sig)))
        db.executemany("INSERT INTO bands VALUES (?, ?)", [(k, article_id) for k in keys])
    assert found_any
