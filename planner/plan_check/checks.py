"""The hard rules of a plan, one check each (issue #8)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from planner.catalogue import Catalogue
from planner.model import Attraction
from planner.plan_check.walk import (
    _MINUTE,
    DEFAULT_HOTELS,
    FIRST_NIGHT_NOTICE,
    LAST_CROSSING_NOTICE,
    LAST_MOVE_NOTICE,
    LAST_RUN_CUSHION,
    LAST_RUN_NOTICE,
    NIGHTS_NOTICE,
    ROUNDING,
    STRANDING_MODES,
    Violation,
    _at,
    _aware,
    _datetimes,
    _departures,
    _Found,
    _hm,
    _label,
    _leg_problems,
    _local_day,
    _minutes,
    _nationality,
    _needs_daylight,
    _open_periods,
    _party,
    _sun,
    _walk,
)
from planner.planning import rules
from planner.timeutil import CITY_TZ, city_zone, other_city
from planner.travel import great_circle_km
from planner.trip import Crossing, Item, Itinerary, Meal, TripRequest, Visit


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
                and step.item.near == "last_stop"
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
    if walked:
        last = walked[-1]
        # From the last item, or, on a day with nothing else, from setting off.
        begin = last.steps[-1].end if last.steps else (last.plan.leave_at or last.plan.start)
        at = begin + _minutes(last.plan.end_leg)
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
        said = {n.message.code for n in plan.warnings}
        if FIRST_NIGHT_NOTICE in said and wanted:
            wanted[0] = walked[0].plan.city_start  # after the last crossing: where one lands
        realigned = NIGHTS_NOTICE in said  # a night added or dropped at midnight across zones
        if nights != wanted and not realigned:
            out.add("bank", None, f"nights in {nights}, asked for {list(req.stay)}")
    return out


def check_last_crossings(plan: Itinerary, cat: Catalogue) -> list[Violation]:
    """Rule 6: real departures only. The day's last run back: never with `safe_return`; where a
    missed run strands for days (hovercraft, ice road) only if allowed, and then in red;
    elsewhere with an amber notice and LAST_RUN_CUSHION in hand at the port."""
    req, out = plan.request, _Found()
    nationality, visas = _nationality(req)
    for wd in _walk(plan, cat):
        day = wd.plan
        red = {n.message.code for n in day.warnings if n.severity == "red"}
        amber = {n.message.code for n in day.warnings if n.severity == "amber"}
        for n, step in enumerate(wd.steps):
            item = step.item
            if not isinstance(item, Crossing):
                continue
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
            back = opt.to_point.city == day.city_start
            if not is_last:
                continue
            stranding = opt.mode in STRANDING_MODES
            if back and (req.safe_return or (stranding and not req.allow_last_crossing)):
                out.add(
                    "last_crossing",
                    day.date,
                    f"{label} is the day's last departure back; the request does not allow it",
                )
            if back and not stranding:
                if LAST_RUN_NOTICE not in amber:
                    out.add("last_crossing", day.date, f"{label}: no amber {LAST_RUN_NOTICE}")
                if n > 0 and item.leg is not None:
                    at_port = wd.steps[n - 1].end + timedelta(minutes=item.leg.minutes)
                    if at_port > opt.report_by - LAST_RUN_CUSHION:
                        out.add(
                            "last_crossing",
                            day.date,
                            f"{label}: at the port {_hm(at_port)}, less than "
                            f"{LAST_RUN_CUSHION} before reporting at {_hm(opt.report_by)}",
                        )
            elif not red & {LAST_CROSSING_NOTICE, LAST_MOVE_NOTICE}:
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


def _position_plannable(place: Attraction) -> bool:
    """Known to POSITION_KNOWN_M, or to APPROX_POSITION_M within APPROX_TOWN_KM of the centre
    (restated from the rule's constants, not the planner's helper)."""
    if place.coord_uncertainty_m <= rules.POSITION_KNOWN_M:
        return True
    centre = DEFAULT_HOTELS.get(place.city)
    return (
        centre is not None
        and place.coord_uncertainty_m <= rules.APPROX_POSITION_M
        and float(great_circle_km([centre, place.location])[0, 1]) <= rules.APPROX_TOWN_KM
    )


def check_places(plan: Itinerary, cat: Catalogue) -> list[Violation]:
    """Rule 9: known positions (or must-see), once a trip, never excluded, in their months."""
    req, out = plan.request, _Found()
    seen: dict[str, date] = {}
    for day in plan.days:
        places = [(i.attraction, "visit") for i in day.stops]
        places += [(m.place, "meal") for m in day.meals if m.place is not None]
        for place, what in places:
            if not _position_plannable(place) and place.id not in req.must_see:
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
