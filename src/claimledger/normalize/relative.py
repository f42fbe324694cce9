"""Normalisers for expressions counted in units: "last week", "two days ago", "the past two
months", "the third quarter", "this summer", "recently", "daily".

Companion of :mod:`claimledger.normalize.anchoring`, which holds the shared types and the
normalisers of named dates and days.
"""

from __future__ import annotations

from datetime import date, timedelta

from claimledger.normalize import calendar as cal
from claimledger.normalize.anchoring import (
    Context,
    Normalized,
    absolute,
    anchored,
    shift_of,
    unresolved,
)
from claimledger.normalize.lexicon import lookup, year_number
from claimledger.normalize.recognize import Mention

_CLOCK_UNITS = {"H": "H", "MIN": "M", "SEC": "S"}
# Half of a unit, in the next smaller one (TIMEX3 durations have no fractions of their own).
_HALF = {"Y": ("M", 6), "M": ("D", 15), "D": ("H", 12), "H": ("M", 30), "MIN": ("S", 30)}


def unit_code(word: str) -> str:
    """``'weeks'`` -> ``'W'``; ``'hours'`` -> ``'H'`` (see ``timex_words.tsv``)."""
    return lookup("unit", word) or "X"


def amount(word: str) -> str:
    """``'two'`` -> ``'2'``, ``'twenty-four'`` -> ``'24'``, ``'several'`` -> ``'X'``."""
    text = " ".join(word.lower().split())
    whole = lookup("number", text)
    if whole is not None:
        return whole
    if text.replace(".", "", 1).isdigit():
        return text.rstrip("0").rstrip(".") if "." in text else str(int(text))
    total = 0
    for piece in text.replace("-", " ").split():
        value = lookup("number", piece)
        if value is None or value == "X":
            return "X"
        total = total * int(value) if value == "100" else total + int(value)
    return str(total) if total else "X"


def duration_value(count: str, unit: str) -> str | None:
    """``('3', 'D')`` -> ``'P3D'``; ``('2', 'H')`` -> ``'PT2H'``; weekends and fortnights in
    days and weeks, which TIMEX3 has units for; decades in years."""
    if unit == "WE":
        return f"P{int(count) * 2}D" if count.isdigit() else "PXD"
    if unit == "FN":
        return f"P{int(count) * 2}W" if count.isdigit() else "PXW"
    if unit == "DE" and count.isdigit():
        return f"P{int(count) * 10}Y"  # TimeBank writes "two decades" as P20Y, not P2DE
    if unit in _CLOCK_UNITS:
        return f"PT{count}{_CLOCK_UNITS[unit]}"
    if unit == "X":
        return None
    return f"P{count}{unit}"


def unit_value(anchor: date, unit: str, shift: int) -> str | None:
    """The calendar unit ``shift`` steps from the one holding ``anchor``: ``('W', -1)`` on
    2024-12-09 -> ``'2024-W49'``. None when that falls outside years 0000-9999 ("31 centuries
    ago"), which TimeML values cannot write."""
    year = anchor.year
    if unit in ("D", "W", "WE"):
        try:
            day = anchor + (timedelta(days=shift) if unit == "D" else timedelta(weeks=shift))
        except OverflowError:
            return None
        if unit == "D":
            return day.isoformat()
        week = cal.week_value(day)
        return week + "-WE" if unit == "WE" else week
    if unit == "M":
        year, month = cal.shift_month(anchor.year, anchor.month, shift)
        return cal.month_value(year, month) if 0 <= year <= 9999 else None
    if unit == "Q":
        year, quarter = cal.shift_quarter(anchor.year, cal.quarter_of(anchor), shift)
        return cal.quarter_value(year, quarter) if 0 <= year <= 9999 else None
    if unit == "Y":
        year += shift
        return f"{year:04d}" if 0 <= year <= 9999 else None
    if unit == "DE":
        decade = year // 10 + shift
        return f"{decade:03d}" if 0 <= decade <= 999 else None
    if unit == "CE":
        century = year // 100 + shift
        return f"{century:02d}" if 0 <= century <= 99 else None
    return None


def norm_shift_unit(m: Mention, ctx: Context) -> Normalized:
    """ "last week", "this year", "earlier this month", "next quarter", "the end of this year"."""
    if ctx.anchor is None:
        return anchored(None, ctx)
    return anchored(unit_value(ctx.anchor, unit_code(m.parts["unit"]), shift_of(m.parts)), ctx)


