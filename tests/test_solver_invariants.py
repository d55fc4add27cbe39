"""Invariants of the search on planning-shaped instances, not only its result.

The shapes are the ones `planner.planning` builds: several routes (days, or the parts of a day
split by a river crossing) with their own start and end nodes and times, places open in some
routes only and sometimes twice a day, meals as mandatory zero-score pauses with a window in
one day, and fixed events as mandatory nodes with a single-instant window in one route.
"""

from __future__ import annotations

import math
import random

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.solver import (
    FirstOf,
    Instance,
    MaxIterations,
    MaxRuntime,
    RouteSpec,
    check,
    solve,
)
from planner.solver.construct import construct
from planner.solver.search import MOVE_CAP, _local_search, _shake_random
from planner.solver.state import Problem, Routes

HOUR = 3600
DAY = 24 * HOUR


def planning_instance(rng: random.Random, days: int = 2, places: int = 12) -> Instance:
    """A trip over `days` days in two cities; some days are split by a crossing.

    Node order as in the planner: places, then each route's start and end node, then the
    meals (lunch and dinner of each day), then the fixed events.
    """
    coords: list[tuple[float, float]] = []
    cities: list[int] = []
    for _ in range(places):
        city = rng.randrange(2)
        cities.append(city)
        coords.append((city * 6.0 + rng.uniform(0, 4), rng.uniform(0, 4)))
    # Segments: (day, city, start_time, end_time); a crossing day is two segments.
    segments: list[tuple[int, int, int, int]] = []
    city = rng.randrange(2)
    for d in range(days):
        begin = d * DAY + rng.choice([8, 9, 10]) * HOUR
        end = d * DAY + rng.choice([19, 20, 21]) * HOUR
        if rng.random() < 0.5:
            cross = d * DAY + rng.choice([12, 14, 16]) * HOUR
            segments.append((d, city, begin, cross))
            city = 1 - city
            segments.append((d, city, cross + 2 * HOUR, end))
        else:
            segments.append((d, city, begin, end))
    route_nodes: list[tuple[int, int]] = []
    for _, c, _, _ in segments:
        start = len(coords)
        coords.append((c * 6.0 + rng.uniform(0, 4), rng.uniform(0, 4)))
        cities.append(c)
        coords.append((c * 6.0 + rng.uniform(0, 4), rng.uniform(0, 4)))
        cities.append(c)
        route_nodes.append((start, start + 1))
    n_located = len(coords)
    meals: list[tuple[int, int, int, int]] = []  # (day, lo, hi, length)
    for d in range(days):
        meals.append((d, d * DAY + 12 * HOUR, d * DAY + 14 * HOUR, 45 * 60))
        meals.append((d, d * DAY + 18 * HOUR, d * DAY + 20 * HOUR, 60 * 60))
    events = rng.randint(0, 2)
    n = n_located + len(meals) + events
    travel = np.zeros((n, n), dtype=np.int64)
    for i in range(n_located):
        for j in range(n_located):
            if i != j:
                dist = math.dist(coords[i], coords[j])
                if cities[i] != cities[j]:
                    dist *= 50  # no way across the river inside a route
                travel[i, j] = int(dist * 600) + 120
    # Meals are pauses wherever the traveller is: no travel to or from them.
    # Events are places too: give them a location in a random city.
    event_city = []
    for k in range(events):
        e = n_located + len(meals) + k
        c = rng.randrange(2)
        event_city.append(c)
        spot = (c * 6.0 + rng.uniform(0, 4), rng.uniform(0, 4))
        for j in range(n_located):
            dist = math.dist(spot, coords[j]) * (1 if cities[j] == c else 50)
            travel[e, j] = travel[j, e] = int(dist * 600) + 120
    scores = [0] * n
    service = [0] * n
    windows: list[list[tuple[tuple[int, int], ...]]] = [[() for _ in segments] for _ in range(n)]
    for i in range(places):
        scores[i] = rng.randint(1, 10)
        service[i] = rng.choice([30, 45, 60, 90, 120]) * 60
        split = rng.random() < 0.3  # closed at lunch
        for r, (_, c, a, b) in enumerate(segments):
            if c != cities[i] or rng.random() < 0.15:
                continue  # other bank, or closed that day
            d = segments[r][0]
            opening = [(d * DAY + 9 * HOUR, d * DAY + 17 * HOUR)]
            if split:
                opening = [
                    (d * DAY + 9 * HOUR, d * DAY + 12 * HOUR),
                    (d * DAY + 14 * HOUR, opening[0][1]),
                ]
            windows[i][r] = tuple(
                (max(lo, a), min(hi, b)) for lo, hi in opening if max(lo, a) <= min(hi, b)
            )
    mandatory = set()
    if places and rng.random() < 0.5:
        mandatory.add(rng.randrange(places))  # a must-see place
    for k, (d, lo, hi, length) in enumerate(meals):
        i = n_located + k
        service[i] = length
        for r, (day, _, a, b) in enumerate(segments):
            if day == d and max(lo, a) <= min(hi, b - length):
                windows[i][r] = ((max(lo, a), min(hi, b - length)),)
        if any(windows[i]):
            mandatory.add(i)
    for k in range(events):
        e = n_located + len(meals) + k
        options = [r for r, seg in enumerate(segments) if seg[1] == event_city[k]]
        if not options:
            continue
        r = rng.choice(options)
        _, _, a, b = segments[r]
        service[e] = HOUR
        t = rng.randrange(a, max(a + 1, b - 2 * HOUR), 15 * 60)
        windows[e][r] = ((t, t),)
        scores[e] = rng.randint(0, 5)
        mandatory.add(e)
    return Instance(
        scores=tuple(scores),
        service=tuple(service),
        travel=travel,
        windows=tuple(tuple(w) for w in windows),
        routes=tuple(
            RouteSpec(s, e, a, b)
            for (s, e), (_, _, a, b) in zip(route_nodes, segments, strict=True)
        ),
        mandatory=frozenset(mandatory),
        name="trip-shaped",
    )


