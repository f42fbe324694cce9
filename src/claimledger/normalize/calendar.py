"""Calendar arithmetic on TIMEX3 values: weeks, quarters, seasons, month and year shifts.

Kept apart from the rules so that every value the stage writes is formatted in one place.
"""

from __future__ import annotations

import calendar as _calendar
from datetime import date, timedelta

# Seasons in the order they begin within a year, spring (March) first.
SEASON_ORDER = ("SP", "SU", "FA", "WI")


def day_value(day: date) -> str:
    """``date(2024, 12, 9)`` -> ``'2024-12-09'``."""
    return day.isoformat()


def week_value(day: date) -> str:
    """The ISO week holding ``day``: ``date(2024, 12, 9)`` -> ``'2024-W50'``."""
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def month_value(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def shift_month(year: int, month: int, months: int) -> tuple[int, int]:
    """``(2024, 1)`` shifted by ``-2`` months -> ``(2023, 11)``."""
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def quarter_of(day: date) -> int:
    return (day.month - 1) // 3 + 1


def shift_quarter(year: int, quarter: int, quarters: int) -> tuple[int, int]:
    index = year * 4 + (quarter - 1) + quarters
    return index // 4, index % 4 + 1


def quarter_value(year: int, quarter: int) -> str:
    return f"{year:04d}-Q{quarter}"


def valid_day(year: int, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= _calendar.monthrange(year, month)[1]


def weekday_before(anchor: date, weekday: int, strictly: bool = False) -> date:
    """The latest day with ISO ``weekday`` on or before ``anchor`` (before it, if ``strictly``)."""
    back = (anchor.isoweekday() - weekday) % 7
    if back == 0 and strictly:
        back = 7
    return anchor - timedelta(days=back)


def weekday_after(anchor: date, weekday: int, strictly: bool = False) -> date:
    """The earliest day with ISO ``weekday`` on or after ``anchor`` (after it, if ``strictly``)."""
    ahead = (weekday - anchor.isoweekday()) % 7
    if ahead == 0 and strictly:
        ahead = 7
    return anchor + timedelta(days=ahead)


def nearest_year(anchor: date, month: int, tense: str | None) -> int:
    """The year of a month named without one, as a reader on ``anchor`` takes it.

    News mostly reports the past: a month more than six months ahead is last year's, and one more
    than a month ahead in a past-tense clause too ("troops arrived in April", written in
    February); only a future-tense clause sends a month long past into next year. Tuned on
    TimeBank/AQUAINT, where trusting the parser's tense more than this loses.
    """
    if tense == "past" and month - anchor.month > 1:
        return anchor.year - 1
    if month - anchor.month > 6 and tense != "future":
        return anchor.year - 1
    if anchor.month - month > 6 and tense == "future":
        return anchor.year + 1
    return anchor.year


def shift_value(value: str, years: int) -> str | None:
    """A concrete value moved by ``years`` at its own granularity: ``'1989-Q3'``, -1 ->
    ``'1988-Q3'``; None for values that are not plain calendar dates."""
    if len(value) < 4 or not value[:4].isdigit():
        return None
    head, rest = int(value[:4]) + years, value[4:]
    if rest.startswith("-W"):
        return None
    if rest.startswith("-02-29") and not _calendar.isleap(head):
        rest = "-02-28" + rest[6:]
    return f"{head:04d}{rest}"


def easter(year: int) -> date:
    """Easter Sunday of ``year`` (Gregorian; the anonymous algorithm of Meeus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month, day = divmod(h + m - 7 * n + 114, 31)
    return date(year, month, day + 1)


def holiday_date(rule: str, year: int) -> date | None:
    """The day a holiday rule of ``timex_words.tsv`` gives in ``year``: ``'12-25'`` (fixed),
    ``'11-4-4'`` (the fourth Thursday of November), ``'05-1-L'`` (the last Monday of May),
    ``'11-1-1+1'`` (the day after the first Monday), ``'easter-2'`` (Good Friday)."""
    if rule.startswith("easter"):
        return easter(year) + timedelta(days=int(rule[6:] or 0))
    base, _, offset = rule.partition("+")
    pieces = base.split("-")
    month = int(pieces[0])
    if len(pieces) == 2:
        day = int(pieces[1])
        return date(year, month, day) if valid_day(year, month, day) else None
    weekday, nth = int(pieces[1]), pieces[2]
    if nth == "L":
        last = date(year, month, _calendar.monthrange(year, month)[1])
        found = weekday_before(last, weekday)
    else:
        found = weekday_after(date(year, month, 1), weekday) + timedelta(weeks=int(nth) - 1)
    return found + timedelta(days=int(offset or 0))


def season_year(anchor: date, season: str, shift: int) -> int:
    """The year of "last/this/next <season>" said on ``anchor``.

    January and February belong to the winter that began the December before, so "last fall"
    said in January is the fall of the year before.
    """
    current = _season_index(anchor.month)
    base = anchor.year - 1 if anchor.month < 3 else anchor.year
    index = SEASON_ORDER.index(season)
    if shift < 0:
        return base if index < current else base - 1
    if shift > 0:
        return base if index > current else base + 1
    return anchor.year


def _season_index(month: int) -> int:
    return 3 if month < 3 else (month - 3) // 3