def norm_unit_end(m: Mention, ctx: Context) -> Normalized:
    """ "year-end", "the year", "the full year": the current year (month, quarter)."""
    if ctx.anchor is None:
        return anchored(None, ctx)
    return anchored(unit_value(ctx.anchor, unit_code(m.parts.get("unit", "year")), 0), ctx)


def norm_year_ended(m: Mention, ctx: Context) -> Normalized:
    """ "the year ended Sept. 30": a year's length, whichever year it is."""
    return Normalized("P1Y", "DURATION", "absolute")


def _steps(m: Mention) -> int | None:
    count = amount(m.parts["num"])
    if not count.isdigit():
        return None
    direction = m.parts["dir"].lower()
    back = direction in ("ago", "earlier")
    return -int(count) if back else int(count)


def norm_ago(m: Mention, ctx: Context) -> Normalized:
    """ "two days ago", "a year earlier", "two weeks from now"."""
    steps, unit = _steps(m), unit_code(m.parts["unit"])
    if steps is None:
        return Normalized(
            "PAST_REF" if m.parts["dir"].lower() == "ago" else None, "DATE", "absolute"
        )
    # Earnings reports compare quarters: "a year ago" after "the third quarter" is that quarter a
    # year before; "a year earlier" counts from whatever was mentioned last.
    from_reference = m.parts["dir"].lower() not in ("ago", "from now") or (
        ctx.reference is not None and "-Q" in ctx.reference
    )
    if from_reference and ctx.reference is not None and unit == "Y":
        shifted = cal.shift_value(ctx.reference, steps)
        if shifted is not None:
            return anchored(shifted, ctx)
    if ctx.anchor is None:
        return anchored(None, ctx)
    if unit in _CLOCK_UNITS:
        return anchored(ctx.anchor.isoformat(), ctx)
    return anchored(unit_value(ctx.anchor, unit, steps), ctx)


def norm_ago_adjective(m: Mention, ctx: Context) -> Normalized:
    """ "year-earlier", "the year-ago quarter": the same period one year before the one last
    mentioned (earnings reports compare quarters), or the year before the anchor."""
    if ctx.reference is not None and m.parts["unit"].lower() == "year":
        shifted = cal.shift_value(ctx.reference, -1)
        if shifted is not None:
            return anchored(shifted, ctx)
    if ctx.anchor is None:
        return anchored(None, ctx)
    if m.parts.get("qh", "").lower() == "quarter":
        year, quarter = cal.shift_quarter(ctx.anchor.year, cal.quarter_of(ctx.anchor), -5)
        return anchored(cal.quarter_value(year, quarter), ctx)
    return anchored(unit_value(ctx.anchor, unit_code(m.parts["unit"]), -1), ctx)


def norm_duration(m: Mention, ctx: Context) -> Normalized:
    """ "two days" -> ``P2D``; "the past two months" -> ``P2M`` from two months before the anchor
    to the anchor; "several years" -> ``PXY``."""
    count, unit = amount(m.parts["num"]), unit_code(m.parts["unit"])
    value = duration_value(count, unit)
    if value is None:
        return unresolved()
    if ("half" in m.parts or "andhalf" in m.parts) and count.isdigit() and unit in _HALF:
        # "2 1/2 years" -> P2Y6M, "a minute and a half" -> PT1M30S: the half in the next unit.
        smaller, size = _HALF[unit]
        joint = "T" if unit == "D" else ""
        return Normalized(f"{value}{joint}{size}{smaller}", "DURATION", "absolute")
    shift = m.parts.get("shift", "").lower()
    if ctx.anchor is None or not count.isdigit() or shift not in ("past", "last", "next", "coming"):
        return Normalized(value, "DURATION", "absolute")
    return Normalized(
        value, "DURATION", "anchored", *_interval(ctx.anchor, unit, int(count), shift)
    )


def _interval(anchor: date, unit: str, count: int, shift: str) -> tuple[str | None, str | None]:
    sign = 1 if shift in ("next", "coming") else -1
    if unit == "D" or unit == "W":
        other = anchor + timedelta(days=sign * count * (7 if unit == "W" else 1))
    elif unit in ("M", "Q", "Y"):
        months = {"M": 1, "Q": 3, "Y": 12}[unit] * count * sign
        year, month = cal.shift_month(anchor.year, anchor.month, months)
        if not 1 <= year <= 9999:
            return None, None
        other = date(year, month, min(anchor.day, 28))
    else:
        return None, None
    pair = sorted((anchor.isoformat(), other.isoformat()))
    return pair[0], pair[1]


