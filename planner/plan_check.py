"""An independent check of a plan's hard rules (issue #8), and the margins a plan keeps.

The planner enforces these rules inside its model; this module checks them again from the
outside, recomputing legs (planner.travel), opening hours (planner.hours), sunrise and sunset
(astral) and the border's departures (planner.crossing) itself. It reads only the constants of
planner.planning.rules, never the planner's own helpers, so a bug there cannot hide here.
Pure Python (no Flask); the property tests and bench/plan.py use it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from astral import Observer
from astral.sun import sun

from planner import crossing as border
from planner import hours
from planner.catalogue import Catalogue, load_catalogue
from planner.model import Attraction, LatLon
from planner.planning import rules
from planner.timeutil import CITY_TZ, city_zone, other_city
from planner.travel import leg_matrix
from planner.trip import Crossing, DayPlan, Item, Itinerary, Leg, Meal, TripRequest, Visit

# Where a hotel is when the request names none: the city centres the planner documents
# (Heihe centre per ru.wikipedia; Blagoveshchensk: Lenin Square). Restated here on purpose.
DEFAULT_HOTELS: dict[str, LatLon] = {
    "heihe": LatLon(50.245, 127.48167),
    "blagoveshchensk": LatLon(50.25732, 127.53458),
}
LAST_CROSSING_NOTICE = "last_crossing_used"  # the red notice a day on the last departure carries
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
def _travel_seconds(a: LatLon, b: LatLon, modes: tuple[str, ...]) -> int:
    """Fastest time from a to b with *modes*, by planner.travel (no rounding, no minimum)."""
    if (a.lat, a.lon) == (b.lat, b.lon):
        return 0
    return int(leg_matrix([a, b], modes).seconds[0, 1])


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
    lo_t, hi_t = rules.EVENING_CATEGORIES.get(place.category, rules.UNKNOWN_HOURS)
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
        begin = _named_spot(cat, req.arrive_place if n == 0 else None, req, day.city_start)
        finish = _named_spot(cat, req.depart_place if n == last else None, req, day.city_end)
        bank, where, steps = day.city_start, begin, []
        for item in day.items:
            if isinstance(item, Visit):
                spot = _place_spot(item.attraction)
                step = _Step(item, bank, item.arrive, item.depart, item.leg, where, spot, spot)
            elif isinstance(item, Meal):
                spot = where if item.place is None else _place_spot(item.place)
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
        need = _travel_seconds(origin.location, target.location, req.modes_in(city))
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


def check_clocks(plan: Itinerary, cat: Catalogue) -> list[Violation]:
    """Rule 1: every datetime is aware; visits, meals and crossings on their own city's clock."""
    out = _Found()
    for day, what, value, city in _datetimes(plan):
        if not _aware(value):
            out.add("aware", day, f"{what} is not timezone-aware: {value!r}")
        elif city in CITY_TZ:
            assert isinstance(value, datetime)
            zone = CITY_TZ[city]
            if value.utcoffset() != value.astimezone(zone).utcoffset():
                out.add("clock", day, f"{what} {_hm(value)} is not on {city}'s clock")
            elif getattr(value.tzinfo, "key", None) != zone.key:
                out.add("clock", day, f"{what} is in zone {value.tzinfo}, not {zone.key}")
    return out