def visited(state: Routes) -> set[int]:
    return {j for nd in state.nodes for j in nd[1:-1]}


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
@given(
    seed=st.integers(0, 10**6),
    days=st.integers(1, 3),
    places=st.integers(3, 25),
)
def test_local_search_never_lowers_the_value_nor_drops_a_mandatory_visit(
    seed: int, days: int, places: int
) -> None:
    rng = random.Random(seed)
    instance = planning_instance(rng, days, places)
    problem = Problem(instance)
    state = Routes(problem)
    construct(state)
    nprng = np.random.default_rng(seed)
    for k in range(15):  # local search from many states: after construction and after shakes
        before = state.value
        kept = visited(state) & instance.mandatory
        moves = _local_search(state)
        assert moves < MOVE_CAP, "the move cap, not a local optimum, ended the local search"
        assert state.value >= before
        assert kept <= visited(state), "a mandatory visit was swapped out"
        routes = [nd[1:-1] for nd in state.nodes]
        assert check(instance, routes).feasible
        _shake_random(state, rng, max_size=4, share=0.5)
        # Every other repair is far from greedy, so that swaps have something to improve.
        noisy = nprng.random(problem.U) ** 3 if k % 2 else 1.0 + 0.3 * nprng.random(problem.U)
        state.fill(noisy)


@settings(max_examples=25, deadline=None, derandomize=True)
@given(seed=st.integers(0, 10**6), days=st.integers(1, 3), places=st.integers(3, 25))
def test_search_on_trip_shaped_instances_keeps_meals_and_events(
    seed: int, days: int, places: int
) -> None:
    instance = planning_instance(random.Random(seed), days, places)
    result = solve(instance, MaxIterations(40), seed=seed)
    assert result.local_search_capped == 0
    report = check(instance, result.routes)
    assert report.feasible, report.violations
    # Every mandatory node the construction alone can place is in the final answer too.
    state = Routes(Problem(instance))
    construct(state)
    assert visited(state) & instance.mandatory <= {j for route in result.routes for j in route}


