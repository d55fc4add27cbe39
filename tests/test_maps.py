"""Maps: hostile text stays text, assets resolve to vendored files, estimates draw as small
rings, tiles come from the setting (OSM by default, off in tests) and GCJ-02 tiles shift China."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from planner import geo, maps, region
from planner.assets import UnknownAssetError, asset_paths
from planner.model import Attraction, LatLon, LocalizedName, Source

HOSTILE = "<script>alert(1)</script>`${alert(2)}`\\"
STATIC = Path(__file__).resolve().parent.parent / "static"
HEIHE = LatLon(50.2441, 127.4902)  # Heihe centre (GeoNames), Chinese bank
BLAGOVESHCHENSK = LatLon(50.2595, 127.5240)  # Lenin Square area, Russian bank


def _place(**changes) -> Attraction:
    base = Attraction(
        id="test-place",
        city="blagoveshchensk",
        kind="attraction",
        category="museum",
        name=LocalizedName(zh="博物馆", ru="Музей", en="Museum"),
        location=LatLon(50.259, 127.524),
        coord_confidence="high",
        coord_uncertainty_m=20,
        coord_method="test",
        opening_hours="Tu-Su 10:00-18:00",
        hours_verified=False,
        visit_minutes=60,
        price=300,
        currency="RUB",
        indoor=True,
        months=tuple(range(1, 13)),
        popularity=5,
        interests=("history",),
        address="",
        tags={},
        sources=(Source("https://example.org/museum", "test", date(2026, 11, 29)),),
    )
    return replace(base, **changes)


def test_map_text_neutralises_template_literal_and_html():
    out = maps.map_text(HOSTILE)
    for bad in ("<script", "`", "${", "\\"):
        assert bad not in out
    assert "&lt;script&gt;" in out


def test_popup_shows_script_tag_as_text():
    place = _place(name=LocalizedName(zh=HOSTILE, ru=HOSTILE, en=HOSTILE), editorial_note=HOSTILE)
    rendered = maps.render(maps.attractions_map([place], "en", lambda s: s))
    assert "<script>alert(1)" not in rendered.script
    assert "${alert(2)}" not in rendered.script
    assert "`${" not in rendered.script


def test_javascript_source_url_is_not_a_link():
    place = _place(sources=(Source("javascript:alert(1)", "x", date(2026, 11, 29)),))
    html = maps.popup_html(place, "en", lambda s: s)
    assert "href='javascript" not in html


def test_popup_gives_sources_check_date_the_readers_way_and_no_file_path():
    place = _place(
        sources=(
            Source("https://example.org/museum", "facts: x", date(2026, 11, 29)),
            Source("docs/data.md#editorial-conventions", "visit_minutes: y", date(2026, 11, 30)),
        )
    )
    words = {"the project's own judgement": "оценка проекта"}
    html = maps.popup_html(place, "ru", lambda s: words.get(s, s))
    assert "29 нояб. 2026" in html and "2026-11-29" not in html
    assert "оценка проекта (30 нояб. 2026" in html and "docs/data.md" not in html


def test_unverified_hours_are_labelled():
    html = maps.popup_html(_place(opening_hours=None), "en", lambda s: s)
    assert "hours not verified" in html


def _circles(script: str) -> list[dict]:
    """Options of every L.circle (metres) and L.circleMarker (pixels) in a map script."""
    found = []
    for kind, options in re.findall(
        r"L\.(circle|circleMarker)\(\s*\[[^\]]*\],\s*(\{.*?\})", script, re.S
    ):
        found.append({"kind": kind, **json.loads(options)})
    return found


def test_estimated_place_is_a_small_dashed_ring_not_a_pin():
    place = _place(coord_confidence="estimated", coord_uncertainty_m=75000)
    script = maps.render(maps.attractions_map([place], "en", lambda s: s)).script
    assert "L.marker(" not in script
    assert "L.circle(" not in script  # no circle of the uncertainty (it was 150 km across)
    rings = [c for c in _circles(script) if c.get("className") == "estimated-marker"]
    assert len(rings) == 1
    assert rings[0]["kind"] == "circleMarker"
    assert rings[0]["radius"] <= 10 and rings[0]["dashArray"]


def test_estimated_tooltip_gives_the_uncertainty_in_the_page_language():
    place = _place(coord_confidence="estimated", coord_uncertainty_m=75000)
    ru = {"Approximate location (±%(m)s m)": "Примерное место (±%(m)s м)"}
    script = maps.render(maps.attractions_map([place], "ru", lambda s: ru.get(s, s))).script
    tooltip = re.search(r"bindTooltip\(\s*`(.*?)`", script.split("estimated-marker")[1], re.S)
    assert "Музей" in tooltip.group(1)
    assert "Примерное место (±75\u202f000 м)" in tooltip.group(1)


def test_no_circle_larger_than_a_kilometre_on_the_catalogue_map():
    from planner.catalogue import DEFAULT_PATH, load_catalogue

    places = load_catalogue(DEFAULT_PATH).attractions
    assert any(p.is_estimated for p in places)
    script = maps.render(maps.attractions_map(places, "en", lambda s: s)).script
    assert "L.circle(" not in script
    for circle in _circles(script):
        assert circle["kind"] == "circleMarker" and circle.get("radius", 0) <= 10


def test_map_assets_resolve_to_vendored_files_only():
    rendered = maps.render(maps.attractions_map([_place()], "en", lambda s: s))
    for path in rendered.scripts + rendered.styles:
        assert path.startswith("vendor/") or path == maps.MAP_CSS
    assert (STATIC / maps.MAP_CSS).is_file()
    assert any("leaflet.js" in p for p in rendered.scripts)
    assert any("markercluster" in p for p in rendered.scripts)
    assert any("jquery" in p for p in rendered.scripts)


def test_unknown_folium_asset_is_refused():
    with pytest.raises(UnknownAssetError):
        asset_paths(["some_new_plugin_js"])


def test_tiles_off_draws_the_offline_base_map_and_no_tile_layer():
    script = maps.render(maps.attractions_map([_place()], "en", lambda s: s)).script
    assert "L.tileLayer" not in script
    assert "L.geoJson(" in script
    for key in ('"water"', '"border"', '"land:CN"', '"land:RU"'):
        assert key in script, key
    (attribution,) = _attributions(script)  # the base map's data are ODbL
    assert "© OpenStreetMap contributors</a> (ODbL)" in attribution
    for name in ("Amur", "Zeya", "Heihe", "Blagoveshchensk", "Aihui"):
        assert f"{name}\n" in script or f"{name}<" in script or f" {name} " in script, name


def test_base_map_names_follow_the_language():
    script = maps.render(maps.attractions_map([_place()], "zh", lambda s: s)).script
    assert "黑龙江" in script and "结雅河" in script and "布拉戈维申斯克" in script


def test_base_map_lies_under_the_markers():
    script = maps.render(maps.attractions_map([_place()], "en", lambda s: s)).script
    assert script.index("L.geoJson(") < script.index("L.marker(")
    panes = dict(re.findall(r'createPane\(\s*"([^"]+)"\);\s*\w+\.style\.zIndex = (\d+)', script))
    assert int(panes["basemap"]) < 400 and int(panes["basemap-names"]) < 600  # overlay, markers
    assert '"interactive": false' in script


def _attributions(script: str) -> list[str]:
    """The attribution options of the map's layers, as Leaflet will read them (JSON-decoded)."""
    return [json.loads(a) for a in re.findall(r'"attribution": ("(?:[^"\\]|\\.)*")', script)]


