"""The solver's output, and an independent feasibility check for any set of routes.

`check()` re-simulates routes from the instance alone (earliest-start schedule, waiting
allowed) and shares no code with the search, so benchmarks and tests can use it as the judge.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from planner.solver.instance import Instance


@dataclass(frozen=True)
class Result:
    """What `solve()` found.

    `routes[k]` lists the visited nodes of route k in order (start/end nodes excluded);
    `start_times[k][i]` is when service of `routes[k][i]` starts (earliest-start schedule).
    """

    routes: list[list[int]]
    score: int
    start_times: list[list[int]]
    iterations: int
    runtime_s: float
    unplaced_mandatory: frozenset[int] = field(default_factory=frozenset)
    feasible: bool = True
    # Iterations whose local search was ended by its move cap (a safety net): expected 0.
    local_search_capped: int = 0


@dataclass(frozen=True)
class CheckReport:
    """The verdict of `check()`: constraint violations in words, and the recomputed figures."""

    feasible: bool
    score: int
    start_times: list[list[int]]
    violations: tuple[str, ...]
    missing_mandatory: frozenset[int]


def check(instance: Instance, routes: Sequence[Sequence[int]]) -> CheckReport:
    """Simulate every route and list every broken constraint.

    Parameters
    ----------
    instance:
        The problem.
    routes:
        One list of visited nodes per route (start/end excluded); fewer lists than routes means
        the remaining routes are empty.

    Returns
    -------
    CheckReport
        `feasible` is False when a node is unknown, repeated, a route terminal, not servable
        in its route, served after its last window, or a route reaches its end too late.
        Missing mandatory nodes are reported separately, as they are a choice, not a breach.
    """
    violations: list[str] = []
    n = instance.num_nodes
    if len(routes) > instance.num_routes:
        violations.append(f"{len(routes)} routes given, the instance has {instance.num_routes}")
    terminals = instance.terminals
    seen: set[int] = set()
    score = 0
    all_starts: list[list[int]] = []
    for k, route in enumerate(routes[: instance.num_routes]):
        spec = instance.routes[k]
        time = spec.start_time
        here = spec.start_node
        starts: list[int] = []
        for node in route:
            if not 0 <= node < n:
                violations.append(f"route {k}: node {node} does not exist")
                starts.append(time)
                continue
            if node in terminals:
                violations.append(f"route {k}: node {node} is a start/end node, not a visit")
            if node in seen:
                violations.append(f"route {k}: node {node} is visited more than once")
            seen.add(node)
            arrival = time + instance.travel[here][node]
            begin = None
            for earliest, latest in instance.windows[node][k]:
                if arrival <= latest:
                    begin = max(arrival, earliest)
                    break
            if begin is None:
                if instance.windows[node][k]:
                    violations.append(
                        f"route {k}: node {node} reached at {arrival}, after its last window "
                        f"{instance.windows[node][k]!r}"
                    )
                else:
                    violations.append(f"route {k}: node {node} cannot be served in this route")
                begin = arrival
            starts.append(begin)
            score += instance.scores[node]
            time = begin + instance.service[node]
            here = node
        arrival = time + instance.travel[here][spec.end_node]
        if arrival > spec.end_time:
            violations.append(
                f"route {k}: reaches end node {spec.end_node} at {arrival} > {spec.end_time}"
            )
        all_starts.append(starts)
    return CheckReport(
        feasible=not violations,
        score=score,
        start_times=all_starts,
        violations=tuple(violations),
        missing_mandatory=frozenset(instance.mandatory - seen),
    )
