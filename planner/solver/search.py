"""Iterated local search for the TOPTW (Vansteenwegen et al. 2009) with restarts from the best.

One iteration: shake (remove `size` consecutive visits from every route, starting at
`start`), then greedy re-insertion. The shake parameters walk through the routes as in
the paper; after a run of iterations without improvement the search returns to the best
solution, so the walk does not drift far from good regions.
"""

from __future__ import annotations

import math
import os
import random
import time

import numpy as np

from planner.solver.construct import construct
from planner.solver.instance import Instance
from planner.solver.result import Result
from planner.solver.state import Problem, Routes
from planner.solver.stop import StoppingCriterion

PARAMS = {
    "noise": 0.3,
    "shake": "rand",
    "accept": "sa",
    "restart": 100,
    "temp": 0.3,
    "ls": 1,
    "seqfill": 0.2,
    "tabu": 0.3,
}
for _key in list(PARAMS):
    _env = os.environ.get(f"TOPTW_{_key.upper()}")
    if _env is not None:
        PARAMS[_key] = type(PARAMS[_key])(_env)


def solve(instance: Instance, stop: StoppingCriterion, seed: int = 0) -> Result:
    """Choose and order visits to maximise the total score.

    Parameters
    ----------
    instance:
        The problem, in integers.
    stop:
        Asked once per iteration (after the construction) whether to stop; reset first.
    seed:
        Seeds the only source of randomness; with an iteration-based stop the result is the
        same for the same seed. With `MaxRuntime` the number of iterations depends on speed.

    Returns
    -------
    Result
        Routes (visits only), their score and start times, iterations, runtime and the
        mandatory nodes that could not be placed.
    """
    started = time.perf_counter()
    stop.reset()
    rng = random.Random(seed)
    nprng = np.random.default_rng(seed)
    problem = Problem(instance)
    state = Routes(problem)
    construct(state)
    best = state.snapshot()
    current = best
    iterations = 0
    size, start, stale = 1, 0, 0
    max_size = max(1, problem.U // (3 * problem.R))
    noise = float(PARAMS["noise"])
    shake_mode = PARAMS["shake"]
    accept = PARAMS["accept"]
    restart = int(PARAMS["restart"])
    temp0 = float(PARAMS["temp"])
    ls = int(PARAMS["ls"])
    seqfill = float(PARAMS["seqfill"])
    tabu = float(PARAMS["tabu"])
    while not stop(best.value):
        iterations += 1
        if shake_mode == "seq":
            removed = _shake(state, start, size)
        else:
            removed = _shake_random(state, rng, max_size)
        factor = 1.0 + noise * nprng.random(problem.U) if noise else None
        if tabu and removed and rng.random() < tabu:
            # The removed visits go back last, so the repair cannot simply undo the shake.
            if factor is None:
                factor = np.ones(problem.U)
            factor[removed] *= 1e-3
        if seqfill and rng.random() < seqfill:
            order = list(range(problem.R))
            rng.shuffle(order)
            state.fill(factor, order)
        else:
            state.fill(factor)
        if ls:
            _local_search(state)
        if state.value > best.value:
            best = state.snapshot()
            current = best
            size, stale = 1, 0
        else:
            stale += 1
            if accept == "sa":
                temp = temp0 * max(best.value, 1) / 100.0
                delta = state.value - current.value
                if delta >= 0 or (temp > 0 and rng.random() < math.exp(delta / temp)):
                    current = state.snapshot()
                else:
                    state.restore(current)
        start += size
        size += 1
        smallest = min(len(nd) - 2 for nd in state.nodes)
        start = start % smallest if smallest > 0 else 0
        if size > max_size:
            size = 1
        if stale and stale % restart == 0:
            state.restore(best)
            current = best
            start = rng.randrange(max(1, smallest))
    state.restore(best)
    routes = [nd[1:-1] for nd in state.nodes]
    starts = [st[1:-1] for st in state.st]
    visited = {j for route in routes for j in route}
    score = sum(instance.scores[j] for j in visited)
    return Result(
        routes=routes,
        score=score,
        start_times=starts,
        iterations=iterations,
        runtime_s=time.perf_counter() - started,
        unplaced_mandatory=frozenset(instance.mandatory - visited),
        feasible=True,
    )


def _shake(state: Routes, start: int, size: int) -> list[int]:
    """Remove `size` consecutive non-mandatory visits from each route from position `start`."""
    mandatory = state.p.is_mandatory
    removals: dict[int, list[int]] = {}
    for r, nd in enumerate(state.nodes):
        visits = len(nd) - 2
        if visits == 0:
            continue
        first = 1 + start % visits
        positions = [i for i in range(first, min(first + size, visits + 1)) if not mandatory[nd[i]]]
        if positions:
            removals[r] = positions
    return state.remove_many(removals) if removals else []


def _shake_random(state: Routes, rng: random.Random, max_size: int) -> list[int]:
    """Remove a random run of consecutive non-mandatory visits from each route."""
    mandatory = state.p.is_mandatory
    removals: dict[int, list[int]] = {}
    for r, nd in enumerate(state.nodes):
        visits = len(nd) - 2
        if visits == 0:
            continue
        size = rng.randint(1, max(1, min(max_size, visits // 2 + 1)))
        first = rng.randint(1, visits)
        positions = [i for i in range(first, min(first + size, visits + 1)) if not mandatory[nd[i]]]
        if positions:
            removals[r] = positions
    return state.remove_many(removals) if removals else []


def _local_search(state: Routes, limit: int = 1000) -> int:
    """Swap visits for better free nodes (then refill) until no swap improves; returns moves."""
    moves = 0
    while moves < limit:
        best: tuple[float, int, int, int] | None = None
        for r in range(state.p.R):
            move = state.best_replace(r)
            if move is not None and (best is None or move[0] > best[0]):
                best = (move[0], r, move[1], move[2])
        if best is None:
            return moves
        _, r, pos, u = best
        state.replace(r, pos, u)
        state.fill()
        moves += 1
    return moves
