"""An independent check of a plan's hard rules (issue #8), and the margins a plan keeps.

The planner enforces these rules inside its model; this module checks them again from the
outside, recomputing legs (planner.travel), opening hours (planner.hours), sunrise and sunset
(astral) and the border's departures (planner.crossing) itself. It reads only the constants of
planner.planning.rules, never the planner's own helpers, so a bug there cannot hide here.
Pure Python (no Flask); the property tests and bench/plan.py use it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from planner.catalogue import Catalogue, load_catalogue
from planner.plan_check.checks import (
    check_arrival,
    check_banks,
    check_clocks,
    check_days,
    check_departure,
    check_hours,
    check_last_crossings,
    check_meals,
    check_order_and_legs,
    check_places,
    depart_margin,
)
from planner.plan_check.walk import (
    DEFAULT_HOTELS,
    Violation,
    _local_day,
    _minutes,
    _open_periods,
    _walk,
)
from planner.trip import Crossing, Itinerary, Visit

CHECKS: tuple[Callable[[Itinerary, Catalogue], list[Violation]], ...] = (
    check_order_and_legs,
    check_arrival,
    check_departure,
    check_banks,
    check_last_crossings,
    check_hours,
    check_meals,
    check_places,
    check_days,
)


def check_plan(plan: Itinerary, catalogue: Catalogue | None = None) -> list[Violation]:
    """Every hard rule a plan keeps, checked from the outside.

    Parameters
    ----------
    plan: an itinerary from plan_trip() (or made by hand).
    catalogue: the catalogue it was planned on; the default one when None.

    Returns
    -------
    The violations, empty when the plan keeps every rule. When a datetime is naive only those
    are reported: nothing else can be compared.
    """
    cat = catalogue or load_catalogue()
    out = check_clocks(plan, cat)
    if any(v.rule == "aware" for v in out):
        return out
    for check in CHECKS:
        out.extend(check(plan, cat))
    return out


# --------------------------------------------------------------------------- margins


@dataclass(frozen=True)
class Margins:
    """How much room a plan keeps, in minutes (None when it has nothing of that kind)."""

    departure: float | None = None  # reaching the departure point, beyond the required margin
    report: float | None = None  # the tightest arrival at a crossing's report time
    closing: float | None = None  # the tightest visit end before its place closes
    legs: list[float] = field(default_factory=list)  # room before each item after its leg


def margins(plan: Itinerary, catalogue: Catalogue | None = None) -> Margins:
    """The room a plan keeps before its deadlines (for benchmarks; assumes an aware plan)."""
    cat = catalogue or load_catalogue()
    req = plan.request
    walked = _walk(plan, cat)
    departure = report = closing = None
    legs = []
    for wd in walked:
        clock = wd.plan.leave_at or wd.plan.start
        for step in wd.steps:
            room = (step.start - clock - _minutes(step.leg)).total_seconds() / 60
            legs.append(room)
            if isinstance(step.item, Crossing):
                report = room if report is None else min(report, room)
            if isinstance(step.item, Visit):
                place = step.item.attraction
                periods, _ = _open_periods(place, _local_day(step.start, place.city))
                ends = [b for a, b in periods if a <= step.start and step.end <= b]
                if ends:
                    left = (min(ends) - step.end).total_seconds() / 60
                    closing = left if closing is None else min(closing, left)
            clock = step.end
    if walked and walked[-1].steps:
        last = walked[-1]
        at = last.steps[-1].end + _minutes(last.plan.end_leg)
        departure = (req.depart - depart_margin(req, cat) - at).total_seconds() / 60
    return Margins(departure, report, closing, legs)


__all__ = ["CHECKS", "DEFAULT_HOTELS", "Margins", "Violation", "check_plan", "margins"]
