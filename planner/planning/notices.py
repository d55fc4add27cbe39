"""The warnings of a plan: codes with parameters, per day, deduplicated, by severity.

Red: the plan is not safe as it stands; amber: a risk worth knowing; info: good to know. At
most one weather or daylight warning a day, and nothing that the data does not say.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import timedelta

from planner.messages import Message
from planner.planning.builder import CITY_CENTRES, DaySpec
from planner.planning.decode import Decoded
from planner.planning.rules import WINTER_MONTHS, daylight, position_known
from planner.trip import SEVERITIES, DayPlan, LeftOut, Notice, TripRequest

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


def _names(places: Iterable) -> tuple:  # noqa: ANN001 - attractions
    return tuple(dict.fromkeys(p.name for p in places))


def day_notices(req: TripRequest, day: DayPlan, spec: DaySpec, dec: Decoded) -> tuple[Notice, ...]:
    """What the traveller must know about one day."""
    out: list[Notice] = []
    for c in day.crossings:
        if c.last_of_day:
            params = {
                "city": c.direction_from,
                "mode": c.option.mode,
                "time": c.option.depart.strftime("%H:%M"),
            }
            out.append(Notice("red", Message("last_crossing_used", params)))
        for w in c.option.warnings:
            if w.code in SKIP_CODES:
                continue
            out.append(Notice("amber" if w.code in AMBER_CODES else "info", w))
    for index, kind in dec.missed_meals:
        if index == spec.index:
            out.append(Notice("amber", Message("meal_missed", {"meal": kind})))
    stops = day.stops
    unknown = [s.attraction for s in stops if not position_known(s.attraction)]
    for place in unknown:
        km = round(place.coord_uncertainty_m / 1000, 1)
        out.append(
            Notice("red", Message("position_unknown_must_see", {"place": place.name, "km": km}))
        )
    rough = [
        s.attraction for s in stops if s.attraction.is_estimated and position_known(s.attraction)
    ]
    if rough:
        out.append(Notice("amber", Message("position_approximate", {"places": _names(rough)})))
    unverified = [s.attraction for s in stops if not s.attraction.hours_verified]
    if unverified:
        out.append(Notice("amber", Message("hours_unverified", {"places": _names(unverified)})))
    if spec.day.month in WINTER_MONTHS:
        city = spec.start_city
        rise, dusk = daylight(city, CITY_CENTRES[city], spec.day)
        params = {"sunrise": rise.strftime("%H:%M"), "sunset": dusk.strftime("%H:%M"), "city": city}
        out.append(Notice("info", Message("winter_daylight", params)))
    if spec.index == 0 and not day.items and spec.end - spec.start < timedelta(hours=2):
        out.append(
            Notice("info", Message("arrival_no_time", {"time": spec.start.strftime("%H:%M")}))
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
    return _ordered(out)
