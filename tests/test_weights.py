"""Each weight of the objective pulls the way its name says: raising a penalty never gives more
of what it penalises, raising a reward never gives less of what it rewards (over a few varied
requests, on a fixed work budget so the plans are the same on any machine)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from conftest import summer_request
from zones import BLAGOVESHCHENSK_TZ, HEIHE_TZ

import planner.planning.builder as builder
import planner.planning.solving as solving
from planner.catalogue import load_catalogue
from planner.planning import WorkBudget, plan_trip
from planner.trip import TripRequest

CAT = load_catalogue()
BUDGET = WorkBudget(iterations=150, no_improvement=80)


def _requests() -> list[TripRequest]:
    blg = datetime(2027, 6, 15, 10, tzinfo=BLAGOVESHCHENSK_TZ)
    return [
        summer_request(),
        summer_request(pace="packed", interests=("nature", "food")),
        TripRequest(
            arrive=blg,
            depart=blg + timedelta(days=3, hours=8),
            stay=("blagoveshchensk",),
            nationality="RU",
            party_size=18,
            group_tour=True,
            interests=("shopping",),
        ),
        TripRequest(
            arrive=datetime(2027, 1, 18, 9, tzinfo=HEIHE_TZ),
            depart=datetime(2027, 1, 20, 18, tzinfo=HEIHE_TZ),
            stay=("heihe",),
            nationality="CN",
            visas=("RU",),
        ),
    ]


def _total(metric, monkeypatch, module, name: str, value: float) -> float:
    monkeypatch.setattr(module, name, value)
    plans = [plan_trip(r, catalogue=CAT, budget=BUDGET, time_limit=30) for r in _requests()]
    assert len(plans) == 4
    return sum(metric(p) for p in plans)


def _abroad_sight_minutes(plan) -> float:
    total = 0.0
    for day in plan.days:
        if len(day.crossings) == 2 and day.city_start == day.city_end:
            away = day.crossings[0].option.to_point.city
            total += sum(
                (s.depart - s.arrive).total_seconds() / 60
                for s in day.stops
                if s.attraction.city == away
            )
    return total


def _last_runs(plan) -> int:
    return sum(c.last_of_day for d in plan.days for c in d.crossings)


PENALTIES = [
    ("IDLE_PENALTY_PER_HOUR", lambda p: p.stats["idle_min"]),
    ("TRAVEL_PENALTY_PER_HOUR", lambda p: p.stats["travel_min"]),
    ("BORDER_PENALTY_PER_HOUR", lambda p: p.stats["border_min"]),
    ("MISSED_MEAL_PENALTY", lambda p: p.stats["missed_meals"]),
    ("LAST_CROSSING_PENALTY", _last_runs),
]


@pytest.mark.parametrize(("name", "metric"), PENALTIES, ids=[n for n, _ in PENALTIES])
def test_a_heavier_penalty_never_gives_more_of_what_it_penalises(monkeypatch, name, metric):
    light = _total(metric, monkeypatch, solving, name, 0)
    heavy = _total(metric, monkeypatch, solving, name, 1000)
    assert heavy <= light, (name, light, heavy)


def test_more_weight_on_minutes_across_never_gives_fewer_minutes_of_sights_there(monkeypatch):
    def minutes(value: int) -> float:
        monkeypatch.setattr(solving, "ABROAD_MINUTE_SCORE", value)  # the second try's weight
        return _total(_abroad_sight_minutes, monkeypatch, builder, "ABROAD_MINUTE_SCORE", value)

    assert minutes(10) >= minutes(0)


def test_a_must_see_the_variant_cannot_hold_loses_to_one_that_holds_it(monkeypatch):
    """A day across asked for on the day of a kept excursion: without the penalty the day
    across wins and the must-see museum is lost; with it, the museum holds (a named place
    outweighs the day asked for)."""
    req = summer_request(
        must_see=("aihui-history-museum",),
        pinned=(("kuixing-pavilion", 1),),
        day_across="yes",
        day_across_on=1,  # the request's day index (from 0): the second day, Kuixing's
    )

    def seen(value: float) -> bool:
        monkeypatch.setattr(solving, "MISSING_MUST_SEE_PENALTY", value)
        plan = plan_trip(req, catalogue=CAT, budget=BUDGET, time_limit=30)
        return "aihui-history-museum" in {s.attraction.id for d in plan.days for s in d.stops}

    assert not seen(0)
    assert seen(20_000)
