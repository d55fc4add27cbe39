"""How the validator walks a plan: spots, steps and days, recomputed legs and helpers.

Shared by the checks (checks.py) and the margins (__init__.py); independent of the planner's
own helpers (only the constants of planner.planning.rules are read).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from astral import Observer
from astral.sun import sun

from planner import crossing as border
from planner import hours, region
from planner.catalogue import Catalogue
from planner.model import Attraction, LatLon
from planner.planning import rules
from planner.timeutil import city_zone
from planner.travel import Party, leg_matrix
from planner.trip import Crossing, DayPlan, Item, Itinerary, Leg, Meal, TripRequest, Visit

# Where a hotel is when the request names none: each city's centre, read from the region's data
# (data/region.json) rather than from the planner's own tables.
DEFAULT_HOTELS: region.CityMap[LatLon] = region.CityMap(lambda c: c.centre.latlon())
LAST_CROSSING_NOTICE = "last_crossing_used"  # the red notice a day on the last departure carries
LAST_MOVE_NOTICE = "last_crossing_move"  # the same, on a day that moves to the other bank
LAST_RUN_NOTICE = "last_run_back"  # the amber notice of a day back on the last (ship, bus) run
# Where a missed last run strands a traveller for days (freeze-up hovercraft, the ice road);
# elsewhere the last run back is kept with this much in hand at the port.
STRANDING_MODES = frozenset({"hovercraft", "pontoon_bus"})
LAST_RUN_CUSHION = timedelta(minutes=60)
ARRIVAL_NIGHT_NOTICE = "arrival_night_hotel"  # arrived in the night: the day starts at the hotel
NIGHTS_NOTICE = "nights_on_local_calendar"  # nights realigned to the local dates
FIRST_NIGHT_NOTICE = "first_night_where_arrived"  # the first night moved to where one lands
ROUNDING = timedelta(minutes=1)  # legs are whole minutes; sunrise and sunset are to the minute
_MINUTE = timedelta(minutes=1)


@dataclass(frozen=True)
class Violation:
    """One broken rule: which, on which day (None: the whole trip), and what exactly."""

    rule: str
    day: date | None
    detail: str


# --------------------------------------------------------------------------- small helpers


def _hm(value: datetime) -> str:
    return value.isoformat(timespec="minutes")


def _aware(value: object) -> bool:
    return isinstance(value, datetime) and value.utcoffset() is not None


def _local_day(value: datetime, city: str) -> date:
    return value.astimezone(city_zone(city)).date()


def _at(day: date, clock: time, city: str) -> datetime:
    return datetime.combine(day, clock, tzinfo=city_zone(city))


@lru_cache(maxsize=8192)
def _travel_seconds(
    a: LatLon, b: LatLon, modes: tuple[str, ...], party: Party | None = None
) -> int:
    """Fastest time from a to b with *modes* as *party* takes them (a group's chartered vehicle,
    its walking pace), by planner.travel (no rounding, no minimum, no position uncertainty)."""
    if (a.lat, a.lon) == (b.lat, b.lon):
        return 0
    return int(leg_matrix([a, b], modes, party).seconds[0, 1])


@region.on_region_change
def _clear_caches() -> None:
    _departures.cache_clear()
    _travel_seconds.cache_clear()


@lru_cache(maxsize=1024)
def _departures(
    city: str, day: date, nationality: str, party: int, visas: tuple[str, ...]
) -> tuple[border.CrossingOption, ...]:
    answer = border.options_on_day(city, day, nationality, party_size=party, entry_permits=visas)
    return answer.options


@lru_cache(maxsize=2048)
def _sun(lat: float, lon: float, day: date, zone: str) -> tuple[datetime, datetime]:
    times = sun(Observer(latitude=lat, longitude=lon), date=day, tzinfo=ZoneInfo(zone))
    return times["sunrise"], times["sunset"]


def _party(req: TripRequest) -> int:
    # Group regimes are for organised tours only (the planner asks the border the same way).
    return req.party_size if req.group_tour else 1


def _nationality(req: TripRequest) -> tuple[str, tuple[str, ...]]:
    return (
        border.normalize_nationality(req.nationality),
        tuple(border.normalize_nationality(v) for v in req.visas),
    )


def _open_periods(place: Attraction, day: date) -> tuple[list[tuple[datetime, datetime]], bool]:
    """The place's open periods on its local *day*; True when they are the assumed hours."""
    known = hours.open_intervals(place, day)
    if known is not None:
        return known, False
    assumed = rules.OUTDOOR_CATEGORIES.get(place.category, rules.UNKNOWN_HOURS)
    lo_t, hi_t = rules.EVENING_CATEGORIES.get(place.category, assumed)
    lo, hi = _at(day, lo_t, place.city), _at(day, hi_t, place.city)
    if hi <= lo:
        hi += timedelta(days=1)
    return [(lo, hi)], True


