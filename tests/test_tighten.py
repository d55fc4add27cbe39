"""Polishing a day's order: less riding and waiting, every window kept."""

from __future__ import annotations

from planner.planning.tighten import route_cost, tighten
from planner.solver import Instance, RouteSpec

HOUR = 3600


def _day() -> Instance:
    """Hotel 0 → hotel 3; a monument (1) open all day, a museum (2) opening at 10:00, 40 min
    away from everything. The day may start at 08:00."""
    travel = [
        [0, 600, 2400, 0],
        [600, 0, 2400, 600],
        [2400, 2400, 0, 2400],
        [0, 600, 2400, 0],
    ]
    always = ((8 * HOUR, 20 * HOUR),)
    return Instance(
        scores=(0, 10, 10, 0),
        service=(0, 600, 3600, 0),
        travel=travel,
        windows=((always,), (always,), (((10 * HOUR, 17 * HOUR),),), (always,)),
        routes=(RouteSpec(0, 3, 8 * HOUR, 20 * HOUR),),
    )


def test_a_quick_look_first_then_an_hour_waiting_for_the_museum_is_reordered():
    inst = _day()
    before = route_cost(inst, 0, [1, 2], free_first_wait=True)
    (after_route,) = tighten(inst, [[1, 2]], free_first={0})
    assert after_route == [2, 1]
    assert route_cost(inst, 0, after_route, free_first_wait=True) < before


def test_an_order_that_only_works_as_given_is_kept():
    inst = _day()
    # The museum's window closes at 17:00: a route reaching it later is left alone.
    late = Instance(
        scores=inst.scores,
        service=inst.service,
        travel=inst.travel,
        windows=inst.windows,
        routes=(RouteSpec(0, 3, 16 * HOUR + 1800, 20 * HOUR),),
    )
    assert route_cost(late, 0, [1, 2], free_first_wait=False) is None
    assert tighten(late, [[1, 2]]) == [[1, 2]]
    assert tighten(late, [[2, 1]]) == [[2, 1]]
