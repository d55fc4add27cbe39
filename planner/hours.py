"""Opening hours of catalogue places, on each city's own clock and with its country's holidays.

Hours are OSM `opening_hours` expressions, evaluated by opening_hours_py in the place's zone
(each city's zone in data/region.json) with the public holidays of the city's country for
`PH`. A place whose hours are not known (None) answers None, never a guess.
An event is open only on its dates (planner.events), in its time of day when that is known.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache

import opening_hours

from planner import events, region
from planner.model import Attraction
from planner.timeutil import city_zone, require_aware


@region.on_region_change
def _clear_caches() -> None:
    _parsed.cache_clear()
    public_holiday.cache_clear()
    _day_intervals.cache_clear()


@lru_cache(maxsize=1024)
def _parsed(expression: str, city: str) -> opening_hours.OpeningHours:
    """One parsed expression per (text, city): the planner asks for every day of a trip."""
    return opening_hours.OpeningHours(
        expression, timezone=city_zone(city), country=region.city(city).holidays
    )


@lru_cache(maxsize=256)
def public_holiday(city: str, day: date) -> bool:
    """Whether *day* is a public holiday in *city*'s country (the holidays package, as `PH`)."""
    import holidays

    return day in holidays.country_holidays(region.city(city).holidays, years=day.year)


def is_open(attraction: Attraction, when: datetime) -> bool | None:
    """Whether *attraction* is open at the aware datetime *when*; None when its hours are unknown.

    A rule marked `unknown` in the expression also answers None.
    """
    require_aware(when, "when")
    if attraction.opening_hours is None:
        return None
    oh = _parsed(attraction.opening_hours, attraction.city)
    local = when.astimezone(city_zone(attraction.city))
    state, _comment = oh.state(local)
    if state == opening_hours.State.OPEN:
        return True
    if state == opening_hours.State.CLOSED:
        return False
    return None


@lru_cache(maxsize=65536)
def _day_intervals(expression: str, city: str, day: date) -> tuple[tuple[datetime, datetime], ...]:
    zone = city_zone(city)
    start = datetime.combine(day, time(0), tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
    oh = _parsed(expression, city)
    return tuple(
        (begin, finish)
        for begin, finish, state, _comment in oh.intervals(start, end)
        if state == opening_hours.State.OPEN and finish > begin
    )


def open_intervals(attraction: Attraction, day: date) -> list[tuple[datetime, datetime]] | None:
    """The open periods of *attraction* on local calendar *day*, as aware datetimes in its zone.

    Parameters
    ----------
    attraction: the place; its city decides the zone and the holiday calendar.
    day: a calendar date on the place's own clock.

    Returns
    -------
    A list of (start, end) pairs clipped to that day (an all-day opening ends at the next
    midnight), empty when closed all day; None when the hours are unknown. An event is
    closed on a day it is not known to be held, and open in its time of day when it is.
    """
    if events.is_dated(attraction):
        held = events.day_intervals(attraction, day)
        if held is not None:
            return held
    if attraction.opening_hours is None:
        return None
    return list(_day_intervals(attraction.opening_hours, attraction.city, day))