def one_route_with_a_meal_in_the_way() -> Instance:
    """A lunch pause fills 12:00-13:00; a score-9 place only fits in that same hour."""
    return Instance(
        scores=(0, 0, 9, 0),
        service=(0, 0, HOUR, HOUR),
        travel=[[0, 0, 60, 0], [0, 0, 60, 0], [60, 60, 0, 0], [0, 0, 0, 0]],
        windows=(
            ((),),
            ((),),
            (((12 * HOUR, 12 * HOUR),),),
            (((12 * HOUR, 12 * HOUR),),),
        ),
        routes=(RouteSpec(0, 1, 11 * HOUR, 14 * HOUR),),
        mandatory=frozenset({3}),
    )


def test_a_mandatory_meal_is_never_offered_for_replacement() -> None:
    instance = one_route_with_a_meal_in_the_way()
    state = Routes(Problem(instance))
    construct(state)
    assert state.nodes[0] == [0, 3, 1]
    value = state.value
    assert state.best_replace(0) is None
    assert _local_search(state) == 0
    assert state.nodes[0] == [0, 3, 1]
    assert state.value == value


def test_local_search_asks_halt_before_each_move() -> None:
    # Place 2 (score 1) is in; place 3 (score 9) only fits in its stead: one improving swap.
    instance = Instance(
        scores=(0, 1, 9),
        service=(0, 10, 10),
        travel=[[0, 5, 5], [5, 0, 50], [5, 50, 0]],
        windows=((((0, 40),),), (((0, 40),),), (((0, 40),),)),
        routes=(RouteSpec(0, 0, 0, 40),),
    )
    problem = Problem(instance)
    state = Routes(problem)
    state.insert(0, problem.cidx[1])
    assert _local_search(state, halt=lambda: True) == 0
    assert state.nodes[0] == [0, 1, 0]
    assert _local_search(state) == 1
    assert state.nodes[0] == [0, 2, 0]


def test_fill_inserts_nothing_once_halted() -> None:
    instance = planning_instance(random.Random(4), 2, 15)
    state = Routes(Problem(instance))
    assert state.fill(halt=lambda: True) == 0
    assert visited(state) == set()


class ExpiresAfter:
    """Never stops by iteration; its cheap `expired()` check fires from its n-th call on."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.calls = 0
        self.iterations = 0

    def reset(self) -> None:
        self.calls = 0
        self.iterations = 0

    def __call__(self, best_score: int) -> bool:
        self.iterations += 1
        return False

    def expired(self) -> bool:
        self.calls += 1
        return self.calls >= self.n


def test_every_loop_of_the_search_asks_the_stop_between_moves() -> None:
    instance = planning_instance(random.Random(9), 3, 25)
    for n in (1, 2, 5, 20, 100, 400):
        stop = ExpiresAfter(n)
        result = solve(instance, stop, seed=n)
        # Once expired, each loop still running asks once more on its way out, no more.
        assert stop.calls <= n + 3, (n, stop.calls)
        assert result.feasible
        assert check(instance, result.routes).feasible
        if n == 1:
            assert result.routes == [[] for _ in instance.routes]
            assert result.iterations == 0


def test_zero_runtime_still_returns_a_feasible_answer() -> None:
    instance = planning_instance(random.Random(2), 3, 25)
    for stop in (MaxRuntime(0), FirstOf(MaxIterations(10**9), MaxRuntime(0))):
        result = solve(instance, stop, seed=0)
        assert result.iterations == 0
        assert result.feasible
        assert check(instance, result.routes).feasible


def test_iteration_stops_never_expire_so_runs_stay_reproducible() -> None:
    instance = planning_instance(random.Random(5), 2, 20)
    first = solve(instance, MaxIterations(30), seed=3)
    second = solve(instance, FirstOf(MaxIterations(30), MaxRuntime(3600)), seed=3)
    assert first.routes == second.routes
    assert first.iterations == second.iterations == 30
