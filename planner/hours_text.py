"""Opening hours and seasons in words, in the reader's language: never the raw OSM syntax.

`hours_in_words()` reads the part of the OSM `opening_hours` syntax the catalogue uses
(`24/7`, month, calendar-day (`May 01-Oct 07`) and weekday ranges, times, `off`/`closed`, `PH`,
the last weekday of the month such as `Fr[-1]`) and renders it through gettext-marked templates
(`N_`) with Babel's day and month names. Anything else gives the "see the source" sentence,
not the expression itself. Pure Python: the adapters pass their `gettext` and language.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, time

from babel.dates import format_interval, format_skeleton, get_day_names, get_month_names

from planner.errors import PlannerError
from planner.languages import babel_locale, clause_separator, list_separator, resolve
from planner.messages import N_
from planner.model import Attraction

Gettext = Callable[[str], str]

DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

ALWAYS_OPEN = N_("open 24 hours, every day")
DAILY = N_("daily %(times)s")
# Templates whose English is only punctuation get a describing msgid (translated to the short
# form in every language, English included), so that a translator sees what they are.
DAYS_TIMES = N_("%(days)s, at %(times)s")
DAYS_ALL_DAY = N_("%(days)s, open all day")
CLOSED_ON = N_("closed on %(days)s")
CLOSED_ON_HOLIDAYS = N_("closed on public holidays")
PUBLIC_HOLIDAYS = N_("public holidays")
DAY_RANGE = N_("from %(first)s to %(last)s, short form")
IN_MONTHS = N_("in %(months)s: %(rule)s")
SEE_SOURCE = N_("hours given in a form this page cannot show: see the source")
# One template per weekday: Russian day names differ in gender ("последний понедельник",
# "последняя пятница"), so the sentence is translated whole.
CLOSED_LAST: dict[int, str] = {
    0: N_("closed on the last Monday of the month"),
    1: N_("closed on the last Tuesday of the month"),
    2: N_("closed on the last Wednesday of the month"),
    3: N_("closed on the last Thursday of the month"),
    4: N_("closed on the last Friday of the month"),
    5: N_("closed on the last Saturday of the month"),
    6: N_("closed on the last Sunday of the month"),
}
ALL_YEAR = N_("all year")
MONTH_RANGE = N_("%(first)s to %(last)s")
# An event's dates (planner.events): per year, or every year on one day.
EVERY_YEAR_ON = N_("every year on %(day)s")
YEAR_DATES = N_("in %(year)s: %(dates)s")
DATES_NOT_PUBLISHED = N_("dates not published")
ABOUT_TIME = N_("about %(time)s")

_TIME = r"(?:[01]\d|2[0-4]):[0-5]\d"
_TIMES_RE = re.compile(rf"^{_TIME}-{_TIME}(?:,{_TIME}-{_TIME})*$")
_DAY_RE = re.compile(r"^(Mo|Tu|We|Th|Fr|Sa|Su)(?:\[(-1)\]|-(Mo|Tu|We|Th|Fr|Sa|Su))?$")
_MONTH_RE = re.compile(r"^(" + "|".join(MONTHS) + r")(?:-(" + "|".join(MONTHS) + r"))?$")
_MONTH_NAME = "(" + "|".join(MONTHS) + ")"
# A range of calendar days at the start of a rule, e.g. "May 01-Oct 07" (a season of one year).
_DATE_SPAN_RE = re.compile(rf"^{_MONTH_NAME} (\d\d)-{_MONTH_NAME} (\d\d)(?:\s+|$)")


class Unsupported(PlannerError, ValueError):
    """An expression outside the subset this module puts into words."""


@dataclass(frozen=True)
class DayItem:
    kind: str  # "range" | "last" | "holidays"
    first: int = 0
    last: int = 0


@dataclass(frozen=True)
class Rule:
    months: tuple[tuple[int, int], ...]  # (first, last) month numbers, 1-12; empty = all year
    days: tuple[DayItem, ...]  # empty = every day
    times: tuple[tuple[str, str], ...]  # empty = all day
    off: bool
    # (first month, first day, last month, last day) ranges of calendar days; empty = none
    dates: tuple[tuple[int, int, int, int], ...] = ()


def parse(expression: str) -> tuple[Rule, ...]:
    """The rules of an expression in the supported subset; Unsupported otherwise."""
    text = expression.strip()
    if text == "24/7":
        return (Rule((), (), (), False),)
    rules = []
    for part in text.split(";"):
        part = part.strip()
        dates: tuple[tuple[int, int, int, int], ...] = ()
        span = _DATE_SPAN_RE.match(part)
        if span:
            first_m, first_d = MONTHS.index(span.group(1)) + 1, int(span.group(2))
            last_m, last_d = MONTHS.index(span.group(3)) + 1, int(span.group(4))
            try:
                date(2000, first_m, first_d), date(2000, last_m, last_d)
            except ValueError:
                raise Unsupported(expression) from None
            dates = ((first_m, first_d, last_m, last_d),)
            part = part[span.end() :]
        tokens = part.split()
        if not tokens and not dates:
            raise Unsupported(expression)
        months: tuple[tuple[int, int], ...] = ()
        days: tuple[DayItem, ...] = ()
        if tokens and all(_MONTH_RE.match(p) for p in tokens[0].split(",")):
            months = tuple(_month_range(p) for p in tokens.pop(0).split(","))
        if tokens and all(_DAY_RE.match(p) or p == "PH" for p in tokens[0].split(",")):
            days = tuple(_day_item(p) for p in tokens.pop(0).split(","))
        off = False
        times: tuple[tuple[str, str], ...] = ()
        if tokens and tokens[0] in ("off", "closed"):
            off = True
            tokens.pop(0)
        elif tokens and _TIMES_RE.match(tokens[0]):
            times = tuple(tuple(span.split("-")) for span in tokens.pop(0).split(","))  # type: ignore[misc]
        elif tokens and tokens[0] == "24/7":
            tokens.pop(0)
        elif not (months or days or dates):
            raise Unsupported(expression)
        if tokens:
            raise Unsupported(expression)
        if any(d.kind != "range" for d in days) and not off:
            raise Unsupported(expression)  # open only on the last Friday: not used, not shown
        if months and dates:
            raise Unsupported(expression)
        rules.append(Rule(months, days, times, off, dates))
    return tuple(rules)


def _month_range(text: str) -> tuple[int, int]:
    match = _MONTH_RE.match(text)
    assert match is not None
    first = MONTHS.index(match.group(1)) + 1
    last = MONTHS.index(match.group(2)) + 1 if match.group(2) else first
    return first, last


def _day_item(text: str) -> DayItem:
    if text == "PH":
        return DayItem("holidays")
    match = _DAY_RE.match(text)
    assert match is not None
    first = DAYS.index(match.group(1))
    if match.group(2):
        return DayItem("last", first, first)
    last = DAYS.index(match.group(3)) if match.group(3) else first
    return DayItem("range", first, last)


def _covered(item: DayItem) -> set[int]:
    if item.first <= item.last:
        return set(range(item.first, item.last + 1))
    return set(range(item.first, 7)) | set(range(0, item.last + 1))


def _day_label(index: int, lang: str) -> str:
    return _capital(
        get_day_names("abbreviated", context="stand-alone", locale=babel_locale(lang))[index]
    )


def _days_text(items: Sequence[DayItem], _: Gettext, lang: str) -> str:
    parts = []
    for item in items:
        if item.kind == "holidays":
            parts.append(_(PUBLIC_HOLIDAYS))
        elif item.first == item.last:
            parts.append(_day_label(item.first, lang))
        else:
            first, last = _day_label(item.first, lang), _day_label(item.last, lang)
            parts.append(_(DAY_RANGE) % {"first": first, "last": last})
    return list_separator(lang).join(parts)


def _times_text(times: Sequence[tuple[str, str]], lang: str) -> str:
    return list_separator(lang).join(f"{start}–{end}" for start, end in times)


def month_name(month: int, lang: str, width: str = "wide") -> str:
    """A month's name in *lang* as it stands alone (Babel), e.g. 'September', '九月'."""
    return get_month_names(width, context="stand-alone", locale=babel_locale(lang))[month]


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _months_text(spans: Sequence[tuple[int, int]], _: Gettext, lang: str) -> str:
    parts = []
    for first, last in spans:
        name = _capital(month_name(first, lang, "abbreviated"))
        if first == last:
            parts.append(name)
        else:
            end = _capital(month_name(last, lang, "abbreviated"))
            parts.append(_(DAY_RANGE) % {"first": name, "last": end})
    return list_separator(lang).join(parts)


