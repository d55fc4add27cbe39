"""Datum conversions for points copied from Chinese map services, and a few geometry helpers.

Amap, Tencent and most Chinese web maps publish GCJ-02 ("Mars") coordinates; Baidu publishes
BD-09, a further offset of GCJ-02. Both differ from WGS-84 by several hundred metres in the
shipped region,
so every point copied from them is converted here before it is stored in data/.

The forward formulas (WGS-84 -> GCJ-02 -> BD-09) are the widely published open
re-implementations; the inverses are solved by fixed-point iteration, which converges to
well under a millimetre in a few rounds. All functions take and return (lat, lon) in degrees,
the order used everywhere in the planner.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

# Krasovsky 1940 ellipsoid, as used by the GCJ-02 obfuscation.
_A = 6378245.0
_EE = 0.00669342162296594323
_X_PI = math.pi * 3000.0 / 180.0


def _transform_lat(x: float, y: float) -> float:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _transform_lon(x: float, y: float) -> float:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def out_of_china(lat: float, lon: float) -> bool:
    """True where GCJ-02 equals WGS-84 (the obfuscation applies only inside a box around China)."""
    return not (72.004 <= lon <= 137.8347 and 0.8293 <= lat <= 55.8271)


def wgs84_to_gcj02(lat: float, lon: float) -> tuple[float, float]:
    """WGS-84 -> GCJ-02 (the forward 'Mars' offset)."""
    if out_of_china(lat, lon):
        return lat, lon
    dlat = _transform_lat(lon - 105.0, lat - 35.0)
    dlon = _transform_lon(lon - 105.0, lat - 35.0)
    radlat = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(radlat) ** 2
    sqrtmagic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrtmagic) * math.pi)
    dlon = (dlon * 180.0) / (_A / sqrtmagic * math.cos(radlat) * math.pi)
    return lat + dlat, lon + dlon


def gcj02_to_bd09(lat: float, lon: float) -> tuple[float, float]:
    """GCJ-02 -> BD-09 (Baidu's additional rotation and offset)."""
    z = math.sqrt(lon * lon + lat * lat) + 0.00002 * math.sin(lat * _X_PI)
    theta = math.atan2(lat, lon) + 0.000003 * math.cos(lon * _X_PI)
    return z * math.sin(theta) + 0.006, z * math.cos(theta) + 0.0065


def bd09_to_gcj02(lat: float, lon: float) -> tuple[float, float]:
    """BD-09 -> GCJ-02 (the published closed-form inverse, then refined by iteration)."""
    x, y = lon - 0.0065, lat - 0.006
    z = math.sqrt(x * x + y * y) - 0.00002 * math.sin(y * _X_PI)
    theta = math.atan2(y, x) - 0.000003 * math.cos(x * _X_PI)
    glat, glon = z * math.sin(theta), z * math.cos(theta)
    # The closed form is only approximate (~1e-6 deg); a few Newton-free corrections fix it.
    for _ in range(10):
        blat, blon = gcj02_to_bd09(glat, glon)
        dlat, dlon = lat - blat, lon - blon
        glat, glon = glat + dlat, glon + dlon
        if abs(dlat) < 1e-12 and abs(dlon) < 1e-12:
            break
    return glat, glon


def gcj02_to_wgs84(lat: float, lon: float) -> tuple[float, float]:
    """GCJ-02 -> WGS-84, inverting the forward offset by fixed-point iteration."""
    if out_of_china(lat, lon):
        return lat, lon
    wlat, wlon = lat, lon
    for _ in range(30):
        glat, glon = wgs84_to_gcj02(wlat, wlon)
        dlat, dlon = lat - glat, lon - glon
        wlat, wlon = wlat + dlat, wlon + dlon
        if abs(dlat) < 1e-12 and abs(dlon) < 1e-12:
            break
    return wlat, wlon


def wgs84_to_bd09(lat: float, lon: float) -> tuple[float, float]:
    """WGS-84 -> BD-09."""
    return gcj02_to_bd09(*wgs84_to_gcj02(lat, lon))


def bd09_to_wgs84(lat: float, lon: float) -> tuple[float, float]:
    """BD-09 -> WGS-84."""
    return gcj02_to_wgs84(*bd09_to_gcj02(lat, lon))


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (sphere R = 6,371 km); good to ~0.5 % for checks."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371008.8 * math.asin(math.sqrt(h))


# --- Which side of a border line a point lies on ---------------------------------------------
#
# A region's border (data/region.json, `border.line`) is a polyline of (lat, lon): a river's
# simplified main channel, or a line on land. A point is judged by the side of it it falls on
# (the sign of the cross product with the nearest segment).


def _segment_side(p: tuple[float, float], a: tuple[float, float], b: tuple[float, float]):
    """(squared distance to segment a-b, cross product sign) in a local equirectangular plane."""
    k = math.cos(math.radians((a[0] + b[0]) / 2))
    ax, ay, bx, by, px, py = a[1] * k, a[0], b[1] * k, b[0], p[1] * k, p[0]
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    cx, cy = ax + t * dx, ay + t * dy
    cross = dx * (py - ay) - dy * (px - ax)
    return (px - cx) ** 2 + (py - cy) ** 2, cross


def side_of_line(
    lat: float, lon: float, line: Sequence[tuple[float, float]]
) -> Literal["left", "right"]:
    """Which side of a polyline of (lat, lon) a point lies on, looking along the line: the side
    of its nearest segment (a region's border, river or land, is such a line)."""
    best: tuple[float, float] | None = None
    for a, b in zip(line, line[1:], strict=False):
        d2, cross = _segment_side((lat, lon), a, b)
        if best is None or d2 < best[0]:
            best = (d2, cross)
    assert best is not None
    # Looking along the line (a -> b), a positive cross product is on the left.
    return "left" if best[1] > 0 else "right"


def distance_to_line_m(lat: float, lon: float, line: Sequence[tuple[float, float]]) -> float:
    """Approximate distance from a polyline of (lat, lon), in metres."""
    d2 = min(_segment_side((lat, lon), a, b)[0] for a, b in zip(line, line[1:], strict=False))
    return math.sqrt(d2) * 111_195.0
