"""Opening hours on each city's own clock, with its country's public holidays."""

from __future__ import annotations

import dataclasses
import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from planner.catalogue import load_catalogue
from planner.hours import is_open, open_intervals
from planner.timeutil import NaiveDatetimeError

SHANGHAI = ZoneInfo("Asia/Shanghai")
YAKUTSK = ZoneInfo("Asia/Yakutsk")


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


def _with_hours(catalogue, ident: str, hours: str | None):
    return dataclasses.replace(catalogue.get(ident), opening_hours=hours, hours_verified=True)


def test_museum_closed_on_monday_is_closed_on_a_monday_in_its_own_zone(catalogue):
    museum = _with_hours(catalogue, "amur-regional-museum", "Tu-Su 10:00-18:00")
    monday = datetime(2027, 6, 7, 12, 0, tzinfo=YAKUTSK)
    assert monday.weekday() == 0
    assert is_open(museum, monday) is False
    assert open_intervals(museum, monday.date()) == []
    assert is_open(museum, monday + timedelta(days=1)) is True


def test_hours_are_read_on_the_city_clock_not_the_callers(catalogue):
    museum = _with_hours(catalogue, "amur-regional-museum", "Tu-Su 10:00-18:00")
    # 09:30 in Heihe is 10:30 in Blagoveshchensk: already open.
    assert is_open(museum, datetime(2027, 6, 8, 9, 30, tzinfo=SHANGHAI)) is True
    # 17:30 in Heihe is 18:30 across the river: closed.
    assert is_open(museum, datetime(2027, 6, 8, 17, 30, tzinfo=SHANGHAI)) is False


def test_open_intervals_are_aware_and_in_the_city_zone(catalogue):
    museum = _with_hours(catalogue, "aihui-history-museum", "Tu-Su 08:30-17:00")
    day = date(2027, 6, 8)
    [(start, end)] = open_intervals(museum, day)
    assert start == datetime(2027, 6, 8, 8, 30, tzinfo=SHANGHAI)
    assert end == datetime(2027, 6, 8, 17, 0, tzinfo=SHANGHAI)
    assert start.utcoffset() == timedelta(hours=8)


def test_public_holidays_follow_the_places_country(catalogue):
    hours = "Mo-Su 10:00-17:00; PH off"
    heihe = _with_hours(catalogue, "aihui-history-museum", hours)
    blag = _with_hours(catalogue, "amur-regional-museum", hours)
    # 1 October is China's National Day, an ordinary day in Russia.
    assert open_intervals(heihe, date(2027, 10, 1)) == []
    assert open_intervals(blag, date(2027, 10, 1)) != []
    # 12 June is Russia Day, an ordinary day in China.
    assert open_intervals(blag, date(2027, 6, 12)) == []
    assert open_intervals(heihe, date(2027, 6, 12)) != []


def test_unknown_hours_answer_none(catalogue):
    museum = catalogue.get("overseas-chinese-in-russia-memorial")  # (Aihui's: sourced, issue 16)
    assert museum.opening_hours is None
    assert is_open(museum, datetime(2027, 6, 8, 12, tzinfo=SHANGHAI)) is None
    assert open_intervals(museum, date(2027, 6, 8)) is None


def test_all_day_places_are_open_until_midnight(catalogue):
    arch = catalogue.get("triumphal-arch")
    assert arch.opening_hours == "24/7"
    [(start, end)] = open_intervals(arch, date(2027, 1, 20))
    assert (start.hour, end - start) == (0, timedelta(days=1))


def test_naive_datetime_is_refused(catalogue):
    with pytest.raises(NaiveDatetimeError):
        is_open(catalogue.get("triumphal-arch"), datetime(2027, 6, 8, 12))


def test_every_shipped_expression_evaluates(catalogue):
    assert any(p.opening_hours is not None for p in catalogue.attractions), "hours to evaluate"
    for place in catalogue.attractions:
        if place.opening_hours is not None:
            assert open_intervals(place, date(2027, 2, 6)) is not None, place.id


def test_a_trip_worth_of_days_is_fast(catalogue):
    places = [
        _with_hours(catalogue, a.id, "Tu-Su 09:00-17:00; PH off") for a in catalogue.attractions
    ]
    start = time.perf_counter()
    for offset in range(14):
        for place in places:
            open_intervals(place, date(2027, 7, 1) + timedelta(days=offset))
    assert time.perf_counter() - start < 2.0
