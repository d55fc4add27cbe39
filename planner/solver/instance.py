"""The solver's input: a team orienteering problem with time windows, in integers only.

The solver never sees attractions, cities or dates: the planner turns a trip into scores,
service durations, a travel-time matrix and windows on one absolute integer time axis.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

Window = tuple[int, int]
NodeWindows = tuple[tuple[Window, ...], ...]


@dataclass(frozen=True)
class RouteSpec:
    """One route (a day): leave `start_node` at `start_time` at the earliest, reach `end_node`
    by `end_time`. Start and end nodes are places to sleep, never visits; their own service
    time and windows are ignored (the route's times are what count)."""

    start_node: int
    end_node: int
    start_time: int
    end_time: int

    def __post_init__(self) -> None:
        for name in ("start_node", "end_node", "start_time", "end_time"):
            object.__setattr__(self, name, _as_int(getattr(self, name), f"RouteSpec.{name}"))


def _as_int(value: Any, what: str) -> int:
    """Accept Python and numpy integers only, so fractional data fails loudly, not silently."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{what} must be an integer, got {value!r}")
    return int(value)


def _travel_tuple(travel: Any, n: int) -> tuple[tuple[int, ...], ...]:
    """Normalise the matrix to a tuple of tuples of ints (immutable, hashable) after checks."""
    if isinstance(travel, np.ndarray):
        if travel.shape != (n, n):
            raise ValueError(f"travel must be {n}x{n}, got shape {travel.shape}")
        if travel.dtype.kind not in "iu":
            raise ValueError(f"travel must hold integers, got dtype {travel.dtype}")
        if n and int(travel.min()) < 0:
            raise ValueError("travel times must be non-negative")
        return tuple(tuple(int(v) for v in row) for row in travel.tolist())
    if not isinstance(travel, Sequence) or len(travel) != n:
        raise ValueError(f"travel must be an {n}x{n} matrix")
    rows: list[tuple[int, ...]] = []
    for i, row in enumerate(travel):
        if not isinstance(row, Sequence) or len(row) != n:
            raise ValueError(f"travel row {i} must have {n} entries")
        values = tuple(_as_int(v, f"travel[{i}][{j}]") for j, v in enumerate(row))
        if values and min(values) < 0:
            raise ValueError(f"travel row {i} has a negative time")
        rows.append(values)
    return tuple(rows)


@dataclass(frozen=True)
class Instance:
    """A TOPTW with the extensions real trips need (see the module docstring).

    Parameters
    ----------
    scores:
        Profit per node; start/end nodes must score 0 and are never visited.
    service:
        Service duration per node (time spent there before leaving).
    travel:
        n x n travel times (numpy integer array or nested sequences); may be asymmetric and
        need not satisfy the triangle inequality.
    windows:
        ``windows[node][route]``: sorted, disjoint ``(earliest_start, latest_start)`` pairs on
        one absolute axis shared by all routes. An empty tuple: not servable in that route.
        Service must start inside a window and may end after it.
    routes:
        One `RouteSpec` per route.
    mandatory:
        Nodes that must be visited; those that cannot be placed are reported, not fatal.
        A fixed-time event is a mandatory node with one ``(t, t)`` window in one route.
    name:
        Free label (the benchmark file name), for reports only.
    """

    scores: tuple[int, ...]
    service: tuple[int, ...]
    travel: tuple[tuple[int, ...], ...]
    windows: tuple[NodeWindows, ...]
    routes: tuple[RouteSpec, ...]
    mandatory: frozenset[int] = field(default_factory=frozenset)
    name: str = ""

    def __post_init__(self) -> None:
        scores = tuple(_as_int(v, f"scores[{i}]") for i, v in enumerate(self.scores))
        n = len(scores)
        if n == 0:
            raise ValueError("an instance needs at least one node")
        if any(v < 0 for v in scores):
            raise ValueError("scores must be non-negative")
        if len(self.service) != n:
            raise ValueError(f"service has {len(self.service)} entries, scores has {n}")
        service = tuple(_as_int(v, f"service[{i}]") for i, v in enumerate(self.service))
        if any(v < 0 for v in service):
            raise ValueError("service durations must be non-negative")
        travel = _travel_tuple(self.travel, n)

        routes = tuple(self.routes)
        if not routes:
            raise ValueError("an instance needs at least one route")
        for k, spec in enumerate(routes):
            if not isinstance(spec, RouteSpec):
                raise ValueError(f"routes[{k}] must be a RouteSpec")
            for node in (spec.start_node, spec.end_node):
                if not 0 <= node < n:
                    raise ValueError(f"routes[{k}] refers to node {node}, outside 0..{n - 1}")
            if spec.start_time > spec.end_time:
                raise ValueError(
                    f"routes[{k}] ends ({spec.end_time}) before it starts ({spec.start_time})"
                )
        terminals = {spec.start_node for spec in routes} | {spec.end_node for spec in routes}
        for node in terminals:
            if scores[node] != 0:
                raise ValueError(f"node {node} starts or ends a route, so its score must be 0")

        if len(self.windows) != n:
            raise ValueError(f"windows has {len(self.windows)} entries, scores has {n}")
        windows: list[NodeWindows] = []
        for i, per_route in enumerate(self.windows):
            if not isinstance(per_route, Sequence) or len(per_route) != len(routes):
                raise ValueError(f"windows[{i}] needs one entry per route ({len(routes)})")
            node_windows: list[tuple[Window, ...]] = []
            for r, pairs in enumerate(per_route):
                clean: list[Window] = []
                if not isinstance(pairs, Sequence):
                    raise ValueError(f"windows[{i}][{r}] must be a tuple of (earliest, latest)")
                for pair in pairs:
                    if not isinstance(pair, Sequence) or len(pair) != 2:
                        raise ValueError(
                            f"windows[{i}][{r}] holds {pair!r}, not an (earliest, latest) pair"
                        )
                    e = _as_int(pair[0], f"windows[{i}][{r}] earliest")
                    la = _as_int(pair[1], f"windows[{i}][{r}] latest")
                    if e < 0 or e > la:
                        raise ValueError(f"windows[{i}][{r}] has an invalid window ({e}, {la})")
                    if clean and e <= clean[-1][1]:
                        raise ValueError(f"windows[{i}][{r}] must be sorted and disjoint")
                    clean.append((e, la))
                node_windows.append(tuple(clean))
            windows.append(tuple(node_windows))

        mandatory = frozenset(_as_int(v, "mandatory node") for v in self.mandatory)
        for node in mandatory:
            if not 0 <= node < n:
                raise ValueError(f"mandatory node {node} is outside 0..{n - 1}")
            if node in terminals:
                raise ValueError(f"mandatory node {node} starts or ends a route")

        object.__setattr__(self, "scores", scores)
        object.__setattr__(self, "service", service)
        object.__setattr__(self, "travel", travel)
        object.__setattr__(self, "windows", tuple(windows))
        object.__setattr__(self, "routes", routes)
        object.__setattr__(self, "mandatory", mandatory)

    @property
    def num_nodes(self) -> int:
        return len(self.scores)

    @property
    def num_routes(self) -> int:
        return len(self.routes)

    @property
    def terminals(self) -> frozenset[int]:
        """Nodes that start or end some route: never visits."""
        return frozenset(s.start_node for s in self.routes) | frozenset(
            s.end_node for s in self.routes
        )
