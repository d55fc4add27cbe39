"""Every plan keeps the hard rules: hundreds of varied requests, each checked by plan_check.

The requests cover every season of 2027 (January, the Spring Festival closure, the April
break-up, July, late October), arrivals from 06:00 to 23:30 on either clock, 1-5 days, one
city or a city per night, arrival and departure points, passports, parties, paces, budgets,
must-see and excluded places, transport and the last-crossing choice. A request must give a
plan; the only accepted refusal is "no border crossing" for a change of bank the border cannot
serve that day. Set PLAN_PROPERTIES_SHRINK=1 to have hypothesis shrink a failure to a minimal
request (slower).
"""

from __future__ import annotations

import os
from datetime import date, datetime, time, timedelta

from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from zones import BLAGOVESHCHENSK_TZ, HEIHE_TZ

from planner.catalogue import load_catalogue
from planner.plan_check import check_plan
from planner.planning import PlanningError, WorkBudget, plan_trip
from planner.timeutil import CITIES, city_zone
from planner.travel import CHOSEN_MODES
from planner.trip import TripRequest

CAT = load_catalogue()
TRANSPORT = sorted(a.id for a in CAT.attractions if a.kind == "transport")
PLACES = sorted(a.id for a in CAT.attractions if a.kind != "transport")
INTERESTS = sorted({i for a in CAT.attractions for i in a.interests})
NATIONALITIES = ("CN", "RU", "DE", "US", "JP", "KZ")
# Days the border and the weather make special: deep winter, the Spring Festival closure
# (New Year 2027-02-06), the April break-up, high summer, the late-October freeze-up.
FOCUS_DAYS = (
    date(2027, 1, 4),
    date(2027, 1, 20),
    date(2027, 2, 4),
    date(2027, 2, 6),
    date(2027, 2, 9),
    date(2027, 4, 12),
    date(2027, 4, 25),
    date(2027, 7, 10),
    date(2027, 7, 24),
    date(2027, 10, 25),
    date(2027, 10, 30),
)
# A small work budget, so that each example is quick and the same on any machine; the clock
# is a generous cap only.
TIME_LIMIT = 10.0
BUDGET = WorkBudget(iterations=40, no_improvement=25)
# 450 drawn requests (and the 8 examples) take about 18 s on one core; the suite's 3 minutes on
# 2 cores leave no room for more. PLAN_PROPERTIES_EXAMPLES=5000 runs a longer search by hand.
EXAMPLES = int(os.environ.get("PLAN_PROPERTIES_EXAMPLES", "450"))
PHASES = (
    tuple(Phase)
    if os.environ.get("PLAN_PROPERTIES_SHRINK")
    else (Phase.explicit, Phase.reuse, Phase.generate)
)

