"""Normalising a recognised time expression to a TIMEX3 value, given what it is anchored on.

Each rule of ``timex_patterns.tsv`` has a normaliser here. A normaliser gets the mention and a
:class:`Context` (the anchor date, the tense of the clause, the latest concrete date mentioned
before) and returns a :class:`Normalized`. Without an anchor, a normaliser returns a partial value
(``XXXX-11-24``, ``XXXX-WXX-1``) where the expression names part of a date, and no value where it
is purely relative ("last week"); ``status`` says which, for the stage's notice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from claimledger.normalize import calendar as cal
from claimledger.normalize.lexicon import lookup, year_number
from claimledger.normalize.recognize import Mention

Tense = Literal["past", "present", "future"] | None
TimexType = Literal["DATE", "TIME", "DURATION", "SET"]
Status = Literal["absolute", "anchored", "partial", "unresolved"]


@dataclass(frozen=True, slots=True)
class Context:
    """What a mention is resolved against."""

    anchor: date | None
    tense: Tense = None
    reference: str | None = None  # the latest concrete date value before the mention


@dataclass(frozen=True, slots=True)
class Normalized:
    value: str | None
    type: TimexType
    status: Status
    begin: str | None = None
    end: str | None = None


def absolute(value: str, type_: TimexType = "DATE") -> Normalized:
    return Normalized(value, type_, "absolute")


def anchored(value: str | None, ctx: Context, type_: TimexType = "DATE") -> Normalized:
    if ctx.anchor is None:
        return Normalized(value, type_, "partial" if value else "unresolved")
    return Normalized(value, type_, "anchored")


def _int(parts: dict[str, str], key: str) -> int:
    return int(re.sub(r"\D", "", parts[key]))


def shift_of(parts: dict[str, str]) -> int:
    word = parts.get("shift", "this").lower()
    return {"past": -1, "previous": -1, "last": -1, "next": 1, "coming": 1}.get(
        word, int(lookup("shift", word) or 0)
    )


def _year(raw: str) -> int:
    year = int(raw)
    if len(raw) == 2:  # "11/02/89": the century nearer to our time
        year += 1900 if year >= 50 else 2000
    return year


def _time_suffix(parts: dict[str, str]) -> str:
    pod = parts.get("pod")
    return f"T{lookup('partofday', pod)}" if pod else ""


def _day_suffix(parts: dict[str, str]) -> str:
    # TimeBank/AQUAINT value "Friday night" as the day alone more often than with TNI (often
    # tagging "Friday" alone); adding the part of day loses there on balance.
    return ""


# ---- explicit dates -------------------------------------------------------------------------


def norm_full_date(m: Mention, ctx: Context) -> Normalized:
    """``2024-12-09``, ``12/09/2024``, with an optional clock time."""
    p = m.parts
    year, month, day = _year(p["y"]), int(p["m"]), int(p["d"])
    if not cal.valid_day(year, month, day):
        return Normalized(None, "DATE", "unresolved")
    if "hh" in p:
        return absolute(f"{year:04d}-{month:02d}-{day:02d}T{p['hh']}:{p['mi']}", "TIME")
    return absolute(f"{year:04d}-{month:02d}-{day:02d}")


def norm_month_day(m: Mention, ctx: Context) -> Normalized:
    """ "Dec. 5", "December 5, 2024", "Monday, Oct. 30", "5 December"."""
    p = m.parts
    month, day = int(lookup("month", p["month"]) or 0), _int(p, "d")
    if "y" in p:
        year = year_number(p["y"])
        ok = cal.valid_day(year, month, day)
        return absolute(f"{year:04d}-{month:02d}-{day:02d}") if ok else unresolved()
    if not cal.valid_day(2024, month, day):  # 2024 is a leap year: Feb 29 passes
        return unresolved()
    if ctx.anchor is None:
        return anchored(f"XXXX-{month:02d}-{day:02d}", ctx)
    year = _year_for_day(ctx.anchor, month, day, p.get("wd"), ctx.tense)
    if not cal.valid_day(year, month, day):
        return unresolved()
    return anchored(f"{year:04d}-{month:02d}-{day:02d}", ctx)


def unresolved() -> Normalized:
    return Normalized(None, "DATE", "unresolved")


def _year_for_day(anchor: date, month: int, day: int, weekday: str | None, tense: Tense) -> int:
    # A weekday beside the date ("Monday, Oct. 30") names the year outright when one nearby fits.
    if weekday is not None:
        wanted = int(lookup("weekday", weekday) or 0)
        for year in (anchor.year, anchor.year - 1, anchor.year + 1):
            if cal.valid_day(year, month, day) and date(year, month, day).isoweekday() == wanted:
                return year
    return cal.nearest_year(anchor, month, tense)


def norm_month_year(m: Mention, ctx: Context) -> Normalized:
    month = int(lookup("month", m.parts["month"]) or 0)
    return absolute(cal.month_value(year_number(m.parts["y"]), month))


def norm_month(m: Mention, ctx: Context) -> Normalized:
    """ "October", "last March", "early December"."""
    month = int(lookup("month", m.parts["month"]) or 0)
    if ctx.anchor is None:
        return anchored(f"XXXX-{month:02d}", ctx)
    shift, anchor = shift_of(m.parts) if "shift" in m.parts else None, ctx.anchor
    if shift is None:
        year = cal.nearest_year(anchor, month, ctx.tense)
    elif shift < 0:
        year = anchor.year if month < anchor.month else anchor.year - 1
    elif shift > 0:
        year = anchor.year if month > anchor.month else anchor.year + 1
    else:
        year = anchor.year
    return anchored(cal.month_value(year, month), ctx)


def norm_year(m: Mention, ctx: Context) -> Normalized:
    return absolute(f"{year_number(m.parts.get('y') or m.parts['y2']):04d}")


def norm_decade(m: Mention, ctx: Context) -> Normalized:
    """ "the 1990s" -> ``199``; "the '80s" -> ``198``; "the nineties" -> ``199``.

    TimeML writes a decade as the first three digits of its years (guidelines 1.2.1, 2.2.1.2).
    """
    if "decade" in m.parts:
        return absolute(m.parts["decade"][:3])
    if "dword" in m.parts:
        return absolute(f"19{lookup('decadeword', m.parts['dword']) or '9'}")
    tail = m.parts["dd"]
    century = "20" if int(tail) < 30 else "19"
    return absolute(f"{century}{tail[0]}")


def norm_century(m: Mention, ctx: Context) -> Normalized:
    """ "the 20th century" -> ``19`` (the two digits its years begin with)."""
    raw = m.parts["cent"]
    number = int(re.sub(r"\D", "", raw) or lookup("centuryword", raw) or 0)
    return absolute(f"{number - 1:02d}") if 1 <= number <= 100 else unresolved()


def norm_month_relative_year(m: Mention, ctx: Context) -> Normalized:
    """ "July last year" -> ``2023-07`` on 2024-12-10."""
    month = int(lookup("month", m.parts["month"]) or 1)
    if ctx.anchor is None:
        return anchored(None, ctx)
    year = ctx.anchor.year + {"last": -1, "next": 1}.get(m.parts["yshift"].lower(), 0)
    return anchored(cal.month_value(year, month), ctx)


def norm_holiday(m: Mention, ctx: Context) -> Normalized:
    """ "Christmas", "Thanksgiving Day" (the fourth Thursday of November), "last Easter"."""
    rule = lookup("holiday", m.parts["holiday"]) or "01-01"
    if "y" in m.parts:
        named = cal.holiday_date(rule, year_number(m.parts["y"]))
        return absolute(named.isoformat()) if named else unresolved()
    if ctx.anchor is None:
        return anchored(f"XXXX-{rule}" if re.fullmatch(r"\d\d-\d\d", rule) else None, ctx)
    anchor, shift = ctx.anchor, m.parts.get("shift", "").lower()
    if shift in ("last", "next"):
        days = [cal.holiday_date(rule, anchor.year + n) for n in (-1, 0, 1)]
        if shift == "last":
            found = max((d for d in days if d is not None and d < anchor), default=None)
        else:
            found = min((d for d in days if d is not None and d > anchor), default=None)
        return anchored(found.isoformat(), ctx) if found else unresolved()
    this_year = cal.holiday_date(rule, anchor.year)
    if this_year is None:
        return unresolved()
    year = anchor.year if shift else cal.nearest_year(anchor, this_year.month, ctx.tense)
    day = cal.holiday_date(rule, year)
    return anchored(day.isoformat(), ctx) if day else unresolved()


# ---- days, weekdays and clock times -----------------------------------------------------------


def _weekday_date(anchor: date, weekday: int, shift: int | None, tense: Tense) -> date:
    """A weekday named alone: past tense looks back, future forward, otherwise the nearer one
    (on the anchor's own weekday, the anchor itself: news says "Friday" of the day it appears)."""
    before = cal.weekday_before(anchor, weekday, strictly=shift is not None and shift < 0)
    after = cal.weekday_after(anchor, weekday, strictly=shift is not None and shift > 0)
    if shift is not None:
        return before if shift < 0 else after
    if tense == "past":
        return before
    if tense == "future":
        return after
    return before if (anchor - before) <= (after - anchor) else after


def norm_weekday(m: Mention, ctx: Context) -> Normalized:
    """ "on Saturday" said on Tuesday 2024-12-10 -> ``2024-12-07``; "next Friday"."""
    weekday = int(lookup("weekday", m.parts["wd"]) or 1)
    suffix = _day_suffix(m.parts)
    if ctx.anchor is None:
        return anchored(f"XXXX-WXX-{weekday}{suffix}", ctx)
    shift = shift_of(m.parts) if "shift" in m.parts else None
    day = _weekday_date(ctx.anchor, weekday, shift, ctx.tense)
    return anchored(day.isoformat() + suffix, ctx)


def _day_from_parts(parts: dict[str, str], ctx: Context) -> date | None:
    if ctx.anchor is None:
        return None
    if "wd" in parts:
        weekday = int(lookup("weekday", parts["wd"]) or 1)
        return _weekday_date(ctx.anchor, weekday, None, ctx.tense)
    offset = int(lookup("dayword", parts.get("dayword", "today")) or 0)
    return ctx.anchor + timedelta(days=offset)


def norm_dayword(m: Mention, ctx: Context) -> Normalized:
    """ "yesterday", "tomorrow morning", "tonight"."""
    day = _day_from_parts(m.parts, ctx)
    if day is None:
        return anchored(None, ctx)
    return anchored(day.isoformat() + _day_suffix(m.parts), ctx)


def norm_this_part_of_day(m: Mention, ctx: Context) -> Normalized:
    if ctx.anchor is None:
        return anchored(None, ctx)
    return anchored(ctx.anchor.isoformat() + _time_suffix(m.parts), ctx)


def norm_clock(m: Mention, ctx: Context) -> Normalized:
    """ "3:30 p.m. Tuesday" -> ``2024-12-10T15:30``."""
    p = m.parts
    hour = int(p["hh"]) % 12 + (12 if p["ampm"].lower().startswith("p") else 0)
    clock = f"T{hour:02d}:{p.get('mi', '00')}"
    day = _day_from_parts(p, ctx)
    if day is None:
        return anchored(f"XXXX-XX-XX{clock}", ctx, "TIME")
    return anchored(day.isoformat() + clock, ctx, "TIME")


def norm_noon(m: Mention, ctx: Context) -> Normalized:
    clock = "T00:00" if m.parts["noon"].lower() == "midnight" else "T12:00"
    day = ctx.anchor.isoformat() if ctx.anchor else "XXXX-XX-XX"
    return anchored(day + clock, ctx, "TIME")
