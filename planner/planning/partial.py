"""A partial re-plan: only the days an edit concerns are planned again, the others stay.

The edited request is planned with the places of the other days held back (they stay where they
are), the untouched stops of the concerned days pinned to their day, and new places allowed only
on the concerned days; the caller then takes the concerned days of the answer (`splice_days`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import replace

from planner.catalogue import Catalogue, load_catalogue
from planner.planning.service import DEFAULT_BUDGET, WorkBudget, plan_trip
from planner.trip import Itinerary, TripRequest


def replan_days(
    req: TripRequest,
    days: Collection[int],
    keep: Iterable[tuple[str, int]],
    held: Collection[str],
    catalogue: Catalogue | None = None,
    time_limit: float = 2.0,
    seed: int | None = None,
    budget: WorkBudget = DEFAULT_BUDGET,
    across_on: int | None = None,
    may_cross: bool = False,
    order: Sequence[tuple[int, Sequence[str]]] = (),
) -> Itinerary:
    """Plan *req* again on *days* only.

    Parameters
    ----------
    req: the whole trip's request after the edit.
    days: the day indices (from 0) planned again.
    keep: (place id, day) stops of those days that the edit leaves: kept on their day.
    held: places visited on the other days: not planned again (they stay where they are).
    across_on: a concerned day that was a day across the river: it stays one.
    may_cross: whether another concerned day may become a day across (the edit asks for a
        place on the other bank); otherwise none does.
    order: (day, place ids): that day's stops in the traveller's order, re-timed.

    Returns
    -------
    The itinerary of the whole trip; only its *days* are meant to be used.
    """
    cat = catalogue or load_catalogue()
    hold = set(held)
    pins = [(pid, day) for pid, day in req.pinned if pid not in hold and day in days]
    pins += [(pid, day) for pid, day in keep if pid not in hold and day in days]
    pinned = tuple(dict.fromkeys(pins))
    if across_on is not None:
        across, across_day = "yes", across_on
    elif may_cross:
        across, across_day = req.day_across, req.day_across_on
    else:
        across, across_day = "no", None
    partial = replace(
        req,
        must_see=tuple(m for m in req.must_see if m not in hold),  # pinned ones are added
        exclude=tuple(dict.fromkeys([*req.exclude, *sorted(hold)])),
        pinned=pinned,
        day_across=across,
        day_across_on=across_day,
        open_days=tuple(sorted(days)),
        stop_order=tuple((day, tuple(ids)) for day, ids in order),
    )
    return plan_trip(partial, cat, time_limit=time_limit, seed=seed, budget=budget)


def splice_days(
    old: Itinerary, new: Itinerary, days: Collection[int], request: TripRequest
) -> Itinerary:
    """*old* with its *days* taken from *new*: the places now visited are no longer left out,
    and the trip's warnings are the new plan's."""
    spliced = tuple(new.days[i] if i in days else day for i, day in enumerate(old.days))
    visited = {v.attraction.id for day in spliced for v in day.stops}
    left = tuple(x for x in new.left_out if x.attraction.id not in visited)
    return replace(new, request=request, days=spliced, left_out=left)