def check_order_and_legs(plan: Itinerary, cat: Catalogue) -> list[Violation]:
    """Rule 2: items in time order, each reached by a long enough leg, the day's end kept."""
    req, out = plan.request, _Found()
    for wd in _walk(plan, cat):
        day, d = wd.plan, wd.plan.date
        clock = day.leave_at or day.start
        if day.leave_at is not None and day.leave_at < day.start:
            out.add("order", d, f"leaves {_hm(day.leave_at)} before the day starts")
        for n, step in enumerate(wd.steps):
            label = _label(step.item)
            if step.end < step.start:
                out.add("order", d, f"{label} ends before it begins")
            for problem in _leg_problems(req, step.leg, step.origin, step.spot, step.bank):
                out.add("leg", d, f"{label}: {problem}")
            if (
                isinstance(step.item, Meal)
                and step.item.place is None
                and step.leg
                and step.leg.minutes
            ):
                # Eaten where the traveller is: a way there leads to a place the plan never names.
                out.add("leg", d, f"{label} near the last stop has a {step.leg.minutes} min leg")
            if step.start < clock + _minutes(step.leg):
                after = "leaving" if n == 0 else "the item before"
                out.add(
                    "order",
                    d,
                    f"{label} begins {_hm(step.start)}, before {after} ({_hm(clock)}) "
                    f"+ its {_minutes(step.leg) // _MINUTE} min leg",
                )
            clock = step.end
        where = wd.steps[-1].after if wd.steps else wd.begin
        for problem in _leg_problems(req, day.end_leg, where, wd.finish, wd.bank_end):
            out.add("leg", d, f"end of day: {problem}")
        if wd.steps and clock + _minutes(day.end_leg) > day.end:
            out.add(
                "order",
                d,
                f"the last item ends {_hm(clock)}: with the {_minutes(day.end_leg) // _MINUTE} "
                f"min way to {wd.finish.key} that is after the day's end {_hm(day.end)}",
            )
    return out


def check_arrival(plan: Itinerary, cat: Catalogue) -> list[Violation]:
    """Rule 3: nothing happens before the traveller arrives."""
    req, out = plan.request, _Found()
    for wd in _walk(plan, cat):
        d = wd.plan.date
        if wd.index == 0 and wd.plan.leave_at is not None and wd.plan.leave_at < req.arrive:
            out.add("arrival", d, f"leaves {_hm(wd.plan.leave_at)} before arriving")
        for n, step in enumerate(wd.steps):
            lead = _minutes(step.leg) if n == 0 and wd.index == 0 else timedelta(0)
            if step.start < req.arrive + lead:
                out.add(
                    "arrival",
                    d,
                    f"{_label(step.item)} begins {_hm(step.start)}, before the arrival "
                    f"{_hm(req.arrive)}" + (" + its leg" if lead else ""),
                )
    return out


def depart_margin(req: TripRequest, cat: Catalogue) -> timedelta:
    """How early the traveller must be at the departure point (by its category)."""
    minutes = rules.DEFAULT_DEPART_MARGIN_MIN
    if req.depart_place is not None and req.depart_place in cat:
        category = cat.get(req.depart_place).category
        minutes = rules.DEPART_MARGIN_MIN.get(category, rules.DEFAULT_DEPART_MARGIN_MIN)
    return timedelta(minutes=minutes)


def check_departure(plan: Itinerary, cat: Catalogue) -> list[Violation]:
    """Rule 4: at the departure point with the margin its category needs."""
    req, out = plan.request, _Found()
    margin = depart_margin(req, cat)
    latest = req.depart - margin
    walked = _walk(plan, cat)
    for wd in walked:
        for step in wd.steps:
            if step.end > latest:
                out.add(
                    "departure",
                    wd.plan.date,
                    f"{_label(step.item)} ends {_hm(step.end)}, after {_hm(latest)} "
                    f"(departure {_hm(req.depart)} less {margin // _MINUTE} min)",
                )
    if walked and walked[-1].steps:
        last = walked[-1]
        at = last.steps[-1].end + _minutes(last.plan.end_leg)
        if at > latest:
            out.add(
                "departure",
                last.plan.date,
                f"reaches {last.finish.key} at {_hm(at)}, after {_hm(latest)} "
                f"({margin // _MINUTE} min before the departure {_hm(req.depart)})",
            )
    return out


