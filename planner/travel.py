"""Travel times between places: vectorised great-circle distance x circuity / speed.

The parameters and their sources live in data/travel.json. Whole seconds, because the solver
works on integers. Points on different banks of the Amur are never connected here: the only way
across is the border crossing, which the planner adds as its own leg.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from planner.model import LatLon

DATA = Path(__file__).resolve().parent.parent / "data" / "travel.json"
EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG), as geopy uses
MODES = ("walk", "taxi", "bus")


@dataclass(frozen=True)
class ModeParams:
    """How fast one way of moving is, with the fixed cost of starting it."""

    speed_kmh: float
    overhead_s: int
    circuity: float
    max_km: float | None
    town_km: float | None = None  # beyond this many km a vehicle runs at open_road_kmh
    open_road_kmh: float | None = None


@lru_cache(maxsize=4)
def load_params(path: Path = DATA) -> dict[str, ModeParams]:
    raw = json.loads(path.read_text(encoding="utf-8"))
    params = {}
    for mode in MODES:
        spec = raw["modes"][mode]
        kind = "walk" if mode == "walk" else "road"
        params[mode] = ModeParams(
            speed_kmh=float(spec["speed_kmh"]),
            overhead_s=int(spec["overhead_min"]) * 60,
            circuity=float(raw["circuity"][kind]["value"]),
            max_km=spec.get("max_km"),
            town_km=spec.get("town_km"),
            open_road_kmh=spec.get("open_road_kmh"),
        )
    return params


def great_circle_km(points: list[LatLon]) -> np.ndarray:
    """n x n matrix of haversine distances in km (error < 0.5 % against geodesic)."""
    lat = np.radians(np.array([p.lat for p in points]))
    lon = np.radians(np.array([p.lon for p in points]))
    dlat = lat[:, None] - lat[None, :]
    dlon = lon[:, None] - lon[None, :]
    a = np.sin(dlat / 2) ** 2 + np.cos(lat[:, None]) * np.cos(lat[None, :]) * np.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


@dataclass(frozen=True)
class LegMatrix:
    """Best time, its mode and road distance between every pair of points."""

    seconds: np.ndarray  # int64, n x n
    mode_index: np.ndarray  # int8 index into MODES, n x n
    km: np.ndarray  # float, network distance estimate


def leg_matrix(points: list[LatLon], modes: tuple[str, ...]) -> LegMatrix:
    """Fastest allowed mode for every pair; walking only up to its distance limit."""
    if not modes:
        raise ValueError("at least one transport mode is needed")
    unknown = set(modes) - set(MODES)
    if unknown:
        raise ValueError(f"unknown transport mode(s): {', '.join(sorted(unknown))}")
    params = load_params()
    direct = great_circle_km(points)
    n = len(points)
    best = np.full((n, n), np.iinfo(np.int64).max, dtype=np.int64)
    best_mode = np.zeros((n, n), dtype=np.int8)
    best_km = np.zeros((n, n))
    for mode in modes:
        p = params[mode]
        km = direct * p.circuity
        if p.town_km is not None and p.open_road_kmh:
            town = np.minimum(km, p.town_km)
            hours = town / p.speed_kmh + (km - town) / p.open_road_kmh
        else:
            hours = km / p.speed_kmh
        secs = np.rint(hours * 3600).astype(np.int64) + p.overhead_s
        if p.max_km is not None and len(modes) > 1:
            secs = np.where(direct <= p.max_km, secs, np.iinfo(np.int64).max)
        better = secs < best
        best = np.where(better, secs, best)
        best_mode = np.where(better, MODES.index(mode), best_mode)
        best_km = np.where(better, km, best_km)
    np.fill_diagonal(best, 0)
    np.fill_diagonal(best_km, 0.0)
    return LegMatrix(seconds=best, mode_index=best_mode, km=best_km)