def norm_vague(m: Mention, ctx: Context) -> Normalized:
    """ "the past few years", "recent years", "for weeks" -> ``PXY``, ``PXW``: a stretch of unknown
    length; "coming months" is TimeML's vague future reference."""
    if m.parts.get("shift", "").lower() == "coming":
        return absolute("FUTURE_REF")
    value = duration_value("X", unit_code(m.parts["unit"]))
    return Normalized(value, "DURATION", "absolute") if value else unresolved()


def norm_quarter(m: Mention, ctx: Context) -> Normalized:
    """ "the third quarter" -> ``2024-Q3``; "first-half" -> ``2024-H1``; "the fourth quarter of
    1989"."""
    p, ordinal = m.parts, int(lookup("ordinal", m.parts["ord"]) or 1)
    half = p["qh"].lower() == "half"
    code = f"H{min(ordinal, 2)}" if half else f"Q{ordinal}"
    if "y" in p:
        return absolute(f"{year_number(p['y']):04d}-{code}")
    if ctx.anchor is None:
        return anchored(f"XXXX-{code}", ctx)
    year = ctx.anchor.year
    shift_word = p.get("shift", "").lower() or p.get("yshift", "").lower()
    if shift_word in ("last", "year-earlier", "year-ago"):
        year -= 1
    elif shift_word == "next":
        year += 1
    elif not shift_word:
        current = (ctx.anchor.month - 1) // 6 + 1 if half else cal.quarter_of(ctx.anchor)
        if int(code[1]) > current and ctx.tense != "future":
            year -= 1  # a result reported for a quarter still to come is last year's
    return anchored(f"{year:04d}-{code}", ctx)


def norm_year_quarter(m: Mention, ctx: Context) -> Normalized:
    ordinal = int(lookup("ordinal", m.parts["ord"]) or 1)
    code = f"H{min(ordinal, 2)}" if m.parts["qh"].lower() == "half" else f"Q{ordinal}"
    return absolute(f"{year_number(m.parts['y']):04d}-{code}")


def norm_latest_quarter(m: Mention, ctx: Context) -> Normalized:
    """ "the latest quarter": the last one completed before the anchor; "the same period": the
    one mentioned last."""
    latest = m.parts.get("latest", "").lower()
    if latest == "same" and ctx.reference is not None:
        return anchored(ctx.reference, ctx)
    if ctx.anchor is None:
        return anchored(None, ctx)
    back = 0 if latest == "current" else -1
    year, quarter = cal.shift_quarter(ctx.anchor.year, cal.quarter_of(ctx.anchor), back)
    return anchored(cal.quarter_value(year, quarter), ctx)


def norm_season(m: Mention, ctx: Context) -> Normalized:
    """ "last fall" said in May 1999 -> ``1998-FA``; "summer 2024" -> ``2024-SU``."""
    season = lookup("season", m.parts["season"]) or "SU"
    if "y" in m.parts:
        return absolute(f"{year_number(m.parts['y']):04d}-{season}")
    if ctx.anchor is None:
        return anchored(f"XXXX-{season}", ctx)
    shift = shift_of(m.parts) if "shift" in m.parts else 0
    return anchored(f"{cal.season_year(ctx.anchor, season, shift):04d}-{season}", ctx)


def norm_ref(m: Mention, ctx: Context) -> Normalized:
    return absolute(lookup("ref", m.parts["ref"]) or "PRESENT_REF")


def norm_set(m: Mention, ctx: Context) -> Normalized:
    if "set" in m.parts:
        return absolute(lookup("set", m.parts["set"]) or "P1D", "SET")
    value = duration_value("1", unit_code(m.parts["unit"]))
    return absolute(value or "P1D", "SET")


def norm_weekend(m: Mention, ctx: Context) -> Normalized:
    """ "the weekend": the one before the anchor, or after it in the future tense."""
    if ctx.anchor is None:
        return anchored(None, ctx)
    if ctx.tense == "future":
        saturday = cal.weekday_after(ctx.anchor, 6)
    else:
        saturday = cal.weekday_before(ctx.anchor, 6)
    return anchored(cal.week_value(saturday) + "-WE", ctx)