def _needs_daylight(place: Attraction, day: date) -> bool:
    return (
        place.indoor is False
        and day.month in rules.WINTER_MONTHS
        and place.category not in rules.EVENING_CATEGORIES
        and place.opening_hours in (None, "24/7")
    )


# --------------------------------------------------------------------------- walking a day


@dataclass(frozen=True)
class _Spot:
    """Where the traveller is: a catalogue place, a crossing point or a hotel (id, point)."""

    key: str
    location: LatLon | None
    catalogue: bool = False  # a catalogue place: two of them never share a zero leg


@dataclass(frozen=True)
class _Step:
    """One item of a day with what it is measured by."""

    item: Item
    bank: str  # the bank the traveller is on when the item begins
    start: datetime  # visit arrive, meal start, crossing report_by
    end: datetime  # visit depart, meal end, crossing arrival on the other bank
    leg: Leg | None  # on `bank`, by the traveller's modes there
    origin: _Spot  # where the leg begins
    spot: _Spot  # where the item happens (for a crossing: its departure terminal)
    after: _Spot  # where the traveller is when it ends


@dataclass(frozen=True)
class _Day:
    plan: DayPlan
    index: int
    begin: _Spot
    finish: _Spot
    steps: tuple[_Step, ...]
    bank_end: str  # the bank after the day's last crossing


def _hotel(req: TripRequest, city: str) -> _Spot:
    return _Spot(f"hotel:{city}", dict(req.hotels).get(city, DEFAULT_HOTELS[city]))


def _place_spot(place: Attraction) -> _Spot:
    return _Spot(f"place:{place.id}", place.location, catalogue=True)


def _named_spot(cat: Catalogue, pid: str | None, req: TripRequest, city: str) -> _Spot:
    # An arrival or departure point is where the trip begins or ends, not a place visited:
    # like a hotel, it may share its point with a place (the old station building).
    if pid is not None and pid in cat:
        return _Spot(f"place:{pid}", cat.get(pid).location)
    return _hotel(req, city)


def _walk(plan: Itinerary, cat: Catalogue) -> list[_Day]:
    req, last = plan.request, len(plan.days) - 1
    out = []
    for n, day in enumerate(plan.days):
        night = n == 0 and any(w.message.code == ARRIVAL_NIGHT_NOTICE for w in day.warnings)
        arrival = req.arrive_place if n == 0 and not night else None  # else from the hotel
        begin = _named_spot(cat, arrival, req, day.city_start)
        finish = _named_spot(cat, req.depart_place if n == last else None, req, day.city_end)
        bank, where, steps = day.city_start, begin, []
        for k, item in enumerate(day.items):
            if isinstance(item, Visit):
                spot = _place_spot(item.attraction)
                step = _Step(item, bank, item.arrive, item.depart, item.leg, where, spot, spot)
            elif isinstance(item, Meal):
                if item.place is not None:
                    spot = _place_spot(item.place)
                elif item.near == "last_stop" or not (item.leg and item.leg.minutes):
                    spot = where  # eaten where the traveller is (the last stop, hotel or port)
                else:  # eaten near where the traveller goes next
                    spot = _next_spot(day.items[k + 1 :], finish)
                step = _Step(item, bank, item.start, item.end, item.leg, where, spot, spot)
            else:
                opt = item.option
                frm = _Spot(f"point:{opt.from_point.id}", opt.from_point.location)
                to = _Spot(f"point:{opt.to_point.id}", opt.to_point.location)
                step = _Step(item, bank, opt.report_by, opt.arrive, item.leg, where, frm, to)
                bank = opt.to_point.city
            steps.append(step)
            where = step.after
        out.append(_Day(day, n, begin, finish, tuple(steps), bank))
    return out


