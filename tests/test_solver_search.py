"""The solver on tiny instances: brute-force optima, windows, fixed events, days, seeds."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.solver import (
    FirstOf,
    Instance,
    MaxIterations,
    MaxRuntime,
    NoImprovement,
    RouteSpec,
    check,
    solve,
)


def brute_force(instance: Instance) -> int:
    """Best total score by enumerating every ordered subset in every route."""
    customers = [
        i
        for i in range(instance.num_nodes)
        if i not in instance.terminals and instance.scores[i] > 0
    ]
    R = instance.num_routes
    feasible: list[list[tuple[frozenset[int], int]]] = []
    for r in range(R):
        options: dict[frozenset[int], int] = {frozenset(): 0}
        for k in range(1, len(customers) + 1):
            for seq in itertools.permutations(customers, k):
                key = frozenset(seq)
                if key in options:
                    continue
                routes = [[] for _ in range(R)]
                routes[r] = list(seq)
                if check(instance, routes).feasible:
                    options[key] = sum(instance.scores[i] for i in seq)
        feasible.append(list(options.items()))
    best = 0

    def extend(r: int, used: frozenset[int], total: int) -> None:
        nonlocal best
        if r == R:
            best = max(best, total)
            return
        for key, score in feasible[r]:
            if not key & used:
                extend(r + 1, used | key, total + score)

    extend(0, frozenset(), 0)
    return best


def random_instance(
    rng: random.Random,
    customers: int,
    routes: int,
    multi: bool = True,
    asymmetric: bool = True,
) -> Instance:
    """Depot 0, random travel (possibly asymmetric, no triangle inequality), random windows."""
    n = customers + 1
    travel = [[0 if i == j else rng.randint(1, 30) for j in range(n)] for i in range(n)]
    if not asymmetric:
        for i in range(n):
            for j in range(i):
                travel[i][j] = travel[j][i]
    day = 100
    windows = []
    for i in range(n):
        per_route = []
        for r in range(routes):
            base = r * day
            if i == 0:
                per_route.append(((base, base + day),))
                continue
            if rng.random() < 0.15:
                per_route.append(())
                continue
            pairs = []
            t = base + rng.randint(0, 40)
            for _ in range(rng.randint(1, 3 if multi else 1)):
                end = t + rng.randint(0, 25)
                if end > base + day:
                    break
                pairs.append((t, end))
                t = end + rng.randint(1, 20)
            per_route.append(tuple(pairs))
        windows.append(tuple(per_route))
    return Instance(
        scores=(0, *[rng.randint(1, 9) for _ in range(customers)]),
        service=(0, *[rng.randint(0, 15) for _ in range(customers)]),
        travel=travel,
        windows=tuple(windows),
        routes=tuple(RouteSpec(0, 0, r * day, r * day + day) for r in range(routes)),
    )


@pytest.mark.parametrize("seed", range(6))
def test_tiny_instances_reach_the_brute_force_optimum(seed: int) -> None:
    rng = random.Random(seed)
    instance = random_instance(rng, customers=5, routes=1 + seed % 2)
    result = solve(instance, MaxIterations(150), seed=seed)
    assert check(instance, result.routes).feasible
    assert result.score == brute_force(instance)


def test_two_day_instance_with_hotel_change_reaches_optimum() -> None:
    # Nodes 0 and 1 are hotels; day 1 goes 0 -> 1, day 2 stays at 1. Four places.
    travel = np.array(
        [
            [0, 10, 5, 8, 20, 25],
            [10, 0, 9, 4, 6, 7],
            [5, 9, 0, 6, 18, 22],
            [8, 4, 6, 0, 10, 12],
            [20, 6, 18, 10, 0, 3],
            [25, 7, 22, 12, 3, 0],
        ],
        dtype=np.int64,
    )
    windows = (
        ((), ()),
        ((), ()),
        (((0, 30),), ((100, 130),)),
        (((10, 40),), ()),
        (((0, 5),), ((110, 150),)),
        ((), ((100, 105), (140, 150))),
    )
    instance = Instance(
        scores=(0, 0, 4, 3, 6, 5),
        service=(0, 0, 10, 10, 10, 10),
        travel=travel,
        windows=windows,
        routes=(RouteSpec(0, 1, 0, 60), RouteSpec(1, 1, 100, 160)),
    )
    result = solve(instance, MaxIterations(100), seed=1)
    assert check(instance, result.routes).feasible
    assert result.score == brute_force(instance)
    assert 3 not in result.routes[1]  # 3 is closed on day 2
    assert 5 not in result.routes[0]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
@given(seed=st.integers(0, 10**6), customers=st.integers(1, 7), routes=st.integers(1, 3))
def test_every_returned_route_respects_windows_and_day_ends(
    seed: int, customers: int, routes: int
) -> None:
    instance = random_instance(random.Random(seed), customers, routes)
    result = solve(instance, MaxIterations(15), seed=seed)
    report = check(instance, result.routes)
    assert report.feasible, report.violations
    assert report.score == result.score
    assert report.start_times == result.start_times
    for r, route in enumerate(result.routes):
        for node, begin in zip(route, result.start_times[r], strict=True):
            assert instance.windows[node][r], "node placed on a day it is unavailable"
            assert any(e <= begin <= la for e, la in instance.windows[node][r])


@settings(max_examples=30, deadline=None, derandomize=True)
@given(
    seed=st.integers(0, 10**6),
    customers=st.integers(2, 7),
    routes=st.integers(1, 3),
    data=st.data(),
)
def test_fixed_time_event_is_served_exactly_at_its_time(
    seed: int, customers: int, routes: int, data: st.DataObject
) -> None:
    rng = random.Random(seed)
    base = random_instance(rng, customers, routes)
    event = data.draw(st.integers(1, customers))
    day = data.draw(st.integers(0, routes - 1))
    spec = base.routes[day]
    earliest = spec.start_time + base.travel[0][event]
    latest = spec.end_time - base.service[event] - base.travel[event][0]
    if earliest > latest:
        return  # the event cannot fit in that day at all
    t = data.draw(st.integers(earliest, latest))
    windows = list(base.windows)
    windows[event] = tuple(((t, t),) if r == day else () for r in range(routes))
    instance = Instance(
        scores=base.scores,
        service=base.service,
        travel=base.travel,
        windows=tuple(windows),
        routes=base.routes,
        mandatory=frozenset({event}),
    )
    result = solve(instance, MaxIterations(10), seed=seed)
    assert check(instance, result.routes).feasible
    assert result.unplaced_mandatory == frozenset()
    position = result.routes[day].index(event)
    assert result.start_times[day][position] == t


def test_mandatory_low_score_place_is_visited_even_at_a_cost() -> None:
    # Node 3 (score 1) is far away: alone it excludes 1 and 2 (score 10 each).
    travel = [
        [0, 5, 5, 40],
        [5, 0, 2, 40],
        [5, 2, 0, 40],
        [40, 40, 40, 0],
    ]
    windows = tuple(((0, 100),) for _ in range(4))
    free = Instance(
        scores=(0, 10, 10, 1),
        service=(0, 10, 10, 10),
        travel=travel,
        windows=tuple((w,) for w in windows),
        routes=(RouteSpec(0, 0, 0, 95),),
    )
    unforced = solve(free, MaxIterations(20))
    assert unforced.routes == [[1, 2]] or unforced.routes == [[2, 1]]
    forced = Instance(
        scores=free.scores,
        service=free.service,
        travel=free.travel,
        windows=free.windows,
        routes=free.routes,
        mandatory=frozenset({3}),
    )
    result = solve(forced, MaxIterations(20))
    assert 3 in result.routes[0]
    assert result.unplaced_mandatory == frozenset()
    assert check(forced, result.routes).feasible


def test_unplaceable_mandatory_place_is_reported_not_raised() -> None:
    instance = Instance(
        scores=(0, 5, 5),
        service=(0, 10, 10),
        travel=[[0, 50, 5], [50, 0, 50], [5, 50, 0]],
        windows=((((0, 60),),), (((0, 60),),), (((0, 60),),)),
        routes=(RouteSpec(0, 0, 0, 60),),
        mandatory=frozenset({1}),
    )
    result = solve(instance, MaxIterations(10))
    assert result.unplaced_mandatory == frozenset({1})
    assert result.routes == [[2]]


def test_place_closed_on_a_day_is_never_put_on_that_day() -> None:
    rng = random.Random(7)
    base = random_instance(rng, 6, 2, multi=False)
    windows = list(base.windows)
    windows[1] = ((), ((100, 200),))  # open on day 2 only
    instance = Instance(
        scores=base.scores,
        service=base.service,
        travel=base.travel,
        windows=tuple(windows),
        routes=base.routes,
    )
    for seed in range(5):
        result = solve(instance, MaxIterations(30), seed=seed)
        assert 1 not in result.routes[0]
        assert check(instance, result.routes).feasible


def test_museum_closed_at_lunch_is_visited_in_the_afternoon() -> None:
    # The only way to reach place 2 is after 12:00; its lunch break moves service to 13:00.
    instance = Instance(
        scores=(0, 5, 8),
        service=(0, 60, 60),
        travel=[[0, 30, 30], [30, 0, 150], [30, 150, 0]],
        windows=(
            (((480, 1200),),),
            (((540, 600),),),
            (((540, 720), (780, 1000)),),
        ),
        routes=(RouteSpec(0, 0, 480, 1200),),
    )
    result = solve(instance, MaxIterations(30))
    assert result.routes == [[1, 2]]
    assert result.start_times == [[540, 780]]


def test_same_seed_gives_the_same_answer_with_an_iteration_stop() -> None:
    instance = random_instance(random.Random(11), 12, 2)
    first = solve(instance, MaxIterations(60), seed=5)
    second = solve(instance, MaxIterations(60), seed=5)
    assert first.routes == second.routes
    assert first.iterations == second.iterations == 60


def test_stopping_criteria_combine() -> None:
    instance = random_instance(random.Random(3), 6, 1)
    result = solve(instance, FirstOf(MaxIterations(1000), NoImprovement(5)), seed=0)
    assert result.iterations < 1000
    timed = solve(instance, MaxRuntime(0.05), seed=0)
    assert timed.runtime_s < 1.0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"scores": (0, -1)}, "non-negative"),
        ({"service": (0,)}, "service"),
        ({"travel": [[0, 1]]}, "travel"),
        ({"travel": np.array([[0, 1], [1, 0]], dtype=float)}, "integers"),
        ({"windows": ((((0, 10),),), (((5, 3),),))}, "invalid window"),
        ({"windows": ((((0, 10),),), (((5, 8), (1, 3)),))}, "sorted"),
        ({"windows": (((0, 10),), ((0, 10),))}, "pair"),
        ({"routes": ()}, "at least one route"),
        ({"routes": (RouteSpec(0, 0, 10, 5),)}, "before it starts"),
        ({"mandatory": frozenset({0})}, "mandatory"),
    ],
)
def test_invalid_instances_are_rejected_with_a_clear_message(
    change: dict[str, object], message: str
) -> None:
    fields: dict[str, object] = {
        "scores": (0, 3),
        "service": (0, 1),
        "travel": [[0, 1], [1, 0]],
        "windows": ((((0, 10),),), (((0, 10),),)),
        "routes": (RouteSpec(0, 0, 0, 10),),
    }
    fields.update(change)
    with pytest.raises(ValueError, match=message):
        Instance(**fields)  # type: ignore[arg-type]


def test_instance_is_frozen_and_hashable() -> None:
    instance = random_instance(random.Random(1), 3, 1)
    with pytest.raises(AttributeError):
        instance.scores = (0,)  # type: ignore[misc]
    assert hash(instance) == hash(instance)


def test_instance_without_places_gives_empty_routes() -> None:
    instance = Instance(
        scores=(0, 0),
        service=(0, 0),
        travel=[[0, 5], [5, 0]],
        windows=((((0, 50),), ((0, 50),)), (((0, 50),), ((0, 50),))),
        routes=(RouteSpec(0, 1, 0, 50), RouteSpec(1, 0, 0, 50)),
    )
    result = solve(instance, MaxIterations(3))
    assert result.routes == [[], []]
    assert result.score == 0
    assert result.feasible


def test_check_names_a_place_put_on_a_day_it_is_closed() -> None:
    instance = Instance(
        scores=(0, 4),
        service=(0, 1),
        travel=[[0, 1], [1, 0]],
        windows=((((0, 50),), ((50, 100),)), ((), ((50, 100),))),
        routes=(RouteSpec(0, 0, 0, 50), RouteSpec(0, 0, 50, 100)),
    )
    report = check(instance, [[1], []])
    assert not report.feasible
    assert report.violations == ("route 0: node 1 cannot be served in this route",)
    assert check(instance, [[], [1]]).feasible