def test_configured_tile_server_is_used():
    tiles = maps.TileConfig("https://tiles.example.org/{z}/{x}/{y}.png", "© Example")
    script = maps.render(maps.attractions_map([_place()], "en", lambda s: s, tiles=tiles)).script
    assert "https://tiles.example.org/{z}/{x}/{y}.png" in script
    assert _attributions(script)[-1] == "© Example"
    assert script.index("L.geoJson(") < script.index("L.tileLayer(")


def test_tiles_on_still_draw_the_base_map_under_them():
    """A tile server out of reach (no signal across the river) leaves the river, the border and
    the town names on screen: the base layer is drawn in panes below Leaflet's tile pane (200)."""
    tiles = maps.TileConfig("https://tiles.example.org/{z}/{x}/{y}.png", "© Example")
    script = maps.render(maps.attractions_map([_place()], "en", lambda s: s, tiles=tiles)).script
    for key in ('"water"', '"border"', '"land:CN"', '"land:RU"'):
        assert key in script, key
    assert "Blagoveshchensk" in script and "Amur" in script
    panes = dict(re.findall(r'createPane\(\s*"([^"]+)"\);\s*\w+\.style\.zIndex = (\d+)', script))
    assert int(panes["basemap"]) < 200 and int(panes["basemap-names"]) < 200
    assert any("OpenStreetMap" in a for a in _attributions(script))  # the base map's ODbL too


def test_osm_default_tiles_carry_their_attribution_link():
    script = maps.render(maps.new_map(maps.OSM_TILES)).script
    assert "https://tile.openstreetmap.org/{z}/{x}/{y}.png" in script
    assert _attributions(script)[-1] == (
        '<a href="https://www.openstreetmap.org/copyright" rel="noopener" target="_blank">'
        "© OpenStreetMap contributors</a>"
    )


def test_hostile_attribution_is_escaped():
    tiles = maps.TileConfig(
        "https://tiles.example.org/{z}/{x}/{y}.png",
        HOSTILE + " {{7*7}} {% if 1 %}X{% endif %}",
        attribution_url="javascript:alert(3)",
    )
    script = maps.render(maps.new_map(tiles)).script
    assert "<script>alert(1)" not in script and "${alert(2)}" not in script
    tile_layer = script[script.index("L.tileLayer(") :]  # the base map's coordinates hold 49s
    assert "49" not in re.sub(r"[a-f0-9]{32}", "", tile_layer)  # {{7*7}} was not evaluated
    assert "{{" not in script and "{%" not in script
    assert "javascript:" not in script and "<a" not in _attributions(script)[-1]
    assert _attributions(script)[-1].startswith("&lt;script&gt;alert(1)&lt;/script&gt;&#96;&#36;")


