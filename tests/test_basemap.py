"""The offline base map: the Amur, the Zeya and the border where they are, for web and print."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planner import basemap, region

ROOT = Path(__file__).resolve().parent.parent


def _inside(point: tuple[float, float], ring) -> bool:
    """Even-odd ray casting on (lat, lon) pairs."""
    lat, lon = point
    inside = False
    for (alat, alon), (blat, blon) in zip(ring, ring[1:], strict=False):
        if (alat > lat) != (blat > lat):
            at = alon + (lat - alat) * (blon - alon) / (blat - alat)
            if lon < at:
                inside = not inside
    return inside


def _on_water(point: tuple[float, float]) -> bool:
    shapes = basemap.basemap_shapes()
    return any(
        _inside(point, polygon[0]) and not any(_inside(point, hole) for hole in polygon[1:])
        for polygon in shapes.water
    )


def test_file_covers_both_cities_and_aihui_and_names_its_licence():
    data = basemap.basemap_geojson()
    west, south, east, north = data["bbox"]
    assert west <= 127.0 and east >= 128.0 and south <= 49.9 and north >= 50.6
    assert "OpenStreetMap" in data["basemap"]["attribution"]
    assert "ODbL" in data["basemap"]["licence"]
    assert basemap.RIVERS_PACKAGE in data["basemap"]["sources"]
    assert "ODbL" in (ROOT / "data" / "basemap.md").read_text(encoding="utf-8")
    assert (ROOT / "data" / "basemap.geojson").stat().st_size < 60_000


def test_shapes_are_in_lat_lon_order_inside_the_box():
    shapes = basemap.basemap_shapes()
    west, south, east, north = shapes.bbox
    points = [p for polygon in shapes.water for ring in polygon for p in ring]
    points += [p for line in shapes.border for p in line]
    assert len(points) > 200
    for lat, lon in points:
        assert south - 1e-6 <= lat <= north + 1e-6 and west - 1e-6 <= lon <= east + 1e-6
    assert set(shapes.land) == {"CN", "RU"}
    assert shapes.attribution == basemap.ATTRIBUTION


def test_amur_runs_between_the_two_cities():
    # The border line's vertices through the twin cities (data/region.json) lie on the water.
    for lat, lon in region.current().border.line[5:12]:
        assert _on_water((lat, lon)), (lat, lon)
    # The town centres do not.
    assert not _on_water((50.2441, 127.4902))  # Heihe
    assert not _on_water((50.2759, 127.5264))  # Blagoveshchensk


def test_zeya_is_drawn_north_of_its_mouth():
    assert _on_water((50.40, 127.735))


def test_border_follows_the_amur_through_the_cities():
    shapes = basemap.basemap_shapes()
    near = [
        (lat, lon)
        for line in shapes.border
        for lat, lon in line
        if 50.24 <= lat <= 50.27 and 127.45 <= lon <= 127.57
    ]
    assert len(near) >= 3
    for lat, lon in near:
        assert region.current().distance_to_border_m(lat, lon) < 1000, (lat, lon)


def test_labels_name_rivers_and_towns_in_three_languages_on_the_right_side():
    labels = {label.name.en: label for label in basemap.basemap_shapes().labels}
    assert {"Amur", "Zeya", "Heihe", "Blagoveshchensk", "Aihui"} <= set(labels)
    assert labels["Amur"].name.zh == "黑龙江" and labels["Zeya"].name.ru == "Зея"
    for town, side in (("Heihe", "CN"), ("Aihui", "CN"), ("Blagoveshchensk", "RU")):
        assert region.current().country_at(labels[town].lat, labels[town].lon) == side
    for label in basemap.basemap_shapes().labels:
        if label.kind == "river":
            assert _on_water((label.lat, label.lon)), label.name.en


def test_geojson_is_a_fresh_copy():
    data = basemap.basemap_geojson()
    data["features"].clear()
    assert basemap.basemap_geojson()["features"]


def test_generator_cuts_joins_and_labels(tmp_path):
    """The regeneration step on tiny stand-ins for the two packages (needs shapely)."""
    pytest.importorskip("shapely")
    river = {
        "type": "Polygon",
        "coordinates": [
            [[127.3, 50.0], [127.32, 50.0], [127.32, 50.6], [127.3, 50.6], [127.3, 50.0]]
        ],
    }
    far = {"type": "Polygon", "coordinates": [[[10, 10], [11, 10], [11, 11], [10, 10]]]}
    rivers = tmp_path / "rivers.json"
    rivers.write_text(json.dumps({"type": "GeometryCollection", "geometries": [river, far]}))
    cn = [[[126, 49], [127.5, 49], [127.5, 52], [126, 52], [126, 49]]]
    ru = [[[127.5, 49], [129, 49], [129, 52], [127.5, 52], [127.5, 49]]]

    def country(iso2: str, coords) -> dict:
        geometry = {
            "type": "GeometryCollection",
            "geometries": [{"type": "MultiPolygon", "coordinates": [coords]}],
        }
        return {"type": "Feature", "properties": {"isoA2": iso2}, "geometry": geometry}

    borders = tmp_path / "borders.json"
    borders.write_text(
        json.dumps(
            {"type": "FeatureCollection", "features": [country("CN", cn), country("RU", ru)]}
        )
    )
    data = basemap.build_basemap(rivers, borders)
    layers = [f["properties"]["layer"] for f in data["features"]]
    assert layers.count("land") == 2 and layers.count("water") == 1
    assert layers.count("border") == 1 and layers.count("label") == len(basemap.labels())
    (border,) = [f["geometry"] for f in data["features"] if f["properties"]["layer"] == "border"]
    lons = {lon for lon, _lat in border["coordinates"]}
    assert lons == {127.5}  # the shared edge only, not the frame
    out = tmp_path / "basemap.geojson"
    out.write_text(json.dumps(data))
    shapes = basemap.basemap_shapes(out)
    assert any(_inside((50.3, 127.31), polygon[0]) for polygon in shapes.water)
    assert any(_inside((50.3, 127.5), polygon[0]) for polygon in shapes.water)  # border river
