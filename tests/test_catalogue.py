"""The shipped catalogue loads, is complete enough, and puts its landmarks where they belong."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter

import pytest
from geopy.distance import geodesic

from planner import region
from planner.catalogue import (
    DEFAULT_PATH,
    PATH_ENV,
    Catalogue,
    CatalogueError,
    group_of,
    load_catalogue,
)
from planner.resources import ROOT as REPO_ROOT
from planner.serialize import to_feature, to_feature_collection

VISITABLE = ("attraction", "day_trip", "event")


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


def test_shipped_data_loads_sorted_by_id(catalogue):
    ids = [a.id for a in catalogue.attractions]
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize("city", ["heihe", "blagoveshchensk"])
def test_each_city_has_at_least_30_places_to_visit(catalogue, city):
    visitable = [a for a in catalogue.by_city(city) if a.kind in VISITABLE]
    assert len(visitable) >= 30


@pytest.mark.parametrize("city", ["heihe", "blagoveshchensk"])
def test_each_city_has_its_transport_points(catalogue, city):
    categories = Counter(a.category for a in catalogue.by_city(city) if a.kind == "transport")
    assert categories["airport"] == 1
    assert categories["railway_station"] == 1
    assert categories["border_crossing"] >= 2


def test_every_place_has_three_names_and_a_dated_source(catalogue):
    assert len(catalogue.attractions) >= 2, "the catalogue has places to check"
    for a in catalogue.attractions:
        assert a.name.zh.strip() and a.name.ru.strip() and a.name.en.strip(), a.id
        assert a.sources, a.id
        assert all(s.url and s.supports and s.checked.year >= 2020 for s in a.sources), a.id


def test_every_place_lies_on_its_own_bank(catalogue):
    country = {"heihe": "CN", "blagoveshchensk": "RU"}
    assert {a.city for a in catalogue.attractions} == set(country), "places on both banks"
    for a in catalogue.attractions:
        assert region.current().country_at(a.location.lat, a.location.lon) == country[a.city], a.id


def test_estimated_points_say_how_and_how_far(catalogue):
    assert any(a.is_estimated for a in catalogue.attractions), "some points are estimated"
    for a in catalogue.attractions:
        if a.is_estimated:
            assert a.coord_method.strip() and a.coord_uncertainty_m > 0, a.id


def test_unknown_hours_are_never_marked_verified(catalogue, tmp_path):
    # No shipped place has verified hours yet, so the loop alone would check nothing:
    # a copy that marks a place with unknown hours as verified must be refused.
    raw = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    unknown = [f for f in raw["features"] if f["properties"]["opening_hours"] is None]
    assert unknown, "some places have unknown hours"
    unknown[0]["properties"]["hours_verified"] = True
    broken = tmp_path / "verified.geojson"
    broken.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CatalogueError, match="hours_verified.*opening_hours is null"):
        load_catalogue(broken)
    for a in catalogue.attractions:
        if a.hours_verified:
            assert a.opening_hours is not None, a.id


def _km(catalogue, a: str, b: str) -> float:
    pa, pb = catalogue.get(a).location, catalogue.get(b).location
    return geodesic((pa.lat, pa.lon), (pb.lat, pb.lon)).km


HEIHE_CENTRE = (50.245, 127.48167)  # ru.wikipedia, independent of the catalogue's points


def test_triumphal_arch_is_on_the_embankment(catalogue):
    assert _km(catalogue, "triumphal-arch", "amur-embankment") < 0.3


def test_aihui_museum_is_about_30_km_south_of_heihe(catalogue):
    museum = catalogue.get("aihui-history-museum").location
    distance = geodesic(HEIHE_CENTRE, (museum.lat, museum.lon)).km
    assert 27 < distance < 33
    assert museum.lat < HEIHE_CENTRE[0] - 0.2


def test_heihe_airport_is_about_15_km_from_the_centre(catalogue):
    airport = catalogue.get("heihe-aihui-airport").location
    assert 12 < geodesic(HEIHE_CENTRE, (airport.lat, airport.lon)).km < 18


def test_blagoveshchensk_airport_is_north_west_of_the_centre(catalogue):
    # en/de.wikipedia: ~15-20 km NW of the centre (by road); straight line is shorter.
    assert 12 < _km(catalogue, "blagoveshchensk-ignatyevo-airport", "lenin-square") < 22


def test_the_river_between_the_cities_is_under_a_kilometre_and_a_half(catalogue):
    # The river is ~750 m wide between Big Heihe Island and the embankment.
    assert 0.5 < _km(catalogue, "heihe-river-port", "lenin-square") < 1.5


def test_bridge_checkpoints_face_each_other(catalogue):
    assert _km(catalogue, "kani-kurgan-checkpoint", "heihe-highway-port") < 1.5
    assert 7 < _km(catalogue, "kani-kurgan-checkpoint", "triumphal-arch") < 10


def test_big_heihe_island_is_chinese_and_the_embankment_russian():
    assert region.current().country_at(50.248557, 127.509961) == "CN"
    assert region.current().country_at(50.25606, 127.52458) == "RU"


def test_get_unknown_id_raises_key_error(catalogue):
    with pytest.raises(KeyError):
        catalogue.get("no-such-place")


def test_by_city_rejects_an_unknown_city(catalogue):
    with pytest.raises(ValueError):
        catalogue.by_city("harbin")


def test_categories_are_sorted_and_distinct(catalogue):
    cats = catalogue.categories()
    assert list(cats) == sorted(set(cats)) and "museum" in cats


def _without_covers(value: object) -> object:
    """*value* without the `covers` codes each source adds (derived from its `supports`)."""
    if isinstance(value, dict):
        if "supports" in value:
            assert value.get("covers"), value
        return {k: _without_covers(v) for k, v in value.items() if k != "covers"}
    if isinstance(value, list):
        return [_without_covers(v) for v in value]
    return value


def test_feature_round_trips_the_file_properties(catalogue):
    raw = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    stored = {f["properties"]["id"]: f for f in raw["features"]}
    assert catalogue.attractions and len(stored) == len(catalogue.attractions)
    for a in catalogue.attractions:
        feature = to_feature(a)
        assert feature["geometry"] == stored[a.id]["geometry"]
        for key, value in stored[a.id]["properties"].items():
            assert _without_covers(feature["properties"][key]) == value, (a.id, key)
        assert feature["properties"]["is_estimated"] == a.is_estimated


def test_feature_collection_is_geojson_in_lon_lat_order(catalogue):
    fc = to_feature_collection(catalogue.by_city("heihe"))
    assert fc["type"] == "FeatureCollection"
    museum = next(f for f in fc["features"] if f["id"] == "aihui-history-museum")
    assert museum["geometry"]["coordinates"] == [127.493286, 49.979516]


def test_loading_is_cached_until_the_file_changes(tmp_path):
    copy = tmp_path / "copy.geojson"
    copy.write_bytes(DEFAULT_PATH.read_bytes())
    first = load_catalogue(copy)
    assert load_catalogue(copy) is first
    data = json.loads(copy.read_text(encoding="utf-8"))
    data["features"] = data["features"][:3]
    copy.write_text(json.dumps(data), encoding="utf-8")
    assert len(load_catalogue(copy)) == 3


def test_catalogue_path_setting_is_honoured_when_no_path_is_given(tmp_path, monkeypatch):
    data = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    feature = next(f for f in data["features"] if f["id"] == "triumphal-arch")
    feature["properties"]["name:en"] = "Arch of the Test"
    copy = tmp_path / "mine.geojson"
    copy.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv(PATH_ENV, str(copy))
    catalogue = load_catalogue()
    assert catalogue.path == copy.resolve()
    assert catalogue.get("triumphal-arch").name.en == "Arch of the Test"


def test_default_file_is_used_when_the_setting_is_unset(monkeypatch):
    monkeypatch.delenv(PATH_ENV, raising=False)
    assert load_catalogue().path == DEFAULT_PATH.resolve()


def test_every_place_has_a_group_and_transport_is_its_own(catalogue):
    groups = {a.id: group_of(a) for a in catalogue.attractions}
    assert all(groups.values())
    assert all(groups[a.id] == "transport" for a in catalogue.attractions if a.kind == "transport")
    assert groups["aihui-history-museum"] == "history"


def test_browsing_the_catalogue_does_not_import_folium():
    code = "import sys, planner.browse; sys.exit(1 if 'folium' in sys.modules else 0)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr or "planner.browse imported folium"
