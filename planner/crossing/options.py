"""The crossings on offer: seasons, closures, port hours and timetables turned into options.

The trip planner calls `crossing_options()` to pick a real departure and `last_safe_return()`
for the deadline abroad; it must never plan a crossing this module does not offer. Every number
on an option carries the sources (with checked dates) that back it, and every estimate says so
in the option's warnings, as `Message` codes (planner/messages.py) that the adapters render.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays

from planner.crossing.entry import (
    Nationality,
    entry_decision,
    require_nationality,
    unique_sources,
)
from planner.crossing.facts import CrossingAnswer, CrossingOption
from planner.crossing.load import load_crossing_data
from planner.crossing.schema import CrossingData, Mode, PortHours, Timetable
from planner.messages import Message, data_note
from planner.model import LocalizedName, Source
from planner.timeutil import CITIES, CITY_COUNTRY, city_zone, other_city, require_aware

# Codes of the reasons that still matter on the later days of a window (see crossing_options).
CLOSURE_CODES = frozenset(
    {"checkpoint_closed", "holiday_closure", "holiday_closure_estimated", "notice_suspension"}
)
ENTRY_CODE = "entry_not_permitted"
# Crossing notices (planner/agency.py): a `suspended` notice reaches the model as a Closure of
# this kind; its `points` may name check-point ids or mode ids (a mode suspended on those dates).
NOTICE_KIND = "notice"


@dataclass(frozen=True)
class ClosureHit:
    """A closure of a check-point on a day: the data's reason, its span, and whether estimated."""

    reason: LocalizedName | None  # None: the computed Spring Festival closure
    start: date
    end: date
    estimated: bool
    kind: str


def _check_city(city: str, what: str) -> str:
    if city not in CITIES:
        raise ValueError(f"unknown city {city!r} for {what}: expected one of {', '.join(CITIES)}")
    return city


def _check_party(party_size: int) -> int:
    if isinstance(party_size, bool) or not isinstance(party_size, int) or party_size < 1:
        raise ValueError(f"party size must be a whole number of at least 1, got {party_size!r}")
    return party_size


def _md_in(day: date, start: tuple[int, int], end: tuple[int, int]) -> bool:
    """Whether day's month-day lies in [start, end], wrapping over New Year when end < start."""
    md = (day.month, day.day)
    if start <= end:
        return start <= md <= end
    return md >= start or md <= end


def _fmt_md(md: tuple[int, int]) -> str:
    return f"{md[0]:02d}-{md[1]:02d}"


def _hm(value: datetime) -> str:
    return value.strftime("%H:%M")


def _season(mode: Mode, day: date) -> tuple[bool, bool, tuple[Source, ...], Message]:
    """(running, estimated, sources, description) of a mode's season on day."""
    start, end = mode.explicit_range.start, mode.explicit_range.end
    explicit = start <= day and (end is None or day <= end)
    if explicit:
        for window in mode.seasons:
            if window.covers(day):
                start = window.start.isoformat()
                if window.end is None:
                    text = Message("season_open_ended", {"start": start})
                else:
                    text = Message("season_dates", {"start": start, "end": window.end.isoformat()})
                return True, window.estimated, window.sources, text
        return False, False, (), Message("season_none_dated")
    for typical in mode.typical:
        if _md_in(day, typical.start, typical.end):
            period = f"{_fmt_md(typical.start)} – {_fmt_md(typical.end)}"
            text = Message("season_typical", {"periods": period})
            return True, True, mode.typical_sources, text
    periods = ", ".join(f"{_fmt_md(t.start)} – {_fmt_md(t.end)}" for t in mode.typical) or "—"
    return False, True, mode.typical_sources, Message("season_typical", {"periods": periods})


@lru_cache(maxsize=64)
def _spring_festival_first_day(year: int) -> date | None:
    """First day of the Spring Festival in *year*, from the holidays package (lunar calendar)."""
    calendar = holidays.country_holidays("CN", years=year, language="en_US")
    days = [
        day
        for day, name in calendar.items()
        if "Spring Festival" in name and "observed" not in name and day.year == year
    ]
    return min(days) if days else None


HOLIDAY_LANGUAGES = {"zh": "zh_CN", "ru": "ru", "en": "en_US"}
# The holidays package names China's holidays in Chinese and English only: their Russian names.
CN_HOLIDAYS_RU = {
    "New Year's Day": "Новый год",
    "Chinese New Year's Eve": "канун китайского Нового года",
    "Chinese New Year (Spring Festival)": "Праздник весны (китайский Новый год)",
    "Tomb-Sweeping Day": "Цинмин (день поминовения предков)",
    "Labor Day": "День труда",
    "Dragon Boat Festival": "Праздник драконьих лодок",
    "Mid-Autumn Festival": "Праздник середины осени",
    "National Day": "День образования КНР",
}


