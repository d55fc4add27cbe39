"""Maps: hostile text stays text, assets resolve to vendored files, estimates draw as areas."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from planner import maps
from planner.assets import UnknownAssetError, asset_paths
from planner.model import Attraction, LatLon, LocalizedName, Source

HOSTILE = "<script>alert(1)</script>`${alert(2)}`\\"


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
    place = _place(name=LocalizedName(zh=HOSTILE, ru=HOSTILE, en=HOSTILE), notes=HOSTILE)
    rendered = maps.render(maps.attractions_map([place], "en", lambda s: s))
    assert "<script>alert(1)" not in rendered.script
    assert "${alert(2)}" not in rendered.script
    assert "`${" not in rendered.script


def test_javascript_source_url_is_not_a_link():
    place = _place(sources=(Source("javascript:alert(1)", "x", date(2026, 11, 29)),))
    html = maps.popup_html(place, "en", lambda s: s)
    assert "href='javascript" not in html


def test_unverified_hours_are_labelled():
    html = maps.popup_html(_place(opening_hours=None), "en", lambda s: s)
    assert "hours not verified" in html


def test_estimated_place_is_drawn_as_circle_not_pin():
    place = _place(coord_confidence="estimated", coord_uncertainty_m=800)
    script = maps.render(maps.attractions_map([place], "en", lambda s: s)).script
    assert "L.circle(" in script and '"radius": 800' in script
    assert "L.marker(" not in script


def test_map_assets_resolve_to_vendored_files_only():
    rendered = maps.render(maps.attractions_map([_place()], "en", lambda s: s))
    for path in rendered.scripts + rendered.styles:
        assert path.startswith("vendor/")
    assert any("leaflet.js" in p for p in rendered.scripts)
    assert any("markercluster" in p for p in rendered.scripts)
    assert any("jquery" in p for p in rendered.scripts)


def test_unknown_folium_asset_is_refused():
    with pytest.raises(UnknownAssetError):
        asset_paths(["some_new_plugin_js"])


def test_blank_background_without_tile_server():
    script = maps.render(maps.attractions_map([_place()], "en", lambda s: s)).script
    assert "L.tileLayer" not in script


def test_configured_tile_server_is_used():
    tiles = maps.TileConfig("https://tiles.example.org/{z}/{x}/{y}.png", "© Example")
    script = maps.render(maps.attractions_map([_place()], "en", lambda s: s, tiles=tiles)).script
    assert "https://tiles.example.org/{z}/{x}/{y}.png" in script
