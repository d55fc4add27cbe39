"""Filtering the catalogue for the list page and the API (one implementation for both)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from planner.catalogue import group_of
from planner.model import Attraction


@dataclass(frozen=True)
class Filters:
    """What the user narrowed the list to; empty strings mean 'any'."""

    city: str = ""
    group: str = ""
    kind: str = ""
    q: str = ""


def filter_attractions(attractions: Iterable[Attraction], filters: Filters) -> list[Attraction]:
    """Places matching every given filter; the text matches any of the three names."""
    needle = filters.q.strip().casefold()
    result = []
    for place in attractions:
        if filters.city and place.city != filters.city:
            continue
        if filters.group and group_of(place) != filters.group:
            continue
        if filters.kind and place.kind != filters.kind:
            continue
        if needle and not any(needle in n.casefold() for n in place.name.as_dict().values()):
            continue
        result.append(place)
    return result
