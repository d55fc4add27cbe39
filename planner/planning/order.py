"""A day's stops in the order the traveller gave (an edit's reorder): the search chooses the
places and the meals' slots, then each route of that day visits its places in that order."""

from __future__ import annotations

from collections.abc import Sequence

from planner.planning.builder import Built


def _place_id(built: Built, node: int) -> str:
    place = built.nodes[node].attraction
    return place.id if place is not None else ""


def ordered_routes(
    built: Built, routes: Sequence[Sequence[int]], order: Sequence[tuple[int, Sequence[str]]]
) -> list[list[int]]:
    """*routes* with the places of each ordered day in the given order (each route keeps its
    own places; meals keep their slots). The caller checks that the result still holds."""
    wanted = dict(order)
    out: list[list[int]] = []
    for r, route in enumerate(routes):
        ids = wanted.get(built.segments[r].day)
        if ids is None:
            out.append(list(route))
            continue
        rank = {pid: n for n, pid in enumerate(ids)}
        slots = [i for i, node in enumerate(route) if _place_id(built, node) in rank]
        ordered = sorted((route[i] for i in slots), key=lambda n: rank[_place_id(built, n)])
        new = list(route)
        for i, node in zip(slots, ordered, strict=True):
            new[i] = node
        out.append(new)
    return out