day_of_2027 = st.one_of(st.sampled_from(FOCUS_DAYS), st.dates(date(2027, 1, 1), date(2027, 12, 27)))
clock_time = st.integers(0, 70).map(lambda k: time(6 + k // 4, 15 * (k % 4)))  # 06:00-23:30
zones = st.sampled_from((HEIHE_TZ, BLAGOVESHCHENSK_TZ))
some_modes = st.lists(st.sampled_from(CHOSEN_MODES), min_size=1, max_size=3, unique=True).map(tuple)


@st.composite
def trip_requests(draw: st.DrawFn) -> TripRequest:
    """A varied, valid request: aware times, departure after arrival, the right number of stays."""
    arrive = datetime.combine(draw(day_of_2027), draw(clock_time), tzinfo=draw(zones))
    days = draw(st.integers(1, 5))
    depart_day = arrive.date() + timedelta(days=days - 1)
    depart = datetime.combine(depart_day, draw(clock_time), tzinfo=draw(zones))
    if depart <= arrive:
        depart = arrive + timedelta(hours=draw(st.integers(1, 6)))
    first = draw(st.sampled_from(CITIES))
    zone = city_zone(first)
    nights = (depart.astimezone(zone).date() - arrive.astimezone(zone).date()).days
    stay: tuple[str, ...] = (first,)
    if nights >= 2 and draw(st.booleans()):
        stay = (first, *draw(st.lists(st.sampled_from(CITIES), min_size=nights - 1,
                                      max_size=nights - 1)))  # fmt: skip
    must = draw(st.lists(st.sampled_from(PLACES), max_size=3, unique=True))
    rest = [p for p in PLACES if p not in must]
    exclude = draw(st.lists(st.sampled_from(rest), max_size=4, unique=True))
    keepable = [p for p in PLACES if p not in exclude]
    kept = draw(st.lists(st.sampled_from(keepable), max_size=2, unique=True))
    pinned = tuple((pid, draw(st.integers(0, days - 1))) for pid in kept)
    nationality = draw(st.sampled_from(NATIONALITIES))
    last = draw(st.sampled_from(("default", "allow", "safe")))
    return TripRequest(
        arrive=arrive,
        depart=depart,
        stay=stay,
        arrive_place=draw(st.one_of(st.none(), st.sampled_from(TRANSPORT))),
        depart_place=draw(st.one_of(st.none(), st.sampled_from(TRANSPORT))),
        interests=tuple(draw(st.lists(st.sampled_from(INTERESTS), max_size=3, unique=True))),
        pace=draw(st.sampled_from(("relaxed", "normal", "packed"))),
        nationality=nationality,
        party_size=draw(st.integers(1, 20)),
        must_see=tuple(must),
        exclude=tuple(exclude),
        transport=(("heihe", draw(some_modes)), ("blagoveshchensk", draw(some_modes))),
        daily_budget=draw(st.one_of(st.none(), st.integers(0, 2000).map(float))),
        budget_currency=draw(st.sampled_from(("CNY", "RUB"))),
        visas=tuple(draw(st.lists(st.sampled_from(("CN", "RU")), unique=True)))
        if nationality not in ("CN", "RU") or draw(st.booleans())
        else (),
        group_tour=draw(st.booleans()),
        allow_last_crossing=last == "allow",
        safe_return=last == "safe",
        day_across=draw(st.sampled_from(("auto", "auto", "yes", "no"))),
        pinned=pinned,
    )


def _changes_bank(req: TripRequest) -> bool:
    """Whether the trip must cross the river to keep to its places and nights."""
    zone = city_zone(req.stay[0])
    nights = (req.depart.astimezone(zone).date() - req.arrive.astimezone(zone).date()).days
    cities = list(req.stay) if len(req.stay) > 1 else [req.stay[0]] * nights
    first = CAT.get(req.arrive_place).city if req.arrive_place else (cities or [req.stay[0]])[0]
    last = CAT.get(req.depart_place).city if req.depart_place else (cities or [req.stay[0]])[-1]
    return len({first, *cities, last}) > 1


def _at(y: int, m: int, d: int, hh: int, mm: int, city: str) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=city_zone(city))


def _req(arrive: datetime, depart: datetime, **kw: object) -> TripRequest:
    return TripRequest(arrive=arrive, depart=depart, **{"stay": ("heihe",), **kw})  # type: ignore[arg-type]


# The cases issue #8 names: late arrivals give short days (never an error), flights on both
# banks, a Chinese tour group in July, a January trip.
LATE_NORMAL = _req(
    _at(2027, 7, 10, 19, 30, "heihe"),
    _at(2027, 7, 12, 18, 0, "heihe"),
    arrive_place="heihe-railway-station",
)
LATE_RELAXED = _req(
    _at(2027, 7, 10, 18, 30, "heihe"),
    _at(2027, 7, 12, 18, 0, "heihe"),
    pace="relaxed",
    arrive_place="heihe-aihui-airport",
)
LATE_PACKED = _req(
    _at(2027, 10, 25, 21, 0, "blagoveshchensk"),
    _at(2027, 10, 27, 18, 0, "blagoveshchensk"),
    stay=("blagoveshchensk",),
    pace="packed",
    nationality="RU",
    arrive_place="blagoveshchensk-railway-station",
)
AIRPORT_TO_AIRPORT = _req(
    _at(2027, 7, 10, 10, 0, "blagoveshchensk"),
    _at(2027, 7, 12, 18, 0, "heihe"),
    stay=("blagoveshchensk", "heihe"),
    arrive_place="blagoveshchensk-ignatyevo-airport",
    depart_place="heihe-aihui-airport",
    nationality="RU",
)
FLIGHT_AT_15 = _req(
    _at(2027, 7, 10, 9, 0, "blagoveshchensk"),
    _at(2027, 7, 11, 15, 0, "blagoveshchensk"),
    stay=("blagoveshchensk",),
    depart_place="blagoveshchensk-ignatyevo-airport",
    nationality="RU",
)
CHINESE_GROUP = _req(
    _at(2027, 7, 14, 9, 0, "heihe"),
    _at(2027, 7, 15, 20, 0, "heihe"),
    nationality="CN",
    party_size=6,
    group_tour=True,
)
EARLY_FLIGHT = _req(  # in on the night train, out on the first flight: the day starts at 05:00
    _at(2027, 7, 20, 23, 30, "heihe"),
    _at(2027, 7, 21, 7, 0, "heihe"),
    arrive_place="heihe-railway-station",
    depart_place="heihe-aihui-airport",
    nationality="CN",
)
JANUARY = _req(
    _at(2027, 1, 18, 9, 0, "heihe"),
    _at(2027, 1, 20, 18, 0, "heihe"),
    nationality="CN",
    interests=("history", "winter"),
)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    phases=PHASES,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(req=trip_requests())
@example(req=LATE_NORMAL)
@example(req=LATE_RELAXED)
@example(req=LATE_PACKED)
@example(req=AIRPORT_TO_AIRPORT)
@example(req=FLIGHT_AT_15)
@example(req=CHINESE_GROUP)
@example(req=JANUARY)
@example(req=EARLY_FLIGHT)
def test_every_plan_keeps_the_hard_rules(req: TripRequest) -> None:
    try:
        plan = plan_trip(req, catalogue=CAT, time_limit=TIME_LIMIT, budget=BUDGET)
    except PlanningError as exc:
        # The only refusal: a change of bank on a day the border cannot serve it.
        assert "no border crossing" in str(exc) and _changes_bank(req), f"{exc}\n{req!r}"
        return
    _assert_must_sees_held_or_said(req, plan)
    violations = check_plan(plan, CAT)
    if _says_departure_unreachable(plan):  # a departure too close to the arrival: said in red
        last = plan.days[-1].date
        violations = [v for v in violations if not _is_late_for_the_end(v, last)]
    assert not violations, "\n".join(
        [f"{len(violations)} violation(s) for {req!r}:"]
        + [f"  [{v.rule}] {v.day}: {v.detail}" for v in violations]
    )


def _assert_must_sees_held_or_said(req: TripRequest, plan) -> None:
    """A must-see or kept stop is in the plan, or left out with its reason said in red."""
    seen = {s.attraction.id for d in plan.days for s in d.stops}
    seen |= {m.place.id for d in plan.days for m in d.meals if m.place is not None}
    left = {x.attraction.id: x for x in plan.left_out}
    red = {
        n.message.params.get("place")
        for n in plan.warnings
        if n.severity == "red" and n.message.code == "must_see_missing"
    }
    for pid in dict.fromkeys([*req.must_see, *(p for p, _ in req.pinned)]):
        if pid in seen:
            continue
        assert pid in left, f"{pid} neither planned nor left out with a reason: {req!r}"
        assert left[pid].detail is not None and left[pid].detail.code, f"{pid}: no reason"
        assert CAT.get(pid).name in red, f"{pid} left out without a red notice: {req!r}"


def _is_late_for_the_end(v, last) -> bool:
    """The validator's words for the fact the red notice states: the end reached late."""
    return v.day == last and (v.rule == "departure" or "after the day's end" in v.detail)


def _says_departure_unreachable(plan) -> bool:
    return any(
        n.severity == "red" and n.message.code == "departure_unreachable"
        for day in plan.days
        for n in day.warnings
    )


def test_a_departure_that_cannot_be_reached_is_said_in_red_and_caught_by_the_check() -> None:
    req = _req(
        _at(2027, 7, 21, 6, 0, "heihe"),
        _at(2027, 7, 21, 6, 30, "heihe"),
        depart_place="heihe-railway-station",
        nationality="CN",
    )
    plan = plan_trip(req, catalogue=CAT, time_limit=TIME_LIMIT, budget=BUDGET)
    assert _says_departure_unreachable(plan)
    assert any(v.rule == "departure" for v in check_plan(plan, CAT))


def test_an_early_flight_is_reached_by_setting_off_before_dawn() -> None:
    plan = plan_trip(EARLY_FLIGHT, catalogue=CAT, time_limit=TIME_LIMIT, budget=BUDGET)
    last = plan.days[-1]
    assert last.leave_at is not None
    arrive_airport = last.leave_at + timedelta(minutes=last.end_leg.minutes)
    assert arrive_airport <= EARLY_FLIGHT.depart - timedelta(minutes=90)
    assert not last.items  # straight to the airport: no park at 04:00 on the way
    assert not _says_departure_unreachable(plan) and not check_plan(plan, CAT)


def test_the_named_cases_plan_without_error() -> None:
    """The issue's cases are not allowed the border refusal: each must give a plan."""
    for req in (LATE_NORMAL, LATE_RELAXED, LATE_PACKED, CHINESE_GROUP, JANUARY, FLIGHT_AT_15):
        plan = plan_trip(req, catalogue=CAT, time_limit=TIME_LIMIT, budget=BUDGET)
        assert plan.days
