"""When an event of the catalogue is on: its published dates per year, or its annual day.

An event is placed only on a day it is known to be held. A year without published dates (or
not listed at all) is "not published": the planner leaves the event out and says so, rather
than putting it on a day guessed from its usual months.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time

from planner.messages import Message
from planner.model import Attraction, Source
from planner.timeutil import city_zone


@dataclass(frozen=True)
class Occurrence:
    """One day an event is held, and its time of day on the local clock (None = unknown)."""

    day: date
    hours: tuple[time, time] | None
    hours_estimated: bool
    sources: tuple[Source, ...]


def is_dated(place: Attraction) -> bool:
    """Whether *place* is held on dates (an event) rather than open by its hours."""
    return place.kind == "event"


def occurrence(place: Attraction, day: date) -> Occurrence | None:
    """The event's occurrence on local calendar *day*, or None when it is not known to be held.

    Listed dates win over the annual rule: a listed year (published or not) has only its own
    dates, and a season listed under the year it starts in also covers the next (a winter).
    """
    for entry in place.dates:
        if entry.start is not None and entry.end is not None and entry.start <= day <= entry.end:
            return Occurrence(day, entry.hours, entry.hours_estimated, entry.sources)
    if any(entry.year == day.year for entry in place.dates):
        return None
    rule = place.annual
    if rule is not None and (day.month, day.day) == (rule.month, rule.day):
        return Occurrence(day, rule.hours, rule.hours_estimated, rule.sources)
    return None


def published(place: Attraction, year: int) -> bool:
    """Whether the event's dates for *year* are known: listed, or given by the annual rule."""
    entry = next((d for d in place.dates if d.year == year), None)
    if entry is not None:
        return entry.published
    return place.annual is not None


def day_intervals(place: Attraction, day: date) -> list[tuple[datetime, datetime]] | None:
    """The event's time on *day* as aware datetimes in its city's zone: [] when it is not held
    that day, None when it is held but its time of day is unknown."""
    occ = occurrence(place, day)
    if occ is None:
        return []
    if occ.hours is None:
        return None
    zone = city_zone(place.city)
    start, end = occ.hours
    return [(datetime.combine(day, start, zone), datetime.combine(day, end, zone))]


def why_not_on(place: Attraction, days: Iterable[date]) -> Message | None:
    """None when the event is held on one of *days*; else why it is left out: the dates of a
    year of the trip are not published, or it is not on the trip's dates."""
    days = sorted(set(days))
    if any(occurrence(place, d) is not None for d in days):
        return None
    unknown = sorted({d.year for d in days if not published(place, d.year)})
    if unknown:
        return Message("left_dates_not_published", {"year": str(unknown[0])})
    return Message("left_not_on_dates")
