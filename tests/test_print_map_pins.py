"""Print maps never stack pins: a dense area (a city centre) gets a detail inset at a closer
zoom, and pins still too close are nudged apart; checked on the pins' drawn positions."""

from __future__ import annotations

import math
import re
from itertools import combinations

import pytest

from planner.catalogue import load_catalogue
from planner.printing import PIN_GAP, PIN_REACH, MapStop, route_svg

_PIN = re.compile(r'<g class="pin (stop|meal|port)" transform="translate\(([-\d.]+) ([-\d.]+)\)">')
_KIND = {"stop": "visit", "meal": "meal", "port": "crossing_from"}


def drawn_pins(svg: str) -> list[tuple[str, float, float]]:
    """Each pin of a rendered map: its kind and where its centre is drawn (SVG units)."""
    return [(_KIND[k], float(x), float(y)) for k, x, y in _PIN.findall(svg)]


def collisions(pins: list[tuple[str, float, float]]) -> list[tuple]:
    return [
        (a, b)
        for a, b in combinations(pins, 2)
        if math.dist(a[1:], b[1:]) < PIN_REACH[a[0]] + PIN_REACH[b[0]] + PIN_GAP
    ]


def _city_centre_day() -> list[MapStop]:
    """Twelve sights of Blagoveshchensk (most in its centre), a lunch in the first of them,
    and the river port: the agency's day that printed as one blob."""
    cat = load_catalogue()
    places = sorted(cat.by_city("blagoveshchensk"), key=lambda p: p.id)[:12]
    assert len(places) == 12
    stops = [
        MapStop(p.location.lat, p.location.lon, "visit", str(n), p.name.en)
        for n, p in enumerate(places, start=1)
    ]
    first = places[0].location
    stops.insert(1, MapStop(first.lat, first.lon, "meal", "", "lunch"))
    port = cat.get("blagoveshchensk-river-port-amurasso").location
    return [*stops, MapStop(port.lat, port.lon, "crossing_from", "", "port")]


def test_the_unzoomed_city_centre_day_would_stack_its_pins():
    # What the inset is for: at the day's zoom, the centre's places are closer than their pins.
    from planner.printing import _dense, _Frame

    stops = _city_centre_day()
    assert len(_dense(stops, _Frame(stops))) >= 3


def test_a_dense_day_gets_an_inset_and_no_two_drawn_pins_overlap():
    stops = _city_centre_day()
    svg = route_svg(stops, "#1f5f8b", "ru", "День 1", key="1")
    pins = drawn_pins(svg)
    assert len(pins) == len(stops), "every stop is drawn once, in the overview or the inset"
    assert 'class="inset"' in svg and 'class="zoom-area"' in svg
    assert not collisions(pins), collisions(pins)
    viewbox = [float(v) for v in re.search(r'viewBox="([^"]+)"', svg).group(1).split()]
    for _kind, x, y in pins:  # on the sheet
        assert 0 <= x <= viewbox[2] and 0 <= y <= viewbox[3]


def test_two_stops_at_the_same_place_are_drawn_side_by_side_with_a_leader_line():
    here = (50.2565, 127.5360)
    stops = [MapStop(*here, "visit", "1", "museum"), MapStop(*here, "meal", "", "its cafe")]
    svg = route_svg(stops, "#123456", "en", "Day 1")
    assert not collisions(drawn_pins(svg)) and 'class="leader"' in svg


def test_a_sparse_day_has_no_inset():
    stops = [
        MapStop(50.2565, 127.5360, "visit", "1", "a"),
        MapStop(50.2900, 127.4800, "visit", "2", "b"),
    ]
    svg = route_svg(stops, "#123456", "en", "Day 1")
    assert 'class="inset"' not in svg and len(drawn_pins(svg)) == 2


@pytest.fixture()
def client(tmp_path):
    from planner.web import create_app

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'pins.sqlite3'}",
            "TILES": "none",
        }
    )
    return app.test_client()


def test_no_print_map_of_a_packed_group_plan_overlaps_its_pins(client):
    body = {
        "arrive": "2027-07-10T09:00+09:00",
        "depart": "2027-07-12T20:00+09:00",
        "stay": "blagoveshchensk",
        "nationality": "RU",
        "party_size": 12,
        "pace": "packed",
    }
    made = client.post("/api/v1/plans", json=body).get_json()
    assert made["ok"], made
    html = client.get(f"/plans/{made['plan']['id']}/print?lang=en").get_data(as_text=True)
    maps = re.findall(r"<svg[^>]*class=\"route-map\".*?</svg>", html, flags=re.S)
    assert maps, "the print view draws the day maps"
    for svg in maps:
        pins = drawn_pins(svg)
        assert not collisions(pins), collisions(pins)