def _russian_name(english: str) -> str:
    """A Chinese holiday's English name (as the holidays package writes it) in Russian."""
    if english.startswith("Day off (substituted from "):
        day = english.removeprefix("Day off (substituted from ").rstrip(")")
        month, dom, year = day.split("/")
        return f"перенесённый выходной (за {dom}.{month}.{year})"
    observed = english.endswith(" (observed)")
    base = english.removesuffix(" (observed)")
    words = "; ".join(CN_HOLIDAYS_RU.get(part, part) for part in base.split("; "))
    return f"{words} (перенесённый)" if observed else words


@lru_cache(maxsize=256)
def _holiday_names(country: str, day: date, lang: str = "en") -> tuple[str, ...]:
    """The holidays' names on *day*, in *lang* where the holidays package has it, else English."""
    language = HOLIDAY_LANGUAGES[lang]
    calendar = holidays.country_holidays(country, years=day.year)
    if language not in calendar.supported_languages:
        english = holidays.country_holidays(country, years=day.year, language="en_US")
        names = english.get_list(day)
        return tuple(_russian_name(n) for n in names) if lang == "ru" else tuple(names)
    calendar = holidays.country_holidays(country, years=day.year, language=language)
    return tuple(calendar.get_list(day))


def _holiday_words(country: str, day: date) -> LocalizedName:
    """The names of *day*'s holidays in the three languages, for the reader's choice."""
    joined = {
        lang: ("、" if lang == "zh" else ", ").join(_holiday_names(country, day, lang))
        for lang in HOLIDAY_LANGUAGES
    }
    return LocalizedName(**joined)


def closures_on(point_id: str, day: date, data: CrossingData) -> list[ClosureHit]:
    """Closures of a check-point on its local date."""
    found: list[ClosureHit] = []
    dated_sf_years = set()
    for closure in data.closures.dated:
        if closure.kind == "spring_festival" and point_id in closure.points:
            dated_sf_years.add(closure.start.year)
        if point_id in closure.points and closure.start <= day <= closure.end:
            found.append(
                ClosureHit(closure.reason, closure.start, closure.end, False, closure.kind)
            )
    rule = data.closures.spring_festival
    if point_id in rule.points and day.year not in dated_sf_years and rule.days:
        first = _spring_festival_first_day(day.year)
        if first is not None:
            start = first + timedelta(days=rule.first_offset_days)
            end = start + timedelta(days=rule.days - 1)
            if start <= day <= end:
                found.append(ClosureHit(None, start, end, True, "spring_festival"))
    return found


def group_extra_minutes(party_size: int, data: CrossingData | None = None) -> int:
    """Extra minutes an organised group of *party_size* needs at the check-point (an estimate of
    data/crossing.json, `checkpoint_minutes.group`): its report time is this much earlier."""
    group = (data or load_crossing_data()).checkpoint_minutes.group
    return group.extra(_check_party(party_size)) if group else 0


def _closure_reason(mode_id: str, closure: ClosureHit) -> Message:
    params = {
        "mode": mode_id,
        "reason": closure.reason,
        "start": closure.start.isoformat(),
        "end": closure.end.isoformat(),
        "estimated": closure.estimated,
    }
    if closure.kind == NOTICE_KIND:
        return Message("notice_suspension", params)
    if closure.kind != "spring_festival":
        return Message("checkpoint_closed", params)
    return Message("holiday_closure_estimated" if closure.estimated else "holiday_closure", params)


INDICATIVE_STATUSES = frozenset({"derived", "estimated", "ambiguous"})


def timetable_indicative(table: Timetable, year: int) -> bool:
    """Whether departures of *table* in *year* are only indicative ("about 10:00").

    True when the times were derived (mirrored), estimated or reinterpreted (ambiguous), when
    the data flags them as doubtful, or when the timetable is from an earlier year than *year*.
    """
    return bool(table.status in INDICATIVE_STATUSES or table.indicative or table.as_of < year)


def _hhmm(minute: int) -> str:
    """Minutes after midnight as a clock time; 1440 is 24:00, as the data writes it."""
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _hours_for(data: CrossingData, point_id: str, mode_id: str) -> PortHours | None:
    for hours in data.port_hours:
        if hours.point == point_id and (not hours.modes or mode_id in hours.modes):
            return hours
    return None


