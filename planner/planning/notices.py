"""The warnings of a plan: codes with parameters, per day, deduplicated, by severity.

Red: the plan is not safe as it stands; amber: a risk worth knowing; info: good to know. At
most one weather or daylight warning a day, and nothing that the data does not say.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

from planner.hours import public_holiday
from planner.messages import Message
from planner.model import Attraction
from planner.planning.builder import CITY_CENTRES, DaySpec
from planner.planning.days import NIGHT
from planner.planning.decode import Decoded, crossing_fares
from planner.planning.rules import (
    LAST_RUN_CUSHION_MIN,
    STRANDING_MODES,
    WINTER_MONTHS,
    daylight,
    position_approximate,
    position_known,
    position_plannable,
)
from planner.timeutil import CITY_COUNTRY, city_zone
from planner.travel import Party, party_vehicles
from planner.trip import SEVERITIES, Crossing, DayPlan, Item, LeftOut, Meal, Notice, TripRequest

# In the night: the day starts from the hotel (the plan_check reads the same code).
ARRIVAL_NIGHT_NOTICE = "arrival_night_hotel"
LONG_WALK_MIN = 60  # a walk this long (walking only, to an airport) is worth a taxi
# A crossing reached with less than this to spare before its report time is flagged amber (the
# report time already holds the check-point's own margin; this is the traveller's slack).
TIGHT_CROSSING = timedelta(hours=1)
IDLE_SAID = timedelta(minutes=90)  # a longer wait between two items is said (info)

# How serious each warning of the border model is for a traveller.
AMBER_CODES = frozenset(
    {
        "ice_risk",
        "season_estimated",
        "timetable_status",
        "timetable_from_year",
        "entry_rule_extension",
        "entry_rule_low_confidence",
        "entry_rule_ends",
        "entry_rule_ends_extension_reported",
        "holiday_note",
        "holiday_closure",
        "holiday_closure_estimated",
    }
)
# Said by the plan itself when it matters (the last run back in red), or moot in a plan that
# already chose the way back; estimates the plan has already allowed for.
SKIP_CODES = frozenset(
    {
        "last_crossing_of_day",
        "arrives_after_last_return",
        "no_return_that_day",
        "checkpoint_minutes_estimated",
        "ride_estimated",
    }
)


def _ordered(notices: Iterable[Notice]) -> tuple[Notice, ...]:
    unique = list(dict.fromkeys(notices))
    return tuple(sorted(unique, key=lambda n: SEVERITIES.index(n.severity)))


def _names(places: Iterable) -> tuple:
    return tuple(dict.fromkeys(p.name for p in places))


def _end(item: Item) -> datetime:
    if isinstance(item, Crossing):
        return item.option.arrive
    return item.end if isinstance(item, Meal) else item.depart


def _minutes(leg) -> timedelta:
    return timedelta(minutes=leg.minutes if leg is not None else 0)


def _hm(moment: datetime, city: str) -> str:
    return moment.astimezone(city_zone(city)).strftime("%H:%M")


def _start(item: Item) -> datetime:
    if isinstance(item, Crossing):
        return item.option.report_by
    return item.start if isinstance(item, Meal) else item.arrive


def _city(item: Item) -> str:
    if isinstance(item, Crossing):
        return item.direction_from
    return item.city if isinstance(item, Meal) else item.attraction.city


def longest_idle(day: DayPlan) -> tuple[datetime, datetime, str] | None:
    """The day's longest wait between two items (the leg between them counted), when it is
    over IDLE_SAID: a guide wants to know of a free afternoon, and what to do with it."""
    best: tuple[datetime, datetime, str] | None = None
    for a, b in zip(day.items, day.items[1:], strict=False):
        free_from = _end(a)
        free_to = _start(b) - _minutes(getattr(b, "leg", None))
        if free_to - free_from > IDLE_SAID and (
            best is None or free_to - free_from > best[1] - best[0]
        ):
            best = (free_from, free_to, _city(b))
    return best


def timing_notices(day: DayPlan, deadline: datetime | None) -> list[Notice]:
    """Slack before each crossing, and the departure reached with its margin, every leg counted.

    The same figures the plan page shows, said once in the core so that the text, the JSON, the
    page and the print all carry them.
    """
    out: list[Notice] = []
    clock = day.leave_at or day.start
    for n, item in enumerate(day.items):
        if isinstance(item, Crossing):
            at_port = clock + _minutes(item.leg)
            spare = item.option.report_by - at_port
            params = {
                "mode": item.option.mode,
                "time": _hm(item.option.depart, item.direction_from),
                "city": item.direction_from,
                "minutes": int(spare.total_seconds() // 60),
            }
            if spare < timedelta(0):
                params["minutes"] = -params["minutes"]
                out.append(Notice("red", Message("crossing_late", params)))
            elif spare < TIGHT_CROSSING and n > 0:  # first thing: the set-off time is chosen for it
                out.append(Notice("amber", Message("crossing_tight", params)))
        clock = _end(item)
    if deadline is not None and day.end_place == "departure":
        at = clock + _minutes(day.end_leg)
        if at > deadline:
            params = {
                "time": _hm(at, day.city_end),
                "deadline": _hm(deadline, day.city_end),
                "city": day.city_end,
            }
            out.append(Notice("red", Message("departure_unreachable", params)))
    return out


def day_notices(
    req: TripRequest,
    day: DayPlan,
    spec: DaySpec,
    dec: Decoded,
    deadline: datetime | None = None,
    rates: Mapping[str, float] | None = None,
) -> tuple[Notice, ...]:
    """What the traveller must know about one day (*deadline*: when to be at the departure
    point, its margin counted; *rates*: to weigh the crossing fares against the budget)."""
    out: list[Notice] = timing_notices(day, deadline)
    if req.daily_budget is not None and rates and day.crossings:
        fares = crossing_fares(req, list(day.crossings), dict(rates))
        if fares > req.daily_budget:
            params = {"cost": f"{fares:.0f}", "currency": req.budget_currency}
            out.append(Notice("amber", Message("budget_crossing_over", params)))
    for c in day.crossings:
        if c.last_of_day:
            params = {
                "city": c.direction_from,
                "mode": c.option.mode,
                "time": c.option.depart.strftime("%H:%M"),
            }
            moving = day.city_start != day.city_end  # to the hotel on the other bank
            if not moving and c.option.mode not in STRANDING_MODES:
                # A missed run costs a night: amber, with what to do then.
                back = {**params, "minutes": LAST_RUN_CUSHION_MIN, "if_missed": c.if_missed}
                out.append(Notice("amber", Message("last_run_back", back)))
            else:
                code = "last_crossing_move" if moving else "last_crossing_used"
                out.append(Notice("red", Message(code, params)))
        for w in c.option.warnings:
            if w.code in SKIP_CODES:
                continue
            out.append(Notice("amber" if w.code in AMBER_CODES else "info", w))
    for index, kind in dec.missed_meals:
        if index == spec.index:
            out.append(Notice("amber", Message("meal_missed", {"meal": kind})))
    stops = day.stops
    unknown = [s.attraction for s in stops if not position_plannable(s.attraction)]
    for place in unknown:
        km = round(place.coord_uncertainty_m / 1000, 1)
        out.append(
            Notice("red", Message("position_unknown_must_see", {"place": place.name, "km": km}))
        )
    for city in dict.fromkeys(s.attraction.city for s in stops):
        local = next(s.arrive for s in stops if s.attraction.city == city)
        local_day = local.astimezone(city_zone(city)).date()
        if public_holiday(city, local_day):
            params = {"country": CITY_COUNTRY[city], "day": local_day.isoformat()}
            out.append(Notice("amber", Message("public_holiday_hours", params)))
    legs = [i.leg for i in day.items if getattr(i, "leg", None) is not None]
    if day.end_leg is not None:
        legs.append(day.end_leg)
    long_walks = [leg for leg in legs if leg.mode == "walk" and leg.minutes >= LONG_WALK_MIN]
    if long_walks:
        longest = max(long_walks, key=lambda leg: leg.minutes)
        params = {"minutes": longest.minutes, "km": round(longest.km, 1)}
        out.append(Notice("amber", Message("long_walk", params)))
    unverified = [s.attraction for s in stops if not s.attraction.hours_verified]
    if unverified:
        out.append(Notice("amber", Message("hours_unverified", {"places": _names(unverified)})))
    if spec.day.month in WINTER_MONTHS:
        city = spec.start_city
        rise, dusk = daylight(city, CITY_CENTRES[city], spec.day)
        params = {"sunrise": rise.strftime("%H:%M"), "sunset": dusk.strftime("%H:%M"), "city": city}
        out.append(Notice("info", Message("winter_daylight", params)))
    if spec.index == 0 and req.arrive_place and req.arrive < spec.start - NIGHT:
        params = {"time": _hm(req.arrive, spec.start_city)}
        out.append(Notice("info", Message(ARRIVAL_NIGHT_NOTICE, params)))
    gap = longest_idle(day)
    if gap is not None:
        start, end, city = gap
        params = {
            "minutes": int((end - start).total_seconds() // 60),
            "start": _hm(start, city),
            "end": _hm(end, city),
            "city": city,
        }
        out.append(Notice("info", Message("idle_gap", params)))
    if spec.index == 0 and not day.items and spec.end - spec.start < timedelta(hours=2):
        out.append(
            Notice("info", Message("arrival_no_time", {"time": _hm(spec.start, spec.start_city)}))
        )
    return _ordered(out)


def trip_notices(
    req: TripRequest,
    days: list[DayPlan],
    left: Mapping[str, LeftOut],
    blocked: Mapping[str, Message],
    reachable: set[str],
) -> tuple[Notice, ...]:
    """What the traveller must know about the whole trip."""
    out: list[Notice] = []
    visited = {s.attraction.id for d in days for s in d.stops}
    for must in req.must_see:
        if must not in visited and must in left:
            x = left[must]
            out.append(
                Notice(
                    "red",
                    Message("must_see_missing", {"place": x.attraction.name, "reason": x.detail}),
                )
            )
    for city, why in blocked.items():
        if city not in reachable:
            out.append(Notice("amber", Message("city_unreachable", {"city": city, "reason": why})))
    rough = approximate_places(days)
    if rough:
        out.append(Notice("amber", Message("position_approximate", {"places": _names(rough)})))
    out.extend(party_notices(req, days))
    return _ordered(out)


def approximate_places(days: Iterable[DayPlan]) -> list[Attraction]:
    """Places of the plan whose position is approximate (estimated, or known to a few km in
    town), each once: the plan says so once, not on every day that visits them."""
    places: dict[str, Attraction] = {}
    for day in days:
        for stop in day.stops:
            place = stop.attraction
            if position_approximate(place) or (place.is_estimated and position_known(place)):
                places.setdefault(place.id, place)
    return list(places.values())


def party_notices(req: TripRequest, days: Iterable[DayPlan]) -> list[Notice]:
    """How the party rides when it does: two taxis, or its chartered minibus or coaches."""
    legs = [
        leg.mode
        for d in days
        for leg in [*(getattr(i, "leg", None) for i in d.items), d.end_leg]
        if leg is not None
    ]
    vehicles = party_vehicles(Party(req.party_size, req.group_tour))
    if vehicles.mode not in legs:
        return []
    params = {"size": req.party_size, "count": vehicles.count, "vehicle": vehicles.mode}
    if vehicles.mode == "taxi":
        if vehicles.count < 2:
            return []
        return [Notice("info", Message("party_taxis", params))]
    return [Notice("info", Message("party_charter", params))]