def check_banks(plan: Itinerary, cat: Catalogue) -> list[Violation]:
    """Rule 5: crossings from the bank the traveller is on; everything else on that bank."""
    req, out = plan.request, _Found()
    walked = _walk(plan, cat)
    for wd in walked:
        d = wd.plan.date
        for n, step in enumerate(wd.steps):
            item, label = step.item, _label(step.item)
            if isinstance(item, Visit | Meal):
                city = item.attraction.city if isinstance(item, Visit) else item.city
                if city != step.bank:
                    out.add("bank", d, f"{label} is in {city}, the traveller in {step.bank}")
                continue
            opt = item.option
            if item.direction_from != step.bank or opt.from_point.city != step.bank:
                out.add("bank", d, f"{label} leaves {opt.from_point.city}, not {step.bank}")
            if opt.to_point.city != other_city(opt.from_point.city):
                out.add("bank", d, f"{label} does not cross the river")
            if not opt.report_by <= opt.depart <= opt.arrive:
                out.add("crossing", d, f"{label}: report_by, depart, arrive out of order")
            if n + 1 < len(wd.steps) and wd.steps[n + 1].start < opt.arrive:
                nxt = _label(wd.steps[n + 1].item)
                out.add("crossing", d, f"{nxt} begins before {label} arrives {_hm(opt.arrive)}")
        if wd.bank_end != wd.plan.city_end:
            out.add("bank", d, f"the day ends in {wd.bank_end}, not in {wd.plan.city_end}")
    for prev, nxt in zip(walked, walked[1:], strict=False):
        if prev.plan.city_end != nxt.plan.city_start:
            out.add(
                "bank",
                nxt.plan.date,
                f"starts in {nxt.plan.city_start}, the night before was in {prev.plan.city_end}",
            )
    if walked:
        ends = (
            (req.arrive_place, walked[0].plan.date, walked[0].plan.city_start),
            (req.depart_place, walked[-1].plan.date, walked[-1].plan.city_end),
        )
        for pid, d, city in ends:
            if pid is not None and pid in cat and cat.get(pid).city != city:
                out.add("bank", d, f"{pid} is in {cat.get(pid).city}, the plan has {city}")
        nights = [wd.plan.city_end for wd in walked[:-1]]
        wanted = [req.stay[0]] * len(nights) if len(req.stay) == 1 else list(req.stay)
        if nights != wanted:
            out.add("bank", None, f"nights in {nights}, asked for {list(req.stay)}")
    return out


def check_last_crossings(plan: Itinerary, cat: Catalogue) -> list[Violation]:
    """Rule 6: real departures only; the day's last one back only if allowed, and then in red."""
    req, out = plan.request, _Found()
    nationality, visas = _nationality(req)
    for day in plan.days:
        red = {n.message.code for n in day.warnings if n.severity == "red"}
        for item in day.crossings:
            opt, label, frm = item.option, _label(item), item.option.from_point.city
            options = _departures(frm, _local_day(opt.depart, frm), nationality, _party(req), visas)
            if not any((o.depart, o.mode) == (opt.depart, opt.mode) for o in options):
                out.add(
                    "crossing",
                    day.date,
                    f"{label} is not a departure the border offers "
                    f"({nationality}, party {_party(req)}, visas {list(visas)})",
                )
                continue
            is_last = (options[-1].depart, options[-1].mode) == (opt.depart, opt.mode)
            if item.last_of_day != is_last:
                out.add(
                    "last_crossing",
                    day.date,
                    f"{label}: last_of_day={item.last_of_day}, "
                    f"but it is{'' if is_last else ' not'} the day's last departure",
                )
            if is_last and opt.to_point.city == day.city_start and not req.allow_last_crossing:
                out.add(
                    "last_crossing",
                    day.date,
                    f"{label} is the day's last departure back; the request does not allow it",
                )
            if is_last and LAST_CROSSING_NOTICE not in red:
                out.add(
                    "last_crossing",
                    day.date,
                    f"{label} is the day's last departure, "
                    f"without a red {LAST_CROSSING_NOTICE} notice",
                )
    return out