def _day_options(
    data: CrossingData,
    frm: str,
    day: date,
    nationality: Nationality,
    party_size: int,
    entry_permits: tuple[Nationality, ...],
    reasons: list[Message],
) -> list[CrossingOption]:
    """Every departure from *frm* on its local *day*, with reasons for the modes that have none."""
    to = other_city(frm)
    dep_zone, arr_zone = city_zone(frm), city_zone(to)
    country_in = CITY_COUNTRY[to]
    entry = entry_decision(country_in, nationality, day, party_size, entry_permits, data)
    if entry.reason is not None:
        reasons.append(entry.reason)
        return []
    cm = data.checkpoint_minutes
    options: list[CrossingOption] = []
    for mode_id, mode in data.modes.items():
        if not mode.in_service:
            reasons.append(Message("mode_not_in_service", {"mode": mode_id, "status": mode.status}))
            continue
        running, season_estimated, season_sources, season = _season(mode, day)
        if not running:
            params = {"mode": mode_id, "day": day.isoformat(), "season": season}
            reasons.append(Message("mode_not_running", params))
            continue
        table = mode.timetables[frm]
        departures = table.departures
        if table.status == "unknown" or not departures:
            params = {"mode": mode_id, "city": frm, "note": table.note or Message("verify")}
            reasons.append(Message("timetable_unknown", params))
            continue
        dep_cp, arr_cp = mode.checkpoints[frm], mode.checkpoints[to]
        # A crossing notice may suspend the mode itself (its closure names the mode's id).
        closed = closures_on(dep_cp, day, data) or closures_on(mode_id, day, data)
        if closed:
            reasons.append(_closure_reason(mode_id, closed[0]))
            continue
        ride = mode.ride
        assert ride is not None  # a mode in service always has one (validated)
        if ride.includes_checkpoints:
            exit_min = entry_min = 0
        else:
            exit_min, entry_min = cm.side(frm).exit, cm.side(to).entry
        # A check-point's hours bound the departures only where the mode leaves from it (the
        # bridge bus leaves from a bus station and reaches Kani-Kurgan later); an estimate of
        # them is said on every departure through that check-point.
        checkpoint_hours = _hours_for(data, dep_cp, mode_id)
        hours = checkpoint_hours if mode.points[frm] == dep_cp else None
        fare = mode.fares[frm]
        indicative = timetable_indicative(table, day.year)
        for departure in departures:
            minute = departure.hour * 60 + departure.minute
            if hours and not hours.open <= minute <= hours.close:
                continue
            depart = datetime.combine(day, departure, tzinfo=dep_zone)
            report_by = depart - timedelta(minutes=exit_min + data.buffer_minutes)
            arrive = (depart + timedelta(minutes=ride.minutes + entry_min)).astimezone(arr_zone)
            arrival_closed = closures_on(arr_cp, arrive.date(), data)
            if arrival_closed:
                reasons.append(_closure_reason(mode_id, arrival_closed[0]))
                continue
            warnings: list[Message] = []
            groups: list[tuple[Source, ...]] = [season_sources, table.sources, ride.sources]
            if season_estimated:
                params = {"mode": mode_id, "season": season, "year": day.year}
                warnings.append(Message("season_estimated", params))
            if table.status != "published":
                params = {"status": table.status, "note": table.note}
                warnings.append(Message("timetable_status", params))
            if table.as_of < day.year:
                params = {"year": day.year, "as_of": table.as_of}
                warnings.append(Message("timetable_from_year", params))
            if table.indicative and table.status == "published":
                warnings.append(Message("timetable_indicative", {"note": table.note}))
            if ride.estimated:
                warnings.append(Message("ride_estimated", {"note": ride.note}))
            if not ride.includes_checkpoints:
                groups.append(cm.sources)
                if cm.estimated:
                    params = {"exit": exit_min, "entry": entry_min}
                    warnings.append(Message("checkpoint_minutes_estimated", params))
            if checkpoint_hours is not None:
                groups.append(checkpoint_hours.sources)
                if checkpoint_hours.estimated:
                    params = {
                        "open": _hhmm(checkpoint_hours.open),
                        "close": _hhmm(checkpoint_hours.close),
                    }
                    warnings.append(Message("port_hours_estimated", params))
            if fare.amount is None:
                warnings.append(Message("fare_unknown", {"note": fare.note or ""}))
            groups.append(fare.sources)
            if mode_id in data.ice_risk.modes:
                for period in data.ice_risk.periods:
                    if _md_in(day, period.start, period.end):
                        params = {
                            "period": period.label,
                            "start": _fmt_md(period.start),
                            "end": _fmt_md(period.end),
                            "text": data.ice_risk.text,
                        }
                        warnings.append(Message("ice_risk", params))
                        groups.append(data.ice_risk.sources)
            for note in mode.notes:
                warnings.append(data_note(note.text))
                groups.append(note.sources)
            for country, note in data.holiday_notes.items():
                names = _holiday_names(country, day)
                if any(wanted in name for name in names for wanted in note.names):
                    params = {"holidays": _holiday_words(country, day), "text": note.text}
                    warnings.append(Message("holiday_note", params))
                    groups.append(note.sources)
            warnings.extend(entry.warnings)
            groups.append(entry.sources)
            if country_in in data.customs:
                warnings.append(data_note(data.customs[country_in].text))
                groups.append(data.customs[country_in].sources)
            options.append(
                CrossingOption(
                    mode=mode_id,
                    mode_name=mode.name,
                    depart=depart,
                    arrive=arrive,
                    report_by=report_by,
                    minutes=int((arrive - report_by).total_seconds() // 60),
                    fare=fare,
                    from_point=data.point(mode.points[frm]),
                    to_point=data.point(mode.points[to]),
                    documents=entry.documents,
                    warnings=tuple(warnings),
                    sources=unique_sources(groups),
                    entry_rule=entry.rule_id,
                    estimated=bool(
                        season_estimated
                        or table.status != "published"
                        or ride.estimated
                        or (cm.estimated and not ride.includes_checkpoints)
                    ),
                    indicative=indicative,
                    entry_basis=entry.basis,
                )
            )
    options.sort(key=lambda o: (o.depart, o.mode))
    if options:
        last = options[-1]
        params = {"city": frm, "mode": last.mode, "time": _hm(last.depart)}
        options[-1] = _with_warning(last, Message("last_crossing_of_day", params))
    return options


def _with_warning(option: CrossingOption, warning: Message) -> CrossingOption:
    return replace(option, warnings=(warning, *option.warnings))


def _dedupe(items: Iterable[Message]) -> tuple[Message, ...]:
    return tuple(dict.fromkeys(items))


def last_return_option(
    city_abroad: str,
    day: date,
    nationality: Nationality,
    party_size: int = 1,
    *,
    entry_permits: Iterable[Nationality] = (),
    data: CrossingData | None = None,
) -> CrossingOption | None:
    """The last crossing home from *city_abroad* on its local *day*, or None if there is none."""
    _check_city(city_abroad, "city_abroad")
    require_nationality(nationality)
    _check_party(party_size)
    data = data or load_crossing_data()
    options = _day_options(
        data, city_abroad, day, nationality, party_size, tuple(entry_permits), []
    )
    return options[-1] if options else None


def last_safe_return(
    city_abroad: str,
    day: date,
    nationality: Nationality,
    party_size: int = 1,
    *,
    entry_permits: Iterable[Nationality] = (),
    data: CrossingData | None = None,
) -> datetime | None:
    """The deadline abroad: be at the port of the last crossing home by this time.

    Parameters: *city_abroad* is the city id where the traveller is; *day*
    its local date; *nationality* and *entry_permits* codes from normalize_nationality().
    Returns the `report_by` of that day's last crossing back (exit control and the buffer
    included), in the zone of *city_abroad*, or None when no crossing back runs that day
    (closed, or entry home not permitted): the plan must then stay overnight.
    """
    option = last_return_option(
        city_abroad, day, nationality, party_size, entry_permits=entry_permits, data=data
    )
    return option.report_by if option else None


def crossing_options(
    direction_from: str,
    after: datetime,
    nationality: Nationality,
    party_size: int = 1,
    limit: int = 10,
    data: CrossingData | None = None,
    *,
    until: datetime | None = None,
    entry_permits: Iterable[Nationality] = (),
) -> CrossingAnswer:
    """The feasible crossings from *direction_from* departing at or after *after*, in time order.

    Parameters: *direction_from* a city id of the region; *after* an aware datetime;
    *nationality* an upper-case ISO 3166-1 alpha-2 code from normalize_nationality() (CN and RU
    have their own rules, every other code is "other"); *party_size* >= 1 (5-50 opens the group
    visa-free tours); *limit* the most options returned; *until* the end of the window (default:
    the end of the day after *after*'s local day, so a request after the last departure shows
    the next morning); *entry_permits* the countries the traveller holds a visa for (codes too).
    Returns a CrossingAnswer: options, `last_return` (the deadline to come back on the day of
    arrival, see last_safe_return) and reasons (Message codes) when there is no option or fewer.
    Raises ValueError for a naive datetime, an unknown city, a code that is not an upper-case
    ISO alpha-2 code, a bad party size.
    """
    frm = _check_city(direction_from, "direction_from")
    require_aware(after, "after")
    require_nationality(nationality)
    _check_party(party_size)
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise ValueError(f"limit must be a whole number of at least 1, got {limit!r}")
    permits = tuple(require_nationality(c, "visa country") for c in entry_permits)
    data = data or load_crossing_data()
    to = other_city(frm)
    dep_zone = city_zone(frm)
    start_local = after.astimezone(dep_zone)
    if until is None:
        until = datetime.combine(start_local.date() + timedelta(days=2), time(0), tzinfo=dep_zone)
    else:
        require_aware(until, "until")
        if until <= after:
            raise ValueError("until must be later than after")
    first_day = start_local.date()
    last_day = (until - timedelta(microseconds=1)).astimezone(dep_zone).date()

    reasons: list[Message] = []
    options: list[CrossingOption] = []
    day = first_day
    while day <= last_day:
        day_reasons: list[Message] = []
        day_options = _day_options(data, frm, day, nationality, party_size, permits, day_reasons)
        # Mode-by-mode reasons matter for the requested day; later days add only closures/entry.
        if day == first_day:
            reasons.extend(day_reasons)
        else:
            has_entry = any(r.code == ENTRY_CODE for r in reasons)
            reasons.extend(
                r
                for r in day_reasons
                if r.code in CLOSURE_CODES or (r.code == ENTRY_CODE and not has_entry)
            )
        kept = [o for o in day_options if after <= o.depart < until]
        if day == first_day and day_options and not kept:
            last = day_options[-1]
            params = {
                "city": frm,
                "day": day.isoformat(),
                "after": _hm(start_local),
                "last_mode": last.mode,
                "last_time": _hm(last.depart),
            }
            reasons.append(Message("no_more_crossings_today", params))
        options.extend(kept)
        day += timedelta(days=1)
    options.sort(key=lambda o: (o.depart, o.mode))
    options = options[:limit]

    returns: dict[date, datetime | None] = {}

    def return_deadline(arrival_day: date) -> datetime | None:
        if arrival_day not in returns:
            returns[arrival_day] = last_safe_return(
                to, arrival_day, nationality, party_size, entry_permits=permits, data=data
            )
        return returns[arrival_day]

    checked: list[CrossingOption] = []
    for option in options:
        deadline = return_deadline(option.arrive.date())
        if deadline is None:
            params = {"city": to, "day": option.arrive.date().isoformat()}
            option = _with_warning(option, Message("no_return_that_day", params))
        elif option.arrive > deadline:
            params = {"city": to, "time": _hm(deadline)}
            option = _with_warning(option, Message("arrives_after_last_return", params))
        checked.append(option)

    # The deadline to come back is that of the day of arrival; with no way out there is no
    # arrival, and a return time would contradict "no crossing" (the return side may run).
    last_return = return_deadline(checked[0].arrive.date()) if checked else None
    if not checked:
        params = {
            "city": frm,
            "after": after.isoformat(timespec="minutes"),
            "until": until.isoformat(timespec="minutes"),
        }
        reasons.append(Message("no_crossing_in_window", params))
    return CrossingAnswer(
        direction_from=frm,
        direction_to=to,
        after=after,
        until=until,
        nationality=nationality,
        party_size=party_size,
        options=tuple(checked),
        last_return=last_return,
        reasons=_dedupe(reasons),
    )


def options_on_day(
    direction_from: str,
    day: date,
    nationality: Nationality,
    party_size: int = 1,
    data: CrossingData | None = None,
    *,
    entry_permits: Iterable[Nationality] = (),
) -> CrossingAnswer:
    """All crossings on one local day of the departure side (what a day planner iterates over)."""
    zone = city_zone(_check_city(direction_from, "direction_from"))
    start = datetime.combine(day, time(0), tzinfo=zone)
    return crossing_options(
        direction_from,
        start,
        nationality,
        party_size,
        limit=1000,
        data=data,
        until=start + timedelta(days=1),
        entry_permits=entry_permits,
    )
