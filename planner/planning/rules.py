"""The rules a plan keeps and the weights of what makes a good day, in one place.

Hard rules (margins, meal windows, daylight) are enforced by the model and checked again by
`planner.plan_check`; the weights only choose between plans that keep every rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from functools import lru_cache

from astral import Observer
from astral.sun import sun

from planner import region
from planner.model import Attraction, LatLon
from planner.timeutil import city_zone
from planner.travel import great_circle_km

# Hotels default to each city's centre (data/region.json, with its sources).
CITY_CENTRES: region.CityMap[LatLon] = region.CityMap(lambda c: c.centre.latlon())


@dataclass(frozen=True)
class Pace:
    """When a day starts and ends at the hotel (local clock), visit length factor, meal minutes."""

    start: time
    end: time
    visit: float
    lunch: int
    dinner: int


PACES: dict[str, Pace] = {
    "relaxed": Pace(time(10, 0), time(20, 30), 1.25, 75, 90),
    "normal": Pace(time(9, 0), time(21, 0), 1.0, 60, 75),
    "packed": Pace(time(8, 0), time(22, 0), 0.85, 45, 60),
}

# Meals on the local clock of the city where they are eaten: the whole meal inside the window.
MEAL_WINDOWS: dict[str, tuple[time, time]] = {
    "lunch": (time(11, 30), time(14, 0)),
    "dinner": (time(17, 30), time(20, 30)),
}
MEAL_SLACK_S = 15 * 60  # first pass: a meal without a place reserves this for the leg it hides
FOOD_DETOUR_S = 25 * 60  # a food place further off the route than this is not worth it

# Minutes to be at the departure point before the departure, by the point's category.
DEPART_MARGIN_MIN: dict[str, int] = {
    "airport": 90,
    "railway_station": 30,
    "bus_station": 30,
    "border_crossing": 60,
    "cableway": 60,
}
DEFAULT_DEPART_MARGIN_MIN = 60  # no departure point given: be ready to leave town an hour early

EARLIEST = time(7, 0)  # a day with a crossing may start this early to catch a departure
MIN_HOURS_ABROAD = 2.5  # a day across the river shorter than this is not worth the border
# A day across that the traveller asked for, or that a must-see or kept stop there forces, is
# planned down to this (the plan says how short it is).
MIN_HOURS_ABROAD_ASKED = 1.0
# The day's last run back is used by default, with this much in hand at its report time (a
# planning rule); not where a missed run strands the traveller for days: the hovercraft of
# freeze-up and break-up and the ice road run irregularly, and may not run the next day.
LAST_RUN_CUSHION_MIN = 60
STRANDING_MODES = frozenset({"hovercraft", "pontoon_bus"})
POSITION_KNOWN_M = 1000  # a point this certain is timed as it is
# A point known only to a few km, in town, is still planned: a taxi driver finds Central Street or
# the night market by its name and address, which the stop card and the driver card show in the
# local language. Its legs go by taxi where the traveller allows one, with the uncertainty added
# as distance, and the plan says once that the position is approximate. Worse points (a city
# point at +-10 km, or a far-out point known to more than POSITION_KNOWN_M) are "position
# unknown": left out unless must-see.
APPROX_POSITION_M = 3000
APPROX_TOWN_KM = 5.0  # ... "in town": the point within this many km of its city centre
MIN_LEG_S = 3 * 60  # two different places are never 0 minutes apart
UNKNOWN_HOURS = (time(10, 0), time(17, 0))  # assumed when a place's hours are not known
# Places whose hours are unknown but whose time of day is not: night markets open in the
# evening, performances are in the evening. (Assumptions, shown as unverified hours.)
EVENING_CATEGORIES: dict[str, tuple[time, time]] = {
    "food_market": (time(17, 0), time(22, 30)),
    "theatre": (time(18, 0), time(22, 0)),
}
# Open-air places with no published hours (an embankment, a square, a park, a monument) can be
# walked from early morning to late evening: a morning starts there when nothing opens yet.
# (An assumption, shown as unverified hours; in winter daylight cuts it.)
OUTDOOR_CATEGORIES: dict[str, tuple[time, time]] = {
    category: (time(7, 0), time(21, 0))
    for category in ("embankment", "square", "park", "viewpoint", "monument", "memorial")
}
WINTER_MONTHS = (11, 12, 1, 2, 3)  # outdoor places only in daylight (sunrise to sunset)
DAY_TRIP_MAX_RETURN_KM = 300  # a day trip further than this (there and back) is not day-planned

# Weights of the objective (in score points; a landmark of popularity 10 is worth 100).
# The reason most visitors come: one day on the other bank outweighs any choice of sights on
# the home bank (the variant search keeps it whenever it holds ABROAD_MIN_VISIT_MIN) ...
OTHER_CITY_BONUS = 600
ABROAD_MIN_VISIT_MIN = 90  # ... and a day across with fewer minutes of sights is not planned
ABROAD_MINUTE_SCORE = 2  # each minute of a visit on a day across (a 90-min museum: +180)
BORDER_PENALTY_PER_HOUR = 20  # hours spent at and on the way through the border
IDLE_PENALTY_PER_HOUR = 10  # waiting for a place to open
TRAVEL_PENALTY_PER_HOUR = 10  # riding and walking between places
SEASONAL_FACTOR = 1.5  # a place only open in some months is worth more in them


# Slack kept before a crossing's report time (which already holds the check-point's margin), so
# that a slow taxi or a long lunch bill does not lose the boat; an organised group takes longer
# to gather. A planning rule, not a fact of the border.
CROSSING_CUSHION_MIN = 15
GROUP_CROSSING_CUSHION_MIN = 30


def crossing_cushion_minutes(req) -> int:
    """The slack the plan keeps before reporting at the border."""
    return GROUP_CROSSING_CUSHION_MIN if req.group_tour else CROSSING_CUSHION_MIN


def depart_margin_minutes(place: Attraction | None) -> int:
    """How early to be at the departure point."""
    if place is None:
        return DEFAULT_DEPART_MARGIN_MIN
    return DEPART_MARGIN_MIN.get(place.category, DEFAULT_DEPART_MARGIN_MIN)


def position_known(place: Attraction) -> bool:
    """Whether the point is good enough to time a visit (within POSITION_KNOWN_M)."""
    return place.coord_uncertainty_m <= POSITION_KNOWN_M


def position_approximate(place: Attraction) -> bool:
    """Known only roughly (within APPROX_POSITION_M) but in town, so planned by its name."""
    if position_known(place) or place.coord_uncertainty_m > APPROX_POSITION_M:
        return False
    centre = CITY_CENTRES.get(place.city)
    if centre is None:
        return False
    return float(great_circle_km([centre, place.location])[0, 1]) <= APPROX_TOWN_KM


def position_plannable(place: Attraction) -> bool:
    """Whether a place may be planned without being a must-see: known, or approximate."""
    return position_known(place) or position_approximate(place)


@region.on_region_change
def _clear_daylight() -> None:
    daylight.cache_clear()


@lru_cache(maxsize=512)
def daylight(city: str, point: LatLon, day: date) -> tuple[datetime, datetime]:
    """Sunrise and sunset at *point* on *day*, on *city*'s clock (astral's NOAA algorithm)."""
    zone = city_zone(city)
    times = sun(Observer(latitude=point.lat, longitude=point.lon), date=day, tzinfo=zone)
    return times["sunrise"], times["sunset"]


def needs_daylight(place: Attraction, day: date) -> bool:
    """Outdoor places in winter whose hours do not say otherwise are visited in daylight."""
    if place.indoor is not False or day.month not in WINTER_MONTHS:
        return False
    if place.category in EVENING_CATEGORIES:
        return False
    return place.opening_hours in (None, "24/7")
