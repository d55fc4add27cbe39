"""Solving one variant of a trip (which days go across, on which departures): the search on
its work budget, the repairs a guide expects (a must-see made late by the real legs is planned
off that day, an excursion not worth its ride is left out, a day across short of sights is
weighed again), and the value of the result for the traveller.

`plan_trip` (service.py) builds the variants and keeps the best; this module solves each.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

from planner.model import Attraction
from planner.planning.builder import CITY_CENTRES, Builder, Built
from planner.planning.decode import Decoded, crossing_fares, decode, over_daily_budget
from planner.planning.order import ordered_routes
from planner.planning.rules import (
    ABROAD_MIN_VISIT_MIN,
    ABROAD_MINUTE_SCORE,
    BORDER_PENALTY_PER_HOUR,
    IDLE_PENALTY_PER_HOUR,
    OTHER_CITY_BONUS,
    TRAVEL_PENALTY_PER_HOUR,
)
from planner.planning.tighten import tighten
from planner.planning.variants import Outcome, Variant, allowed_days
from planner.solver import FirstOf, MaxIterations, MaxRuntime, NoImprovement, check, solve
from planner.trip import TripRequest

MISSED_MEAL_PENALTY = 60


@dataclass(frozen=True)
class WorkBudget:
    """How much search a plan gets, in iterations: the same request on the same data gives the
    same plan on any machine. The wall clock (`plan_trip`'s time limit) is only a cap, reached
    on an overloaded machine; then the plan says it was cut short (`stats["capped"]`)."""

    iterations: int = 400  # per solve of a variant (and of the meal pass, each spreading round)
    no_improvement: int = 200  # ... or fewer, once this many give nothing better


def request_seed(req: TripRequest) -> int:
    """A seed drawn from the request itself (its stable repr), so that two identical requests
    search alike and two different ones do not share their luck."""
    return zlib.crc32(repr(req).encode("utf-8"))


@dataclass
class Search:
    """What every solve of one plan shares: the request, its builder (legs, windows) and far
    excursions, the work budget and seed, the exchange rates, and whether a day across was
    asked for or forced (a kept stop or must-see there)."""

    req: TripRequest
    builder: Builder
    clusters: list[list[Attraction]]
    budget: WorkBudget
    seed: int
    rates: dict[str, float]
    forced: bool = False


# A variant whose departure or crossing is missed even going straight is kept only when no
# other holds (then the plan says so in red); any plan that makes it wins over it.
LATE_PENALTY = 100_000
OVER_BUDGET_PENALTY = 300  # a day across that the budget cannot pay for
# The day's last crossing has no fallback: an earlier one is worth more than a landmark.
LAST_CROSSING_PENALTY = 150
LONG_VISIT_FACTOR = 5  # the second try of a day across short of sights
FORCED_DAY_BONUS = 10_000  # a day across the traveller asked for wins over staying put
MUST_SEE_RETRIES = 2  # a must-see made late by the real legs: solved again off that day
MISSING_MUST_SEE_PENALTY = 20_000  # more than a forced day across: the traveller named it


def worth_crossing(dec: Decoded, abroad: int) -> bool:
    """A day across is a real visit (ABROAD_MIN_VISIT_MIN of sights), not hours of ports."""
    return bool(abroad) and dec.abroad_visit_s >= ABROAD_MIN_VISIT_MIN * 60 * abroad


def plan_value(dec: Decoded, abroad: int) -> float:
    """What a traveller gains from a plan, in score points.

    The other city is the reason most visitors come, so a day there earns a bonus that
    outweighs the home bank's sights, but only when it is a real visit.
    """
    worth_it = worth_crossing(dec, abroad)
    return (
        dec.score
        - IDLE_PENALTY_PER_HOUR * dec.idle_s / 3600
        - TRAVEL_PENALTY_PER_HOUR * dec.travel_s / 3600
        - BORDER_PENALTY_PER_HOUR * dec.border_s / 3600
        - MISSED_MEAL_PENALTY * len(dec.missed_meals)
        - LAST_CROSSING_PENALTY * sum(c.last_of_day for d in dec.days for c in d.crossings)
        + (OTHER_CITY_BONUS if worth_it else 0)
    )


def solve_variant(
    search: Search,
    variant: Variant,
    cap: float,
    meal_spots: dict | None = None,
    req: TripRequest | None = None,
) -> Outcome | None:
    """Solve one variant on the search's budget, within *cap* seconds of wall time (0:
    construction only), for *req* (default: the search's; the spreading pins stops).
    None: infeasible, or a day across that is not worth the border and was not forced."""
    req = req or search.req
    builder = search.builder
    outcome = _solve_once(search, req, variant, cap, meal_spots)
    if outcome is None:
        return None
    dec = outcome.decoded
    if variant.abroad and not search.forced and not worth_crossing(dec, variant.abroad):
        # Short of real sights there: weigh each minute across more (a museum or the
        # embankment over a row of monuments), once; still short, it is not planned.
        builder.abroad_minute_score = ABROAD_MINUTE_SCORE * LONG_VISIT_FACTOR
        try:
            outcome = _solve_once(search, req, variant, cap, meal_spots)
        finally:
            builder.abroad_minute_score = ABROAD_MINUTE_SCORE
        if outcome is None or not worth_crossing(outcome.decoded, variant.abroad):
            return None  # not worth the border: never planned unless asked for or forced
    if search.forced and variant.abroad:
        outcome.value += FORCED_DAY_BONUS  # asked for (or a kept stop or must-see there)
    return outcome


def _solve_once(
    search: Search,
    req: TripRequest,
    variant: Variant,
    cap: float,
    meal_spots: dict | None,
) -> Outcome | None:
    """Solve and decode one variant. A must-see that the real legs make late on its day (the
    search sees a meal as a pause, not the ride it hides) is solved again kept off that day,
    at most MUST_SEE_RETRIES times: a free day is better than a dropped must-see."""
    avoid: dict[str, set[int]] = {}
    outcome = None
    every_day = {spec.index for spec in variant.specs}
    for _retry in range(MUST_SEE_RETRIES + 1):
        outcome = _solve_avoiding(search, req, variant, cap, meal_spots, avoid)
        if outcome is None:
            return None
        late = [
            (pid, day)
            for pid, day in _must_sees_dropped(req, outcome)
            if day not in avoid.get(pid, ())
        ]
        # An excursion not worth its ride (a 20-minute pavilion 50 minutes out of town):
        # its places are left out, and the search tries again without them.
        wasted = [p for p in _wasted_excursions(search, req, outcome) if p not in avoid]
        if not late and not wasted:
            break
        for pid, day in late:
            avoid.setdefault(pid, set()).add(day)
        for pid in wasted:
            avoid[pid] = set(every_day)
    return outcome


def _wasted_excursions(search: Search, req: TripRequest, outcome: Outcome) -> list[str]:
    """The places of far excursions whose minutes of sights are fewer than the minutes of
    riding there and back (no must-see or kept stop among them)."""
    dec, must = outcome.decoded, set(req.must_see)
    minutes: dict[str, float] = {}
    for day in dec.days:
        for stop in day.stops:
            minutes[stop.attraction.id] = (stop.depart - stop.arrive).total_seconds()
    out: list[str] = []
    for group in search.clusters:
        seen = [p for p in group if p.id in minutes]
        if not seen or any(p.id in must for p in group):
            continue
        city = group[0].city
        ride = 2 * search.builder.seconds(city, CITY_CENTRES[city], seen[0].location)
        if sum(minutes[p.id] for p in seen) < ride:
            out.extend(p.id for p in group)
    return out


def _must_sees_dropped(req: TripRequest, outcome: Outcome) -> list[tuple[str, int]]:
    """The must-sees the search placed that the real legs then dropped, with their day."""
    built, dec = outcome.built, outcome.decoded
    must = set(req.must_see)
    out = []
    for r, route in enumerate(outcome.routes):
        for node in route:
            place = built.nodes[node].attraction
            if place is not None and place.id in must and place.id not in dec.visited:
                out.append((place.id, built.segments[r].day))
    return out


def _solve_avoiding(
    search: Search,
    req: TripRequest,
    variant: Variant,
    cap: float,
    meal_spots: dict | None,
    avoid: dict[str, set[int]],
) -> Outcome | None:
    """One solve: places kept off the days in *avoid*, the result decoded and valued."""
    builder, budget, rates = search.builder, search.budget, search.rates
    allowed = allowed_days(search.clusters, variant, req.pinned)
    every_day = {spec.index for spec in variant.specs}
    for pid, days in avoid.items():
        allowed[pid] = set(allowed.get(pid, every_day)) - days
    if req.open_days is not None:  # a partial re-plan: the other days are kept as they were
        for place in builder.candidates:
            allowed[place.id] = set(allowed.get(place.id, every_day)) & set(req.open_days)
    built = builder.build(variant.specs, variant.crossings, meal_spots, allowed)
    stop = (
        FirstOf(
            MaxIterations(budget.iterations),
            NoImprovement(budget.no_improvement),
            MaxRuntime(cap),
        )
        if cap > 0
        else MaxIterations(0)
    )
    result = solve(built.instance, stop, search.seed)
    if not check(built.instance, result.routes).feasible:
        return None
    meals = {i for i, node in enumerate(built.nodes) if node.kind == "meal"}
    routes = tighten(built.instance, result.routes, _free_first_wait(built), meals=meals)
    if req.stop_order:  # the traveller's order of a day's stops, if it holds
        routes = ordered_routes(built, routes, req.stop_order)
        if not check(built.instance, routes).feasible:
            return None
    drop = over_daily_budget(req, built, routes, rates)
    dec = decode(req, built, routes, builder, drop)
    dec.dropped_budget = drop  # type: ignore[attr-defined]
    value = plan_value(dec, variant.abroad) - LATE_PENALTY * built.meta.get("late_segments", 0)
    # A must-see or kept stop the variant cannot hold (no window on the days it allows: a
    # day across on the day of a kept excursion) loses to every variant that holds it.
    planned = {p.id for p in builder.candidates}
    missing = [m for m in req.must_see if m in planned and m not in dec.visited]
    value -= MISSING_MUST_SEE_PENALTY * len(missing)
    if req.daily_budget is not None:
        # A day across whose fares alone break the budget is not sold to that traveller.
        value -= OVER_BUDGET_PENALTY * sum(
            1
            for cs in variant.crossings.values()
            if len(cs) == 2 and crossing_fares(req, cs, rates) > req.daily_budget
        )
    return Outcome(variant, built, dec, value, routes)


def _free_first_wait(built: Built) -> set[int]:
    """Routes whose wait before the first stop is absorbed by leaving later: each day's first
    segment, except on the arrival day (the traveller is already out)."""
    seen: set[int] = set()
    free = set()
    for r, seg in enumerate(built.segments):
        if seg.day not in seen:
            seen.add(seg.day)
            if seg.day > 0:
                free.add(r)
    return free
