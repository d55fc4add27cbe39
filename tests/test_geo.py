"""Datum conversions: the dossier's reference point and round trips near the twin cities."""

from __future__ import annotations

import pytest

from planner import geo

# Aihui History Exhibition Hall, zh.wikipedia (WGS-84), and its GCJ-02/BD-09 forms as given in
# /work/shared/reference/heihe-places.md (computed there with the same published formulas).
AIHUI_WGS = (49.979516, 127.493286)
AIHUI_GCJ = (49.981417, 127.500664)
AIHUI_BD = (49.987034, 127.507313)


def _close(a: tuple[float, float], b: tuple[float, float], tol: float = 1e-6) -> bool:
    return abs(a[0] - b[0]) <= tol and abs(a[1] - b[1]) <= tol


def test_reference_point_wgs_to_gcj_to_bd():
    gcj = geo.wgs84_to_gcj02(*AIHUI_WGS)
    assert _close(gcj, AIHUI_GCJ)
    assert _close(geo.gcj02_to_bd09(*gcj), AIHUI_BD)
    assert _close(geo.wgs84_to_bd09(*AIHUI_WGS), AIHUI_BD)


def test_reference_point_back_to_wgs84():
    assert _close(geo.gcj02_to_wgs84(*AIHUI_GCJ), AIHUI_WGS, 2e-6)
    assert _close(geo.bd09_to_gcj02(*AIHUI_BD), AIHUI_GCJ, 2e-6)
    assert _close(geo.bd09_to_wgs84(*AIHUI_BD), AIHUI_WGS, 2e-6)


@pytest.mark.parametrize(
    "point",
    [(50.2486, 127.51), (50.245, 127.48167), (48.722, 126.15), (49.0, 130.5), (53.3, 122.3)],
)
def test_round_trips_are_below_a_millimetre(point):
    lat, lon = point
    back = geo.gcj02_to_wgs84(*geo.wgs84_to_gcj02(lat, lon))
    assert geo.haversine_m(lat, lon, *back) < 0.001
    back = geo.bd09_to_wgs84(*geo.wgs84_to_bd09(lat, lon))
    assert geo.haversine_m(lat, lon, *back) < 0.001
    back = geo.bd09_to_gcj02(*geo.gcj02_to_bd09(lat, lon))
    assert geo.haversine_m(lat, lon, *back) < 0.001


def test_offset_near_heihe_is_hundreds_of_metres():
    # Why the conversion matters: an unconverted Baidu point is ~1 km off in Heihe.
    lat, lon = 50.2486, 127.51
    assert 400 < geo.haversine_m(lat, lon, *geo.wgs84_to_gcj02(lat, lon)) < 800
    assert 900 < geo.haversine_m(lat, lon, *geo.wgs84_to_bd09(lat, lon)) < 1500


def test_points_outside_china_are_not_shifted():
    assert geo.wgs84_to_gcj02(55.75, 37.62) == (55.75, 37.62)
    assert geo.gcj02_to_wgs84(55.75, 37.62) == (55.75, 37.62)


def test_haversine_matches_known_distance():
    # Heihe centre -> Aihui museum: the dossier computes 29.5 km.
    assert geo.haversine_m(50.245, 127.48167, *AIHUI_WGS) == pytest.approx(29_500, abs=300)