def _next_spot(rest: tuple[Item, ...], finish: _Spot) -> _Spot:
    """Where the traveller goes after a meal eaten near it: the next crossing's terminal, or
    where the day ends."""
    for item in rest:
        if isinstance(item, Crossing):
            point = item.option.from_point
            return _Spot(f"point:{point.id}", point.location)
    return finish


def _distinct(a: _Spot, b: _Spot) -> bool:
    """Two different places: different points, or two catalogue places sharing one point."""
    if a.key == b.key:
        return False
    if a.location is None or b.location is None:
        return True
    if (a.location.lat, a.location.lon) != (b.location.lat, b.location.lon):
        return True
    return a.catalogue and b.catalogue


def _leg_problems(
    req: TripRequest, leg: Leg | None, origin: _Spot, target: _Spot, city: str
) -> list[str]:
    """What is wrong with the leg from *origin* to *target* on *city*'s bank, in words."""
    if not _distinct(origin, target):
        return []
    what = f"{origin.key} -> {target.key}"
    if leg is None:
        return [f"no leg from {what}"]
    problems = []
    if leg.minutes * 60 < rules.MIN_LEG_S:
        problems.append(f"leg {what} is {leg.minutes} min, under {rules.MIN_LEG_S // 60} min")
    if origin.location is not None and target.location is not None:
        party = Party(req.party_size, req.group_tour)
        need = _travel_seconds(origin.location, target.location, req.modes_in(city), party)
        if leg.minutes < need / 60 - 1:
            problems.append(
                f"leg {what} is {leg.minutes} min; it takes {math.ceil(need / 60)} min by "
                f"{'/'.join(req.modes_in(city))} in {city}"
            )
    return problems


def _minutes(leg: Leg | None) -> timedelta:
    return timedelta(minutes=leg.minutes if leg is not None else 0)


def _label(item: Item) -> str:
    if isinstance(item, Visit):
        return f"visit {item.attraction.id}"
    if isinstance(item, Meal):
        return f"{item.kind}" + (f" at {item.place.id}" if item.place else "")
    return f"crossing {item.option.mode} {item.direction_from} {item.option.depart:%H:%M}"


# --------------------------------------------------------------------------- the rules
# Each check takes the plan and the catalogue and returns its violations (empty: all kept).


class _Found(list[Violation]):
    def add(self, rule: str, day: date | None, detail: str) -> None:
        self.append(Violation(rule, day, detail))


def _datetimes(plan: Itinerary) -> Iterator[tuple[date | None, str, object, str | None]]:
    """Every datetime of the plan: (day, what, value, the city whose clock shows it or None)."""
    req = plan.request
    yield None, "request arrive", req.arrive, None
    yield None, "request depart", req.depart, None
    for day in plan.days:
        yield day.date, "day start", day.start, None
        yield day.date, "day end", day.end, None
        if day.leave_at is not None:
            yield day.date, "day leave_at", day.leave_at, None
        for item in day.items:
            label = _label(item)
            if isinstance(item, Visit):
                yield day.date, f"{label} arrive", item.arrive, item.attraction.city
                yield day.date, f"{label} depart", item.depart, item.attraction.city
            elif isinstance(item, Meal):
                yield day.date, f"{label} start", item.start, item.city
                yield day.date, f"{label} end", item.end, item.city
            else:
                opt = item.option
                yield day.date, f"{label} report_by", opt.report_by, opt.from_point.city
                yield day.date, f"{label} depart", opt.depart, opt.from_point.city
                yield day.date, f"{label} arrive", opt.arrive, opt.to_point.city
                if item.back_by is not None:
                    yield day.date, f"{label} back_by", item.back_by, None