def check_hours(plan: Itinerary, cat: Catalogue) -> list[Violation]:
    """Rule 7: visits (and meals at a place) in opening hours; outdoors in winter in daylight."""
    out = _Found()
    for day in plan.days:
        for item in day.items:
            if isinstance(item, Visit):
                place, begin, end, rule = item.attraction, item.arrive, item.depart, "hours"
            elif isinstance(item, Meal) and item.place is not None:
                place, begin, end, rule = item.place, item.start, item.end, "meal_hours"
            else:
                continue
            local = _local_day(begin, place.city)
            periods, assumed = _open_periods(place, local)
            if not any(a <= begin and end <= b for a, b in periods):
                shown = ", ".join(f"{a:%H:%M}-{b:%H:%M}" for a, b in periods) or "closed"
                out.add(
                    rule,
                    day.date,
                    f"{_label(item)} {begin:%H:%M}-{end:%H:%M} is outside "
                    f"its {'assumed ' if assumed else ''}hours on {local} ({shown})",
                )
            if isinstance(item, Visit) and _needs_daylight(place, local):
                zone = city_zone(place.city).key
                rise, dusk = _sun(place.location.lat, place.location.lon, local, zone)
                if begin < rise - ROUNDING or end > dusk + ROUNDING:
                    out.add(
                        "daylight",
                        day.date,
                        f"{_label(item)} {begin:%H:%M}-{end:%H:%M} "
                        f"outdoors in winter, daylight {rise:%H:%M}-{dusk:%H:%M}",
                    )
    return out


def check_meals(plan: Itinerary, cat: Catalogue) -> list[Violation]:
    """Rule 8: lunch and dinner inside their windows on the local clock, once each a day."""
    out = _Found()
    for day in plan.days:
        kinds = [m.kind for m in day.meals]
        for kind in sorted(set(kinds)):
            if kinds.count(kind) > 1:
                out.add("meal", day.date, f"{kinds.count(kind)} {kind}s in one day")
        for meal in day.meals:
            if meal.kind not in rules.MEAL_WINDOWS:
                out.add("meal", day.date, f"unknown meal {meal.kind!r}")
                continue
            lo_t, hi_t = rules.MEAL_WINDOWS[meal.kind]
            zone = city_zone(meal.city)
            start, end = meal.start.astimezone(zone), meal.end.astimezone(zone)
            lo, hi = _at(start.date(), lo_t, meal.city), _at(start.date(), hi_t, meal.city)
            if start < lo or end > hi or end < start:
                out.add(
                    "meal",
                    day.date,
                    f"{meal.kind} {start:%H:%M}-{end:%H:%M} in {meal.city} "
                    f"is outside {lo_t:%H:%M}-{hi_t:%H:%M} on its clock",
                )
            if meal.place is not None and meal.place.city != meal.city:
                out.add(
                    "meal",
                    day.date,
                    f"{meal.kind} in {meal.city} at {meal.place.id}, which is in {meal.place.city}",
                )
    return out


def check_places(plan: Itinerary, cat: Catalogue) -> list[Violation]:
    """Rule 9: known positions (or must-see), once a trip, never excluded, in their months."""
    req, out = plan.request, _Found()
    seen: dict[str, date] = {}
    for day in plan.days:
        places = [(i.attraction, "visit") for i in day.stops]
        places += [(m.place, "meal") for m in day.meals if m.place is not None]
        for place, what in places:
            if place.coord_uncertainty_m > rules.POSITION_KNOWN_M and place.id not in req.must_see:
                out.add(
                    "position",
                    day.date,
                    f"{what} at {place.id}, known only to "
                    f"{place.coord_uncertainty_m} m and not must-see",
                )
            if place.id in req.exclude:
                out.add("excluded", day.date, f"{what} at excluded {place.id}")
            if day.date.month not in place.months:
                out.add(
                    "season",
                    day.date,
                    f"{what} at {place.id} in month {day.date.month}, outside {place.months}",
                )
            if what == "visit" and place.id in seen:
                out.add("twice", day.date, f"{place.id} again (first on {seen[place.id]})")
            if what == "visit":
                seen.setdefault(place.id, day.date)
    return out


