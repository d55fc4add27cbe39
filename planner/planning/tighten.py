"""Re-order each day's stops to cut waiting and riding, keeping every time window.

The solver maximises what is seen; two orders of the same stops are equal to it, even when one
has the traveller wait an hour for a museum to open after a quick look at a monument across
town. A guide would not hand that over, so the chosen routes are polished here: a stop is moved
to another place in its route whenever that lowers the minutes spent riding and waiting, as
long as every window and the route's end still hold (or-opt on the solver's own model).
Waiting before a day's first stop is not counted where the day can simply start later, unless
that first stop is a meal: a morning spent waiting for lunch is an empty morning, so a stop that
fits before lunch is moved there.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

from planner.solver import Instance

MAX_PASSES = 8  # improvements per route; a day has a dozen stops at most


def route_cost(
    inst: Instance,
    r: int,
    seq: Sequence[int],
    free_first_wait: bool,
    meals: Collection[int] = (),
) -> int | None:
    """Seconds riding and waiting along route *r* visiting *seq*; None if a window is missed."""
    spec = inst.routes[r]
    travel = inst.travel
    clock, prev, cost = spec.start_time, spec.start_node, 0
    for n, node in enumerate(seq):
        ride = travel[prev][node]
        arrive = clock + ride
        begin = next(
            (max(arrive, a) for a, b in inst.windows[node][r] if max(arrive, a) <= b), None
        )
        if begin is None:
            return None
        free = n == 0 and free_first_wait and node not in meals
        cost += ride + (0 if free else begin - arrive)
        clock, prev = begin + inst.service[node], node
    ride = travel[prev][spec.end_node]
    if clock + ride > spec.end_time:
        return None
    return cost + ride


def tighten(
    inst: Instance,
    routes: Sequence[Sequence[int]],
    free_first: Collection[int] = (),
    halt: Callable[[], bool] = lambda: False,
    meals: Collection[int] = (),
) -> list[list[int]]:
    """The same stops per route, each route in the order that rides and waits least (a local
    optimum of single moves). *free_first*: routes whose first wait is absorbed by a later
    start (except before a meal, among *meals*). A route that does not hold as given is left
    as it is."""
    out: list[list[int]] = []
    for r, given in enumerate(routes):
        seq = list(given)
        first_free = r in free_first
        cost = route_cost(inst, r, seq, first_free, meals)
        passes = 0
        while cost is not None and passes < MAX_PASSES and not halt():
            better = _best_move(inst, r, seq, cost, first_free, meals)
            if better is None:
                break
            seq, cost = better
            passes += 1
        out.append(seq)
    return out


def _best_move(
    inst: Instance, r: int, seq: list[int], cost: int, first_free: bool, meals: Collection[int]
) -> tuple[list[int], int] | None:
    best: tuple[list[int], int] | None = None
    for i in range(len(seq)):
        rest = seq[:i] + seq[i + 1 :]
        for j in range(len(rest) + 1):
            if j == i:
                continue
            candidate = rest[:j] + [seq[i]] + rest[j:]
            value = route_cost(inst, r, candidate, first_free, meals)
            if value is not None and value < (best[1] if best else cost):
                best = (candidate, value)
    return best
