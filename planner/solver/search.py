"""Iterated local search for the TOPTW, grown from Vansteenwegen et al. (2009).

One iteration: shake (remove a random segment of consecutive visits from about half of the
routes; mandatory visits are never removed), repair (greedy insertion by value^2 / time
shift, with ratios perturbed by noise, sometimes route by route, sometimes with the removed
visits held back), then local search (swap a visit for a better free node served in its
place, refill), then simulated-annealing acceptance.
After `restart` iterations without a new best the search goes back to the best solution.
What each part is worth was measured with bench/toptw.py (bench/README.md).

Invariants (tests/test_solver_invariants.py): a local-search move never lowers the value and
never swaps out a mandatory visit, so the search ends at a local optimum, not at its move cap;
the stop's `expired()` check is asked before every insertion and every move, so a time limit
holds within one move whatever the instance size.

Determinism: all randomness comes from `seed`; with an iteration-based stop the result is
reproducible, with `MaxRuntime` it depends on how many iterations the machine completes.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from planner.solver.construct import construct
from planner.solver.instance import Instance
from planner.solver.result import Result, check
from planner.solver.state import Problem, Routes
from planner.solver.stop import StoppingCriterion, expiry, never

# Safety net against a cycle of equal-value, time-saving swaps; never reached in practice
# (the tests assert it): each swap gains score or saves time, and a fill only adds score.
MOVE_CAP = 1000


@dataclass(frozen=True)
class SearchParams:
    """Knobs of the search; the defaults are the ones measured best on the benchmark
    (bench/toptw.py, see bench/README.md). Changing them is for experiments."""

    noise: float = 0.3  # repair ratios are multiplied by U(1, 1 + noise)
    shake: str = "rand"  # "rand": random segments; "seq": the paper's sliding segments
    accept: str = "sa"  # "sa": simulated-annealing acceptance; "walk": always accept
    temp: float = 0.3  # SA temperature, in percent of the best score
    restart: int = 100  # back to the best after this many iterations without improvement
    local_search: bool = True  # replace moves after each repair
    seqfill: float = 0.2  # probability of a route-by-route repair
    tabu: float = 0.3  # probability that the removed visits are re-inserted last
    shake_share: float = 0.5  # probability that a route is shaken (at least one is)
    alpha: float = 2.0  # repair ratio: value ** alpha / time shift
    max_shake: int = 0  # cap on the visits removed per route (0: candidates / (3 routes))


def solve(
    instance: Instance,
    stop: StoppingCriterion,
    seed: int = 0,
    params: SearchParams | None = None,
) -> Result:
    """Choose and order visits to maximise the total score.

    Parameters
    ----------
    instance:
        The problem, in integers.
    stop:
        Asked once per iteration (after the construction) whether to stop; reset first.
        Its `expired()` check, if it has one, is asked before every insertion and every
        local-search move too, so a time limit also cuts the construction and an iteration.
    seed:
        Seeds the only source of randomness; with an iteration-based stop the result is the
        same for the same seed. With `MaxRuntime` the number of iterations depends on speed.
    params:
        Search knobs; the defaults are the measured best.

    Returns
    -------
    Result
        Routes (visits only), their score and start times, iterations, runtime and the
        mandatory nodes that could not be placed.
    """
    started = time.perf_counter()
    params = params or SearchParams()
    stop.reset()
    rng = random.Random(seed)
    nprng = np.random.default_rng(seed)
    halt = expiry(stop)
    problem = Problem(instance, alpha=params.alpha)
    state = Routes(problem)
    construct(state, halt)
    best = state.snapshot()
    current = best
    iterations = 0
    size, start, stale = 1, 0, 0
    max_size = max(1, problem.U // (3 * problem.R))
    if params.max_shake:
        max_size = min(max_size, params.max_shake)
    noise = params.noise
    tabu = params.tabu
    seqfill = params.seqfill
    # The temperature follows the real score, not the mandatory bonus in `value`.
    temp_scale = params.temp / 100.0
    capped = 0
    while not halt() and not stop(best.value):
        iterations += 1
        if params.shake == "seq":
            removed = _shake(state, start, size)
        else:
            removed = _shake_random(state, rng, max_size, params.shake_share)
        factor = 1.0 + noise * nprng.random(problem.U) if noise else None
        if tabu and removed and rng.random() < tabu:
            # The removed visits go back last, so the repair cannot simply undo the shake.
            if factor is None:
                factor = np.ones(problem.U)
            factor[removed] *= 1e-3
        if seqfill and rng.random() < seqfill:
            order = list(range(problem.R))
            rng.shuffle(order)
            state.fill(factor, order, halt)
        else:
            state.fill(factor, halt=halt)
        if params.local_search and _local_search(state, halt) >= MOVE_CAP:
            capped += 1
        if state.value > best.value:
            best = state.snapshot()
            current = best
            size, stale = 1, 0
        else:
            stale += 1
            if params.accept == "sa":
                temp = temp_scale * max(1, best.value % problem.bonus)
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
        if stale and stale % params.restart == 0:
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
        feasible=check(instance, routes).feasible,
        local_search_capped=capped,
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


def _shake_random(
    state: Routes, rng: random.Random, max_size: int, share: float = 1.0
) -> list[int]:
    """Remove a random run of consecutive non-mandatory visits from each route (from each
    route with probability `share`, at least one route)."""
    mandatory = state.p.is_mandatory
    removals: dict[int, list[int]] = {}
    R = len(state.nodes)
    chosen = [r for r in range(R) if share >= 1.0 or rng.random() < share]
    if not chosen:
        chosen = [rng.randrange(R)]
    for r in chosen:
        nd = state.nodes[r]
        visits = len(nd) - 2
        if visits == 0:
            continue
        size = rng.randint(1, max(1, min(max_size, visits // 2 + 1)))
        first = rng.randint(1, visits)
        positions = [i for i in range(first, min(first + size, visits + 1)) if not mandatory[nd[i]]]
        if positions:
            removals[r] = positions
    return state.remove_many(removals) if removals else []


def _local_search(state: Routes, halt: Callable[[], bool] = never, limit: int = MOVE_CAP) -> int:
    """Swap visits for better free nodes (then refill) until no swap improves; returns moves.

    Never lowers `state.value` and never gives up a mandatory visit (see `_replace_keys`).
    Ends at a local optimum, when `halt()` says so, or (a safety net) after `limit` moves:
    a return value equal to `limit` means the cap ended it.
    """
    moves = 0
    while moves < limit and not halt():
        best: tuple[float, int, int, int] | None = None
        for r in range(state.p.R):
            move = state.best_replace(r)
            if move is not None and (best is None or move[0] > best[0]):
                best = (move[0], r, move[1], move[2])
        if best is None:
            return moves
        _, r, pos, u = best
        state.replace(r, pos, u)
        state.fill(halt=halt)
        moves += 1
    return moves