def check_days(plan: Itinerary, cat: Catalogue) -> list[Violation]:
    """Rule 10: catalogue places, consecutive dates from the arrival, no overlaps."""
    req, out = plan.request, _Found()
    if not plan.days:
        out.add("days", None, "the plan has no days")
        return out
    first = plan.days[0]
    arrival_day = _local_day(req.arrive, first.city_start)
    if first.date != arrival_day:
        out.add("days", first.date, f"the first day is not the arrival's ({arrival_day})")
    for prev, nxt in zip(plan.days, plan.days[1:], strict=False):
        if nxt.date != prev.date + timedelta(days=1):
            out.add("days", nxt.date, f"follows {prev.date}: not consecutive")
        if prev.items and nxt.items and _item_start(nxt.items[0]) < _item_end(prev.items[-1]):
            out.add("overlap", nxt.date, "begins before the day before ends")
    for day in plan.days:
        for place in [i.attraction for i in day.stops] + [m.place for m in day.meals if m.place]:
            if place.id not in cat:
                out.add("catalogue", day.date, f"{place.id} is not in the catalogue")
            elif cat.get(place.id).location != place.location:
                out.add("catalogue", day.date, f"{place.id} is not where the catalogue has it")
        for a, b in zip(day.items, day.items[1:], strict=False):
            if _item_end(a) > _item_start(b):
                out.add("overlap", day.date, f"{_label(a)} and {_label(b)} overlap")
    return out


def _item_start(item: Item) -> datetime:
    if isinstance(item, Visit):
        return item.arrive
    if isinstance(item, Meal):
        return item.start
    return item.option.report_by


def _item_end(item: Item) -> datetime:
    if isinstance(item, Visit):
        return item.depart
    if isinstance(item, Meal):
        return item.end
    return item.option.arrive


CHECKS: tuple[Callable[[Itinerary, Catalogue], list[Violation]], ...] = (
    check_order_and_legs,
    check_arrival,
    check_departure,
    check_banks,
    check_last_crossings,
    check_hours,
    check_meals,
    check_places,
    check_days,
)


def check_plan(plan: Itinerary, catalogue: Catalogue | None = None) -> list[Violation]:
    """Every hard rule a plan keeps, checked from the outside.

    Parameters
    ----------
    plan: an itinerary from plan_trip() (or made by hand).
    catalogue: the catalogue it was planned on; the default one when None.

    Returns
    -------
    The violations, empty when the plan keeps every rule. When a datetime is naive only those
    are reported: nothing else can be compared.
    """
    cat = catalogue or load_catalogue()
    out = check_clocks(plan, cat)
    if any(v.rule == "aware" for v in out):
        return out
    for check in CHECKS:
        out.extend(check(plan, cat))
    return out


# --------------------------------------------------------------------------- margins


@dataclass(frozen=True)
class Margins:
    """How much room a plan keeps, in minutes (None when it has nothing of that kind)."""

    departure: float | None = None  # reaching the departure point, beyond the required margin
    report: float | None = None  # the tightest arrival at a crossing's report time
    closing: float | None = None  # the tightest visit end before its place closes
    legs: list[float] = field(default_factory=list)  # room before each item after its leg


def margins(plan: Itinerary, catalogue: Catalogue | None = None) -> Margins:
    """The room a plan keeps before its deadlines (for benchmarks; assumes an aware plan)."""
    cat = catalogue or load_catalogue()
    req = plan.request
    walked = _walk(plan, cat)
    departure = report = closing = None
    legs = []
    for wd in walked:
        clock = wd.plan.leave_at or wd.plan.start
        for step in wd.steps:
            room = (step.start - clock - _minutes(step.leg)).total_seconds() / 60
            legs.append(room)
            if isinstance(step.item, Crossing):
                report = room if report is None else min(report, room)
            if isinstance(step.item, Visit):
                place = step.item.attraction
                periods, _ = _open_periods(place, _local_day(step.start, place.city))
                ends = [b for a, b in periods if a <= step.start and step.end <= b]
                if ends:
                    left = (min(ends) - step.end).total_seconds() / 60
                    closing = left if closing is None else min(closing, left)
            clock = step.end
    if walked and walked[-1].steps:
        last = walked[-1]
        at = last.steps[-1].end + _minutes(last.plan.end_leg)
        departure = (req.depart - depart_margin(req, cat) - at).total_seconds() / 60
    return Margins(departure, report, closing, legs)