def test_unknown_tile_datum_is_refused():
    with pytest.raises(ValueError, match="datum"):
        maps.TileConfig("https://t.example.org/{z}/{x}/{y}.png", "x", datum="bd09")


GCJ_TILES = maps.TileConfig("https://t.example.cn/{z}/{x}/{y}.png", "© Example", datum="gcj02")


def test_gcj02_tiles_shift_a_heihe_point_by_a_few_hundred_metres():
    place = _place(id="heihe-place", city="heihe", location=HEIHE)
    script = maps.render(maps.attractions_map([place], "zh", lambda s: s, tiles=GCJ_TILES)).script
    lat, lon = geo.wgs84_to_gcj02(HEIHE.lat, HEIHE.lon)
    assert f"[{lat}, {lon}]" in script
    assert f"[{HEIHE.lat}, {HEIHE.lon}]" not in script
    assert 300 < geo.haversine_m(HEIHE.lat, HEIHE.lon, lat, lon) < 800
    assert place.location == HEIHE  # display only: the data keep WGS-84


def test_gcj02_tiles_leave_a_blagoveshchensk_point_where_it_is():
    place = _place(location=BLAGOVESHCHENSK)
    script = maps.render(maps.attractions_map([place], "ru", lambda s: s, tiles=GCJ_TILES)).script
    assert f"[{BLAGOVESHCHENSK.lat}, {BLAGOVESHCHENSK.lon}]" in script


def test_wgs84_tiles_shift_nothing():
    assert maps.display_location(HEIHE.lat, HEIHE.lon, maps.OSM_TILES) == (HEIHE.lat, HEIHE.lon)
    assert maps.display_location(HEIHE.lat, HEIHE.lon, None) == (HEIHE.lat, HEIHE.lon)


# --- The settings, through the app ----------------------------------------------------------


def _app(tmp_path, **config):
    from planner.web import create_app

    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-only",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'test.sqlite3'}",
            **config,
        }
    )


def test_default_app_draws_osm_tiles_and_allows_their_origin(tmp_path):
    client = _app(tmp_path, TILES="on").test_client()
    response = client.get("/attractions")
    page = response.get_data(as_text=True)
    assert "https://tile.openstreetmap.org/{z}/{x}/{y}.png" in page
    attribution = _attributions(page)[-1]  # the tiles' (the base map's comes first)
    assert "© OpenStreetMap contributors" in attribution
    assert "https://www.openstreetmap.org/copyright" in attribution
    csp = response.headers["Content-Security-Policy"]
    assert "img-src 'self' data: https://tile.openstreetmap.org;" in csp


def test_tiles_none_setting_draws_the_base_map_and_allows_no_tile_origin(client):
    response = client.get("/attractions")
    page = response.get_data(as_text=True)
    assert "L.tileLayer" not in page and "tile.openstreetmap.org" not in page
    assert "L.geoJson(" in page and '"border"' in page
    assert "img-src 'self' data:;" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize("value", ["none", "off", False, "NONE"])
def test_tiles_switch_values_turn_tiles_off(tmp_path, value):
    from planner.web import data

    with _app(tmp_path, TILES=value).app_context():
        assert data.tiles() is None


def test_subdomain_tile_server_gets_a_wildcard_origin(tmp_path):
    app = _app(tmp_path, TILES="on", TILE_URL="https://{s}.tiles.example.org/{z}/{x}/{y}.png")
    csp = app.test_client().get("/").headers["Content-Security-Policy"]
    assert "https://*.tiles.example.org;" in csp


def test_tile_url_that_would_break_the_policy_is_not_added(tmp_path):
    app = _app(tmp_path, TILES="on", TILE_URL="https://x.org;script-src */{z}/{x}/{y}.png")
    csp = app.test_client().get("/").headers["Content-Security-Policy"]
    assert "img-src 'self' data:;" in csp and "script-src *" not in csp


def test_gcj02_setting_shifts_the_heihe_crossing_point_only(tmp_path):
    from planner.crossing import load_crossing_data

    app = _app(
        tmp_path,
        TILES="on",
        TILE_URL="https://t.example.cn/{z}/{x}/{y}.png",
        TILE_DATUM="gcj02",
    )
    page = app.test_client().get("/crossing?date=2027-07-11").get_data(as_text=True)
    points = [p for p in load_crossing_data().points if p.location is not None]
    assert {p.city for p in points} == {"heihe", "blagoveshchensk"}
    for point in points:
        lat, lon = point.location.lat, point.location.lon
        if region.current().country_at(lat, lon) == "CN":
            lat, lon = geo.wgs84_to_gcj02(lat, lon)
        assert f"[{lat}, {lon}]" in page, point.id
