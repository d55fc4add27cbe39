"""The clocks of the region's cities, and guards that keep every datetime aware.

Each city keeps its own zone (data/region.json); a naive datetime across a border is always a
bug, so every public function here refuses one.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from planner import region
from planner.errors import PlannerError

# Live views of the loaded region (planner.region): its city ids, each city's zone and country.
CITIES = region.CITY_IDS
CITY_TZ: region.CityMap[ZoneInfo] = region.CityMap(lambda c: c.tz)
CITY_COUNTRY: region.CityMap[str] = region.CityMap(lambda c: c.country)


# Dates a trip can be planned for. Far outside it, date arithmetic (a day later, another
# zone) overflows Python's calendar, and no timetable or rule in data/ means anything there.
FIRST_YEAR, LAST_YEAR = 1970, 2100


class NaiveDatetimeError(PlannerError, ValueError):
    """A datetime without a UTC offset was given where the city matters."""


class DateOutOfRangeError(PlannerError, ValueError):
    """A date far outside the years the planner knows about (and can compute with)."""


def require_in_range(value: date, what: str = "date") -> date:
    """Return *value* unchanged if its year is within FIRST_YEAR..LAST_YEAR, else raise."""
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise DateOutOfRangeError(
            f"{what} {value.isoformat()} is out of range: "
            f"dates from {FIRST_YEAR} to {LAST_YEAR} are supported"
        )
    return value


def require_aware(value: datetime, what: str = "time") -> datetime:
    """Return *value* unchanged if it carries an offset and lies in the supported years."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise NaiveDatetimeError(f"{what} must carry a UTC offset (e.g. 2027-01-20T09:00+08:00)")
    require_in_range(value, what)
    return value


def city_zone(city: str) -> ZoneInfo:
    """The IANA zone of *city* (a city id of the region)."""
    try:
        return CITY_TZ[city]
    except KeyError:
        raise ValueError(f"unknown city {city!r}: expected one of {', '.join(CITIES)}") from None


def to_city(value: datetime, city: str) -> datetime:
    """*value* shown on *city*'s clock."""
    return require_aware(value).astimezone(city_zone(city))


def other_city(city: str) -> str:
    """The city across the border: the first of the region's other cities (the planner's trips
    cross between two cities; planner.region.other_cities lists them all)."""
    city_zone(city)
    return region.other_cities(city)[0]


def parse_aware(text: str, what: str = "time") -> datetime:
    """Parse ISO 8601 text that must include its offset ('Z' accepted)."""
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except (AttributeError, ValueError):
        raise ValueError(f"{what} {text!r} is not an ISO 8601 date-time") from None
    return require_aware(value, what)