def _dates_text(spans: Sequence[tuple[int, int, int, int]], _: Gettext, lang: str) -> str:
    parts = []
    for first_m, first_d, last_m, last_d in spans:
        first = format_skeleton("MMMd", date(2000, first_m, first_d), locale=babel_locale(lang))
        last = format_skeleton("MMMd", date(2000, last_m, last_d), locale=babel_locale(lang))
        parts.append(_(DAY_RANGE) % {"first": first, "last": last})
    return list_separator(lang).join(parts)


def _period_text(rule: Rule, _: Gettext, lang: str) -> str:
    """The months or calendar days a rule applies to, in words ('' for all year)."""
    if rule.dates:
        return _dates_text(rule.dates, _, lang)
    return _months_text(rule.months, _, lang) if rule.months else ""


def _rule_text(rule: Rule, open_days: set[int], _: Gettext, lang: str) -> list[str]:
    out: list[str] = []
    if rule.off:
        ranges = [d for d in rule.days if d.kind == "range"]
        # A closed weekday that no open rule covers is implied ("Tu-Su ...; Mo off"): not repeated.
        shown = [d for d in ranges if _covered(d) & open_days] if open_days else ranges
        if shown:
            out.append(_(CLOSED_ON) % {"days": _days_text(shown, _, lang)})
        for item in rule.days:
            if item.kind == "last":
                out.append(_(CLOSED_LAST[item.first]))
            elif item.kind == "holidays":
                out.append(_(CLOSED_ON_HOLIDAYS))
        if not rule.days:
            out.append(_(CLOSED_ON) % {"days": _period_text(rule, _, lang)})
            return out
    elif not rule.days and not rule.times:
        out.append(_(ALWAYS_OPEN))
    elif not rule.days:
        out.append(_(DAILY) % {"times": _times_text(rule.times, lang)})
    elif not rule.times:
        out.append(_(DAYS_ALL_DAY) % {"days": _days_text(rule.days, _, lang)})
    else:
        days = _days_text(rule.days, _, lang)
        out.append(_(DAYS_TIMES) % {"days": days, "times": _times_text(rule.times, lang)})
    period = _period_text(rule, _, lang)
    if period and out:
        out[0] = _(IN_MONTHS) % {"months": period, "rule": out[0]}
    return out


