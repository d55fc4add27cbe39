"""Spreading a stay over its days, as a guide does: the solver alone fills the first day and
leaves the others thin. Which stops to move, and how uneven a plan is.
"""

from __future__ import annotations

from datetime import timedelta

from planner.model import Attraction
from planner.planning.variants import Outcome
from planner.trip import TripRequest

# Days differing by this many minutes of sights are evened out, if the plan keeps this share of
# its score; only days of at least BALANCE_MIN_DAY count.
BALANCE_GAP_MIN = 120
BALANCE_KEEP = 0.97
BALANCE_MIN_DAY = timedelta(hours=6)
BALANCE_ROUNDS = 3
BALANCE_IDLE_S = 60 * 60  # more waiting allowed per day of the trip (a free hour a day, said
# in the plan when a wait is over 90 minutes; not three free afternoons)


def home_loads(outcome: Outcome) -> dict[str, dict[int, int]]:
    """Minutes of sights on each full day spent wholly in one city, by city."""
    loads: dict[str, dict[int, int]] = {}
    for i, (day, spec) in enumerate(zip(outcome.decoded.days, outcome.variant.specs, strict=True)):
        if day.crossings or day.city_start != day.city_end:
            continue
        if spec.end - spec.start < BALANCE_MIN_DAY:
            continue
        minutes = sum(int((v.depart - v.arrive).total_seconds() // 60) for v in day.stops)
        loads.setdefault(day.city_start, {})[i] = minutes
    return loads


def load_spread(outcome: Outcome) -> float:
    """How unevenly sights are spread over the full days in each city (sum of squared
    differences from each city's mean, in minutes squared)."""
    total = 0.0
    for loads in home_loads(outcome).values():
        mean = sum(loads.values()) / len(loads)
        total += sum((v - mean) ** 2 for v in loads.values())
    return total


def balancing_pins(
    req: TripRequest, outcome: Outcome, clusters: list[list[Attraction]] = ()
) -> tuple[tuple[str, int], ...]:
    """Places to move from the fullest day to the emptiest one in the same city, as a guide
    spreads a stay (the solver alone fills the first day and leaves the others thin): the
    heavy day's latest stops, about half the difference. Must-see and kept places stay."""
    # Must-see and kept places stay; an excursion's places move only all together (never).
    fixed = set(req.must_see) | {pid for pid, _ in req.pinned}
    fixed |= {p.id for group in clusters for p in group}
    pins: list[tuple[str, int]] = []
    # Every other stop stays on its day, so the search re-orders days but cannot undo the move.
    for index, day in enumerate(outcome.decoded.days):
        pins += [(v.attraction.id, index) for v in day.stops if v.attraction.id not in fixed]
    moves: list[tuple[str, int]] = []
    for loads in home_loads(outcome).values():
        if len(loads) < 2:
            continue
        heavy = max(loads, key=lambda i: (loads[i], -i))
        light = min(loads, key=lambda i: (loads[i], i))
        gap = loads[heavy] - loads[light]
        if gap < BALANCE_GAP_MIN:
            continue
        moved = 0
        for visit in sorted(
            outcome.decoded.days[heavy].stops, key=lambda v: v.arrive, reverse=True
        ):
            if moved >= gap // 2:
                break
            if visit.attraction.id in fixed:
                continue
            moves.append((visit.attraction.id, light))
            moved += int((visit.depart - visit.arrive).total_seconds() // 60)
    return tuple(pins + moves) if moves else ()