def hours_in_words(expression: str | None, _: Gettext, lang: str = "en") -> str | None:
    """The opening hours in words in *lang*; None when unknown (the page says "not verified").

    An expression outside the supported subset gives the "see the source" sentence.
    """
    if expression is None:
        return None
    lang = resolve(lang).code
    try:
        rules = parse(expression)
    except Unsupported:
        return _(SEE_SOURCE)
    open_days: set[int] = set()
    for rule in rules:
        if not rule.off:
            for item in rule.days or (DayItem("range", 0, 6),):
                if item.kind == "range":
                    open_days |= _covered(item)
    parts: list[str] = []
    for rule in rules:
        parts.extend(_rule_text(rule, open_days, _, lang))
    return clause_separator(lang).join(parts)


def months_in_words(months: Sequence[int], _: Gettext, lang: str = "en") -> str:
    """When a place can be visited, e.g. 'June to August', '十二月至二月'; 'all year' for all 12."""
    lang = resolve(lang).code
    wanted = sorted(set(months))
    if len(wanted) == 12 or not wanted:
        return _(ALL_YEAR)
    # Runs of consecutive months, joining December to January (a winter season).
    runs: list[list[int]] = []
    for month in wanted:
        if runs and month == runs[-1][-1] + 1:
            runs[-1].append(month)
        else:
            runs.append([month])
    if len(runs) > 1 and runs[0][0] == 1 and runs[-1][-1] == 12:
        runs[0] = runs.pop() + runs[0]
    parts = []
    for run in runs:
        if len(run) == 1:
            parts.append(month_name(run[0], lang))
        else:
            first, last = month_name(run[0], lang), month_name(run[-1], lang)
            parts.append(_(MONTH_RANGE) % {"first": first, "last": last})
    return _capital(list_separator(lang).join(parts))


def _time_of_day(hours: tuple[time, time] | None, estimated: bool, _: Gettext) -> str:
    if hours is None:
        return ""
    text = f"{hours[0]:%H:%M}–{hours[1]:%H:%M}"
    return ", " + (_(ABOUT_TIME) % {"time": text} if estimated else text)


def event_dates_in_words(place: Attraction, _: Gettext, lang: str = "en") -> list[str]:
    """An event's dates, one line a year: '2025: July 26 – August 20', '2027: dates not
    published', 'every year on May 9, about 09:00–11:30'."""
    locale = babel_locale(lang)
    lines = []
    if place.annual is not None:
        rule = place.annual
        day = format_skeleton("MMMMd", date(2027, rule.month, rule.day), locale=locale)
        lines.append(
            _(EVERY_YEAR_ON) % {"day": day} + _time_of_day(rule.hours, rule.hours_estimated, _)
        )
    for entry in sorted(place.dates, key=lambda d: d.year):
        if entry.start is None or entry.end is None:
            text = _(DATES_NOT_PUBLISHED)
        elif entry.start == entry.end:
            text = format_skeleton("MMMMd", entry.start, locale=locale)
        else:
            text = format_interval(entry.start, entry.end, "MMMMd", locale=locale)
        text += _time_of_day(entry.hours, entry.hours_estimated, _)
        lines.append(_(YEAR_DATES) % {"year": str(entry.year), "dates": text})
    return lines


def when_in_words(place: Attraction, _: Gettext, lang: str = "en") -> str:
    """When a place can be visited: an event's dates, else its months."""
    if place.kind == "event":
        return "; ".join(event_dates_in_words(place, _, lang)) or _(DATES_NOT_PUBLISHED)
    return months_in_words(place.months, _, lang)
